"""Findings of the audit that compare channels: object pages against IIIF manifests and OAI-PMH
records, plus the small helpers every finding uses."""

from __future__ import annotations

from collections import Counter
from typing import Any

from reports.queries import PageRow


def finding(code: str, severity: str, message: str, urls: list[str], fix: str) -> dict[str, Any]:
    return {
        "code": code,
        "severity": severity,
        "message": message,
        "count": len(urls),
        "examples": urls[:3],
        "recommendation": fix,
    }


def ids_text(ids: set[str] | list[str]) -> str:
    return ", ".join(sorted(ids)) or "none"


def channels(objects: list[PageRow], records: list[PageRow]) -> dict[str, dict[str, int]]:
    """Object-level licenses per channel (object pages, IIIF, OAI-PMH): pages carrying each.
    The adviser compares the columns; a license in one channel only is a conflict to explain."""
    out: dict[str, dict[str, int]] = {}
    for name, group in (
        ("object pages", objects),
        ("IIIF", [p for p in records if p.kind == "iiif"]),
        ("OAI-PMH", [p for p in records if p.kind == "oai"]),
    ):
        if not group:
            continue
        counts: Counter[str] = Counter()
        for p in group:
            ids = {a.license for a in p.assertions if a.license and a.scope != "site"}
            counts.update(ids or {"none"})
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def record_findings(objects: list[PageRow], records: list[PageRow]) -> list[dict[str, Any]]:
    out = []
    html_ids = {lic for p in objects for lic in p.object_licenses}
    for kind, label in (("iiif", "IIIF manifests"), ("oai", "OAI-PMH records")):
        mine = [p for p in records if p.kind == kind]
        bare = [p.url for p in mine if not any(a.license for a in p.assertions)]
        if bare:
            fix = (
                "IIIF manifests carry no rights: add `rights` (Presentation 3) or `license` "
                "(Presentation 2) with the license URI."
                if kind == "iiif"
                else "OAI-PMH records carry no rights: fill dc:rights / edm:rights with the URI."
            )
            out.append(
                finding(
                    "record-no-rights", "medium", f"{len(bare)} {label} carry no rights.", bare, fix
                )
            )
        ids = {a.license for p in mine for a in p.assertions if a.license}
        if ids and html_ids and not ids & html_ids:
            out.append(
                finding(
                    "record-conflict",
                    "high",
                    f"{label} say {ids_text(ids)} while the object pages say {ids_text(html_ids)}.",
                    [p.url for p in mine],
                    f"Make the {label} and the object pages state the same license.",
                )
            )
    return out
