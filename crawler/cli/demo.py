"""`glamwatch demo`: the whole job, end to end, offline, on three bundled fictional GLAM sites.

It serves the sites on 127.0.0.1 (OS-chosen ports), crawls them with Scrapy into SQLite, switches
the sites to their second version (a museum regresses from CC0 to CC BY-NC on two objects, one
object page vanishes, the archive's new template drops every license statement), crawls again,
and writes the drift, audit and candidates reports. Each crawl runs in its own process because
Twisted's reactor cannot be restarted within one.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import typer

from crawler.cli._common import console, fail
from crawler.registry import InstitutionEntry, Registry, SiteEntry

# The demo's institutions; `survey: listed` marks those the Open GLAM Survey lists already.
DEMO_INSTITUTIONS = {
    "museum": {
        "name": "Harbourside Museum of Art",
        "country": "Netherlands",
        "type": "Museum",
        "survey": "listed",
    },
    "library": {
        "name": "Northbridge Public Library",
        "country": "United Kingdom",
        "type": "Library",
    },
    "archive": {"name": "Valley Regional Archive", "country": "Sweden", "type": "Archive"},
}

# Loopback sites served by this process: no politeness delay is needed, robots.txt still obeyed.
DEMO_CRAWL_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False")

REPORTS = (
    ("drift", "md"),
    ("drift", "html"),
    ("drift", "json"),
    ("audit", "md"),
    ("audit", "html"),
    ("audit", "json"),
    ("candidates", "csv"),
)


def demo_registry(base_urls: dict[str, str]) -> Registry:
    return Registry(
        [
            InstitutionEntry(
                website=base_urls[key] + "/",
                sites=[SiteEntry(base_url=base_urls[key])],
                **fields,  # type: ignore[arg-type]
            )
            for key, fields in DEMO_INSTITUTIONS.items()
        ]
    )


def _crawl(registry_path: Path, db_path: Path, log_path: Path) -> None:
    argv = [sys.executable, "-m", "crawler", "crawl", "--registry", str(registry_path)]
    argv += ["--db", str(db_path), "--allow-private"]
    for setting in DEMO_CRAWL_SETTINGS:
        argv += ["--set", setting]
    with log_path.open("ab") as log:
        done = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        fail(f"the demo crawl failed (exit {done.returncode}); see {log_path}")


def run_demo(out: Path, db_path: Path) -> dict[str, object]:
    """Run the two crawls and write the reports; return the figures for the summary."""
    from crawler.demo.server import DemoSites
    from db.store import Store
    from reports import render_report

    out.mkdir(parents=True, exist_ok=True)
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    log_path = out / "crawl.log"
    log_path.unlink(missing_ok=True)
    registry_path = out / "registry.yaml"

    with DemoSites(version="v1") as sites:
        registry_path.write_text(demo_registry(sites.base_urls).to_yaml(), encoding="utf-8")
        with console.status("Crawling the demo sites (version 1)…"):
            _crawl(registry_path, db_path, log_path)
        sites.set_version("v2")
        with console.status("Crawling the demo sites again (version 2)…"):
            _crawl(registry_path, db_path, log_path)
        base_urls = sites.base_urls

    written: list[Path] = []
    with Store.open(f"sqlite:///{db_path.resolve()}") as store:
        drift = store.diff()
        runs = store.list_runs()
        for kind, fmt in REPORTS:
            target = out / f"{kind}.{fmt}"
            target.write_text(render_report(store, kind, fmt), encoding="utf-8")
            written.append(target)
    kinds = Counter(event.kind for event in drift.events)
    return {
        "runs": runs,
        "events": drift.events,
        "kinds": kinds,
        "reports": written,
        "sites": base_urls,
        "db": db_path,
        "log": log_path,
    }


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        out: Path = typer.Option(Path("glamwatch-demo"), help="Folder for the reports."),
        db: Path | None = typer.Option(
            None, help="SQLite file for the demo (default: OUT/demo.db; replaced each run)."
        ),
    ) -> None:
        """Run the offline demo: three bundled GLAM sites, two crawls, the reports.

        Serves the sites on 127.0.0.1, crawls them, switches them to version 2 (a regression,
        a vanished page, dropped markup), crawls again and writes drift, audit and candidates
        reports to OUT.
        """
        from rich.table import Table

        started = time.monotonic()
        result = run_demo(out, db or out / "demo.db")
        kinds: Counter[str] = result["kinds"]  # type: ignore[assignment]
        runs = result["runs"]
        pages = sum(r.pages for r in runs)  # type: ignore[attr-defined]
        table = Table(title="OpenGLAM Watch demo", show_header=True)
        table.add_column("what")
        table.add_column("count", justify="right")
        table.add_row("crawl runs", str(len(runs)))  # type: ignore[arg-type]
        table.add_row("pages observed", str(pages))
        table.add_row("[bold red]regressions[/]", str(kinds.get("regression", 0)))
        for kind, count in sorted(kinds.items()):
            if kind != "regression":
                table.add_row(f"{kind} events", str(count))
        console.print(table)
        names = {
            base: str(DEMO_INSTITUTIONS[key]["name"])
            for key, base in result["sites"].items()  # type: ignore[attr-defined]
        }
        events = Table(title="Change events, run 1 → run 2", show_header=True)
        for column in ("event", "institution", "page", "before", "after"):
            events.add_column(column)
        ordered = sorted(
            result["events"],  # type: ignore[call-overload]
            key=lambda e: (e.kind != "regression", e.kind, e.url),
        )
        for event in ordered:
            style = "bold red" if event.kind == "regression" else "bold"
            events.add_row(
                f"[{style}]{event.kind}[/]",
                names.get(event.site.rstrip("/"), event.site),
                urlsplit(event.url).path,
                ", ".join(event.before) or "—",
                ", ".join(event.after) or "—",
            )
        console.print(events)
        console.print("Reports:")
        for path in result["reports"]:  # type: ignore[attr-defined]
            console.print(f"  {path}")
        console.print(f"Database: {result['db']}  ·  crawl log: {result['log']}")
        console.print(f"Done in {time.monotonic() - started:.1f} s.")
