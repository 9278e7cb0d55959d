"""Institution-level series per complete run: what the drift report charts over time.

For each institution (or, for a site without one, the site itself) and each complete run:
how many object pages were seen, how many were open, the share open, the license found on
most object pages, and per license the first and last run it was seen in. SQL aggregates per
(run, site) and per (run, site, license) — rows that grow with runs × sites, not with pages —
and Python only sums sites into their institution.

An "object page" is a page fetched fine whose kind is `object` or that carries object-scope
signals (a page verdict other than `unknown`, or object-scope license ids).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.engine import Connection

from db.models import Assertion, CrawlRun, Institution, Page, Site


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    institution_id: int | None
    institution: str  # institution name, or the site's base URL when it has none
    run_id: int
    run_started: datetime
    object_pages: int
    open_pages: int
    share_open: float | None  # None when no object page was seen
    dominant_license: str | None
    licenses: dict[str, int] = field(default_factory=dict)  # id -> object pages carrying it

    def to_json(self) -> dict[str, object]:
        return {
            "institution_id": self.institution_id,
            "institution": self.institution,
            "run_id": self.run_id,
            "run_started": self.run_started.isoformat(),
            "object_pages": self.object_pages,
            "open_pages": self.open_pages,
            "share_open": self.share_open,
            "dominant_license": self.dominant_license,
            "licenses": self.licenses,
        }


@dataclass(frozen=True, slots=True)
class LicenseSpan:
    institution_id: int | None
    institution: str
    license: str
    first_seen_run: int
    first_seen_at: datetime
    last_seen_run: int
    last_seen_at: datetime
    runs: int  # complete runs in which it was seen


_OBJECT_PAGE = (Page.outcome == "ok") & or_(
    Page.kind == "object", Page.verdict != "unknown", Page.licenses != ""
)


def _keys(conn: Connection) -> dict[int, tuple[int | None, str]]:
    """site id -> (institution id, display name)."""
    rows = conn.execute(
        select(Site.id, Site.base_url, Institution.id, Institution.name).outerjoin(
            Institution, Institution.id == Site.institution_id
        )
    ).tuples()
    return {sid: (iid, name or base) for sid, base, iid, name in rows}


def _dominant(licenses: dict[str, int]) -> str | None:
    if not licenses:
        return None
    return min(licenses, key=lambda lic: (-licenses[lic], lic))


def institution_series(conn: Connection, institution_id: int | None = None) -> list[SeriesPoint]:
    """One point per (institution, complete run that saw it), ordered by institution, run."""
    keys = _keys(conn)
    complete = CrawlRun.status == "complete"
    pages = conn.execute(
        select(
            Page.run_id,
            CrawlRun.started_at,
            Page.site_id,
            func.sum(case((_OBJECT_PAGE, 1), else_=0)),
            func.sum(case((_OBJECT_PAGE & (Page.verdict == "open"), 1), else_=0)),
        )
        .join(CrawlRun, CrawlRun.id == Page.run_id)
        .where(complete, Page.site_id.is_not(None))
        .group_by(Page.run_id, CrawlRun.started_at, Page.site_id)
    ).tuples()
    lics = conn.execute(
        select(Page.run_id, Page.site_id, Assertion.license, func.count(distinct(Page.id)))
        .join(Page, Page.id == Assertion.page_id)
        .join(CrawlRun, CrawlRun.id == Page.run_id)
        .where(complete, _OBJECT_PAGE, Assertion.scope == "object", Assertion.license.is_not(None))
        .group_by(Page.run_id, Page.site_id, Assertion.license)
    ).tuples()
    totals: dict[tuple[tuple[int | None, str], int], list[int]] = defaultdict(lambda: [0, 0])
    started: dict[int, datetime] = {}
    for run_id, at, site_id, n_obj, n_open in pages:
        if site_id is None:  # excluded by the WHERE clause
            continue
        key = (keys[site_id], run_id)
        totals[key][0] += int(n_obj or 0)
        totals[key][1] += int(n_open or 0)
        started[run_id] = at
    per_license: dict[tuple[tuple[int | None, str], int], dict[str, int]] = defaultdict(dict)
    for run_id, site_id, lic, n in lics:
        if site_id is None or lic is None:  # excluded by the WHERE clause
            continue
        bucket = per_license[(keys[site_id], run_id)]
        bucket[lic] = bucket.get(lic, 0) + int(n)
    out = []
    for (inst, run_id), (n_obj, n_open) in totals.items():
        if institution_id is not None and inst[0] != institution_id:
            continue
        licenses = dict(sorted(per_license.get((inst, run_id), {}).items()))
        out.append(
            SeriesPoint(
                institution_id=inst[0],
                institution=inst[1],
                run_id=run_id,
                run_started=started[run_id],
                object_pages=n_obj,
                open_pages=n_open,
                share_open=(n_open / n_obj) if n_obj else None,
                dominant_license=_dominant(licenses),
                licenses=licenses,
            )
        )
    out.sort(key=lambda p: (p.institution, p.institution_id or 0, p.run_id))
    return out


def license_spans(conn: Connection, institution_id: int | None = None) -> list[LicenseSpan]:
    """First-seen / last-seen complete run of every object-scope license per institution."""
    seen: dict[tuple[tuple[int | None, str], str], list[tuple[int, datetime]]] = defaultdict(list)
    for p in institution_series(conn, institution_id):
        for lic in p.licenses:
            seen[((p.institution_id, p.institution), lic)].append((p.run_id, p.run_started))
    spans = []
    for ((iid, name), lic), runs in seen.items():
        runs.sort()
        spans.append(
            LicenseSpan(iid, name, lic, runs[0][0], runs[0][1], runs[-1][0], runs[-1][1], len(runs))
        )
    spans.sort(key=lambda s: (s.institution, s.license))
    return spans
