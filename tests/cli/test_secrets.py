"""The password never appears in what the command prints (stdout, stderr, logs with -v, help)
nor in a bulk send's results file, whatever the operation and however it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from payamak.sandbox import DEMO_LINE, Sandbox
from tests.cli.conftest import (
    PROVIDERS,
    Cli,
    run_subprocess,
    settings_env,
    subprocess_env,
    write_csv,
)
from tests.facade.conftest import WIRE_OPERATIONS

USERNAME = "owner-cli-51"
PASSWORD = "pw-Kx27-never-printed"
WRONG = "other-Qv93-also-never-printed"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_no_password_in_any_output(
    provider: str, cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    admin = sandbox.admin
    admin.put_account(USERNAME, PASSWORD, lines=[DEMO_LINE])
    wire = WIRE_OPERATIONS[provider]
    env = settings_env(sandbox, provider, username=USERNAME, password=PASSWORD)
    cli.env(env)
    csv_file = write_csv(
        tmp_path / "bulk.csv", [("09125550001", "a"), ("0912", "b")], header=("mobile", "text")
    )
    failing_csv = write_csv(tmp_path / "fail.csv", [("09125550003", "c")], ("mobile", "text"))
    runs = []
    for json_flag in ((), ("--json",)):
        send = cli("-v", "send", "09121234567", "-t", "x", *json_flag)
        assert send.code == 0, send.err
        runs.append(send)
        runs += [
            cli("-v", "providers", *json_flag),
            cli("-v", "credit", *json_flag),
            cli("-v", "inbox", "--since", "1d", *json_flag),
            cli("-v", "status", "12345", *json_flag),
            cli("-v", "send", "--csv", csv_file, *json_flag),
            cli("-v", "status", "--results", f"{csv_file}.results.jsonl", *json_flag),
        ]
        # Failures: a lost answer, a refused chunk, three 503s (retried and logged), bad input.
        admin.inject_fault(provider, "truncate", operation=wire["send"])
        runs.append(cli("-v", "send", "09121234567", "-t", "lost", *json_flag))
        # (A chunk of one text goes as a group send.)
        admin.inject_fault(provider, "error_code", operation=wire["send"], code=5001)
        runs.append(cli("-v", "send", "--csv", failing_csv, "--results", tmp_path / "f.jsonl"))
        admin.inject_fault(provider, "http_503", operation=wire["credit"], count=3)
        runs.append(cli("-v", "credit", *json_flag))
        runs.append(cli("-v", "send", "0912", "-t", "x", *json_flag))
        runs.append(cli("-v", "credit", "--password", WRONG, *json_flag))
        runs.append(cli("-v", "credit", "--timeout", "soon", *json_flag))
        runs.append(cli("-v", "credit", "--provider", "nope", *json_flag))
    for command in ("send", "status", "credit", "inbox"):
        runs.append(cli(command, "--help"))
    cli.env({k: v for k, v in env.items() if k != "PAYAMAK_USERNAME"})
    runs.append(cli("credit"))  # a usage error while the password is set

    assert {run.code for run in runs} == {0, 1, 2, 3}
    assert any("retrying" in run.err for run in runs)  # -v logged the 503 retries
    assert any("chunk 1: sending 1 row(s)" in run.err for run in runs)
    assert any("stopped the run" in run.err for run in runs)
    for run in runs:
        assert PASSWORD not in run.out + run.err, run
        assert WRONG not in run.out + run.err, run
    for results in tmp_path.glob("*.jsonl"):
        assert PASSWORD not in results.read_text(encoding="utf-8")


def test_no_password_from_a_real_process(sandbox: Sandbox) -> None:
    """The same as a separate process, the password given as a flag."""
    sandbox.admin.put_account(USERNAME, PASSWORD, lines=[DEMO_LINE])
    sandbox.admin.inject_fault("trez_rest", "http_503", operation="GetCredit", count=3)
    env = subprocess_env(settings_env(sandbox, "trez_rest", username=USERNAME, password="-"))

    run = run_subprocess(["-v", "credit", "--password", PASSWORD], env)

    assert run.returncode == 1
    assert "retrying" in run.stderr
    assert PASSWORD not in run.stdout + run.stderr
