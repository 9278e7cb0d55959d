"""End to end: `glamwatch crawl` on the hostile loopback fixture sites into a real SQLite file.

Asserts exactly which URLs the servers received, which were refused and why, that every
request ends as one stored observation, that budgets hold, and that a page vanished from the
site's links is still re-visited (and recorded as 404) in the next run.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.crawl.fixture_server import OBJECT_METHODS, GlamSites, Site, moved_routes
from tests.crawl.helpers import pages, rows, run_crawl_cli

pytestmark = pytest.mark.slow

OAI_PAGES = {  # canonical URLs: the query is sorted (OAI-PMH arguments have no order)
    "/oai?verb=Identify",
    "/oai?verb=ListMetadataFormats",
    "/oai?metadataPrefix=edm&verb=ListRecords",
    "/oai?resumptionToken=page2&verb=ListRecords",
    "/oai?resumptionToken=page3&verb=ListRecords",
}
MUSEUM_FETCHED = {
    "/robots.txt",
    "/",
    "/sitemap_index.xml",
    "/sitemap-objects.xml.gz",
    "/sitemap-pages.txt",
    "/collection/",
    "/rights",
    "/about",
    *(f"/object/{n}" for n in range(1, 9)),
    "/iiif/collection.json",
    "/iiif/collection3.json",
    *(f"/iiif/{n}/manifest.json" for n in range(1, 9)),  # 9 is disallowed by robots.txt
    "/events/calendar?month=2024-01",
    "/events/calendar?month=2024-02",
    "/events/calendar?month=2023-12",
    "/loop/a",
    "/loop/b",
    "/broken",
    "/slow",
    "/huge",
    "/huge-stream",
    "/binary",
    "/go-private",
    "/c/1/view",
    "/c/2/view",
    *OAI_PAGES,
}

ARCHIVE_FETCHED = {
    "/robots.txt",
    "/",
    "/sitemap.xml",
    "/item/1",
    "/item/2",
    "/oai?verb=Identify",
    "/oai?verb=ListMetadataFormats",
    "/oai?metadataPrefix=edm&set=empty&verb=ListRecords",
    "/oai-broken?verb=Identify",
    "/oai-broken?verb=ListMetadataFormats",
    "/oai-broken?metadataPrefix=edm&set=empty&verb=ListRecords",
    "/oai-broken?resumptionToken=bad-token&verb=ListRecords",
}


def run_id_of(stdout: str) -> int:
    found = re.search(r"^run (\d+)", stdout, re.MULTILINE)
    assert found, stdout
    return int(found.group(1))


@pytest.fixture(scope="module")
def sites() -> Iterator[GlamSites]:
    with GlamSites() as s:
        yield s


@pytest.fixture(scope="module")
def first_crawl(sites: GlamSites, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("crawl")
    registry = tmp / "registry.yaml"
    registry.write_text(
        yaml.safe_dump(
            {
                "institutions": [
                    {
                        "name": "Fixture Museum",
                        "country": "Netherlands",
                        "sites": [
                            {
                                "base_url": sites.museum.base,
                                "iiif": [f"{sites.museum.base}/iiif/collection.json"],
                                "oai": [f"{sites.museum.base}/oai"],
                            }
                        ],
                    },
                    {
                        "name": "Fixture Archive",
                        "sites": [
                            {
                                "base_url": sites.archive.base,
                                "oai": [
                                    f"{sites.archive.base}/oai",
                                    f"{sites.archive.base}/oai-broken",
                                ],
                                "oai_set": "empty",
                            }
                        ],
                    },
                ]
            }
        )
    )
    db = tmp / "watch.db"
    done = run_crawl_cli("--registry", str(registry), "--db", str(db))
    assert done.returncode == 0, done.stderr[-3000:]
    return {
        "db": db,
        "registry": registry,
        "run": run_id_of(done.stdout),
        "stdout": done.stdout,
        "stderr": done.stderr,
        "museum": sites.museum.counts(),
        "archive": sites.archive.counts(),
    }


def test_exactly_these_urls_are_fetched(first_crawl: dict[str, Any]) -> None:
    """Robots-denied, off-site, private, asset and trap URLs never reach a server."""
    assert set(first_crawl["museum"]) == MUSEUM_FETCHED
    assert set(first_crawl["archive"]) == ARCHIVE_FETCHED


def test_no_url_is_fetched_twice(first_crawl: dict[str, Any]) -> None:
    """Session ids and tracking parameters are canonicalised away; only the loop repeats."""
    repeated = {p: n for p, n in first_crawl["museum"].items() if n > 1}
    assert set(repeated) <= {"/loop/a", "/loop/b"}
    assert repeated["/loop/a"] + repeated["/loop/b"] == 11  # REDIRECT_MAX_TIMES=10, then stop


def test_every_request_is_one_observation(first_crawl: dict[str, Any], sites: GlamSites) -> None:
    stored = pages(first_crawl["db"], first_crawl["run"])
    base = sites.museum.base
    expected = {base + p for p in MUSEUM_FETCHED - {"/robots.txt", "/loop/b"}}
    # refused by robots.txt, recorded as such (a page and a IIIF manifest of a collection)
    expected |= {base + "/private/secret", base + "/iiif/9/manifest.json"}
    expected |= {sites.archive.base + p for p in ARCHIVE_FETCHED - {"/robots.txt"}}
    assert set(stored) == expected
    status = rows(
        first_crawl["db"], "select status from crawl_run where id = ?", first_crawl["run"]
    )
    assert status == [("complete",)]


def test_failures_are_recorded_with_their_reason(
    first_crawl: dict[str, Any], sites: GlamSites
) -> None:
    stored = pages(first_crawl["db"], first_crawl["run"])
    b = sites.museum.base

    def err(path: str) -> str:
        return str(stored[b + path]["error"])

    assert err("/private/secret").startswith("robots-denied")
    assert err("/iiif/9/manifest.json").startswith("robots-denied")
    assert err("/loop/a").startswith("redirect-loop")
    assert stored[b + "/broken"]["status"] == 500
    assert err("/broken") == "http 500"
    assert err("/slow").startswith("timeout")
    assert err("/huge").startswith("too-large")
    assert err("/huge-stream").startswith("too-large")  # no Content-Length: cut while reading
    assert err("/go-private") == "refused: 127.0.0.2 is a loopback address 127.0.0.2"
    assert stored[b + "/go-private"]["final_url"] == f"http://127.0.0.2:{sites.museum.port}/secret"
    assert stored[b + "/binary"]["status"] == 200
    assert "binary content" in str(stored[b + "/binary"]["extraction_errors"])
    assert stored[sites.archive.base + "/sitemap.xml"]["error"] == "http 404"


def test_oai_errors_are_recorded(first_crawl: dict[str, Any], sites: GlamSites) -> None:
    """noRecordsMatch is an empty answer (noted, not a failure); a bad token is a failure."""
    stored = pages(first_crawl["db"], first_crawl["run"])
    a = sites.archive.base
    empty = stored[a + "/oai?metadataPrefix=edm&set=empty&verb=ListRecords"]
    assert empty["error"] is None
    assert "noRecordsMatch: empty set" in str(empty["extraction_errors"])
    bad = stored[a + "/oai-broken?resumptionToken=bad-token&verb=ListRecords"]
    assert bad["error"] == "oai-badResumptionToken: unknown token"
    assert "'glamwatch/oai/error/badResumptionToken': 1" in first_crawl["stderr"]


def test_kinds_and_stats(first_crawl: dict[str, Any], sites: GlamSites) -> None:
    stored = pages(first_crawl["db"], first_crawl["run"])
    b = sites.museum.base
    assert stored[b + "/rights"]["kind"] == "policy"
    assert stored[b + "/object/5"]["kind"] == "object"
    assert stored[b + "/iiif/9/manifest.json"]["kind"] == "iiif"  # refused, still an iiif row
    # /c/N/view is no known object URL shape: learned from /c/1/view's schema.org type
    assert stored[b + "/c/1/view"]["kind"] == "object"
    assert stored[b + "/c/2/view"]["kind"] == "object"
    assert stored[b + "/sitemap-objects.xml.gz"]["kind"] == "sitemap"
    assert {stored[u]["kind"] for u in stored if "/oai?" in u} == {"oai"}
    log = first_crawl["stderr"]
    assert "'glamwatch/refused/trap:calendar': " in log
    assert "'glamwatch/refused/offsite': " in log
    assert "'glamwatch/oai/records': 8" in log  # museum 3 × 2, archive's broken list 2


def test_second_run_revisits_a_vanished_page(first_crawl: dict[str, Any], sites: GlamSites) -> None:
    """Object 3 is no longer linked anywhere in version 2; it is re-visited and found gone.
    Object 1 turned In Copyright: the webhooks hear of that regression, the museum's own
    (registry `notify:`) and the run's (`--notify`); the archive's hears nothing."""
    posts: list[tuple[str, dict[str, Any]]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append((self.path, json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    hook = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{hook.server_address[1]}"
    registry = yaml.safe_load(first_crawl["registry"].read_text())
    registry["institutions"][0]["sites"][0]["notify"] = hook_url + "/museum"
    registry["institutions"][1]["sites"][0]["notify"] = hook_url + "/archive"
    registry_v2 = first_crawl["registry"].with_name("registry-notify.yaml")
    registry_v2.write_text(yaml.safe_dump(registry))
    sites.set_version(2)
    try:
        before = sites.museum.counts()["/object/3"]
        done = run_crawl_cli(
            "--registry",
            str(registry_v2),
            "--db",
            str(first_crawl["db"]),
            "--notify",
            hook_url + "/run",
        )
    finally:
        sites.set_version(1)
        hook.shutdown()
        hook.server_close()
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(path for path, _ in posts) == ["/museum", "/run"]
    for _, summary in posts:
        assert summary["regressions_total"] == 1
        assert summary["regressions"][0]["url"] == sites.museum.base + "/object/1"
        assert summary["regressions"][0]["before"] == ["CC0-1.0"]
    assert f"notify: nothing to report ({hook_url}/archive)" in done.stdout
    run2 = run_id_of(done.stdout)
    assert run2 == first_crawl["run"] + 1
    assert sites.museum.counts()["/object/3"] == before + 1
    gone = pages(first_crawl["db"], run2)[sites.museum.base + "/object/3"]
    assert (gone["status"], gone["error"], gone["kind"]) == (404, "http 404", "object")


def test_page_budget_holds_and_is_spread(sites: GlamSites, tmp_path: Path) -> None:
    """With 6 pages, the museum sends at most 6 page requests, from more than one section."""
    before = sites.museum.counts()
    done = run_crawl_cli(
        sites.museum.base + "/",
        "--db",
        str(tmp_path / "b.db"),
        "--max-pages",
        "6",
        "--institution",
        "Ad-hoc Museum",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    after = sites.museum.counts()
    new = [p for p in after if after[p] > before.get(p, 0)]
    non_pages = {"/robots.txt", "/sitemap_index.xml", "/sitemap-objects.xml.gz"}
    non_pages |= {"/sitemap-pages.txt", "/iiif/collection.json", "/loop/b"}
    fetched_pages = [p for p in new if p not in non_pages and "/iiif/" not in p]
    assert 1 < len(fetched_pages) <= 6
    sections = {p.split("/")[1].split("?")[0] for p in fetched_pages}
    assert len(sections) >= 3, fetched_pages
    assert "'glamwatch/refused/budget': " in done.stderr
    # the seed's site belongs to the institution named on the command line
    assert rows(
        tmp_path / "b.db",
        "select i.name, s.base_url from site s join institution i on i.id = s.institution_id",
    ) == [("Ad-hoc Museum", sites.museum.base)]


def test_connection_refused_is_recorded(tmp_path: Path) -> None:
    """A site that is down is a finished crawl with a recorded failure, not a crash."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens
    done = run_crawl_cli(f"http://127.0.0.1:{port}/", "--db", str(tmp_path / "c.db"))
    assert done.returncode == 0, done.stderr[-3000:]
    stored = pages(tmp_path / "c.db", run_id_of(done.stdout))
    assert list(stored) == [f"http://127.0.0.1:{port}/"]
    assert str(stored[f"http://127.0.0.1:{port}/"]["error"]).startswith("connection-refused")


