"""End to end: the fictional sites served on loopback, crawled twice by `glamwatch crawl`
(Scrapy, in a subprocess), then every report made by `glamwatch report` (a subprocess too)."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml

from tests.clirun import glamwatch

sites = sys.modules["reports_tests_sites"]  # loaded by this folder's conftest.py

pytestmark = pytest.mark.slow


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/object/6" and self.server.version == 2:
            self.close_connection = True  # a fetch failure, not a 404: drop the connection
            self.connection.shutdown(2)
            return
        pages: dict[str, tuple[str, bytes]] = {}
        for key in self.server.keys:  # several fictional sites on one server: one index
            pages.update(sites.site_pages(key, self.server.version, self.server.base))
        if len(self.server.keys) > 1:
            pages["/"] = ("text/html", sites.index_page(sorted(p for p in pages if p != "/")))
        if path not in pages:
            self.send_error(404)
            return
        ctype, body = pages[path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, keys: tuple[str, ...], host: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.keys = keys
        self.version = 1
        self.base = f"http://{host}:{self.server_address[1]}"


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, _Site]]:
    servers = {
        "museum": _Site(("museum",), "127.0.0.1"),
        "archive": _Site(("archive", "hostile"), "127.0.0.1"),
    }
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers.values()]
    for t in threads:
        t.start()
    yield servers
    for s in servers.values():
        s.shutdown()
        s.server_close()


@pytest.fixture(scope="module")
def crawled(served: dict[str, _Site], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("crawl")
    museum, archive = served["museum"], served["archive"]
    registry = {
        "institutions": [
            {
                "name": sites.INSTITUTIONS["museum"]["name"],
                "survey": "listed",
                "survey_url": sites.INSTITUTIONS["museum"]["survey_url"],
                "sites": [{"base_url": museum.base, "object_patterns": ["/object/"]}],
            },
            {
                "name": sites.INSTITUTIONS["archive"]["name"],
                "country": "Sweden",
                "type": "Archive",
                "sites": [{"base_url": archive.base, "object_patterns": ["/record/", "/object/"]}],
            },
        ]
    }
    (tmp / "registry.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    db = tmp / "watch.db"
    for version in (1, 2):
        for s in served.values():
            s.version = version
        done = glamwatch(
            "crawl", "--registry", "registry.yaml", "--db", str(db), "--allow-private",
            "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "RETRY_TIMES=0",
            cwd=tmp,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    out: dict[str, Any] = {"tmp": tmp, "db": db, "bases": {k: s.base for k, s in served.items()}}
    for kind, fmt in (
        ("drift", "json"),
        ("drift", "html"),
        ("drift", "md"),
        ("audit", "json"),
        ("audit", "html"),
        ("candidates", "csv"),
    ):
        target = tmp / f"{kind}.{fmt}"
        done = glamwatch("report", kind, "--db", str(db), "--out", str(target), cwd=tmp)
        assert done.returncode == 0, done.stderr
        out[f"{kind}.{fmt}"] = target.read_text(encoding="utf-8")
    return out


def test_drift_from_a_real_crawl(crawled: dict[str, Any]) -> None:
    drift = json.loads(crawled["drift.json"])
    museum = crawled["bases"]["museum"]
    got = {(e["kind"], e["url"]) for e in drift["events"] if e["site"] == museum}
    assert ("regression", museum + "/object/1") in got
    assert ("regression", museum + "/object/2") in got
    assert ("unreachable", museum) in got
    assert not [k for k, u in got if k == "regression" and not u.endswith(("/1", "/2"))]
    assert drift["listing_regressions"] == []  # the listed museum still has open objects
    doc = lxml.html.fromstring(crawled["drift.html"])
    assert doc.get_element_by_id("n-regressions").text_content() == str(
        sum(e["kind"] == "regression" for e in drift["events"])
    )
    assert "/object/1" in doc.get_element_by_id("regressions").text_content()
    assert "/object/1" not in doc.get_element_by_id("outages").text_content()
    md = crawled["drift.md"]
    assert md.index("## Regressions") < md.index("## Outages")


def test_audit_numbers_match_the_database(crawled: dict[str, Any]) -> None:
    audit = json.loads(crawled["audit.json"])
    con = sqlite3.connect(crawled["db"])
    try:
        rows = con.execute(
            "SELECT site.base_url, count(*), sum(page.verdict = 'open') FROM page JOIN site "
            "ON site.id = page.site_id WHERE page.run_id = ? GROUP BY site.base_url",
            (audit["run"]["id"],),
        ).fetchall()
    finally:
        con.close()
    counts = {base: (n, int(o or 0)) for base, n, o in rows}
    names = {i["name"] for i in audit["institutions"]}
    assert names == {sites.INSTITUTIONS["museum"]["name"], sites.INSTITUTIONS["archive"]["name"]}
    for inst in audit["institutions"]:
        assert (inst["pages"], inst["open_pages"]) == counts[inst["site"]]
    doc = lxml.html.fromstring(crawled["audit.html"])
    assert not doc.xpath("//img")  # the hostile page's <img onerror> stayed text
    assert len(doc.xpath("//script")) == 1
    assert "onerror" in doc.get_element_by_id("pages").text_content()


def test_candidates_from_a_real_crawl(crawled: dict[str, Any]) -> None:
    rows = list(csv.DictReader(crawled["candidates.csv"].splitlines()))
    [archive] = rows  # the listed museum is not a candidate
    assert archive["institution_name"] == sites.INSTITUTIONS["archive"]["name"]
    assert archive["institution_website"] == crawled["bases"]["archive"] + "/"
    assert archive["evidence_url0"].startswith(crawled["bases"]["archive"])
    assert int(archive["open_object_pages"]) >= 3


def test_report_cli_errors_are_one_line(crawled: dict[str, Any]) -> None:
    done = glamwatch(
        "report", "audit", "--db", str(crawled["db"]), "--institution", "Nobody",
        cwd=crawled["tmp"],
    )  # fmt: skip
    assert done.returncode != 0
    assert "no institution named" in done.stderr
    assert "Traceback" not in done.stderr
    done = glamwatch("report", "drift", "--db", str(crawled["tmp"] / "none.db"), cwd=crawled["tmp"])
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
