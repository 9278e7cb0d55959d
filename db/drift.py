"""Drift between two complete crawl runs, as set-based SQL plus one pure rule per page pair.

Which runs. Asked for two runs, drift compares them (both must be complete, A older than B).
Asked for none, each site is compared between the last two complete runs that covered it
(observed at least one of its pages), so a run that crawled only some sites does not hide the
others; every event keeps its own (from_run, to_run) and is stored with it.

How a pair is formed. For every page the newer run B fetched successfully (or found gone), the
"before" side is the newest earlier observation of the same URL on the same site that is not a
fetch failure, taken from complete runs up to run A. So a page that A did not fetch, or that
failed in A (an outage), is compared with the last time it was really seen, and an outage run
never makes the next run look like a wave of `license-added`. Pages A saw that B did not fetch
get no event: not fetched is not gone. Incomplete or still-running runs are never used.

One SQL statement selects only the pairs that differ (outcome, object-scope license set,
page verdict, or all signals lost); `classify_pair` then names the one event of each pair,
in this order of precedence:

1. `new-page`    — no earlier observation (or it was 404/410 and the page is back);
2. `page-gone`   — 404/410 now, fetched fine before;
3. `markup-lost` — fetched fine, had assertions before, has none now;
4. `regression`  — page verdict open before, not-open or conflict now (the alarm);
5. `improvement` — page verdict not-open or conflict before, open now;
6. `license-added` / `license-removed` / `license-changed` — the object-scope license id set
   went from empty to non-empty / from non-empty to empty / to another non-empty set.

Fetch failures (no response, 5xx, other 4xx, robots) are never license events: a site with
failed pages in B gets one `unreachable` event (url = the site's base URL), emitted when the
streak of consecutive complete runs with failures on that site starts (1) and once more, with
`evidence.escalated = true`, when it reaches `escalate_after` (default 3) — never every run.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from db._drift_sql import (
    changed_pairs,
    license_events,
    save_events,
    stored_events,
    unreachable_events,
)
from db.errors import NothingToCompare, RunNotFound, RunStateError
from db.events import (
    DEFAULT_ESCALATE_AFTER,
    EVENT_KINDS,
    LICENSE_EVENTS,
    DriftEvent,
    DriftResult,
    PageState,
    classify_pair,
)
from db.models import CrawlRun, Page, Site

__all__ = [
    "DEFAULT_ESCALATE_AFTER",
    "EVENT_KINDS",
    "LICENSE_EVENTS",
    "DriftEvent",
    "DriftResult",
    "PageState",
    "changed_pairs",
    "classify_pair",
    "compute_drift",
    "default_pairs",
    "resolve_runs",
    "save_events",
    "stored_events",
]


def resolve_runs(conn: Connection, run_a: int | None, run_b: int | None) -> tuple[int, int]:
    """Check the requested runs (complete, A older than B) or pick the last two complete."""
    status = dict(conn.execute(select(CrawlRun.id, CrawlRun.status)).tuples().all())
    for rid in (run_a, run_b):
        if rid is None:
            continue
        if rid not in status:
            raise RunNotFound(f"no crawl run {rid}")
        if status[rid] != "complete":
            raise RunStateError(
                f"run {rid} is {status[rid]}; only complete runs are compared "
                "(an interrupted run is never compared as if whole)"
            )
    complete = sorted(r for r, s in status.items() if s == "complete")
    if run_b is None:
        later = [r for r in complete if run_a is None or r > run_a]
        if not later:
            raise NothingToCompare("drift needs two complete runs; there are fewer")
        run_b = later[-1]
    if run_a is None:
        earlier = [r for r in complete if r < run_b]
        if not earlier:
            raise NothingToCompare(f"no complete run before run {run_b} to compare with")
        run_a = earlier[-1]
    if run_a >= run_b:
        raise RunStateError(f"run {run_a} is not older than run {run_b}")
    return run_a, run_b


def _newest_run_below(site: Any, below: Any | None = None) -> Any:
    """Correlated subquery: the newest complete run ≤ `below` that observed a page of `site`.

    ORDER BY … LIMIT 1 walks the (site_id, run_id) index backwards and stops at the first
    entry, so the cost does not grow with the history kept (max() with the NOT IN filter
    would read every page of the site).
    """
    unfinished = select(CrawlRun.id).where(CrawlRun.status != "complete")
    p = aliased(Page)
    stmt = select(p.run_id).where(p.site_id == site, p.run_id.not_in(unfinished))
    if below is not None:
        stmt = stmt.where(p.run_id < below)
    return stmt.order_by(p.run_id.desc()).limit(1).scalar_subquery()


def default_pairs(conn: Connection) -> dict[tuple[int, int], list[int]]:
    """Per site, its last two complete runs: {(run A, run B): [site ids]}."""
    latest = select(Site.id.label("site_id"), _newest_run_below(Site.id).label("b")).subquery()
    rows = conn.execute(
        select(latest.c.site_id, _newest_run_below(latest.c.site_id, latest.c.b), latest.c.b)
    ).tuples()
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for site_id, a, b in rows:
        if a is not None and b is not None:
            pairs[(int(a), int(b))].append(int(site_id))
    return dict(pairs)


def compute_drift(
    conn: Connection,
    run_a: int | None = None,
    run_b: int | None = None,
    *,
    escalate_after: int = DEFAULT_ESCALATE_AFTER,
) -> DriftResult:
    """All change events from run A to run B.

    Without runs, each site is compared between the last two complete runs that covered it;
    `from_run`/`to_run` of the result then span those pairs and every event keeps its own.
    """
    if escalate_after < 1:
        raise ValueError("escalate_after must be at least 1")
    if run_a is None and run_b is None:
        pairs = default_pairs(conn)
        if not pairs:
            raise NothingToCompare(
                "drift needs two complete runs covering the same site; there are none"
            )
        groups: list[tuple[int, int, list[int] | None]] = [
            (a, b, sites) for (a, b), sites in sorted(pairs.items())
        ]
    else:
        a, b = resolve_runs(conn, run_a, run_b)
        groups = [(a, b, None)]
    events: list[DriftEvent] = []
    for a, b, sites in groups:
        events += license_events(conn, a, b, sites)
        events += unreachable_events(conn, a, b, escalate_after, sites)
    order = {k: n for n, k in enumerate(EVENT_KINDS)}
    events.sort(key=lambda e: (e.site, order[e.kind], e.url or ""))
    return DriftResult(
        from_run=min(g[0] for g in groups), to_run=max(g[1] for g in groups), events=events
    )
