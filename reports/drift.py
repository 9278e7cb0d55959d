"""The drift report: what changed between two runs, regressions first, outages apart.

Built on `Store.diff` (db/drift.py) and grouped per institution. The Survey loop adds one more
kind of regression: an institution the Open GLAM Survey lists as open whose sampled object
pages are no longer open at all (`"against": "survey-listing"`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reports.audit import _is_object
from reports.queries import DECIDED, InstitutionRow, PageRow, RunRow
from reports.survey_labels import label_ids

SECTIONS = (
    ("regressions", "Regressions", ("regression",)),
    (
        "changes",
        "Other license changes",
        (
            "license-changed",
            "license-removed",
            "markup-lost",
            "page-gone",
            "improvement",
            "license-added",
        ),
    ),
    ("outages", "Outages (fetch failures, not license changes)", ("unreachable",)),
    ("new", "New pages", ("new-page",)),
)
KIND_ORDER = {k: n for n, (_, _, kinds) in enumerate(SECTIONS) for k in kinds}
EVIDENCE_SHOWN = 4


def _side(evidence: dict[str, Any] | None) -> dict[str, Any] | None:
    """One side of an event's evidence, trimmed to the object-scope assertions first."""
    if not evidence:
        return None
    assertions = sorted(
        evidence.get("assertions") or [], key=lambda a: (a.get("scope") != "object",)
    )
    return {
        **evidence,
        "assertions": assertions[:EVIDENCE_SHOWN],
        "more": max(0, len(assertions) - EVIDENCE_SHOWN),
    }


def event_view(event: dict[str, Any], institution: str) -> dict[str, Any]:
    ev = event.get("evidence") or {}
    return {
        **event,
        "institution": institution,
        "before_side": _side(ev.get("before")) if isinstance(ev, dict) else None,
        "after_side": _side(ev.get("after")) if isinstance(ev, dict) else None,
    }


def listing_regressions(
    insts: dict[str, InstitutionRow], pages: list[PageRow], run: RunRow
) -> list[dict[str, Any]]:
    """Survey-listed institutions whose sampled object pages in `run` are none of them open."""
    by_inst: dict[str, list[PageRow]] = defaultdict(list)
    for p in pages:
        by_inst[p.institution].append(p)
    out = []
    for name, inst in sorted(insts.items()):
        if inst.survey_status != "listed":
            continue
        objects = [p for p in by_inst.get(name, []) if _is_object(p) and p.verdict in DECIDED]
        if not objects or any(p.verdict == "open" for p in objects):
            continue
        declared = [
            lic for pl in inst.extra.get("platforms") or [] for lic in label_ids(pl.get("rs"))
        ]
        seen = sorted({lic for p in objects for lic in p.object_licenses})
        examples = [
            {
                "url": p.url,
                "verdict": p.verdict,
                "licenses": p.object_licenses,
                "assertions": [
                    {
                        "license": a.license,
                        "method": a.method,
                        "scope": a.scope,
                        "raw": a.raw,
                        "snippet": a.snippet,
                        "position": a.position,
                    }
                    for a in p.assertions
                    if a.scope == "object"
                ][:EVIDENCE_SHOWN],
            }
            for p in objects[:3]
        ]
        out.append(
            {
                "kind": "regression",
                "against": "survey-listing",
                "institution": name,
                "url": inst.survey_url or (inst.sites[0] if inst.sites else None),
                "site": inst.sites[0] if inst.sites else objects[0].site,
                "before": sorted(set(declared)) or ["listed-open"],
                "after": seen,
                "evidence": {
                    "survey_url": inst.survey_url,
                    "run": run.id,
                    "object_pages": len(objects),
                    "open_pages": 0,
                    "examples": examples,
                },
            }
        )
    return out


def build_drift(
    runs: list[RunRow],
    diff: dict[str, Any] | None,
    insts: dict[str, InstitutionRow],
    latest: RunRow | None,
    latest_pages: list[PageRow],
    series: dict[str, list[dict[str, Any]]],
    note: str | None = None,
) -> dict[str, Any]:
    """The drift model: the diff JSON shape plus per-institution grouping and the Survey loop."""
    site_owner = {site: name for name, inst in insts.items() for site in inst.sites}
    events = list((diff or {}).get("events") or [])
    listing = listing_regressions(insts, latest_pages, latest) if latest else []
    views = [
        event_view(e, site_owner.get(str(e.get("site", "")).rstrip("/"), e.get("site") or "?"))
        for e in events
    ]
    views += [{**e, "before_side": None, "after_side": None} for e in listing]
    views.sort(key=lambda v: (KIND_ORDER.get(v["kind"], 9), v["institution"], v.get("url") or ""))
    grouped: dict[str, dict[str, Any]] = {}
    for v in views:
        inst = insts.get(v["institution"])
        g = grouped.setdefault(
            v["institution"],
            {
                "name": v["institution"],
                "survey": inst.survey_status if inst else None,
                "survey_url": inst.survey_url if inst else None,
                "sites": list(inst.sites) if inst else [v.get("site")],
                "counts": defaultdict(int),
                **{key: [] for key, _, _ in SECTIONS},
            },
        )
        g["counts"][v["kind"]] += 1
        g["history"] = series.get(v["institution"], [])
        section = next((key for key, _, kinds in SECTIONS if v["kind"] in kinds), "changes")
        g[section].append(v)
    institutions = sorted(
        grouped.values(), key=lambda g: (-len(g["regressions"]), -len(g["changes"]), g["name"])
    )
    for g in institutions:
        g["counts"] = dict(g["counts"])
    run_by_id = {r.id: r for r in runs}
    counts: dict[str, int] = defaultdict(int)
    for v in views:
        counts[v["kind"]] += 1
    return {
        "report": "drift",
        "from_run": (diff or {}).get("from_run"),
        "to_run": (diff or {}).get("to_run"),
        "events": events,
        "listing_regressions": listing,
        "counts": dict(counts),
        "note": note,
        "runs": [r.to_json() for r in runs],
        "compared": [
            run_by_id[r].to_json()
            for r in ((diff or {}).get("from_run"), (diff or {}).get("to_run"))
            if r in run_by_id
        ],
        "sections": [{"key": k, "title": t} for k, t, _ in SECTIONS],
        "institutions": institutions,
        "series": series,
    }
