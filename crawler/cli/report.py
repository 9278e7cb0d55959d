"""`glamwatch report drift|audit|candidates`: a thin layer over `reports.render_report`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli._common import DbOption, db_url, err_console, fail


class Kind(StrEnum):
    drift = "drift"
    audit = "audit"
    candidates = "candidates"


class Format(StrEnum):
    html = "html"
    md = "md"
    csv = "csv"
    json = "json"


def report(
    kind: Annotated[
        Kind,
        typer.Argument(
            help="drift (monitor), audit (adviser) or candidates (Open GLAM Survey maintainer)"
        ),
    ],
    db: DbOption = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", help="html, md, csv or json. Default: from the --out extension, else md."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="write to this file instead of stdout")
    ] = None,
    institution: Annotated[
        str | None, typer.Option("--institution", help="only this institution (its name)")
    ] = None,
    run: Annotated[
        int | None,
        typer.Option("--run", help="audit/candidates: this run (default: the newest complete run)"),
    ] = None,
    from_run: Annotated[
        int | None, typer.Option("--from-run", help="drift: older complete run")
    ] = None,
    survey: Annotated[
        Path | None,
        typer.Option(
            "--survey",
            help="candidates: an Open GLAM Survey CSV export; institutions it lists (by "
            "Wikidata QID or website host) are left out",
        ),
    ] = None,
    to_run: Annotated[
        int | None, typer.Option("--to-run", help="drift: newer complete run")
    ] = None,
) -> None:
    """Write the drift, audit or candidates report (HTML, Markdown, CSV or JSON).

    HTML is one self-contained file; everything fetched is escaped in every format.
    """
    from db.errors import StoreError
    from db.store import Store
    from reports import ReportError, render_report

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = Format(suffix) if suffix in Format.__members__ else Format.md
    if survey is not None and kind is not Kind.candidates:
        fail("--survey applies to the candidates report")
    if kind is not Kind.drift and (from_run or to_run):
        fail("--from-run/--to-run apply to the drift report; use --run for audit/candidates")
    try:
        with Store.open(db_url(db)) as store:
            text = render_report(
                store,
                kind.value,
                fmt.value,
                run=run,
                from_run=from_run,
                to_run=to_run,
                institution=institution,
                survey=str(survey) if survey else None,
            )
    except (StoreError, ReportError) as exc:
        fail(str(exc))
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc}")
    err_console.print(f"{kind.value} report ({fmt.value}) written to {out}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
