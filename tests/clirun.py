"""Run the `glamwatch` console entry point in a real subprocess, as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def glamwatch(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | str | None = None,
    timeout: float = 240,
) -> subprocess.CompletedProcess[str]:
    """`python -m crawler ARGS…` with captured text output; never raises on a non-zero exit."""
    data = stdin.decode() if isinstance(stdin, bytes) else stdin
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        cwd=cwd,
        input=data,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
