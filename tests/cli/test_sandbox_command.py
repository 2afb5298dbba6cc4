"""``payamak sandbox`` serves the embedded sandbox, with ``python -m payamak.sandbox``'s options."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx

from tests.cli.conftest import run_subprocess, subprocess_env


def test_sandbox_command_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "payamak.cli", "sandbox", "--port", "0", "--frozen-clock"],
        env=subprocess_env({}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        match = re.fullmatch(r"payamak sandbox listening on (http://127\.0\.0\.1:\d+)\n", banner)
        assert match, banner + process.stderr.read() if process.stderr else banner
        with httpx.Client(base_url=match.group(1), trust_env=False, timeout=10) as http:
            answer = http.post("/api/smsAPI/GetCredit", auth=("demo", "demo"))
        assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == 0


def test_sandbox_command_help_is_the_sandbox_s() -> None:
    run = run_subprocess(["sandbox", "--help"], subprocess_env({}))

    assert run.returncode == 0
    assert "--frozen-clock" in run.stdout
    assert "--state FILE" in run.stdout


def test_console_script_is_installed() -> None:
    script = os.path.join(os.path.dirname(sys.executable), "payamak")

    run = subprocess.run(
        [script, "providers", "--json"], capture_output=True, text=True, check=False
    )

    assert run.returncode == 0, run.stderr
    assert '"trez_rest"' in run.stdout
