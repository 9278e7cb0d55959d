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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from db.errors import NothingToCompare, RunNotFound, RunStateError
from db.models import Assertion, ChangeEvent, CrawlRun, Page, Site

DEFAULT_ESCALATE_AFTER = 3
EVENT_KINDS = (
    "regression",
    "improvement",
    "license-changed",
    "license-added",
    "license-removed",
    "markup-lost",
    "page-gone",
    "unreachable",
    "new-page",
)
LICENSE_EVENTS = (
    "regression",
    "improvement",
    "license-changed",
    "license-added",
    "license-removed",
)
NOT_OPEN = ("not-open", "conflict")
EVIDENCE_ASSERTIONS = 50  # per side
EVIDENCE_FAILURES = 50
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class DriftEvent:
    kind: str
    url: str | None
    site: str
    before: list[str]
    after: list[str]
    evidence: dict[str, Any] = field(default_factory=dict)
    from_run: int | None = None  # the pair this event was computed for (stored with it)
    to_run: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "url": self.url,
            "site": self.site,
            "before": list(self.before),
            "after": list(self.after),
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class DriftResult:
    from_run: int
    to_run: int
    events: list[DriftEvent]

    def to_json(self) -> dict[str, object]:
        return {
            "from_run": self.from_run,
            "to_run": self.to_run,
            "events": [e.to_json() for e in self.events],
        }

    def of_kind(self, kind: str) -> list[DriftEvent]:
        return [e for e in self.events if e.kind == kind]

    @property
    def regressions(self) -> list[DriftEvent]:
        return self.of_kind("regression")

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for e in self.events:
            out[e.kind] += 1
        return dict(out)


@dataclass(frozen=True, slots=True)
class PageState:
    """What drift compares of one observation."""

    outcome: str  # ok | gone | failed
    licenses: tuple[str, ...]  # object-scope ids, sorted
    verdict: str
    n_assertions: int


def classify_pair(before: PageState | None, after: PageState) -> str | None:
    """The one event a page pair yields, or None (see the module docstring for the order)."""
    if after.outcome == "failed":
        return None
    if before is None:
        return "new-page" if after.outcome == "ok" else None
    if after.outcome == "gone":
        return "page-gone" if before.outcome == "ok" else None
    if before.outcome == "gone":
        return "new-page"
    if before.n_assertions > 0 and after.n_assertions == 0:
        return "markup-lost"
    if before.verdict == "open" and after.verdict in NOT_OPEN:
        return "regression"
    if before.verdict in NOT_OPEN and after.verdict == "open":
        return "improvement"
    if before.licenses != after.licenses:
        if not before.licenses:
            return "license-added"
        if not after.licenses:
            return "license-removed"
        return "license-changed"
    return None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


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


def _changed_pairs(
    conn: Connection, run_a: int, run_b: int, site_ids: Sequence[int] | None = None
) -> list[Any]:
    b = aliased(Page, name="b")
    a = aliased(Page, name="a")
    p = aliased(Page, name="p")
    complete = select(CrawlRun.id).where(CrawlRun.status == "complete", CrawlRun.id <= run_a)
    baseline = (
        select(p.id)
        .where(
            p.url == b.url,
            p.site_id == b.site_id,
            p.run_id.in_(complete),
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


def _license_events(
    conn: Connection, run_a: int, run_b: int, site_ids: Sequence[int] | None = None
) -> list[DriftEvent]:
    rows = _changed_pairs(conn, run_a, run_b, site_ids)
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
        (a_id, a_run, a_out, a_lic, a_ver, _an, a_status, a_at) = row[9:]
        side_b = {
            "run": run_b,
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


def _unreachable_events(
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


def default_pairs(conn: Connection) -> dict[tuple[int, int], list[int]]:
    """Per site, its last two complete runs: {(run A, run B): [site ids]}."""
    rows = conn.execute(
        select(Page.site_id, Page.run_id)
        .join(CrawlRun, CrawlRun.id == Page.run_id)
        .where(CrawlRun.status == "complete", Page.site_id.is_not(None))
        .group_by(Page.site_id, Page.run_id)
    ).tuples()
    runs: dict[int, list[int]] = defaultdict(list)
    for site_id, run_id in rows:
        if site_id is not None:
            runs[site_id].append(run_id)
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for site_id, ids in runs.items():
        if len(ids) >= 2:
            a, b = sorted(ids)[-2:]
            pairs[(a, b)].append(site_id)
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
        events += _license_events(conn, a, b, sites)
        events += _unreachable_events(conn, a, b, escalate_after, sites)
    order = {k: n for n, k in enumerate(EVENT_KINDS)}
    events.sort(key=lambda e: (e.site, order[e.kind], e.url or ""))
    return DriftResult(
        from_run=min(g[0] for g in groups), to_run=max(g[1] for g in groups), events=events
    )


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
