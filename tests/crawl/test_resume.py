"""A real signal stops a crawl mid-way; `--resume` finishes the same run with no duplicate
or lost page (Scrapy JOBDIR + the frontier kept in spider.state)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawl.fixture_server import Site, paged_routes
from tests.crawl.helpers import crawl_argv, rows

pytestmark = pytest.mark.slow

N_PAGES = 40


@pytest.fixture
def paged() -> Iterator[Site]:
    site = Site("paged", paged_routes)
    site.pages = N_PAGES  # type: ignore[attr-defined]
    site.delay = 0.05
    site.start()
    try:
        yield site
    finally:
        site.stop()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_crawl_resumes_without_duplicates(
    paged: Site, tmp_path: Path, signum: int
) -> None:
    db, jobdir = tmp_path / "r.db", tmp_path / "job"
    argv = crawl_argv(
        paged.base + "/",
        "--db",
        str(db),
        "--jobdir",
        str(jobdir),
        settings=(
            "DOWNLOAD_DELAY=0",
            "AUTOTHROTTLE_ENABLED=False",
            "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "GLAMWATCH_PRIVATE_ALLOWLIST=127.0.0.1/32",
        ),
    )
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(paged.log) < 8 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-3000:]  # interrupted: incomplete, resumable
    assert "--resume" in err
    assert rows(db, "select id, status from crawl_run") == [(1, "incomplete")]
    first = rows(db, "select count(*) from page")[0][0]
    assert 0 < first < N_PAGES, "the signal came too late to interrupt anything"

    done = subprocess.run(
        [*argv, "--resume"], capture_output=True, text=True, timeout=90, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert rows(db, "select id, status from crawl_run") == [(1, "complete")]

    counts = paged.counts()
    twice = {p: n for p, n in counts.items() if n > 1 and p != "/robots.txt"}
    assert twice == {}, "a page was fetched twice"
    fetched = {paged.base + p for p in counts if p != "/robots.txt"}
    stored = [u for (u,) in rows(db, "select url from page where run_id = 1")]
    assert len(stored) == len(set(stored))
    assert set(stored) == fetched
    objects = {u for u in stored if "/object/" in u}
    assert objects == {f"{paged.base}/object/{n}" for n in range(1, N_PAGES + 1)}


def test_a_jobdir_is_reused_only_after_its_run_finished(paged: Site, tmp_path: Path) -> None:
    """An interrupted run's JOBDIR refuses a fresh run (one clear line); a finished run's JOBDIR
    is emptied and reused, and the new run fetches the site again."""
    db, jobdir = tmp_path / "j.db", tmp_path / "job"
    argv = crawl_argv(
        paged.base + "/",
        "--db",
        str(db),
        "--jobdir",
        str(jobdir),
        settings=(
            "DOWNLOAD_DELAY=0",
            "AUTOTHROTTLE_ENABLED=False",
            "GLAMWATCH_PRIVATE_ALLOWLIST=127.0.0.1/32",
        ),
    )
    first = subprocess.run(argv, capture_output=True, text=True, timeout=90, check=False)
    assert first.returncode == 0, first.stderr[-3000:]
    fetched_once = paged.counts()["/object/1"]
    second = subprocess.run(argv, capture_output=True, text=True, timeout=90, check=False)
    assert second.returncode == 0, second.stderr[-3000:]
    assert paged.counts()["/object/1"] == fetched_once + 1
    assert rows(db, "select id, status from crawl_run") == [(1, "complete"), (2, "complete")]
    assert rows(db, "select count(*) from page where run_id = 2") == rows(
        db, "select count(*) from page where run_id = 1"
    )
    with sqlite3.connect(db) as con:  # pretend run 2 was interrupted
        con.execute("update crawl_run set status = 'incomplete' where id = 2")
    third = subprocess.run(argv, capture_output=True, text=True, timeout=90, check=False)
    assert third.returncode == 2
    assert "holds interrupted run 2: add --resume" in third.stderr
    assert len(third.stderr.strip().splitlines()) == 1
