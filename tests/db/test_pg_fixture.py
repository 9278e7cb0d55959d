"""The PostgreSQL the tests start is real: a server on a loopback port that the store can use."""

from __future__ import annotations

import psycopg
import pytest
from dbtest_pg import PgServer, PgServerError

pytestmark = pytest.mark.postgres


def test_postgres_server_runs_on_loopback(pg_server: PgServer | PgServerError) -> None:
    if isinstance(pg_server, PgServerError):
        pytest.fail(f"PostgreSQL could not be started: {pg_server}")
    with psycopg.connect(pg_server.admin_dsn) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        addr = conn.execute("SELECT inet_server_addr()::text").fetchone()
    assert version is not None
    assert int(version[0].split(".")[0]) >= 12
    assert addr is not None
    assert addr[0].startswith("127.0.0.1")
