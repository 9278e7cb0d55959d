"""The audit report: per institution, what was sampled, what it says, what to fix, and a tier.

Built from plain rows (reports/queries.py) by pure functions, so the rubric can be tested on
hand-made pages. The rubric is published in reports/RUBRIC.md and printed in every report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from reports.findings import channels, finding, ids_text, record_findings
from reports.queries import DECIDED, AssertionRow, InstitutionRow, PageRow, RunRow
from reports.rubric import (
    CONSISTENCY_CODES,
    HUMAN_METHODS,
    MACHINE_METHODS,
    RECORD_KINDS,
    RUBRIC,
    institution_verdict,
    tier,
)

# Pages the crawler classified as something other than a collection item: a rights policy page
# speaks for the institution, not for one object, so its prose never counts as an object page.
NON_OBJECT_KINDS = frozenset({"policy", "sitemap", "robots"})


def _is_object(page: PageRow) -> bool:
    if page.failed or page.kind in RECORD_KINDS or page.kind in NON_OBJECT_KINDS:
        return False
    return page.kind == "object" or any(a.scope == "object" for a in page.assertions)


def _copyright_notice_only(site: list[AssertionRow]) -> bool:
    """The site-scope signals are only a bare copyright notice / "all rights reserved" in text."""
    return all(a.license == "ARR" and a.method == "text" for a in site)


def institution_audit(inst: InstitutionRow, pages: list[PageRow]) -> dict[str, Any]:
    """Audit one institution's pages of one run: counts, findings, recommendations and tier."""
    ok = [p for p in pages if not p.failed]
    objects = [p for p in ok if _is_object(p)]
    records = [p for p in ok if p.kind in RECORD_KINDS]
    verdicts = Counter(p.verdict for p in objects)
    licenses: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    detail: Counter[tuple[str, str, str]] = Counter()
    for p in ok:
        for lic in p.object_licenses:
            licenses[lic] += 1
        for a in p.assertions:
            methods[a.method] += 1
            detail[(a.license or f"unrecognised: {a.raw[:80]}", a.method, a.scope)] += 1

    findings: list[dict[str, Any]] = []
    stated: list[str] = []
    machine: list[str] = []
    no_license: list[str] = []
    text_only: list[str] = []
    footer_conflict: list[str] = []
    footer_differs: list[str] = []
    footer_notice: list[str] = []
    disagree: list[str] = []
    text_ids: set[str] = set()
    pairs: Counter[tuple[str, str]] = Counter()
    for p in objects:
        obj = [a for a in p.assertions if a.scope == "object"]
        site = [a for a in p.assertions if a.scope == "site" and a.license]
        if not obj:
            no_license.append(p.url)
            continue
        stated.append(p.url)
        if any(a.method in MACHINE_METHODS and a.license for a in obj):
            machine.append(p.url)
        elif all(a.method in HUMAN_METHODS for a in obj):
            text_only.append(p.url)
            text_ids |= {a.license or a.raw[:40] for a in obj}
        obj_ids = {a.license for a in obj if a.license}
        site_ids = {a.license for a in site if a.license}
        if site_ids and obj_ids and site_ids != obj_ids:
            obj_v = {a.verdict for a in obj if a.license}
            site_v = {a.verdict for a in site}
            if _copyright_notice_only(site) and obj_v == {"open"}:
                # "© 2024 The Museum" in the footer is the website's notice, not a license of
                # the objects: worth a word, not a conflict (nearly every open GLAM has one).
                footer_notice.append(p.url)
            else:
                (footer_conflict if obj_v != site_v else footer_differs).append(p.url)
                pairs[(ids_text(site_ids), ids_text(obj_ids))] += 1
        by_method: dict[str, set[str]] = defaultdict(set)
        for a in obj:
            if a.license:
                by_method[a.method].add(a.license)
        if len({frozenset(v) for v in by_method.values()}) > 1:
            disagree.append(p.url)

    if no_license:
        findings.append(
            finding(
                "no-object-license",
                "high",
                f"{len(no_license)} of {len(objects)} object pages state no rights for the object.",
                no_license,
                "State the rights of every object on its page, as a rel=license link or a JSON-LD "
                "`license` on the item, with a canonical license or rightsstatements.org URI.",
            )
        )
    if text_only:
        findings.append(
            finding(
                "text-only",
                "medium",
                f"{len(text_only)} object pages state {ids_text(text_ids)} only in visible "
                "text or a badge image.",
                text_only,
                f"Object pages state {ids_text(text_ids)} only in text: add rel=license or a "
                "JSON-LD `license` with the license URI.",
            )
        )
    if footer_conflict:
        site_ids_s, obj_ids_s = pairs.most_common(1)[0][0]
        findings.append(
            finding(
                "footer-conflict",
                "high",
                f"The site footer says {site_ids_s} while the objects say {obj_ids_s} "
                f"({len(footer_conflict)} pages): a reader cannot tell which applies.",
                footer_conflict,
                f"Footer {site_ids_s} conflicts with {obj_ids_s} objects: scope the footer license "
                'to the website text ("site content") or drop it on object pages.',
            )
        )
    if footer_differs:
        findings.append(
            finding(
                "footer-differs",
                "low",
                f"The site footer names a different license than the objects on "
                f"{len(footer_differs)} pages (both open).",
                footer_differs,
                "Say in the footer that it covers the website text, not the collection objects.",
            )
        )
    if footer_notice:
        findings.append(
            finding(
                "footer-notice",
                "low",
                f"A copyright notice in the site footer stands beside open objects on "
                f"{len(footer_notice)} pages.",
                footer_notice,
                "Say that the copyright notice covers the website, not the collection objects "
                '(e.g. "© 2024 The Museum — website text; collection images: CC0").',
            )
        )
    if disagree:
        findings.append(
            finding(
                "methods-disagree",
                "high",
                f"On {len(disagree)} object pages the machine-readable statements disagree "
                "(e.g. rel=license vs JSON-LD).",
                disagree,
                "Generate every rights statement of a page from the same catalogue field.",
            )
        )
    findings += record_findings(objects, records)
    rs_label = sorted(
        {
            p.url
            for p in ok
            for a in p.assertions
            if (a.license or "").startswith("RS-") and "rightsstatements.org" not in a.raw
        }
    )
    if rs_label:
        findings.append(
            finding(
                "rs-label",
                "medium",
                f"{len(rs_label)} pages name a rightsstatements.org statement by its label only.",
                rs_label,
                "Use the rightsstatements.org URI (http://rightsstatements.org/vocab/…/1.0/), not "
                "its label.",
            )
        )
    unknown = sorted({p.url for p in ok for a in p.assertions if a.license is None})
    if unknown:
        findings.append(
            finding(
                "unrecognised",
                "medium",
                f"{len(unknown)} pages carry rights values that match no known license.",
                unknown,
                "Link the license deed URL (creativecommons.org/…) or a rightsstatements.org URI "
                "instead of free text.",
            )
        )
    not_open = [p.url for p in objects if p.verdict in ("not-open", "conflict")]
    if not_open:
        findings.append(
            finding(
                "not-open",
                "info",
                f"{len(not_open)} object pages are not open under the Open Definition / Survey "
                "policy.",
                not_open,
                "For public-domain works, mark the images PDM or CC0; for works you hold rights "
                "in, consider CC BY or CC BY-SA (open), not NC/ND variants.",
            )
        )
    failed = [p.url for p in pages if p.fetch_failed]
    gone = [p.url for p in pages if p.outcome == "gone"]
    if failed:
        findings.append(
            finding(
                "fetch-errors",
                "info",
                f"{len(failed)} pages could not be fetched.",
                failed,
                "Check these URLs answer to crawlers (robots.txt, rate limits, timeouts).",
            )
        )

    decided = sum(verdicts[v] for v in DECIDED)
    open_pages = verdicts["open"]
    n = len(objects)
    criteria = {
        "stated": len(stated) / n if n else None,
        "machine_readable": len(machine) / n if n else None,
        "consistent": not any(f["code"] in CONSISTENCY_CODES for f in findings)
        and verdicts["conflict"] == 0,
        "open": decided > 0 and open_pages == decided,
    }
    return {
        "name": inst.name,
        "site": inst.sites[0] if inst.sites else (pages[0].site if pages else ""),
        "sites": list(inst.sites),
        "country": inst.country,
        "type": inst.type,
        "wikidata": inst.wikidata,
        "survey": inst.survey_status,
        "pages": len(pages),
        "fetched": len(ok),
        "failed": len(failed),
        "gone": len(gone),
        "objects": n,
        "records": len(records),
        "channels": channels(objects, records),
        "open_pages": open_pages,
        "verdict": institution_verdict(verdicts),
        "verdicts": {v: verdicts[v] for v in (*DECIDED, "unknown")},
        "licenses": dict(sorted(licenses.items(), key=lambda kv: (-kv[1], kv[0]))),
        "methods": dict(sorted(methods.items(), key=lambda kv: (-kv[1], kv[0]))),
        "license_detail": [
            {"license": k[0], "method": k[1], "scope": k[2], "count": c}
            for k, c in sorted(detail.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "findings": findings,
        "recommendations": [f["recommendation"] for f in findings if f["severity"] != "info"]
        or ["Nothing to fix in this sample; keep the markup as it is."],
        "criteria": criteria,
        "tier": tier(criteria) if n else None,
    }


def build_audit(
    runs: list[RunRow],
    run: RunRow,
    insts: dict[str, InstitutionRow],
    pages: list[PageRow],
) -> dict[str, Any]:
    """The whole audit model (the JSON shape of DESIGN.md §3, with more keys)."""
    grouped: dict[str, list[PageRow]] = defaultdict(list)
    for p in pages:
        grouped[p.institution].append(p)
    audits = [
        institution_audit(insts.get(name) or InstitutionRow(name, sites=[ps[0].site]), ps)
        for name, ps in sorted(grouped.items())
    ]
    lic_total: Counter[str] = Counter()
    meth_total: Counter[str] = Counter()
    for a in audits:
        lic_total.update(a["licenses"])
        meth_total.update(a["methods"])
    return {
        "report": "audit",
        "run": run.to_json(),
        "totals": {
            "pages": len(pages),
            "objects": sum(a["objects"] for a in audits),
            "open_pages": sum(a["open_pages"] for a in audits),
            "licenses": dict(lic_total.most_common()),
            "methods": dict(meth_total.most_common()),
        },
        "runs": [r.to_json() for r in runs],
        "rubric": [{"tier": t, "name": n, "rule": r} for t, n, r in RUBRIC],
        "institutions": audits,
        "pages": [
            {
                "url": p.url,
                "institution": p.institution,
                "kind": p.kind,
                "status": p.status,
                "verdict": p.verdict,
                "licenses": p.object_licenses,
                "methods": sorted({a.method for a in p.assertions}),
                "error": p.error,
            }
            for p in pages
        ],
    }
