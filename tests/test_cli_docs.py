"""The command line is documented: every command has help text and a README section, and the
console script works through a real subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer.main

from crawler.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, object]]:
    group = typer.main.get_command(app)
    out = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        if subs:
            out += [(f"{name} {sub}", subcmd) for sub, subcmd in subs.items()]
        else:
            out.append((name, cmd))
    return out


def test_every_contract_command_exists() -> None:
    names = {name for name, _ in _commands()}
    for required in (
        "demo",
        "check",
        "crawl",
        "runs",
        "diff",
        "report",
        "registry import",
        "registry export",
        "db upgrade",
    ):
        assert required in names, f"glamwatch {required} is missing"


def test_every_command_has_help_and_a_readme_section() -> None:
    for name, cmd in _commands():
        assert (cmd.help or "").strip(), f"glamwatch {name} has no help text"  # type: ignore[attr-defined]
        assert re.search(rf"`glamwatch {re.escape(name)}\b", README), f"README lacks {name}"


def test_help_through_the_console_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for name in ("demo", "check", "crawl", "runs", "diff", "report", "registry"):
        assert name in done.stdout


def test_unknown_command_fails_cleanly() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "no-such-command"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
