"""`--state FILE`: the panel survives restarts; the CLI serves and prints its URL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

import payamak
from payamak.sandbox import Sandbox, SandboxConfig
from tests.sandbox.support import CREDIT, DEMO_AUTH, PRICE_EN, send_body


def _send_and_credit(sandbox: Sandbox) -> tuple[str, int]:
    with httpx.Client(base_url=sandbox.base_url, auth=DEMO_AUTH) as http:
        group_id = http.post("/api/smsAPI/SendMessage", json=send_body()).json()["Result"]
        credit = http.post("/api/smsAPI/GetCredit").json()["Result"]
    return group_id, credit


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "panel.sqlite"
    with Sandbox(state_path=state) as first:
        group_id, credit = _send_and_credit(first)
        first.admin.inject_inbound("50002910001080", "09121234567", "kept")
    assert credit == CREDIT - PRICE_EN
    with Sandbox(state_path=state) as second:
        (message,) = second.admin.messages()
        assert message["group_id"] == group_id
        assert second.admin.credit("demo") == credit
        with httpx.Client(base_url=second.base_url, auth=DEMO_AUTH) as http:
            status = http.post("/api/smsAPI/GroupMessageStatus", json={"GroupMessageId": group_id})
            assert status.json()["Code"] == 0
        _, credit_after = _send_and_credit(second)
        assert credit_after == CREDIT - 2 * PRICE_EN
        ids = [m["id"] for m in second.admin.messages()]
        assert len(ids) == len(set(ids)) == 2
        second.admin.reset()
        assert second.admin.messages() == []
    with Sandbox(state_path=state) as third:
        assert third.admin.messages() == []
        assert third.admin.credit("demo") == CREDIT


def test_an_advanced_clock_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "panel.sqlite"
    config = SandboxConfig(frozen_clock=True)
    with Sandbox(config, state_path=state) as first:
        _send_and_credit(first)
        advanced = first.admin.advance(3600)
        assert [m["state"] for m in first.admin.messages()] == ["delivered"]
    with Sandbox(config, state_path=state) as second:
        # Without the kept offset the clock fell back an hour and the message was queued again.
        assert second.admin.now() >= advanced
        assert [m["state"] for m in second.admin.messages()] == ["delivered"]
        second.admin.reset()
    with Sandbox(config, state_path=state) as third:
        assert third.admin.now() < advanced - 3000  # reset dropped the offset


def test_without_state_a_restart_starts_fresh() -> None:
    with Sandbox() as first:
        _send_and_credit(first)
    with Sandbox() as second:
        assert second.admin.messages() == []


def test_cli_serves_with_state_and_config(tmp_path: Path) -> None:
    config = tmp_path / "accounts.yaml"
    config.write_text(
        "accounts:\n"
        "  - username: acme\n"
        "    password: top-secret\n"
        "    credit_rials: 5000\n"
        "    lines: ['50007777']\n",
        encoding="utf-8",
    )
    src = str(Path(payamak.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    args = ["--port", "0", "--state", str(tmp_path / "s.db"), "--config", str(config)]
    with subprocess.Popen(
        [sys.executable, "-m", "payamak.sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline().strip()
            assert banner.startswith("payamak sandbox listening on http://127.0.0.1:")
            base = banner.rsplit(" ", 1)[-1]
            assert process.stdout.readline().split() == [
                "trez_rest",
                f"{base}/api/smsAPI/{{Method}}",
            ]
            response = httpx.post(f"{base}/api/smsAPI/GetCredit", auth=("acme", "top-secret"))
            assert response.json()["Result"] == 5000
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        assert "top-secret" not in out + err
