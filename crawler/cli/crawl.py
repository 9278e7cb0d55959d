"""`glamwatch crawl`: a thin layer over `crawler.runner.run_crawl` (DESIGN.md §3)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from crawler.cli._common import DbOption, console, db_url, fail


def parse_sets(values: list[str]) -> dict[str, str]:
    """`NAME=VALUE` pairs of `--set`, like `scrapy -s`."""
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--set expects NAME=VALUE, got {item!r}")
        out[name.strip()] = value
    return out


def crawl(
    seeds: Annotated[
        list[str] | None, typer.Argument(help="Seed URLs; each one's site is crawled.")
    ] = None,
    registry: Annotated[
        str | None, typer.Option("--registry", help="Registry YAML of institutions and sites.")
    ] = None,
    db: DbOption = None,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow private/loopback/link-local targets."),
    ] = False,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, help="Page budget per site.")
    ] = None,
    institution: Annotated[
        str | None,
        typer.Option("--institution", help="Institution name of the seeds / registry filter."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the interrupted run of --jobdir.")
    ] = False,
    jobdir: Annotated[
        str | None, typer.Option("--jobdir", help="Scrapy JOBDIR: makes the run resumable.")
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Scrapy/GLAMWATCH setting NAME=VALUE (repeatable)."),
    ] = None,
    notify: Annotated[
        str | None,
        typer.Option("--notify", help="Webhook URL POSTed the regressions after the run."),
    ] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Rich live progress.")
    ] = None,
) -> None:
    """Crawl the registry's sites (or the given URLs) into a new crawl run.

    Prints the run id and a summary (pages, assertions, errors, verdicts). Exit 0 when the
    crawl finished, even with fetch failures recorded; 130 when it was interrupted (the run is
    `incomplete`; `--resume --jobdir DIR` continues it); 2 with one line when the store cannot
    open or the registry is invalid.
    """
    from crawler.registry import RegistryError, load_registry
    from crawler.runner import CrawlError, run_crawl

    try:
        overrides: dict[str, Any] = parse_sets(sets or [])
        reg = load_registry(registry) if registry else None
    except (ValueError, RegistryError) as exc:
        fail(str(exc))
    if not seeds and reg is None and not resume:
        fail("give seed URLs or --registry FILE (or --resume --jobdir DIR)")
    url = db_url(db)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        run_id = run_crawl(
            seeds or [],
            registry=reg,
            db_url=url,
            allow_private=allow_private,
            max_pages=max_pages,
            resume=resume,
            jobdir=jobdir,
            institution=institution,
            settings=overrides,
            progress=show,
        )
    except (CrawlError, RegistryError) as exc:
        fail(str(exc))
    status = _summary(url, run_id)
    if status != "complete":
        hint = f" --resume --jobdir {jobdir}" if jobdir else " (no --jobdir: start a new run)"
        fail(f"run {run_id} is {status}; continue it with{hint}", code=130)
    targets = notify_targets(notify, reg)
    if targets:
        _notify(url, run_id, targets)


def _summary(url: str, run_id: int) -> str:
    """Print the run id and its counts; return the run's status."""
    from rich.table import Table
    from sqlalchemy import func, select

    from db.models import Page
    from db.store import Store

    with Store.open(url) as store:
        run = next(r for r in store.list_runs() if r.id == run_id)
        with store.session() as s:
            verdicts = dict(
                s.execute(
                    select(Page.verdict, func.count())
                    .where(Page.run_id == run_id, Page.error.is_(None))
                    .group_by(Page.verdict)
                ).all()
            )
    console.print(f"run {run_id}", highlight=False)
    table = Table(title=f"crawl run {run_id} ({run.status})")
    table.add_column("measure")
    table.add_column("count", justify="right")
    for name, value in (
        ("sites", run.sites),
        ("pages", run.pages),
        ("assertions", run.assertions),
        ("fetch errors", run.errors),
    ):
        table.add_row(name, str(value))
    for verdict in ("open", "not-open", "conflict", "unknown"):
        table.add_row(f"pages {verdict}", str(verdicts.get(verdict, 0)))
    console.print(table)
    return run.status


def notify_targets(cli_webhook: str | None, registry: Any) -> list[tuple[str, str | None]]:
    """(webhook, site or None for the whole run): `--notify`, then each registry site's
    `notify:` (told only about its own site's events)."""
    targets: list[tuple[str, str | None]] = [(cli_webhook, None)] if cli_webhook else []
    if registry is not None:
        targets += [(s.notify, s.base_url) for _, s in registry.sites() if s.notify]
    return targets


def _notify(url: str, run_id: int, targets: list[tuple[str, str | None]]) -> None:
    """POST the regressions of this run against the previous complete one to each webhook
    (`crawler.alerts.notify_webhook`); a failed delivery is one error line, exit 3."""
    from crawler.alerts import AlertError, notify_webhook
    from db.errors import StoreError
    from db.events import DriftResult
    from db.store import Store

    with Store.open(url) as store:
        earlier = [r.id for r in store.list_runs() if r.status == "complete" and r.id < run_id]
        if not earlier:
            console.print("notify: no earlier complete run to compare with", highlight=False)
            return
        try:
            result = store.diff(max(earlier), run_id)
        except StoreError as exc:
            fail(f"notify: {exc}", code=3)
    for webhook, site in targets:
        scoped = result
        if site is not None:
            events = [e for e in result.events if e.site == site]
            scoped = DriftResult(result.from_run, result.to_run, events)
        try:
            sent = notify_webhook(webhook, scoped)
        except AlertError as exc:
            fail(f"notify: {exc}", code=3)
        state = "sent" if sent else "nothing to report"
        console.print(f"notify: {state} ({webhook})", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
