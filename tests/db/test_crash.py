"""A writer killed with SIGKILL in the middle of a run leaves a consistent database: whole
batches only, every page with its assertions, and the run marked `incomplete` (never compared)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.errors import NothingToCompare
from db.models import Assertion, Page
from db.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {helpers!r})
    from db.store import Store
    from dbtest_obs import page

    store = Store.open({url!r})
    run = store.start_run(["http://museum.test/"])
    print(run, flush=True)
    n = 0
    while True:
        batch = [
            page(f"http://museum.test/o/{{n}}/{{i}}", "CC0-1.0", site_license="CC-BY-4.0")
            for i in range({batch})
        ]
        store.add_observations(run, batch)
        n += 1
        print("batch", n, flush=True)
    """
)
BATCH = 150


def test_sigkill_mid_run_leaves_whole_batches_and_an_incomplete_run(any_url: str) -> None:
    code = WRITER.format(helpers=str(Path(__file__).parent), url=any_url, batch=BATCH)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        run = int(proc.stdout.readline())
        for _ in range(4):
            line = proc.stdout.readline()
            assert line.startswith("batch"), proc.stderr.read() if proc.stderr else line
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with Store.open(any_url) as store:
        (summary,) = store.list_runs()
        assert summary.id == run
        assert summary.status == "incomplete"
        with store.session() as s:
            pages = s.execute(select(func.count()).select_from(Page)).scalar_one()
            asserts = s.execute(select(func.count()).select_from(Assertion)).scalar_one()
            orphans = s.execute(
                select(func.count())
                .select_from(Page)
                .outerjoin(Assertion, Assertion.page_id == Page.id)
                .where(Assertion.id.is_(None))
            ).scalar_one()
        assert pages >= 4 * BATCH
        assert pages % BATCH == 0, "a batch was written in part"
        assert asserts == 2 * pages
        assert orphans == 0
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        with pytest.raises(NothingToCompare):
            store.diff()
        # resuming loses nothing: the run continues and can then be completed
        store.resume_run(run)
        store.finish_run(run)
        assert store.list_runs()[0].pages == pages


def test_processes_opening_a_fresh_database_at_once_agree(any_empty_url: str) -> None:
    """The first-use migration runs under a lock: three processes, one schema, three runs."""
    code = (
        "import sys; from db.store import Store\n"
        "s = Store.open(sys.argv[1]); print(s.start_run(['http://m.test/'])); s.close()"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, any_empty_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outputs]
    assert sorted(int(out) for out, _ in outputs) == [1, 2, 3]
