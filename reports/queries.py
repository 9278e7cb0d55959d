"""Read-only queries the reports need, over the schema of db/models.py.

Everything is read through `store.session()` with SQLAlchemy `select`, and returned as plain
frozen rows so that the report builders are pure functions of data (testable without a DB).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Assertion, CrawlRun, Institution, Page, Site
from rules.classify import object_licenses

DECIDED = ("open", "not-open", "conflict")


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    started_at: datetime | None
    finished_at: datetime | None
    status: str
    label: str | None
    pages: int
    assertions: int
    errors: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status,
            "label": self.label,
            "pages": self.pages,
            "assertions": self.assertions,
            "errors": self.errors,
        }


@dataclass(frozen=True, slots=True)
class AssertionRow:
    license: str | None
    jurisdiction: str | None
    method: str
    scope: str
    raw: str
    snippet: str
    verdict: str
    position: str | None
    basis: str | None
    source_url: str


@dataclass(frozen=True, slots=True)
class PageRow:
    url: str
    site: str
    institution: str
    kind: str
    status: int | None
    outcome: str
    verdict: str
    error: str | None
    assertions: tuple[AssertionRow, ...] = ()

    @property
    def object_licenses(self) -> list[str]:
        return list(object_licenses(self.assertions))

    @property
    def failed(self) -> bool:
        """No usable response: a fetch failure, or a page that is gone (404/410)."""
        return self.outcome != "ok"

    @property
    def fetch_failed(self) -> bool:
        return self.outcome == "failed"


@dataclass(slots=True)
class InstitutionRow:
    name: str
    country: str | None = None
    type: str | None = None
    wikidata: str | None = None
    website: str | None = None
    survey_status: str | None = None
    survey_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    sites: list[str] = field(default_factory=list)


def list_runs(session: Session) -> list[RunRow]:
    rows = session.scalars(select(CrawlRun).order_by(CrawlRun.id))
    return [
        RunRow(
            r.id, r.started_at, r.finished_at, r.status, r.label, r.pages, r.assertions, r.errors
        )
        for r in rows
    ]


def latest_complete(runs: Iterable[RunRow]) -> RunRow | None:
    done = [r for r in runs if r.status == "complete"]
    return done[-1] if done else None


def institutions(session: Session) -> dict[str, InstitutionRow]:
    """Institutions by name, plus one pseudo-institution per site that has none (its URL)."""
    out: dict[str, InstitutionRow] = {}
    by_id: dict[int, InstitutionRow] = {}
    for inst in session.scalars(select(Institution).order_by(Institution.id)):
        row = InstitutionRow(
            inst.name,
            inst.country,
            inst.type,
            inst.wikidata,
            inst.website,
            inst.survey_status,
            inst.survey_url,
            dict(inst.extra or {}),
        )
        out.setdefault(inst.name, row)
        by_id[inst.id] = out[inst.name]
    for site in session.scalars(select(Site).order_by(Site.id)):
        owner = by_id.get(site.institution_id) if site.institution_id else None
        if owner is None:
            owner = out.setdefault(site.base_url, InstitutionRow(site.base_url))
        owner.sites.append(site.base_url)
    return out


def _site_owner(session: Session) -> dict[int, tuple[str, str]]:
    """site id -> (base URL, institution name or the base URL when it has none)."""
    stmt = select(Site.id, Site.base_url, Institution.name).outerjoin(
        Institution, Site.institution_id == Institution.id
    )
    return {sid: (base, name or base) for sid, base, name in session.execute(stmt)}


def run_pages(session: Session, run_id: int, institution: str | None = None) -> list[PageRow]:
    """Every page of one run with its assertions, optionally for one institution only."""
    owners = _site_owner(session)
    pages = session.execute(
        select(
            Page.id,
            Page.site_id,
            Page.url,
            Page.kind,
            Page.status,
            Page.outcome,
            Page.verdict,
            Page.error,
        )
        .where(Page.run_id == run_id)
        .order_by(Page.url)
    ).all()
    by_page: dict[int, list[AssertionRow]] = defaultdict(list)
    stmt = (
        select(
            Assertion.page_id,
            Assertion.license,
            Assertion.jurisdiction,
            Assertion.method,
            Assertion.scope,
            Assertion.raw,
            Assertion.snippet,
            Assertion.verdict,
            Assertion.position,
            Assertion.basis,
            Assertion.source_url,
        )
        .join(Page, Assertion.page_id == Page.id)
        .where(Page.run_id == run_id)
        .order_by(Assertion.id)
    )
    for page_id, *cols in session.execute(stmt):  # plain rows: no ORM identity map
        by_page[page_id].append(AssertionRow(*cols))
    out = []
    for pid, site_id, url, kind, status, outcome, verdict, error in pages:
        base, owner = owners.get(site_id, ("", "")) if site_id else ("", "")
        owner = owner or base or url
        if institution is not None and institution not in (owner, base):
            continue
        out.append(
            PageRow(url, base, owner, kind, status, outcome, verdict, error, tuple(by_page[pid]))
        )
    return out
