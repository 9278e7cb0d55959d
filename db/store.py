"""The store: a plain library over SQLAlchemy 2 that the pipeline, the CLI and reports share.

Append-only history: a run is written in batches, each batch one transaction, and a later run
never rewrites an earlier one. There is no module-level engine or session: a `Store` owns its
engine and is closed (or used as a context manager) by whoever opened it.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crawler.items import PageObservation
from crawler.registry import InstitutionEntry, RegistryError, site_base
from db import _engine
from db._institutions import merge_institution
from db._validate import catalog_lookup, validate_batch
from db._write import insert_observations, object_license_key, page_outcome
from db.drift import (
    DEFAULT_ESCALATE_AFTER,
    DriftEvent,
    DriftResult,
    compute_drift,
    save_events,
    stored_events,
)
from db.errors import InvalidObservation, RunNotFound, RunStateError
from db.models import Assertion, CrawlRun, Page, Site
from db.series import LicenseSpan, SeriesPoint, institution_series, license_spans

RUN_STATUSES = ("running", "complete", "incomplete")


@dataclass(frozen=True, slots=True)
class RunSummary:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    label: str | None
    seeds: list[str]
    pages: int
    assertions: int
    errors: int
    sites: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status,
            "label": self.label,
            "seeds": self.seeds,
            "pages": self.pages,
            "assertions": self.assertions,
            "errors": self.errors,
            "sites": self.sites,
        }


def utcnow() -> datetime:
    return datetime.now(UTC)


def _recount(run_id: int) -> dict[str, Any]:
    """The counters of a run as subqueries over what was really stored."""
    in_run = Page.run_id == run_id
    return {
        "pages": select(func.count()).where(in_run).scalar_subquery(),
        "errors": select(func.count()).where(in_run, Page.outcome == "failed").scalar_subquery(),
        "assertions": select(func.count())
        .select_from(Assertion)
        .join(Page, Page.id == Assertion.page_id)
        .where(in_run)
        .scalar_subquery(),
        "sites": select(func.count(func.distinct(Page.site_id))).where(in_run).scalar_subquery(),
    }


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Store:
    """One database (SQLite file or PostgreSQL URL), migrated to head when opened."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._sites: dict[str, int] = {}
        self._known = catalog_lookup()
        self._known_seen: set[str] = set()

    # -- lifetime -----------------------------------------------------------------------
    @classmethod
    def open(cls, url: str) -> Store:
        """Open `url` (an SQLAlchemy URL, or a plain path meaning an SQLite file), upgrade the
        schema to head, and mark the runs of writers that died on this host `incomplete`."""
        if "://" not in url:
            url = f"sqlite:///{os.path.abspath(url)}"
        engine = _engine.make_engine(url)
        try:
            _engine.migrate(engine)
            store = cls(engine, url)
            store.reap_dead_runs()
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (callers must not write through it)."""
        with Session(self.engine) as s:
            yield s

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{_engine.BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with conn.begin():
                yield conn

    # -- runs ---------------------------------------------------------------------------
    def start_run(
        self,
        seeds: Sequence[str],
        settings: Mapping[str, Any] | None = None,
        label: str | None = None,
    ) -> int:
        safe = json.loads(json.dumps(dict(settings or {}), sort_keys=True, default=str))
        digest = hashlib.sha256(json.dumps(safe, sort_keys=True).encode()).hexdigest()
        with self._write() as conn:
            row = conn.execute(
                insert(CrawlRun)
                .values(
                    started_at=utcnow(),
                    status="running",
                    settings_hash=digest,
                    settings=safe,
                    seeds=list(seeds),
                    label=label,
                    pages=0,
                    assertions=0,
                    errors=0,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                )
                .returning(CrawlRun.id)
            ).scalar_one()
        return int(row)

    def _run_status(self, conn: Connection, run_id: int) -> str:
        status = conn.execute(select(CrawlRun.status).where(CrawlRun.id == run_id)).scalar()
        if status is None:
            raise RunNotFound(f"no crawl run {run_id}")
        return str(status)

    def finish_run(self, run_id: int, status: str = "complete") -> None:
        """Close a running run; counts are recomputed from what was really stored."""
        if status not in ("complete", "incomplete"):
            raise ValueError(f"finish_run status must be complete or incomplete, not {status!r}")
        with self._write() as conn:
            current = self._run_status(conn, run_id)
            if current != "running":
                raise RunStateError(f"run {run_id} is {current}, not running")
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(status=status, finished_at=utcnow(), **_recount(run_id))
            )

    def resume_run(self, run_id: int) -> None:
        """Reopen an incomplete run for writing (`crawl --resume`); pages re-fetched replace."""
        with self._write() as conn:
            current = self._run_status(conn, run_id)
            if current == "complete":
                raise RunStateError(f"run {run_id} is complete; start a new run instead")
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(
                    status="running",
                    finished_at=None,
                    sites=None,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                )
            )

    def reap_dead_runs(self) -> list[int]:
        """Mark `running` runs whose writer process on this host is gone as `incomplete`."""
        host = socket.gethostname()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(CrawlRun.id, CrawlRun.pid).where(
                    CrawlRun.status == "running", CrawlRun.host == host
                )
            ).all()
        dead = [rid for rid, pid in rows if pid is not None and not _pid_alive(int(pid))]
        for rid in dead:
            with self._write() as conn:
                conn.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id == rid, CrawlRun.status == "running")
                    .values(status="incomplete", finished_at=utcnow(), **_recount(rid))
                )
        return dead

    def list_runs(self) -> list[RunSummary]:
        """Every run, oldest first (site counts of running runs are counted live)."""
        with self.session() as s:
            runs = list(s.execute(select(CrawlRun).order_by(CrawlRun.id)).scalars())
            live = [r.id for r in runs if r.sites is None]
            counted: dict[int, int] = {}
            if live:
                counted = dict(
                    s.execute(
                        select(Page.run_id, func.count(func.distinct(Page.site_id)))
                        .where(Page.run_id.in_(live))
                        .group_by(Page.run_id)
                    )
                    .tuples()
                    .all()
                )
            return [
                RunSummary(
                    id=r.id,
                    started_at=r.started_at,
                    finished_at=r.finished_at,
                    status=r.status,
                    label=r.label,
                    seeds=list(r.seeds or []),
                    pages=r.pages,
                    assertions=r.assertions,
                    errors=r.errors,
                    sites=r.sites if r.sites is not None else counted.get(r.id, 0),
                )
                for r in runs
            ]

    def last_complete_run(self, site_base_url: str) -> int | None:
        """The newest complete run that observed at least one page of this site."""
        site_id = self._site_id(site_base_url)
        if site_id is None:
            return None
        stmt = (
            select(func.max(Page.run_id))
            .join(CrawlRun, CrawlRun.id == Page.run_id)
            .where(Page.site_id == site_id, CrawlRun.status == "complete")
        )
        with self.engine.connect() as conn:
            found = conn.execute(stmt).scalar()
        return int(found) if found is not None else None

    def pages_of_run(self, run_id: int, site_base_url: str) -> list[str]:
        """URLs the run observed on this site, in the order they were stored."""
        site_id = self._site_id(site_base_url)
        if site_id is None:
            return []
        stmt = (
            select(Page.url).where(Page.run_id == run_id, Page.site_id == site_id).order_by(Page.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(stmt).scalars())

    # -- institutions and sites ---------------------------------------------------------
    def _site_id(self, base_url: str) -> int | None:
        base = site_base(base_url)
        if base in self._sites:
            return self._sites[base]
        with self.engine.connect() as conn:
            found = conn.execute(select(Site.id).where(Site.base_url == base)).scalar()
        if found is not None:
            self._sites[base] = int(found)
        return int(found) if found is not None else None

    def ensure_site(
        self,
        base_url: str,
        institution_id: int | None = None,
        seeds: Sequence[str] | None = None,
    ) -> int:
        """The site's id, created if new; a given institution or seed list is recorded."""
        base = site_base(base_url)
        values: dict[str, Any] = {}
        if institution_id is not None:
            values["institution_id"] = institution_id
        if seeds is not None:
            values["seeds"] = list(seeds)
        known = self._site_id(base)
        if known is not None and not values:
            return known
        for _attempt in range(2):
            try:
                with self._write() as conn:
                    found = conn.execute(select(Site.id).where(Site.base_url == base)).scalar()
                    if found is None:
                        found = conn.execute(
                            insert(Site).values(base_url=base, **values).returning(Site.id)
                        ).scalar_one()
                    elif values:
                        conn.execute(update(Site).where(Site.id == found).values(**values))
                self._sites[base] = int(found)
                return int(found)
            except IntegrityError:  # another writer created it meanwhile: read it back
                continue
        raise RunStateError(f"cannot create site {base}")  # pragma: no cover

    def upsert_institution(self, entry: InstitutionEntry) -> int:
        """Merge by Wikidata QID, then by website/site host; returns the institution id.

        The entry's sites are recorded too (created, or attached to this institution).
        """
        with self._write() as conn:
            inst_id = merge_institution(conn, entry)
        for site in entry.sites:
            self.ensure_site(site.base_url, inst_id, site.seeds or None)
        return inst_id

    # -- observations -------------------------------------------------------------------
    def add_observations(self, run_id: int, observations: Sequence[PageObservation]) -> None:
        """Validate then write one batch in one transaction; a URL stored again replaces."""
        if not observations:
            return
        validate_batch(observations, self._known, self._known_seen)
        latest: dict[str, PageObservation] = {}
        for obs in observations:
            latest[obs.url] = obs  # the last observation of a URL in the batch wins
        batch = list(latest.values())
        bases: dict[str, str] = {}
        site_ids: dict[str, int] = {}
        for obs in batch:
            if obs.site in bases:
                continue
            try:
                base = site_base(obs.site)
            except RegistryError as exc:
                raise InvalidObservation(f"{obs.url!r}: bad site {obs.site!r}: {exc}") from exc
            bases[obs.site] = base
            if base not in site_ids:
                site_ids[base] = self.ensure_site(base)
        per_page = [site_ids[bases[o.site]] for o in batch]
        duplicate = (IntegrityError, self.engine.dialect.dbapi.IntegrityError)  # type: ignore[union-attr]
        try:
            self._insert_batch(run_id, batch, per_page, replace=False)
        except duplicate:  # a URL this run already stored (resumed run): replace it
            self._insert_batch(run_id, batch, per_page, replace=True)

    def _insert_batch(
        self, run_id: int, batch: list[PageObservation], site_ids: list[int], *, replace: bool
    ) -> None:
        with self._write() as conn:
            status = self._run_status(conn, run_id)
            if status != "running":
                raise RunStateError(f"run {run_id} is {status}; observations need a running run")
            pages, asserts, failed = insert_observations(
                conn, run_id, batch, site_ids, replace=replace
            )
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(
                    pages=CrawlRun.pages + pages,
                    assertions=CrawlRun.assertions + asserts,
                    errors=CrawlRun.errors + failed,
                )
            )

    # -- drift --------------------------------------------------------------------------
    def diff(
        self,
        run_a: int | None = None,
        run_b: int | None = None,
        *,
        escalate_after: int = DEFAULT_ESCALATE_AFTER,
        save: bool = True,
    ) -> DriftResult:
        """Change events between two complete runs (default: per site its last two); stored
        idempotently (asking again replaces the events of the same run pair)."""
        with self.engine.connect() as conn:
            result = compute_drift(conn, run_a, run_b, escalate_after=escalate_after)
            conn.rollback()
        if save:
            with self._write() as conn:
                save_events(conn, result)
        return result

    def stored_events(self, from_run: int, to_run: int) -> list[DriftEvent]:
        """Events saved by an earlier `diff` of this pair (no recomputation)."""
        with self.engine.connect() as conn:
            return stored_events(conn, from_run, to_run)

    # -- series -------------------------------------------------------------------------
    def institution_series(self, institution_id: int | None = None) -> list[SeriesPoint]:
        """Per institution and complete run: object pages, share open, dominant license."""
        with self.engine.connect() as conn:
            return institution_series(conn, institution_id)

    def license_spans(self, institution_id: int | None = None) -> list[LicenseSpan]:
        """Per institution and license: first-seen and last-seen complete run."""
        with self.engine.connect() as conn:
            return license_spans(conn, institution_id)


__all__ = ["RunSummary", "Store", "object_license_key", "page_outcome"]
