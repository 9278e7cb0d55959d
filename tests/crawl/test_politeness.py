"""Politeness on the wire: robots.txt Crawl-delay is honoured even with AutoThrottle on."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawl.fixture_server import Site, crawl_delay_routes
from tests.crawl.helpers import run_crawl_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def slow_site() -> Iterator[Site]:
    site = Site("crawl-delay", crawl_delay_routes).start()
    try:
        yield site
    finally:
        site.stop()


def test_robots_crawl_delay_spaces_requests(slow_site: Site, tmp_path: Path) -> None:
    done = run_crawl_cli(
        slow_site.base + "/",
        "--db",
        str(tmp_path / "d.db"),
        settings=(
            "DOWNLOAD_DELAY=0",
            "AUTOTHROTTLE_ENABLED=True",
            "AUTOTHROTTLE_START_DELAY=0",
            "CONCURRENT_REQUESTS_PER_DOMAIN=2",
            "GLAMWATCH_SITEMAP_GUESS=False",
            "GLAMWATCH_PRIVATE_ALLOWLIST=127.0.0.1/32",
        ),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with slow_site.lock:
        log = list(zip(slow_site.times, slow_site.log, strict=True))
    pages = [(t, p) for t, p in log if p != "/robots.txt"]
    assert [p for _, p in pages][:1] == ["/"]
    assert sorted(p for _, p in pages) == ["/", "/p1", "/p2", "/p3", "/p4"]
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(pages)]
    assert min(gaps) >= 0.38, gaps
    assert "'glamwatch/robots/crawl-delay': 1" in done.stderr
