"""`glamwatch runs`, `glamwatch diff` and `glamwatch db upgrade` on real SQLite files, through
Typer's runner and once through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dbtest_obs import failed, page
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from crawler.cli import app
from db import _engine
from db.store import Store

M = "http://museum.test"
runner = CliRunner()


@pytest.fixture
def two_runs(tmp_path: Path) -> Path:
    path = tmp_path / "watch.db"
    with Store.open(f"sqlite:///{path}") as store:
        for obs in (
            [page(f"{M}/o/1", "CC0-1.0"), page(f"{M}/o/2", "CC0-1.0")],
            [page(f"{M}/o/1", "RS-InC-1.0"), failed(f"{M}/o/2")],
        ):
            run = store.start_run([M])
            store.add_observations(run, obs)
            store.finish_run(run)
    return path


def test_runs_json_and_table(two_runs: Path) -> None:
    done = runner.invoke(app, ["runs", "--db", str(two_runs), "--format", "json"])
    assert done.exit_code == 0, done.output
    runs = json.loads(done.stdout)["runs"]
    assert [(r["id"], r["status"], r["pages"], r["errors"]) for r in runs] == [
        (1, "complete", 2, 0),
        (2, "complete", 2, 1),
    ]
    table = runner.invoke(app, ["runs", "--db", str(two_runs)])
    assert table.exit_code == 0
    assert "complete" in table.stdout


def test_diff_json_shape_and_table(two_runs: Path) -> None:
    done = runner.invoke(app, ["diff", "--db", str(two_runs), "--format", "json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["from_run"], data["to_run"]) == (1, 2)
    assert [(e["kind"], e["url"], e["before"], e["after"]) for e in data["events"]] == [
        ("regression", f"{M}/o/1", ["CC0-1.0"], ["RS-InC-1.0"]),
        ("unreachable", M, [], []),
    ]
    assert set(data["events"][0]) == {"kind", "url", "site", "before", "after", "evidence"}
    table = runner.invoke(app, ["diff", "1", "2", "--db", str(two_runs)])
    assert table.exit_code == 0
    assert "regression" in table.stdout
    assert "regression: 1" in table.stdout


def test_diff_errors_are_one_line_and_non_zero(two_runs: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["diff", "1", "--db", str(two_runs)])
    assert done.exit_code != 0
    assert "give both" in done.output
    missing = runner.invoke(app, ["diff", "1", "7", "--db", str(two_runs)])
    assert missing.exit_code != 0
    assert "no crawl run 7" in missing.output
    empty = runner.invoke(app, ["diff", "--db", str(tmp_path / "empty.db")])
    assert empty.exit_code != 0
    assert "two complete runs" in empty.output


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    done = runner.invoke(app, ["db", "upgrade", "--db", str(path)])
    assert done.exit_code == 0, done.output
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            _engine.head_revision()
        )
    engine.dispose()
    again = runner.invoke(app, ["db", "upgrade", "--db", str(path)])
    assert again.exit_code == 0


def test_diff_through_the_console_script(two_runs: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "diff", "--db", str(two_runs), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert [e["kind"] for e in json.loads(done.stdout)["events"]] == ["regression", "unreachable"]
    bad = subprocess.run(
        [sys.executable, "-m", "crawler", "runs", "--db", "/nonexistent-dir/x.db"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert bad.returncode != 0
    assert "unable to open" in bad.stderr
