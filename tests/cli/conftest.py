"""Fixtures of the command-line tests: the ``payamak`` command run in this process (``main``)
or as a real subprocess, against the sandbox over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from payamak._adapters import ADAPTERS
from payamak.cli import main
from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox

PROVIDERS = sorted(ADAPTERS)


@dataclass(frozen=True)
class Run:
    """One run of the command: its exit status and what it printed."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout as the one JSON document ``--json`` prints."""
        lines = self.out.splitlines()
        assert len(lines) == 1, self.out
        return json.loads(lines[0])


def settings_env(
    sandbox: Sandbox,
    provider: str,
    *,
    username: str = DEMO_USERNAME,
    password: str = DEMO_PASSWORD,
    line: str = DEMO_LINE,
) -> dict[str, str]:
    """The ``PAYAMAK_*`` variables of a client of ``provider`` on the sandbox."""
    return {
        "PAYAMAK_PROVIDER": provider,
        "PAYAMAK_USERNAME": username,
        "PAYAMAK_PASSWORD": password,
        "PAYAMAK_LINE": line,
        "PAYAMAK_BASE_URL": sandbox.base_url,
        "PAYAMAK_TIMEOUT": "10",
    }


class Cli:
    """Runs ``payamak`` in this process with its own environment, capturing its output."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def env(self, variables: dict[str, str]) -> None:
        """Set the environment of the next runs (``PAYAMAK_*`` not given are removed)."""
        for name in list(os.environ):
            if name.startswith("PAYAMAK_"):
                self._monkeypatch.delenv(name)
        for name, value in variables.items():
            self._monkeypatch.setenv(name, value)

    def __call__(self, *args: str | Path) -> Run:
        self._capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = self._capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox
) -> Cli:
    """The command, in process, set up for the demo account on the reset sandbox (trez_rest)."""
    runner = Cli(capsys, monkeypatch)
    runner.env(settings_env(sandbox, "trez_rest"))
    # rich sizes tables to the terminal; a fixed width keeps the tests' output the same anywhere.
    monkeypatch.setenv("COLUMNS", "120")
    return runner


def subprocess_env(variables: dict[str, str]) -> dict[str, str]:
    """This environment without its ``PAYAMAK_*`` variables, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYAMAK_")}
    env.update(variables)
    env["COLUMNS"] = "120"
    return env


def run_subprocess(
    args: Sequence[str | Path], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m payamak.cli ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "payamak.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str]) -> Path:
    """A CSV file of ``rows`` under ``header`` (UTF-8)."""
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
