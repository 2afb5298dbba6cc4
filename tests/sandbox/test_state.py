"""`--state FILE`: the panel survives restarts; the CLI serves and prints its URL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import payamak
from payamak.sandbox import DEMO_LINE, AccountConfig, Sandbox, SandboxAdmin, SandboxConfig
from payamak.sandbox._clock import Clock
from payamak.sandbox._store import Store
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


@dataclass
class _Cli:
    """A running `python -m payamak.sandbox`: its base URL, its banner, and (once it has exited)
    everything it wrote to stdout and stderr."""

    base: str
    banner: list[str]
    output: str = ""


@contextmanager
def _cli(*args: str) -> Iterator[_Cli]:
    """Runs the CLI until the block ends, then stops it with Ctrl-C and checks it exits with 0."""
    src = str(Path(payamak.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with subprocess.Popen(
        [sys.executable, "-m", "payamak.sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        assert process.stdout is not None
        banner: list[str] = []
        try:
            # The banner ends with the state line and is printed once requests are accepted.
            while not banner or not banner[-1].startswith("  state:"):
                line = process.stdout.readline()
                assert line, "the CLI exited before printing its banner"
                banner.append(line.rstrip("\n"))
            cli = _Cli(banner[0].rsplit(" ", 1)[-1], banner)
            yield cli
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        cli.output = "\n".join(banner) + out + err


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
    with _cli("--state", str(tmp_path / "s.db"), "--config", str(config)) as cli:
        assert cli.banner[0].startswith("payamak sandbox listening on http://127.0.0.1:")
        assert cli.banner[1].split() == ["trez_rest", f"{cli.base}/api/smsAPI/{{Method}}"]
        assert "  demo account: demo / demo" in cli.banner
        response = httpx.post(f"{cli.base}/api/smsAPI/GetCredit", auth=("acme", "top-secret"))
        assert response.json()["Result"] == 5000
    assert "top-secret" not in cli.output


def test_cli_frozen_clock_keeps_the_config_and_prints_no_demo_login_that_fails(
    tmp_path: Path,
) -> None:
    config = tmp_path / "accounts.yaml"
    config.write_text(
        "accounts:\n  - username: demo\n    password: not-the-demo-one\n    credit_rials: 700\n",
        encoding="utf-8",
    )
    with _cli("--config", str(config), "--frozen-clock") as cli:
        assert not any("demo account" in line for line in cli.banner)
        with SandboxAdmin(cli.base) as admin:
            assert admin.info()["frozen_clock"] is True
            assert admin.credit("demo") == 700
        response = httpx.post(f"{cli.base}/api/smsAPI/GetCredit", auth=("demo", "not-the-demo-one"))
        assert response.json()["Result"] == 700
    assert "not-the-demo-one" not in cli.output


def test_two_stores_opening_one_new_state_file_seed_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "shared.sqlite"
    config = SandboxConfig()
    seeding = threading.Event()
    seeds: list[None] = []
    real_seed = Store._seed

    def slow_seed(store: Store) -> None:
        # The first seed holds the write transaction long enough for the second store to look.
        seeds.append(None)
        seeding.set()
        time.sleep(0.3)
        real_seed(store)

    monkeypatch.setattr(Store, "_seed", slow_seed)
    first: list[Store] = []
    opener = threading.Thread(target=lambda: first.append(Store(config, Clock(), state)))
    opener.start()
    assert seeding.wait(5)
    # Opened while the first store is still seeding; it used to find no "seeded" mark, seed
    # again after the first committed, and fail on the mark's primary key.
    second = Store(config, Clock(), state)
    opener.join()
    try:
        assert len(seeds) == 1
        demo_inbound = [item for item in config.inbound if item.line == DEMO_LINE]
        assert len(second.inbound(username="demo", line=DEMO_LINE)) == len(demo_inbound)
    finally:
        second.close()
        first[0].close()


def test_a_store_without_a_state_file_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where a path of "None" or "" would land

    Store(SandboxConfig(), Clock(frozen=True)).add_inbound("demo", DEMO_LINE, "09121234567", "x", 0)

    assert list(tmp_path.iterdir()) == []


def test_an_accounts_repr_never_shows_its_password() -> None:
    store = Store(SandboxConfig(), Clock(frozen=True))
    store.put_account(AccountConfig(username="shop", password="s3cret-pw", credit_rials=10))

    account = store.account("shop")

    assert account is not None and account.password == "s3cret-pw"
    assert "s3cret-pw" not in repr(account)
    assert "shop" in repr(account)
