"""SQLAlchemy 2 typed models: the append-only history of what every crawl saw (DESIGN.md §4).

A crawl run never rewrites an earlier one; drift is computed between two complete runs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|complete|incomplete
    settings_hash: Mapped[str | None] = mapped_column(String(64))
    seeds: Mapped[list[str] | None] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(String(200))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    assertions: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class Page(Base):
    __tablename__ = "page"
    __table_args__ = (
        UniqueConstraint("run_id", "url", name="uq_page_run_url"),
        Index("ix_page_site_run", "site_id", "run_id"),
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

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    url: Mapped[str | None] = mapped_column(String(2000))
    from_run: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    to_run: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"))
    kind: Mapped[str] = mapped_column(String(32))
    before: Mapped[list[str] | None] = mapped_column(JSON)
    after: Mapped[list[str] | None] = mapped_column(JSON)
    evidence: Mapped[dict[str, object] | None] = mapped_column(JSON)