def test_private_targets_are_refused_by_default(sites: GlamSites, tmp_path: Path) -> None:
    """Without --allow-private, a loopback site is refused before even robots.txt is asked."""
    before = sum(sites.archive.counts().values())
    done = run_crawl_cli(
        sites.archive.base + "/", "--db", str(tmp_path / "p.db"), settings=("LOG_LEVEL=INFO",)
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert sum(sites.archive.counts().values()) == before
    stored = pages(tmp_path / "p.db", run_id_of(done.stdout))
    assert stored[sites.archive.base + "/"]["error"] == (
        "refused: 127.0.0.1 is a loopback address 127.0.0.1"
    )


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    """A store that cannot open and an invalid registry exit non-zero with one clear line."""
    not_a_db = tmp_path / "dir.db"
    not_a_db.mkdir()
    done = run_crawl_cli("http://127.0.0.1:9/", "--db", str(not_a_db))
    assert done.returncode != 0
    assert done.stderr.strip().startswith("error:")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("institutions:\n  - country: NL\n")
    done = run_crawl_cli("--registry", str(bad), "--db", str(tmp_path / "x.db"))
    assert done.returncode != 0
    assert "has no name" in done.stderr
    done = run_crawl_cli("--db", str(tmp_path / "x.db"))
    assert done.returncode != 0
    assert "seed" in done.stderr


def test_scrapy_crawl_site_works_from_the_checkout(sites: GlamSites, tmp_path: Path) -> None:
    """People who live in Scrapy can run the same spider; the pipeline starts its own run."""
    db = tmp_path / "s.db"
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "site",
            "-a",
            f"url={sites.archive.base}/",
            "-s",
            f"GLAMWATCH_DB_URL=sqlite:///{db}",
            "-s",
            "GLAMWATCH_ALLOW_PRIVATE=1",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert rows(db, "select id, status, label from crawl_run") == [(1, "complete", "scrapy crawl")]
    urls = {u for (u,) in rows(db, "select url from page")}
    assert {sites.archive.base + p for p in ("/", "/item/1", "/item/2")} <= urls


def test_object_pages_carry_their_license_in_every_method(
    first_crawl: dict[str, Any], sites: GlamSites
) -> None:
    """The spider hands each body to rules/: every method of the fixture comes back stored,
    with scope and snippet, and OAI-PMH / IIIF documents are read too."""
    found = rows(
        first_crawl["db"],
        "select p.url, a.license, a.method, a.scope, a.snippet from assertion a "
        "join page p on p.id = a.page_id where p.run_id = ?",
        first_crawl["run"],
    )
    by_url: dict[str, set[tuple[str, str]]] = {}
    for url, lic, method, scope, snippet in found:
        assert snippet
        if scope == "object":
            by_url.setdefault(url, set()).add((lic, method))
    b = sites.museum.base
    for n, method in OBJECT_METHODS.items():
        lic = "CC0-1.0" if n % 2 else "CC-BY-4.0"
        if method == "text":
            lic = "CC-BY-4.0"  # the text names CC BY 4.0 whatever the number
        assert (lic, method) in by_url.get(f"{b}/object/{n}", set()), (
            n,
            by_url.get(f"{b}/object/{n}"),
        )
        assert (
            ("CC0-1.0" if n % 2 else "CC-BY-4.0"),
            "iiif",
        ) in by_url.get(f"{b}/iiif/{n}/manifest.json", set())
    oai = by_url.get(f"{b}/oai?metadataPrefix=edm&verb=ListRecords", set())
    assert ("CC0-1.0", "oai") in oai


def test_a_moved_site_is_followed_to_its_new_host(sites: GlamSites, tmp_path: Path) -> None:
    """The seed's host answers 301 to another host (http→https, apex→www in real life): the
    new host's pages are crawled and stored under the seed's site."""
    moved = Site("moved", moved_routes)
    moved.target = sites.archive.base  # type: ignore[attr-defined]
    moved.start()
    try:
        done = run_crawl_cli(moved.base + "/", "--db", str(tmp_path / "m.db"))
    finally:
        moved.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    stored = pages(tmp_path / "m.db", run_id_of(done.stdout))
    a = sites.archive.base
    assert stored[moved.base + "/"]["final_url"] == a + "/"
    assert {a + "/item/1", a + "/item/2"} <= set(stored)
    sites_of_pages = rows(
        tmp_path / "m.db", "select distinct s.base_url from page p join site s on s.id = p.site_id"
    )
    assert sites_of_pages == [(moved.base,)]
