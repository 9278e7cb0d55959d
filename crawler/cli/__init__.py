"""The `glamwatch` command line: a thin Typer layer over the libraries in rules/, db/, reports/.

Each command group lives in its own module with a `register(app)` function, so that the
capabilities can grow without editing one large file. Heavy imports (Scrapy, SQLAlchemy) happen
inside the commands so that `glamwatch --help` stays fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="glamwatch",
    help="OpenGLAM Watch: crawl GLAM collection sites, classify their licenses against the "
    "Open Definition, record every observation and report drift.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Modules that register commands on `app`, in help order.
COMMAND_MODULES = (
    "crawler.cli.check",
    "crawler.cli.crawl",
    "crawler.cli.runs",
    "crawler.cli.report",
    "crawler.cli.registry",
    "crawler.cli.dbcmd",
    "crawler.cli.demo",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
