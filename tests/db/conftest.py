"""Store fixtures: a real SQLite file in tmp_path, and a real PostgreSQL started for the session.

`any_url` is parametrised over both backends, so every drift test runs on each. A PostgreSQL
that cannot start makes those tests fail with the reason (no skip).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the dbtest_* helper modules beside this file

from dbtest_pg import PgServer, PgServerError, start_pg

from db.store import Store


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | PgServerError]:
    try:
        server: PgServer | PgServerError = start_pg()
    except PgServerError as exc:
        server = exc
    yield server
    if isinstance(server, PgServer):
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer | PgServerError) -> str:
    if isinstance(pg_server, PgServerError):
        pytest.fail(f"PostgreSQL could not be started: {pg_server}")
    return pg_server.new_database()


@pytest.fixture
def pg_empty_url(pg_server: PgServer | PgServerError) -> str:
    if isinstance(pg_server, PgServerError):
        pytest.fail(f"PostgreSQL could not be started: {pg_server}")
    return pg_server.new_database(migrated=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_empty_url(request: pytest.FixtureRequest) -> str:
    """A database with no schema at all (for the migration tests)."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_empty_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'watch.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def store(any_url: str) -> Iterator[Store]:
    with Store.open(any_url) as s:
        yield s
