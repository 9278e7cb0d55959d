"""Turning a report model into text: HTML and Markdown via Jinja2, CSV and JSON directly.

Everything in a model may come from a hostile page. HTML uses Jinja2 autoescape, only http(s)
links become hrefs, and a Content-Security-Policy allows only our own inline script (by hash).
Markdown escapes every interpolated value (a `finalize` hook, so no template can forget).
CSV neutralises spreadsheet formulas; JSON escapes `<`, `>` and `&` so it is safe inside HTML.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from reports import charts

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(?=[#>+=-]|\d+[.)])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Pages listed one by one in the audit (all of them stay in JSON and CSV).
PAGE_LIMIT = {"html": 5000, "md": 500}
# Drift events shown per institution and section (all of them stay in JSON and CSV).
EVENT_LIMIT = {"html": 500, "md": 100}


class MdSafe(str):
    """Markdown built by a filter from already-escaped parts: passed through as is."""


def md_escape(value: object) -> str:
    """Escape one value for Markdown: no markup, no HTML, one line."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub("\\\\", _MD_SPECIAL.sub(r"\\\1", text))


def http_url(value: object) -> str | None:
    """The URL if it is a plain http(s) URL (safe to link), else None."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


def md_link(url: object, text: object = None) -> MdSafe:
    """`[text](url)` for http(s) URLs with the URL percent-encoded; escaped text otherwise."""
    label = md_escape(text if text is not None else url)
    safe = http_url(url)
    if safe is None:
        return MdSafe(label)
    return MdSafe(f"[{label}]({quote(safe, safe=':/?#@!$&+,;=%~.-_')})")


def href(url: object) -> str:
    """The value for an href attribute: http(s) only, anything else points nowhere."""
    return http_url(url) or "#"


def pct(value: object) -> str:
    if value is None:
        return "–"
    return f"{round(float(str(value)) * 100)}%"


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not execute (OWASP CSV injection): formulas get a quote."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: csv_cell(row.get(c)) for c in columns})
    return buf.getvalue()


def to_json(model: dict[str, Any]) -> str:
    text = json.dumps(model, indent=2, ensure_ascii=False, default=str, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


@cache
def _script() -> str:
    return resources.files("reports").joinpath("templates/sort.js").read_text(encoding="utf-8")


@cache
def _style() -> str:
    return resources.files("reports").joinpath("templates/style.css").read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


@cache
def _env(kind: str) -> Environment:
    common: dict[str, Any] = {
        "loader": PackageLoader("reports", "templates"),
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":
        env = Environment(autoescape=True, **common)
    else:
        env = Environment(autoescape=False, finalize=md_escape, **common)  # noqa: S701 (md)
        env.filters["link"] = md_link
    env.filters["href"] = href
    env.filters["pct"] = pct
    env.globals["bar_chart"] = charts.bar_chart
    env.globals["line_chart"] = charts.line_chart
    return env


def render_template(name: str, model: dict[str, Any], fmt: str) -> str:
    env = _env("html" if fmt == "html" else "md")
    context: dict[str, Any] = {
        "m": model,
        "page_limit": PAGE_LIMIT.get(fmt, 500),
        "event_limit": EVENT_LIMIT.get(fmt, 100),
    }
    if fmt == "html":
        script = _script()
        # our own packaged files, not fetched data: safe to emit as they are
        trusted = {"script": Markup(script), "style": Markup(_style())}  # noqa: S704
        context |= {**trusted, "csp": _csp(script)}
    return env.get_template(f"{name}.{fmt}.j2").render(**context)
