"""Alembic migrations are the schema: head matches the models exactly, an older database is
upgraded in place without losing rows, and downgrade/upgrade round-trips."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from dbtest_obs import page
from sqlalchemy import func, inspect, select

from db import _engine
from db.models import Base, Page
from db.store import Store


def test_head_schema_matches_the_models(any_empty_url: str) -> None:
    with Store.open(any_empty_url) as store, store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_upgrade_from_0001_and_a_round_trip_keep_the_data(any_empty_url: str) -> None:
    engine = _engine.make_engine(any_empty_url)
    cfg = _engine.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.connect() as conn:
        assert "ix_page_url_run" in {i["name"] for i in inspect(conn).get_indexes("page")}
        conn.rollback()
    engine.dispose()
    with Store.open(any_empty_url) as store:  # upgrades to head
        run = store.start_run(["http://m.test/"])
        store.add_observations(run, [page("http://m.test/a", "CC0-1.0")])
        store.finish_run(run)
        with store.engine.connect() as conn:
            names = {i["name"] for i in inspect(conn).get_indexes("page")}
            conn.rollback()
        assert "ix_page_site_url_run" in names
        assert "ix_page_url_run" not in names
    engine = _engine.make_engine(any_empty_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        command.upgrade(cfg, "head")
    engine.dispose()
    with Store.open(any_empty_url) as store, store.session() as s:
        assert s.execute(select(func.count()).select_from(Page)).scalar_one() == 1
