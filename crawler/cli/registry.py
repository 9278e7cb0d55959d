"""`glamwatch registry import|export`: the Open GLAM Survey loop (crawler/registry_io)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli._common import db_url, err_console, fail

registry_app = typer.Typer(
    help="The institution registry: import the Open GLAM Survey CSV, Wikidata JSON results "
    "and our YAML (duplicates merged by Wikidata QID, then website host); export them back.",
    no_args_is_help=True,
)


class ExportFormat(StrEnum):
    yaml = "yaml"
    csv = "csv"


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc}")


@registry_app.command("import")
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="Survey CSV, Wikidata JSON (.json) or registry YAML")
    ],
    db: Annotated[
        str | None,
        typer.Option("--db", help="also store the institutions and sites in this database"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="registry YAML to write; an existing file is merged into "
            "(its entries win). Default: stdout unless --db is given.",
        ),
    ] = None,
) -> None:
    """Import institutions from Open GLAM Survey CSV exports, Wikidata JSON results or our YAML,
    merging duplicates by Wikidata QID, then by website host."""
    from crawler.registry import RegistryError, load_registry
    from crawler.registry_io import import_files, save_to_store, to_yaml

    try:
        existing = load_registry(out).institutions if out and out.exists() else []
        registry, report = import_files(files, existing)
    except RegistryError as exc:
        fail(str(exc))
    for warning in report.warnings[:20]:
        err_console.print(f"warning: {warning}", highlight=False, soft_wrap=True)
    if len(report.warnings) > 20:
        err_console.print(f"… and {len(report.warnings) - 20} more warnings", highlight=False)
    stored = None
    if db is not None:
        from db.errors import StoreError
        from db.store import Store

        try:
            with Store.open(db_url(db)) as store:
                stored = save_to_store(store, registry.institutions)
        except StoreError as exc:
            fail(str(exc))
    if stored is not None and stored < len(registry.institutions):
        err_console.print(
            f"warning: the database merged {len(registry.institutions) - stored} of them into "
            "other institutions (db.store merges by QID, then by website host)",
            highlight=False,
        )
    if out is not None or db is None:
        _write(to_yaml(registry.institutions), out)
    err_console.print(
        f"{report.records} records read, {report.merged} merged as duplicates, "
        f"{len(registry.institutions)} institutions"
        + (f", stored as {stored} institutions in the database" if stored is not None else "")
        + (f", written to {out}" if out else ""),
        highlight=False,
    )


@registry_app.command("export")
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="yaml (our registry) or csv (the Survey's "
            "columns plus survey_status, seeds, merged_from)",
        ),
    ] = ExportFormat.yaml,
    out: Annotated[
        Path | None, typer.Option("--out", help="file to write (default stdout)")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="database to export from. Default: $GLAMWATCH_DB_URL or glamwatch.db."
        ),
    ] = None,
    registry: Annotated[
        Path | None, typer.Option("--registry", help="export this registry YAML instead of a DB")
    ] = None,
) -> None:
    """Export the registry as YAML or as CSV in the Open GLAM Survey's columns."""
    from crawler.registry import RegistryError
    from crawler.registry_io import import_files, load_from_store, to_survey_csv, to_yaml

    if registry is not None:
        try:
            entries = import_files([registry])[0].institutions
        except RegistryError as exc:
            fail(str(exc))
    else:
        from db.errors import StoreError
        from db.store import Store

        try:
            with Store.open(db_url(db)) as store:
                entries = load_from_store(store)
        except StoreError as exc:
            fail(str(exc))
    text = to_survey_csv(entries) if fmt is ExportFormat.csv else to_yaml(entries)
    _write(text, out)


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")
