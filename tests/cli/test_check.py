"""`glamwatch check` through a subprocess: files, stdin, a real loopback HTTP server, formats,
policies and the exit codes for unreadable input."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

GLAMWATCH = str(Path(sys.executable).with_name("glamwatch"))
BY = "https://creativecommons.org/licenses/by/4.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
OBJECT_PAGE = (
    f'<html><body><main><h1>Portrait</h1><a rel="license" href="{INC}">In Copyright</a></main>'
    f'<footer><a rel="license" href="{BY}">CC BY 4.0</a></footer></body></html>'
).encode()


def glamwatch(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GLAMWATCH, "check", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class _Handler(BaseHTTPRequestHandler):
    user_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/object":
            body = OBJECT_PAGE
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif self.path == "/linked":
            body = b"<html><body><p>A map</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Link", f'<{BY}>; rel="license"')
        elif self.path == "/redirect":
            body = b""
            self.send_response(302)
            self.send_header("Location", "/object")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_file_json_shape_and_footer_rule(tmp_path: Path) -> None:
    page = tmp_path / "object.html"
    page.write_bytes(OBJECT_PAGE)
    proc = glamwatch(str(page), "--base-url", "https://museum.example/object/1")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"url", "verdict", "licenses", "assertions", "errors"}
    assert data["url"] == "https://museum.example/object/1"
    assert data["verdict"] == "not-open"
    assert data["licenses"] == ["RS-InC-1.0"]
    keys = {"license", "jurisdiction", "method", "scope", "raw", "verdict"}
    assert all(keys <= set(a) for a in data["assertions"])
    assert {(a["license"], a["scope"]) for a in data["assertions"]} == {
        ("RS-InC-1.0", "object"),
        ("CC-BY-4.0", "site"),
    }


def test_stdin(tmp_path: Path) -> None:
    proc = glamwatch("-", stdin=OBJECT_PAGE)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["licenses"] == ["RS-InC-1.0"]


def test_url_from_loopback_server_with_link_header(server: str) -> None:
    proc = glamwatch(f"{server}/linked")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["url"] == f"{server}/linked"
    assert [(a["method"], a["license"]) for a in data["assertions"]] == [
        ("http-header", "CC-BY-4.0")
    ]
    assert data["verdict"] == "open"
    assert any(ua.startswith("OpenGLAM-Watch/") for ua in _Handler.user_agents)


def test_several_targets_give_jsonl_with_target(server: str, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(OBJECT_PAGE)
    proc = glamwatch(str(page), f"{server}/redirect")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["target"] for line in lines] == [str(page), f"{server}/redirect"]
    assert lines[1]["url"] == f"{server}/object"  # the final URL after the redirect
    assert all(line["verdict"] == "not-open" for line in lines)
    single = glamwatch(str(page), "--format", "jsonl")
    assert json.loads(single.stdout)["target"] == str(page)


def test_table_shows_method_scope_raw(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(OBJECT_PAGE)
    proc = subprocess.run(
        [GLAMWATCH, "check", str(page), "--format", "table"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"COLUMNS": "250", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for word in ("rel-license", "object", "site", "RS-InC-1.0", "CC-BY-4.0", INC, "not-open"):
        assert word in out


def test_no_signals_is_unknown_exit_zero(tmp_path: Path) -> None:
    page = tmp_path / "plain.html"
    page.write_text("<html><body><p>Nothing here about rights.</p></body></html>")
    proc = glamwatch(str(page))
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["verdict"] == "unknown"
    assert data["assertions"] == []
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert json.loads(glamwatch(str(empty)).stdout)["verdict"] == "unknown"


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "http404", "broken-json"])
def test_unreadable_input_is_one_line_on_stderr(kind: str, tmp_path: Path, server: str) -> None:
    target = {
        "missing": str(tmp_path / "nope.html"),
        "directory": str(tmp_path),
        "binary": str(tmp_path / "image.html"),
        "http404": f"{server}/gone",
        "broken-json": str(tmp_path / "record.json"),
    }[kind]
    (tmp_path / "record.json").write_text('{"rights": "CC0", ')
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    proc = glamwatch(target)
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error:")


def test_policy_switch_changes_public_domain_statement_verdicts(tmp_path: Path) -> None:
    record = tmp_path / "flickr.xml"
    record.write_bytes(
        b'<rsp><photo id="1" license="7"/><licenses><license id="7" '
        b'name="No known copyright restrictions" url="https://www.flickr.com/commons/usage/"/>'
        b"</licenses></rsp>"
    )
    survey = json.loads(glamwatch(str(record)).stdout)
    strict = json.loads(glamwatch(str(record), "--policy", "strict-od").stdout)
    assert survey["licenses"] == strict["licenses"] == ["NKC"]
    assert survey["verdict"] == "open"
    assert strict["verdict"] != "open"
