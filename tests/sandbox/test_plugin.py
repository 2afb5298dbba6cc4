"""`pytest_plugins = ["payamak.testing"]` works in a user's project as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import payamak

USER_TESTS = """
import httpx

BODY = {
    "PhoneNumber": "50002910001080",
    "Message": "hi",
    "Mobiles": ["09121234567"],
    "UserGroupID": "1",
    "SendDateInTimeStamp": 0,
}


def test_send(sandbox):
    url = f"{sandbox.base_url}/api/smsAPI/SendMessage"
    assert httpx.post(url, auth=("demo", "demo"), json=BODY).json()["Code"] == 0
    sandbox.admin.advance(10)
    assert [m["state"] for m in sandbox.admin.messages()] == ["delivered"]


def test_state_was_reset(sandbox_admin):
    assert sandbox_admin.messages() == []
    assert sandbox_admin.credit("demo") == 1_000_000
"""


def test_plugin_in_a_user_project(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["payamak.testing"]\n')
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n"
    )
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    src = str(Path(payamak.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "-p",
            "no:randomly",
            # A user's project has none of the dev tools' pytest plugins; loading schemathesis's
            # and hypothesis's (installed here for tests/interop) took 2 of this test's 3.5 s.
            "-p",
            "no:schemathesis",
            "-p",
            "no:hypothesispytest",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
