"""Reports for the three users: drift (monitor), audit (adviser), candidates (Survey maintainer).

`render_report(store, kind, fmt, **options)` reads the store, builds a plain model (the JSON
format *is* the model) and renders it as HTML (one self-contained file), Markdown, CSV or JSON.
"""

from __future__ import annotations

from typing import Any

from reports.audit import build_audit
from reports.candidates import build_candidates, listed_keys
from reports.drift import build_drift
from reports.queries import (
    RunRow,
    institutions,
    latest_complete,
    list_runs,
    run_pages,
)
from reports.render import render_template, to_csv, to_json

KINDS = ("drift", "audit", "candidates")
FORMATS = ("html", "md", "csv", "json")

__all__ = ["FORMATS", "KINDS", "ReportError", "build_model", "render_report"]


class ReportError(ValueError):
    """The report cannot be made from this database (message says why and what to do)."""


def _history(store: Any) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Per institution: open share per complete run and first/last seen per license
    (db/series.py, through the store)."""
    series: dict[str, list[dict[str, Any]]] = {}
    for p in store.institution_series():
        series.setdefault(p.institution, []).append(
            {
                "run": p.run_id,
                "run_started": p.run_started.isoformat(),
                "object_pages": p.object_pages,
                "open_pages": p.open_pages,
                "share": p.share_open,
                "dominant_license": p.dominant_license,
            }
        )
    spans: dict[str, list[dict[str, Any]]] = {}
    for sp in store.license_spans():
        spans.setdefault(sp.institution, []).append(
            {
                "license": sp.license,
                "first_seen_run": sp.first_seen_run,
                "first_seen_at": sp.first_seen_at.isoformat(),
                "last_seen_run": sp.last_seen_run,
                "last_seen_at": sp.last_seen_at.isoformat(),
                "runs": sp.runs,
            }
        )
    return series, spans


def _pick_run(runs: list[RunRow], run: int | None) -> RunRow:
    if run is not None:
        found = next((r for r in runs if r.id == run), None)
        if found is None:
            raise ReportError(f"no crawl run {run} in the database")
        return found
    latest = latest_complete(runs)
    if latest is None:
        raise ReportError("no complete crawl run in the database: run `glamwatch crawl` first")
    return latest


def build_model(
    store: Any,
    kind: str,
    *,
    run: int | None = None,
    from_run: int | None = None,
    to_run: int | None = None,
    institution: str | None = None,
    survey: str | None = None,
) -> dict[str, Any]:
    """The report's data (what the JSON format prints).

    `survey`: path of an Open GLAM Survey export (or any registry file); candidates it lists
    by QID or website host are left out.
    """
    if kind not in KINDS:
        raise ReportError(f"unknown report {kind!r}; choose one of {', '.join(KINDS)}")
    diff: dict[str, Any] | None = None
    note = None
    if kind == "drift":
        from db.errors import NothingToCompare, StoreError

        try:
            diff = store.diff(from_run, to_run, save=False).to_json()
        except NothingToCompare as exc:
            note = f"Nothing to compare yet: {exc}."
        except StoreError as exc:
            raise ReportError(str(exc)) from exc
    with store.session() as session:
        runs = list_runs(session)
        if kind == "drift" and diff is not None:
            run = diff["to_run"]
        chosen = _pick_run(runs, run)
        insts = institutions(session)
        if institution is not None and institution not in insts:
            known = ", ".join(sorted(insts)[:10])
            raise ReportError(f"no institution named {institution!r} (known: {known})")
        pages = run_pages(session, chosen.id, institution)
    series, spans = _history(store)
    if institution is not None:
        insts = {institution: insts[institution]}
        series = {k: v for k, v in series.items() if k == institution}
        spans = {k: v for k, v in spans.items() if k == institution}
    if kind == "drift":
        model = build_drift(runs, diff, insts, chosen, pages, series, note)
        if institution is not None:
            model["institutions"] = [g for g in model["institutions"] if g["name"] == institution]
            sites = set(insts[institution].sites)
            model["events"] = [e for e in model["events"] if e.get("site") in sites]
        return model
    audit = build_audit(runs, chosen, insts, pages)
    if kind == "audit":
        audit["series"] = series
        for inst in audit["institutions"]:
            inst["history"] = series.get(inst["name"], [])
            inst["license_spans"] = spans.get(inst["name"], [])
        return audit
    listed: tuple[set[str], set[str]] = (set(), set())
    if survey is not None:
        from crawler.registry import RegistryError
        from crawler.registry_io import import_files

        try:
            listed = listed_keys(import_files([survey])[0].institutions)
        except RegistryError as exc:
            raise ReportError(str(exc)) from exc
    return build_candidates(audit, {p.url: p for p in pages}, listed)


def render_report(store: Any, kind: str, fmt: str = "html", **options: Any) -> str:
    """One report as text; options: run, from_run, to_run, institution, survey."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    model = build_model(store, kind, **options)
    if fmt == "json":
        return to_json(model)
    if fmt == "csv":
        return _csv(kind, model)
    return render_template(kind, model, fmt)


def _csv(kind: str, model: dict[str, Any]) -> str:
    if kind == "candidates":
        return to_csv(model["columns"], model["candidates"])
    if kind == "audit":
        cols = ["name", "site", "pages", "objects", "open_pages", "verdict", "tier"]
        cols += ["licenses", "methods", "findings", "survey"]
        rows = [
            {
                **i,
                "licenses": " ".join(f"{k}:{v}" for k, v in i["licenses"].items()),
                "methods": " ".join(f"{k}:{v}" for k, v in i["methods"].items()),
                "findings": " ".join(f["code"] for f in i["findings"]),
            }
            for i in model["institutions"]
        ]
        return to_csv(cols, rows)
    cols = ["institution", "kind", "against", "url", "site", "before", "after"]
    cols += ["from_run", "to_run", "method", "snippet"]
    rows = []
    for g in model["institutions"]:
        for section in model["sections"]:
            for e in g[section["key"]]:
                side = e.get("after_side") or e.get("before_side") or {}
                first = (side.get("assertions") or [{}])[0]
                rows.append(
                    {
                        **e,
                        "from_run": model["from_run"],
                        "to_run": model["to_run"],
                        "method": first.get("method"),
                        "snippet": first.get("snippet"),
                    }
                )
    return to_csv(cols, rows)
