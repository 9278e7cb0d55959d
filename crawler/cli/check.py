"""`glamwatch check TARGET…`: every license signal of a file, stdin or URL, and the verdict.

A thin layer over `rules.extract.extract_all`. Targets are read at the edge (a file, `-` for
stdin, or an http(s) URL fetched with a plain client: honest User-Agent, timeout, size cap).
Unreadable input → one line on stderr and a non-zero exit; a readable page without signals is
verdict "unknown" and exit 0.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli._common import console, err_console

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class Policy(StrEnum):
    survey = "survey"
    strict_od = "strict-od"


class Unreadable(Exception):
    """The target could not be read (missing file, HTTP error, too large, binary)."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    url: str
    content_type: str | None
    headers: dict[str, list[str]]


def _fetch_url(url: str, timeout: float, max_bytes: int) -> Fetched:
    from crawler.settings import USER_AGENT  # the crawler's honest User-Agent, contact URL

    # Only http(s) reaches here (read_target checks the scheme).
    request = urllib.request.Request(  # noqa: S310
        url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise Unreadable(f"{url}: larger than the size cap of {max_bytes} bytes")
            headers: dict[str, list[str]] = {}
            for key, value in response.headers.items():
                headers.setdefault(key.lower(), []).append(value)
            return Fetched(body, response.geturl(), response.headers.get("Content-Type"), headers)
    except urllib.error.HTTPError as exc:
        raise Unreadable(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise Unreadable(f"{url}: {exc.reason}") from exc
    except (TimeoutError, OSError, ValueError) as exc:
        raise Unreadable(f"{url}: {exc}") from exc


def read_target(target: str, *, timeout: float, max_bytes: int) -> Fetched:
    """Bytes and context of one target; raises Unreadable with a one-line reason."""
    if target == "-":
        body = sys.stdin.buffer.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise Unreadable(f"stdin: larger than the size cap of {max_bytes} bytes")
        return Fetched(body, "stdin:", None, {})
    if target.lower().startswith(("http://", "https://")):
        return _fetch_url(target, timeout, max_bytes)
    path = Path(target)
    try:
        if path.stat().st_size > max_bytes:
            raise Unreadable(f"{target}: larger than the size cap of {max_bytes} bytes")
        body = path.read_bytes()
    except FileNotFoundError as exc:
        raise Unreadable(f"{target}: no such file") from exc
    except IsADirectoryError as exc:
        raise Unreadable(f"{target}: is a directory") from exc
    except OSError as exc:
        raise Unreadable(f"{target}: {exc.strerror or exc}") from exc
    return Fetched(body, path.resolve().as_uri(), None, {})


def _table(target: str, result: dict[str, object]) -> None:
    from rich.table import Table

    licenses = ", ".join(str(x) for x in result["licenses"]) or "—"  # type: ignore[attr-defined]
    console.print(
        f"[bold]{result['url']}[/]  verdict: [bold]{result['verdict']}[/]  "
        f"object licenses: {licenses}",
        highlight=False,
        soft_wrap=True,
    )
    table = Table(show_lines=False)
    for col in ("method", "scope", "license", "verdict", "raw", "snippet"):
        table.add_column(col, overflow="fold")
    for a in result["assertions"]:  # type: ignore[attr-defined]
        lic = a["license"] or "(unrecognised)"
        if a.get("jurisdiction"):
            lic += f" [{a['jurisdiction']}]"
        scope = a["scope"] + (f" ({a['position']})" if a.get("position") else "")
        table.add_row(a["method"], scope, lic, a["verdict"], a["raw"], a["snippet"])
    if result["assertions"]:
        console.print(table)
    else:
        console.print("no license signals found", highlight=False)
    for e in result["errors"]:  # type: ignore[attr-defined]
        console.print(f"[yellow]extraction error[/] {e['method']}: {e['message']}", highlight=False)


def check(
    targets: Annotated[list[str], typer.Argument(help="File path, - (stdin) or http(s) URL.")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="URL the document was served from (for files/stdin)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="json, jsonl or table")] = Format.json,
    policy: Annotated[
        Policy, typer.Option("--policy", help="survey (Open GLAM Survey) or strict-od")
    ] = Policy.survey,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a URL.")] = DEFAULT_TIMEOUT,
    max_bytes: Annotated[int, typer.Option(help="Size cap for any target.")] = DEFAULT_MAX_BYTES,
) -> None:
    """Show every license signal of a page or record (method, scope, raw, snippet) and its
    verdict. JSON by default; several targets or --format jsonl give one object per line."""
    from rules.extract import extract_all

    failed = False
    many = len(targets) > 1 or fmt is Format.jsonl
    for target in targets:
        try:
            fetched = read_target(target, timeout=timeout, max_bytes=max_bytes)
        except Unreadable as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            failed = True
            continue
        url = base_url or fetched.url
        page = extract_all(
            fetched.body,
            url,
            content_type=fetched.content_type,
            headers=fetched.headers,
            policy=policy.value,
        )
        # Nothing could be read at all (binary bytes, JSON/XML that does not parse): unreadable.
        fatal = [
            e
            for e in page.errors
            if e.method == "parse" and ("binary" in e.message or "could not be parsed" in e.message)
        ]
        if fatal and not page.assertions:
            message = f"[bold red]error:[/] {target}: {fatal[0].message}"
            err_console.print(message, highlight=False, soft_wrap=True)
            failed = True
            continue
        result = page.to_json()
        if fmt is Format.table:
            _table(target, result)
        elif many:
            sys.stdout.write(json.dumps({"target": target, **result}, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
