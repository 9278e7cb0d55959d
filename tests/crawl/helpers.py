"""Running `glamwatch crawl` in a subprocess (the reactor runs once per process) and reading
what it stored from the real SQLite file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

# Fast and deterministic on loopback: no delay, no throttle, no retries; a timeout short
# enough for the /slow route (8 s) but long enough for a loaded 2-core CI machine; a 4 MB cap
# so that the streamed 30 MB body is cut early. The private-address guard stays ON with only
# 127.0.0.1 allowed, so 127.0.0.2 is refused.
TEST_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_TIMEOUT=3",
    "DOWNLOAD_MAXSIZE=4194304",
    "DOWNLOAD_WARNSIZE=1048576",
    "RETRY_TIMES=0",
    "GLAMWATCH_PRIVATE_ALLOWLIST=127.0.0.1/32",
    "LOG_LEVEL=INFO",
)


def crawl_argv(*args: str, settings: tuple[str, ...] = TEST_SETTINGS) -> list[str]:
    argv = [sys.executable, "-m", "crawler", "crawl", *args, "--no-progress"]
    for s in settings:
        argv += ["--set", s]
    return argv


def run_crawl_cli(*args: str, timeout: float = 90, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        crawl_argv(*args, **kw), capture_output=True, text=True, timeout=timeout, check=False
    )


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def pages(db: Path, run_id: int) -> dict[str, dict[str, Any]]:
    """url → page row (status, kind, error, verdict, extraction_errors, final_url)."""
    out = {}
    for url, status, kind, error, verdict, xerr, final in rows(
        db,
        "select url, status, kind, error, verdict, extraction_errors, final_url "
        "from page where run_id = ?",
        run_id,
    ):
        out[url] = {
            "status": status,
            "kind": kind,
            "error": error,
            "verdict": verdict,
            "extraction_errors": xerr,
            "final_url": final,
        }
    return out
