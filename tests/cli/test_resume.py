"""A bulk send killed in the middle (a real process, SIGKILL) and run again sends every row
exactly once: rows done are skipped, the chunk that was in flight is reported as unknown with
its reference and never resent, and the rest goes out."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from payamak._adapters import ADAPTERS
from payamak.sandbox import Sandbox
from tests.cli.conftest import (
    PROVIDERS,
    run_subprocess,
    settings_env,
    subprocess_env,
    write_csv,
)
from tests.facade.conftest import WIRE_OPERATIONS

ROWS = 10
BATCH = 2  # five chunks: rows 1-2, 3-4, 5-6, 7-8, 9-10


def _journal(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _sigint_as_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_killed_bulk_send_resumes_without_sending_twice(
    provider: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    admin = sandbox.admin
    numbers = [f"0912{5550000 + i}" for i in range(ROWS)]
    # The test kills the run while one chunk's request is on its way. A provider without
    # per-number texts sends one request per distinct text, so there the two rows of a chunk
    # share a text: one request.
    texts = [
        f"hello chunk {i // BATCH + 1}"
        if not ADAPTERS[provider].mixes_texts
        else f"hello row {i + 1}"
        for i in range(ROWS)
    ]
    csv_file = write_csv(
        tmp_path / "contacts.csv",
        list(zip(numbers, texts, strict=True)),
        header=("mobile", "text"),
    )
    results = tmp_path / "contacts.csv.results.jsonl"
    prefix = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:12]
    env = subprocess_env(settings_env(sandbox, provider))
    command: list[str | Path] = ["send", "--csv", csv_file, "--batch-size", str(BATCH), "--json"]
    # The third chunk waits half a second in the sandbox, so the run can be killed while it is
    # on its way. Faults are used first in, first out: the first two chunks use up a fault of
    # no delay.
    send = WIRE_OPERATIONS[provider]["send_pairs"]
    admin.inject_fault(provider, "latency", operation=send, count=2, latency=0)
    admin.inject_fault(provider, "latency", operation=send, count=1, latency=0.5)

    process = subprocess.Popen(
        [sys.executable, "-m", "payamak.cli", *map(str, command)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The last latency fault is used up when the third chunk's request reaches the sandbox.
        _wait(lambda: process.poll() is not None or not admin.faults(), "the third chunk")
        assert process.poll() is None, process.communicate()
        in_flight = [r for r in _journal(results) if r["event"] == "in_flight"]
        assert [r["reference"] for r in in_flight] == [f"{prefix}-r1-{i}" for i in (1, 2, 3)]
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL

    # The killed run's last request is still served (after its delay): six messages went out.
    _wait(lambda: len(admin.messages(provider=provider)) == 6, "the in-flight chunk")
    assert [r["event"] for r in _journal(results)][-1] == "in_flight"

    rerun = run_subprocess(command, env)

    assert rerun.returncode == 3, rerun.stderr  # some outcomes unknown
    summary = json.loads(rerun.stdout)
    assert summary["resumed"] is True
    assert (summary["sent"], summary["unknown"], summary["pending"]) == (8, 2, 0)
    assert summary["sent_now"] == 4
    assert summary["unknown_chunks"] == [{"reference": f"{prefix}-r1-3", "rows": [5, 6]}]
    sent = admin.messages(provider=provider)
    assert len(sent) == ROWS
    assert {n: len(admin.messages(provider=provider, mobile=n)) for n in numbers} == dict.fromkeys(
        numbers, 1
    )
    assert sorted(m["text"] for m in sent) == sorted(texts)

    # A third run sends nothing and still reports the unknown chunk.
    again = run_subprocess(command, env)
    assert again.returncode == 3
    assert json.loads(again.stdout)["sent_now"] == 0
    assert len(admin.messages(provider=provider)) == ROWS


def test_table_output_names_the_reference_to_reconcile(sandbox: Sandbox, tmp_path: Path) -> None:
    """Without --json the unknown chunk's reference and rows are printed for the user."""
    admin = sandbox.admin
    csv_file = write_csv(
        tmp_path / "c.csv", [("09125550001", "a"), ("09125550002", "b")], header=("to", "text")
    )
    env = subprocess_env(settings_env(sandbox, "trez_rest"))
    # The answer to the first request is cut short: it was sent, the client cannot know. (A
    # chunk of one row, so of one text, goes as a group send: SendMessage.)
    admin.inject_fault("trez_rest", "truncate", operation="SendMessage")
    prefix = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:12]

    run = run_subprocess(["send", "--csv", csv_file, "--batch-size", "1"], env)

    assert run.returncode == 3, run.stderr
    assert f"{prefix}-r1-1" in run.stdout
    assert "Reconcile each reference with the provider" in run.stdout
    assert "rerun the same command to send the rest" in run.stderr
    assert len(admin.messages()) == 1

    rerun = run_subprocess(["send", "--csv", csv_file, "--batch-size", "1"], env)

    assert rerun.returncode == 3, rerun.stderr
    assert f"{prefix}-r1-1" in rerun.stdout
    assert [m["text"] for m in admin.messages()] == ["a", "b"]


