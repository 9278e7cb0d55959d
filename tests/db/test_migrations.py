"""Alembic migrations are the schema: head matches the models exactly, an older database is
upgraded in place without losing rows, and downgrade/upgrade round-trips."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from dbtest_obs import page
from sqlalchemy import func, inspect, select

from db import _engine
from db.models import Assertion, Base, Page
from db.store import Store


def test_head_schema_matches_the_models(any_empty_url: str) -> None:
    with Store.open(any_empty_url) as store, store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def _indexes(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        names = {str(i["name"]) for i in inspect(conn).get_indexes("page")}
        conn.rollback()
    return names


def _counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        pages = s.execute(select(func.count()).select_from(Page)).scalar_one()
        asserts = s.execute(select(func.count()).select_from(Assertion)).scalar_one()
    return pages, asserts


def test_upgrade_downgrade_upgrade_keeps_every_row(any_empty_url: str) -> None:
    """Including on SQLite, where Alembic's batch mode copies and drops tables: with foreign
    keys on, dropping crawl_run would cascade-delete every page."""
    engine = _engine.make_engine(any_empty_url)
    assert _engine.migrate(engine, "0001") == "0001"
    engine.dispose()
    with Store.open(any_empty_url) as store:  # upgrades to head
        assert "ix_page_site_url_run" in _indexes(store)
        assert "ix_page_url_run" not in _indexes(store)
        run = store.start_run(["http://m.test/"])
        store.add_observations(run, [page("http://m.test/a", "CC0-1.0", site_license="ARR")])
        store.finish_run(run)
    engine = _engine.make_engine(any_empty_url)
    assert _engine.migrate(engine, "0001", downgrade=True) == "0001"
    engine.dispose()
    with Store.open(any_empty_url) as store:  # and up again
        assert _counts(store) == (1, 2)
        assert store.list_runs()[0].sites == 1  # filled in by migration 0003
