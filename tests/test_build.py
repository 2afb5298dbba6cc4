"""The build installs from one lock: the files derived from it must agree with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bootstrap_uv_pin_is_the_locked_one(tmp_path: Path) -> None:
    """The Makefile pip-installs uv from tools/uv-requirements.txt before uv.lock can be read;
    that file must be what `make lock` derives from the lock today, hashes included."""
    exported = tmp_path / "uv-requirements.txt"
    subprocess.run(
        [
            *(Path(sys.executable).with_name("uv"), "export", "--quiet", "--frozen"),
            *("--project", str(ROOT), "--only-group", "uv", "--no-emit-project"),
            *("--format", "requirements-txt", "--output-file", str(exported)),
        ],
        check=True,
        cwd=ROOT,
    )

    def pins(path: Path) -> list[str]:
        # The command line in the header names the output path; compare what is pinned.
        lines = path.read_text(encoding="utf-8").splitlines()
        return [line for line in lines if not line.startswith("#")]

    assert pins(ROOT / "tools" / "uv-requirements.txt") == pins(exported)
    assert any(line.startswith("uv==") for line in pins(exported))
