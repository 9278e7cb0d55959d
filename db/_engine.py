"""Engine creation and schema migration: the only place that knows SQLite from PostgreSQL.

SQLite gets WAL (readers never block the writer), foreign keys on, a busy timeout, and real
transactional DDL (pysqlite's own transaction handling is switched off so that SQLAlchemy
emits BEGIN itself; a write transaction can ask for BEGIN IMMEDIATE). Alembic migrates the
schema to head on first use, under a lock, so two processes opening a fresh file agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from db.errors import StoreOpenError

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
BEGIN_OPTION = "glamwatch_begin"  # execution option: the SQL that opens a SQLite transaction


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def make_engine(url: str) -> Engine:
    """An engine for `url`; clear StoreOpenError for a malformed URL or a missing driver."""
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise StoreOpenError(f"cannot open database {url!r}: {exc}") from exc
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")  # WAL: durable across process crashes
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(BEGIN_OPTION, "BEGIN"))


def migrate(engine: Engine) -> str | None:
    """Upgrade the schema to head if it is not there yet; returns the revision now current."""
    head = head_revision()
    try:
        with engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                conn.rollback()
                return head
            conn.rollback()
        with engine.connect() as raw:
            conn = raw.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(74207)")
                if MigrationContext.configure(conn).get_current_revision() != head:
                    cfg = alembic_config()
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise StoreOpenError(f"cannot open or migrate {engine.url!r}: {reason}") from exc
    return head
