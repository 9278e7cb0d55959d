"""Helpers shared by the CLI command modules: one-line errors and the database URL."""

from __future__ import annotations

import os
from typing import Annotated, NoReturn

import typer
from rich.console import Console

DEFAULT_DB = "glamwatch.db"

# The `--db` option every command that reads or writes the store shares.
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite file path or SQLAlchemy URL (postgresql+psycopg://…). "
        "Default: $GLAMWATCH_DB_URL or glamwatch.db.",
    ),
]

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line on stderr and exit non-zero (library errors end here)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def db_url(value: str | None) -> str:
    """Turn `--db` (a path or an SQLAlchemy URL) into an SQLAlchemy URL.

    Default: `GLAMWATCH_DB_URL` or `glamwatch.db` in the working directory.
    """
    raw = value or os.environ.get("GLAMWATCH_DB_URL") or DEFAULT_DB
    if "://" in raw:
        return raw
    return f"sqlite:///{os.path.abspath(raw)}"
