"""`glamwatch db upgrade`: apply the Alembic migrations shipped in `db/migrations/`."""

from __future__ import annotations

import typer

from crawler.cli._common import DbOption, console, db_url, fail

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(
    db: DbOption = None,
) -> None:
    """Upgrade the database schema to the newest revision (also done on first use)."""
    from db import _engine
    from db.errors import StoreError

    url = db_url(db)
    try:
        engine = _engine.make_engine(url)
        try:
            revision = _engine.migrate(engine)
        finally:
            engine.dispose()
    except StoreError as exc:
        fail(str(exc))
    console.print(f"database at revision {revision}: {engine.url!r}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