@pytest.mark.parametrize("presses", [1, 2])
def test_interrupted_bulk_send_exits_130_and_resumes(
    presses: int, sandbox: Sandbox, tmp_path: Path
) -> None:
    """Ctrl-C (SIGINT) while a chunk is on its way: no further request starts, exit 130.
    Pressed once, the chunk on its way is let finish and its outcome recorded; pressed again,
    the run does not wait, so that chunk is left in doubt (unknown, never resent, reported by
    its reference). A rerun sends the rest, nothing twice."""
    admin = sandbox.admin
    numbers = [f"0912{5560000 + i}" for i in range(4)]
    csv_file = write_csv(tmp_path / "c.csv", [(n, "x") for n in numbers], header=("mobile", "text"))
    env = subprocess_env(settings_env(sandbox, "trez_rest"))
    command: list[str | Path] = ["send", "--csv", csv_file, "--batch-size", "2", "--json"]
    # Long enough for both presses to land while the answer is awaited.
    admin.inject_fault("trez_rest", "latency", operation="SendMessage", latency=1.0)
    prefix = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:12]
    process = subprocess.Popen(
        [sys.executable, "-m", "payamak.cli", *map(str, command)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As a terminal starts it. A suite run as a background job (`make test &`) ignores
        # SIGINT, the child inherits that, and Python then installs no KeyboardInterrupt.
        preexec_fn=_sigint_as_default,
    )
    try:
        _wait(lambda: process.poll() is not None or not admin.faults(), "the first chunk")
        assert process.poll() is None, "the run ended before the first chunk reached the sandbox"
        for press in range(presses):
            if press:
                time.sleep(0.3)  # the run is waiting for the answer by now
            process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "rerun the same command to resume" in err
    events = [r["event"] for r in _journal(tmp_path / "c.csv.results.jsonl")]

    rerun = run_subprocess(command, env)

    summary = json.loads(rerun.stdout)
    if presses == 1:
        assert events == ["start", "run", "in_flight", "outcome", "outcome", "chunk_done"]
        assert rerun.returncode == 0, rerun.stderr
        assert (summary["sent"], summary["sent_now"], summary["unknown"]) == (4, 2, 0)
    else:
        assert events[-1] == "in_flight"
        assert rerun.returncode == 3, rerun.stderr
        assert (summary["sent"], summary["sent_now"], summary["unknown"]) == (2, 2, 2)
        assert summary["unknown_chunks"] == [{"reference": f"{prefix}-r1-1", "rows": [1, 2]}]
    _wait(lambda: len(admin.messages()) == 4, "the interrupted chunk")
    assert sorted(m["mobile"] for m in admin.messages()) == sorted(numbers)


def test_progress_bar_on_a_terminal(sandbox: Sandbox, tmp_path: Path) -> None:
    """On a terminal the bulk send draws a progress bar on stderr (not with --json, not piped)."""
    csv_file = write_csv(
        tmp_path / "p.csv", [(f"0912{5570000 + i}", "x") for i in range(3)], ("mobile", "text")
    )
    env = subprocess_env(settings_env(sandbox, "trez_rest"))
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "payamak.cli", "send", "--csv", str(csv_file), "--batch-size", "1"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    drawn = b""
    try:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other side closed: the process is done
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 0, drawn
    assert b"sending" in drawn and b"3/3" in drawn
    assert b"sending" not in out  # stdout (piped) has the summary only
    assert len(sandbox.admin.messages()) == 3
