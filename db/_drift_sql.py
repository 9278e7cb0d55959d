"""The SQL of drift: the changed page pairs, their evidence, the outages, stored events.

Every statement is set-based and returns only what changed (or failed); Python then builds
one event per returned row. See `db/drift.py` for the rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from db.events import DriftEvent, DriftResult, PageState, classify_pair
from db.models import Assertion, ChangeEvent, CrawlRun, Page, Site

EVIDENCE_ASSERTIONS = 50  # per side
EVIDENCE_FAILURES = 50
_CHUNK = 500


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def changed_pairs(
    conn: Connection, run_a: int, run_b: int, site_ids: Sequence[int] | None = None
) -> list[Any]:
    b = aliased(Page, name="b")
    a = aliased(Page, name="a")
    p = aliased(Page, name="p")
    # "not in the (few) unfinished runs" rather than "in the complete runs": an IN list would
    # be probed run by run in the index; a range on run_id walks back from run A and stops at
    # the first usable observation (LIMIT 1).
    unfinished = select(CrawlRun.id).where(CrawlRun.status != "complete")
    baseline = (
        select(p.id)
        .where(
            p.site_id == b.site_id,
            p.url == b.url,
            p.run_id <= run_a,
            p.run_id.not_in(unfinished),
            p.outcome != "failed",
        )
        .order_by(p.run_id.desc())
        .limit(1)
        .correlate(b)
        .scalar_subquery()
    )
    stmt = (
        select(
            Site.base_url,
            b.id,
            b.url,
            b.outcome,
            b.licenses,
            b.verdict,
            b.n_assertions,
            b.status,
            b.fetched_at,
            a.id,
            a.run_id,
            a.outcome,
            a.licenses,
            a.verdict,
            a.n_assertions,
            a.status,
            a.fetched_at,
            b.final_url,
            a.final_url,
        )
        .select_from(b)
        .join(Site, Site.id == b.site_id)
        .outerjoin(a, a.id == baseline)
        .where(
            b.run_id == run_b,
            b.outcome != "failed",
            or_(
                a.id.is_(None),
                a.outcome != b.outcome,
                a.licenses != b.licenses,
                a.verdict != b.verdict,
                and_(a.n_assertions > 0, b.n_assertions == 0),
            ),
        )
    )
    if site_ids is not None:
        stmt = stmt.where(b.site_id.in_(list(site_ids)))
    return list(conn.execute(stmt).tuples())


def _assertions_of(conn: Connection, page_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    ids = sorted(set(page_ids))
    cols = (
        Assertion.page_id,
        Assertion.license,
        Assertion.method,
        Assertion.scope,
        Assertion.raw,
        Assertion.snippet,
        Assertion.verdict,
        Assertion.source_url,
        Assertion.position,
    )
    for i in range(0, len(ids), _CHUNK):
        stmt = (
            select(*cols)
            .where(Assertion.page_id.in_(ids[i : i + _CHUNK]))
            .order_by(Assertion.page_id, Assertion.id)
        )
        for pid, lic, method, scope, raw, snippet, verdict, src, pos in conn.execute(stmt):
            if len(out[pid]) < EVIDENCE_ASSERTIONS:
                out[pid].append(
                    {
                        "license": lic,
                        "method": method,
                        "scope": scope,
                        "raw": raw,
                        "snippet": snippet,
                        "verdict": verdict,
                        "source_url": src,
                        "position": pos,
                    }
                )
    return out


def _split(key: str | None) -> tuple[str, ...]:
    return tuple(key.split()) if key else ()


def license_events(
    conn: Connection, run_a: int, run_b: int, site_ids: Sequence[int] | None = None
) -> list[DriftEvent]:
    rows = changed_pairs(conn, run_a, run_b, site_ids)
    kinds: list[tuple[Any, str]] = []
    for row in rows:
        after = PageState(row[3], _split(row[4]), row[5], row[6])
        before = None if row[9] is None else PageState(row[11], _split(row[12]), row[13], row[14])
        kind = classify_pair(before, after)
        if kind is not None:
            kinds.append((row, kind))
    if not kinds:
        return []
    evidence = _assertions_of(conn, [r[1] for r, _ in kinds] + [r[9] for r, _ in kinds if r[9]])
    started = dict(conn.execute(select(CrawlRun.id, CrawlRun.started_at)).tuples().all())
    events = []
    for row, kind in kinds:
        (site, b_id, url, b_out, b_lic, b_ver, _bn, b_status, b_at) = row[:9]
        (a_id, a_run, a_out, a_lic, a_ver, _an, a_status, a_at) = row[9:17]
        b_final, a_final = row[17], row[18]
        side_b = {
            "run": run_b,
            "final_url": b_final,
            "run_started": _iso(started.get(run_b)),
            "fetched_at": _iso(b_at),
            "status": b_status,
            "outcome": b_out,
            "verdict": b_ver,
            "assertions": evidence.get(b_id, []),
        }
        side_a = None
        if a_id is not None:
            side_a = {
                "run": a_run,
                "final_url": a_final,
                "run_started": _iso(started.get(a_run)),
                "fetched_at": _iso(a_at),
                "status": a_status,
                "outcome": a_out,
                "verdict": a_ver,
                "assertions": evidence.get(a_id, []),
            }
        events.append(
            DriftEvent(
                kind=kind,
                url=url,
                site=site,
                before=list(_split(a_lic)),
                after=list(_split(b_lic)),
                evidence={"before": side_a, "after": side_b},
                from_run=run_a,
                to_run=run_b,
            )
        )
    return events


def unreachable_events(
    conn: Connection,
    run_a: int,
    run_b: int,
    escalate_after: int,
    site_ids: Sequence[int] | None = None,
) -> list[DriftEvent]:
    stmt = (
        select(Site.id, Site.base_url, Page.url, Page.status, Page.error, Page.fetched_at)
        .join(Site, Site.id == Page.site_id)
        .where(Page.run_id == run_b, Page.outcome == "failed")
        .order_by(Site.base_url, Page.url)
    )
    if site_ids is not None:
        stmt = stmt.where(Page.site_id.in_(list(site_ids)))
    failed = list(conn.execute(stmt).tuples())
    if not failed:
        return []
    by_site: dict[int, list[Any]] = defaultdict(list)
    for row in failed:
        by_site[row[0]].append(row)
    history = conn.execute(
        select(
            Page.site_id,
            Page.run_id,
            func.count(),
            func.sum(case((Page.outcome == "failed", 1), else_=0)),
        )
        .join(CrawlRun, CrawlRun.id == Page.run_id)
        .where(
            Page.site_id.in_(list(by_site)),
            CrawlRun.id <= run_b,
            or_(CrawlRun.status == "complete", CrawlRun.id == run_b),
        )
        .group_by(Page.site_id, Page.run_id)
        .order_by(Page.site_id, Page.run_id.desc())
    ).tuples()
    runs: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for site_id, run_id, total, n_failed in history:
        runs[site_id].append((run_id, int(total), int(n_failed or 0)))
    events = []
    for site_id, rows in by_site.items():
        streak = []
        for run_id, _total, n_failed in runs[site_id]:
            if n_failed == 0:
                break
            streak.append(run_id)
        k = len(streak)
        if k != 1 and k != escalate_after:
            continue
        total_b = next((t for r, t, _ in runs[site_id] if r == run_b), len(rows))
        events.append(
            DriftEvent(
                kind="unreachable",
                url=rows[0][1],
                site=rows[0][1],
                before=[],
                after=[],
                evidence={
                    "failed_pages": len(rows),
                    "pages": total_b,
                    "site_down": len(rows) == total_b,
                    "consecutive_runs": k,
                    "escalated": k >= escalate_after,
                    "runs": sorted(streak),
                    "failures": [
                        {"url": u, "status": s, "error": e, "fetched_at": _iso(at)}
                        for _sid, _base, u, s, e, at in rows[:EVIDENCE_FAILURES]
                    ],
                },
                from_run=run_a,
                to_run=run_b,
            )
        )
    return events


def save_events(conn: Connection, result: DriftResult) -> None:
    """Replace the stored events of each run pair with these: asking again is idempotent."""
    pairs = {(e.from_run or result.from_run, e.to_run or result.to_run) for e in result.events}
    pairs.add((result.from_run, result.to_run))
    for a, b in pairs:
        conn.execute(delete(ChangeEvent).where(ChangeEvent.from_run == a, ChangeEvent.to_run == b))
    if not result.events:
        return
    sites = dict(
        conn.execute(
            select(Site.base_url, Site.id).where(
                Site.base_url.in_(sorted({e.site for e in result.events}))
            )
        )
        .tuples()
        .all()
    )
    conn.execute(
        insert(ChangeEvent),
        [
            {
                "site_id": sites.get(e.site),
                "url": e.url,
                "from_run": e.from_run or result.from_run,
                "to_run": e.to_run or result.to_run,
                "kind": e.kind,
                "before": e.before,
                "after": e.after,
                "evidence": e.evidence,
            }
            for e in result.events
        ],
    )


def stored_events(conn: Connection, from_run: int, to_run: int) -> list[DriftEvent]:
    """The events saved for a pair of runs (what reports read without recomputing)."""
    c = ChangeEvent
    stmt = (
        select(c.kind, c.url, Site.base_url, c.before, c.after, c.evidence, c.from_run, c.to_run)
        .outerjoin(Site, Site.id == c.site_id)
        .where(c.from_run == from_run, c.to_run == to_run)
        .order_by(c.id)
    )
    return [
        DriftEvent(kind, url, base or "", before or [], after or [], evidence or {}, a, b)
        for kind, url, base, before, after, evidence, a, b in conn.execute(stmt).tuples()
    ]
