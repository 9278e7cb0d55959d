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
from alembic.util.exc import CommandError
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


def migrate(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> str | None:
    """Bring the schema to `revision` (default: upgrade to head if not there yet).

    Under a lock (SQLite BEGIN IMMEDIATE, a PostgreSQL advisory lock) so that processes opening
    a fresh database together agree. On SQLite foreign keys are off while Alembic works: its
    batch mode copies and drops tables, and a DROP with foreign keys on would cascade-delete
    the pages of every run; `PRAGMA foreign_key_check` then proves nothing dangles.
    Returns the revision now current.
    """
    target = head_revision() if revision == "head" else revision
    try:
        if not downgrade:
            with engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                conn.rollback()
            if current == target:
                return target
        with engine.connect() as raw:
            sqlite = raw.dialect.name == "sqlite"
            dbapi: Any = raw.connection.dbapi_connection
            if sqlite:
                dbapi.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
            try:
                conn = raw.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
                with conn.begin():
                    if not sqlite:
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(74207)")
                    cfg = alembic_config()
                    cfg.attributes["connection"] = conn
                    if downgrade:
                        command.downgrade(cfg, target or "base")
                    elif MigrationContext.configure(conn).get_current_revision() != target:
                        command.upgrade(cfg, target or "head")
                    if sqlite:
                        dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if dangling:
                            raise StoreOpenError(f"migration left dangling rows: {dangling[:5]}")
            finally:
                if sqlite:
                    dbapi.execute("PRAGMA foreign_keys = ON")
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise StoreOpenError(f"cannot open or migrate {engine.url!r}: {reason}") from exc
    except CommandError as exc:  # e.g. a revision this program does not know (a newer schema)
        raise StoreOpenError(
            f"cannot migrate {engine.url!r}: {exc} (this program's newest revision is "
            f"{head_revision()})"
        ) from exc
    return target
