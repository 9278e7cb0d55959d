"""SQLAlchemy 2 typed models: the append-only history of what every crawl saw (DESIGN.md §4).

A crawl run never rewrites an earlier one; drift is computed between two complete runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime as _DateTime
from sqlalchemy.types import TypeDecorator


class DateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them without a zone)."""

    impl = _DateTime(timezone=True)
    cache_ok = True

    def __init__(self, timezone: bool = True) -> None:
        super().__init__()

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Institution(Base):
    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[str | None] = mapped_column(String(100))
    wikidata: Mapped[str | None] = mapped_column(String(32), index=True)  # QID, e.g. Q190804
    website: Mapped[str | None] = mapped_column(String(2000))
    survey_status: Mapped[str | None] = mapped_column(String(32))  # listed | candidate | None
    survey_url: Mapped[str | None] = mapped_column(String(2000))
    extra: Mapped[dict[str, object] | None] = mapped_column(JSON)

    sites: Mapped[list[Site]] = relationship(back_populates="institution")


class Site(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    base_url: Mapped[str] = mapped_column(String(2000), unique=True)  # scheme://host[:port]
    seeds: Mapped[list[str] | None] = mapped_column(JSON)
    rules: Mapped[dict[str, object] | None] = mapped_column(JSON)  # allow/deny, budgets …

    institution: Mapped[Institution | None] = relationship(back_populates="sites")


class CrawlRun(Base):
    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(
        String(16), default="running"
    )  # running|complete|incomplete
    settings_hash: Mapped[str | None] = mapped_column(String(64))
    seeds: Mapped[list[str] | None] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    assertions: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    sites: Mapped[int | None] = mapped_column(Integer)  # distinct sites, set when the run ends
    settings: Mapped[dict[str, object] | None] = mapped_column(JSON)
    # the writer: a 'running' run whose process is gone on this host is marked incomplete
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)


class Page(Base):
    __tablename__ = "page"
    __table_args__ = (
        UniqueConstraint("run_id", "url", name="uq_page_run_url"),
        Index("ix_page_site_run", "site_id", "run_id"),
        # drift: the newest earlier observation of one URL on one site (db/drift.py)
        Index("ix_page_site_url_run", "site_id", "url", "run_id"),
        # drift: the failed fetches of one run (unreachable events)
        Index("ix_page_run_outcome", "run_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="page")
    verdict: Mapped[str] = mapped_column(String(16), default="unknown")
    error: Mapped[str | None] = mapped_column(Text)
    extraction_errors: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Derived at write time by db/store.py so that drift is a join on plain columns:
    outcome: Mapped[str] = mapped_column(String(8), default="ok")  # ok | gone | failed
    licenses: Mapped[str] = mapped_column(Text, default="")  # object-scope ids, sorted, " "-joined
    n_assertions: Mapped[int] = mapped_column(Integer, default=0)


class Assertion(Base):
    __tablename__ = "assertion"
    __table_args__ = (Index("ix_assertion_page", "page_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("page.id", ondelete="CASCADE"))
    license: Mapped[str | None] = mapped_column(String(100))
    jurisdiction: Mapped[str | None] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(16))
    raw: Mapped[str] = mapped_column(Text)
    snippet: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))
    match: Mapped[str | None] = mapped_column(String(16))
    basis: Mapped[str | None] = mapped_column(String(32))
    rule_source: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(64))
    source_url: Mapped[str] = mapped_column(String(2000))


class ChangeEvent(Base):
    __tablename__ = "change_event"
    __table_args__ = (Index("ix_change_event_runs", "from_run", "to_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    url: Mapped[str | None] = mapped_column(String(2000))
    from_run: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    to_run: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    kind: Mapped[str] = mapped_column(String(32))
    before: Mapped[list[str] | None] = mapped_column(JSON)
    after: Mapped[list[str] | None] = mapped_column(JSON)
    evidence: Mapped[dict[str, object] | None] = mapped_column(JSON)
