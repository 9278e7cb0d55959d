"""`glamwatch runs` and `glamwatch diff`: thin views over `db.store.Store`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from crawler.cli._common import DbOption, console, db_url, fail


class Format(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="table or json")]


def _emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def runs(db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """List crawl runs: id, status (running, complete, incomplete), times and counts."""
    from rich.table import Table

    from db.errors import StoreError
    from db.store import Store

    try:
        with Store.open(db_url(db)) as store:
            summaries = store.list_runs()
    except StoreError as exc:
        fail(str(exc))
    if fmt is Format.json:
        _emit_json({"runs": [r.to_json() for r in summaries]})
        return
    table = Table(title="crawl runs")
    for col in ("run", "status", "started", "finished", "sites", "pages", "assertions", "errors"):
        table.add_column(col)
    for r in summaries:
        table.add_row(
            str(r.id),
            r.status,
            r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            r.finished_at.strftime("%Y-%m-%d %H:%M:%S") if r.finished_at else "",
            str(r.sites),
            str(r.pages),
            str(r.assertions),
            str(r.errors),
        )
    console.print(table if summaries else "no crawl runs yet")


def diff(
    run_a: Annotated[int | None, typer.Argument(help="older complete run")] = None,
    run_b: Annotated[int | None, typer.Argument(help="newer complete run")] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
    escalate_after: Annotated[
        int,
        typer.Option(
            "--escalate-after",
            min=1,
            help="consecutive runs with fetch failures before a site's outage is escalated",
        ),
    ] = 3,
) -> None:
    """Change events between two complete runs (default: for each site, its last two)."""
    from rich.table import Table

    from db.errors import StoreError
    from db.store import Store

    if run_a is not None and run_b is None:
        fail("give both RUN_A and RUN_B, or neither (the last two complete runs)")
    try:
        with Store.open(db_url(db)) as store:
            result = store.diff(run_a, run_b, escalate_after=escalate_after)
    except StoreError as exc:
        fail(str(exc))
    if fmt is Format.json:
        _emit_json(result.to_json())
        return
    table = Table(title=f"drift: run {result.from_run} → run {result.to_run}")
    for col in ("kind", "site", "url", "before", "after", "note"):
        table.add_column(col, overflow="fold")
    for e in result.events:
        note = ""
        if e.kind == "unreachable":
            ev = e.evidence
            note = f"{ev.get('failed_pages')}/{ev.get('pages')} pages failed"
            if ev.get("escalated"):
                note += f", {ev.get('consecutive_runs')} runs in a row (escalated)"
        style = "bold red" if e.kind == "regression" else None
        table.add_row(
            e.kind,
            e.site,
            e.url or "",
            " ".join(e.before),
            " ".join(e.after),
            note,
            style=style,
        )
    console.print(table if result.events else "no changes")
    counts = ", ".join(f"{k}: {n}" for k, n in sorted(result.counts().items())) or "none"
    console.print(f"events — {counts}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)
    app.command("diff")(diff)
