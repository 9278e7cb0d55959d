"""The candidates report: institutions found open that the Open GLAM Survey does not list yet.

Rows use the Survey's own column names (via crawler.registry_io.survey_row, the same writer as
`glamwatch registry export`) followed by our evidence columns, so a maintainer can review the
evidence and paste the Survey part as it is. Counts are of *sampled* pages, not the collection.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from crawler.registry import InstitutionEntry
from crawler.registry_io import survey_columns, survey_row, website_host
from reports.survey_labels import PUBLIC_DOMAIN_IDS, survey_label

EVIDENCE_COLUMNS = (
    "evidence_url0",
    "evidence_url1",
    "evidence_url2",
    "evidence_method",
    "evidence_snippet",
    "sampled_object_pages",
    "open_object_pages",
    "licenses_found",
    "glamwatch_run",
)


def candidate_columns() -> list[str]:
    return survey_columns() + list(EVIDENCE_COLUMNS)


def listed_keys(entries: list[InstitutionEntry]) -> tuple[set[str], set[str]]:
    """QIDs and website hosts of Survey-listed entries (e.g. a Survey CSV export)."""
    qids = {e.wikidata for e in entries if e.wikidata}
    hosts = {
        h
        for e in entries
        for h in [website_host(e.website)] + [website_host(s.base_url) for s in e.sites]
        if h
    }
    return qids, hosts


def build_candidates(
    audit: dict[str, Any],
    pages_by_url: dict[str, Any],
    listed: tuple[set[str], set[str]] = (set(), set()),
) -> dict[str, Any]:
    """Candidates from an audit model: not listed, at least one sampled object page open.

    `listed` (QIDs, hosts) excludes institutions a Survey export already lists even when the
    database does not mark them (crawled from bare seeds, say).
    """
    rows = []
    skipped = 0
    for inst in audit["institutions"]:
        if inst.get("survey") == "listed" or not inst["open_pages"]:
            continue
        hosts = {website_host(site) for site in inst.get("sites") or [inst.get("site")]}
        if inst.get("wikidata") in listed[0] or hosts & listed[1]:
            skipped += 1
            continue
        open_pages = [
            p for p in audit["pages"] if p["institution"] == inst["name"] and p["verdict"] == "open"
        ]
        open_ids: Counter[str] = Counter(lic for p in open_pages for lic in p["licenses"])
        labels = sorted({survey_label(lic) for lic in open_ids})
        pd_share = sum(n for lic, n in open_ids.items() if lic in PUBLIC_DOMAIN_IDS)
        entry = InstitutionEntry(
            name=inst["name"],
            country=inst.get("country"),
            type=inst.get("type"),
            wikidata=inst.get("wikidata"),
            website=inst["site"] + "/" if inst.get("site") else None,
            extra={
                "open_access_scope": "All eligible data"
                if inst["verdict"] == "open"
                else "Some eligible data",
                "rights_statement_compliance": "Public domain"
                if pd_share * 2 >= sum(open_ids.values())
                else "Open",
                "platforms": [
                    {
                        "name": "Own website",
                        "number": str(len(open_pages)),
                        "url": inst["site"] + "/" if inst.get("site") else "",
                        "rs": labels,
                    }
                ],
            },
        )
        row: dict[str, Any] = survey_row(entry)
        first = pages_by_url.get(open_pages[0]["url"]) if open_pages else None
        best = next(
            (a for a in (first.assertions if first else ()) if a.scope == "object" and a.license),
            None,
        )
        for n in range(3):
            row[f"evidence_url{n}"] = open_pages[n]["url"] if n < len(open_pages) else ""
        row["evidence_method"] = best.method if best else ""
        row["evidence_snippet"] = best.snippet if best else ""
        row["sampled_object_pages"] = str(inst["objects"])
        row["open_object_pages"] = str(len(open_pages))
        row["licenses_found"] = " ".join(f"{k}:{v}" for k, v in open_ids.most_common())
        row["glamwatch_run"] = str(audit["run"]["id"])
        rows.append(row)
    return {
        "report": "candidates",
        "run": audit["run"],
        "runs": audit["runs"],
        "columns": candidate_columns(),
        "candidates": rows,
        "already_listed": skipped,
    }
