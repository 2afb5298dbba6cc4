"""The sandbox in a process of its own, for the benchmarks: the client under test and the server
then do not share one interpreter's lock, as they would not in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["start_sandbox"]


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """Starts the sandbox on a free port and returns the process and its base URL."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "payamak.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    banner = process.stdout.readline().strip()
    if not banner.startswith("payamak sandbox listening on "):
        process.kill()
        raise SystemExit(f"the sandbox did not start: {banner!r}")
    return process, banner.rsplit(" ", 1)[-1]
