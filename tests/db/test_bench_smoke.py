"""bench/drift.py runs end to end at a small size and finds exactly the planted regressions
(speed is the benchmark's business, not a test's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[2] / "bench" / "drift.py"


def test_drift_benchmark_smoke(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--assertions",
            "3000",
            "--per-page",
            "3",
            "--dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1000 pages × 3 = 3000 assertions per run")
    assert "% of raw" in lines[1]
    assert "(10 events; 10 planted)" in lines[2]
    assert (tmp_path / "store.db").exists()
