"""Each command against the sandbox: its JSON document, its table, its exit status."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
import pytest
from pytest_httpserver import HTTPServer

from payamak._adapters import ADAPTERS
from payamak.cli._bulk_command import ranges as _ranges
from payamak.cli._options import EXIT_USAGE, parse_time
from payamak.sandbox import DEMO_LINE, Sandbox
from tests.cli.conftest import PROVIDERS, Cli, settings_env, write_csv
from tests.facade.conftest import WIRE_OPERATIONS


def test_usage_exit_status_is_clicks_own() -> None:
    assert click.UsageError("x").exit_code == EXIT_USAGE == 2


def test_providers(cli: Cli) -> None:
    run = cli("providers", "--json")

    assert run.code == 0
    listed = {p["id"]: p for p in run.json()["providers"]}
    assert sorted(listed) == sorted(ADAPTERS)
    for name, adapter in ADAPTERS.items():
        assert listed[name]["max_recipients"] == adapter.capabilities.max_recipients
        assert listed[name]["send_pairs"] is adapter.capabilities.send_pairs
    table = cli("providers")
    assert table.code == 0
    assert all(name in table.out for name in ADAPTERS)
    assert "50,000" in table.out


@pytest.mark.parametrize("provider", PROVIDERS)
def test_credit(provider: str, cli: Cli, sandbox: Sandbox) -> None:
    cli.env(settings_env(sandbox, provider))
    sandbox.admin.set_credit("demo", 123_456)

    assert cli("credit", "--json").json() == {"provider": provider, "rials": 123_456}
    table = cli("credit")
    assert table.code == 0
    assert "123,456" in table.out


@pytest.mark.parametrize("provider", PROVIDERS)
def test_send_then_status(provider: str, cli: Cli, sandbox: Sandbox) -> None:
    cli.env(settings_env(sandbox, provider))

    run = cli("send", "09121234567", "+98 935 123 4567", "--text", "سلام", "--json")

    assert run.code == 0, run.err
    receipt = run.json()
    assert receipt["provider"] == provider
    assert receipt["accepted"] == ["+989121234567", "+989351234567"]
    assert [m["text"] for m in sandbox.admin.messages()] == ["سلام", "سلام"]
    if not receipt["groups"]:
        # Providers that answer an id per number (payamak_panel's recIds, advanced_ws): status
        # by those ids.
        ids = [receipt["message_ids"][number] for number in receipt["accepted"]]
        sandbox.admin.advance(600)
        reports = cli("status", *ids, "--json").json()["reports"]
        assert [(r["message_id"], r["state"]) for r in reports] == [
            (ids[0], "delivered"),
            (ids[1], "delivered"),
        ]
        return
    ((group_id, members),) = receipt["groups"].items()
    assert members == receipt["accepted"]

    sandbox.admin.advance(600)
    reports = cli("status", "--group", group_id, "--json").json()["reports"]
    assert {(r["recipient"], r["state"], r["group_id"]) for r in reports} == {
        ("+989121234567", "delivered", group_id),
        ("+989351234567", "delivered", group_id),
    }
    table = cli("status", "--group", group_id)
    assert table.code == 0
    assert "delivered" in table.out and "+989351234567" in table.out


def test_send_table_and_reference(cli: Cli, sandbox: Sandbox) -> None:
    run = cli("send", "09121234567", "-t", "hi", "--reference", "order-42")

    assert run.code == 0, run.err
    assert "sent, reference order-42" in run.out
    assert "+989121234567" in run.out


def test_send_later(cli: Cli, sandbox: Sandbox) -> None:
    run = cli("send", "09121234567", "-t", "later", "--at", "2h", "--json")

    assert run.code == 0, run.err
    (message,) = sandbox.admin.messages()
    assert message["send_at"] > datetime.now(timezone.utc).timestamp() + 3600


@pytest.mark.parametrize("provider", PROVIDERS)
def test_inbox(provider: str, cli: Cli, sandbox: Sandbox) -> None:
    cli.env(settings_env(sandbox, provider))
    if not ADAPTERS[provider].capabilities.inbox:
        refused = cli("inbox", "--since", "1d", "--json")
        assert refused.code == 1
        assert provider in refused.out + refused.err and "inbox" in refused.out + refused.err
        return
    # Received this very second: the open window ("until now") includes it.
    sandbox.admin.inject_inbound(DEMO_LINE, "09127654321", "پاسخ [bold]مشتری[/bold]")

    messages = cli("inbox", "--since", "1d", "--json").json()["messages"]

    (mine,) = [m for m in messages if m["sender"] == "+989127654321"]
    assert (mine["provider"], mine["text"]) == (provider, "پاسخ [bold]مشتری[/bold]")
    assert datetime.fromisoformat(mine["received_at"]).tzinfo is not None
    table = cli("inbox", "--since", "1d")
    assert table.code == 0
    # Message texts are shown as written, never read as rich markup.
    assert "[bold]مشتری[/bold]" in table.out


def test_times() -> None:
    now = datetime.now(timezone.utc)
    assert abs(parse_time("2h", "--at", future=True) - (now + timedelta(hours=2))) < timedelta(
        seconds=5
    )
    assert abs(parse_time("7d", "--since", future=False) - (now - timedelta(days=7))) < timedelta(
        seconds=5
    )
    assert parse_time("2026-12-01T09:30+03:30", "--at", future=True) == datetime(
        2026, 12, 1, 6, 0, tzinfo=timezone.utc
    )
    assert parse_time("2026-12-01T06:00Z", "--at", future=True).utcoffset() == timedelta(0)
    assert parse_time("2026-12-01T06:00", "--at", future=True).tzinfo is not None
    with pytest.raises(click.BadParameter, match="'tomorrow' is neither"):
        parse_time("tomorrow", "--at", future=True)


def test_ranges() -> None:
    assert _ranges([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    assert _ranges([4]) == "4"
    assert _ranges([]) == ""


# --- errors and exit status -----------------------------------------------------------------


def test_wrong_password(cli: Cli, sandbox: Sandbox) -> None:
    cli.env(settings_env(sandbox, "trez_rest", password="not-the-password"))

    run = cli("credit")
    assert (run.code, run.out) == (1, "")
    assert run.err.startswith("error: trez_rest GetCredit")
    as_json = cli("credit", "--json")
    assert as_json.code == 1
    error = as_json.json()["error"]
    assert (error["type"], error["provider"], error["outcome_unknown"]) == (
        "AuthenticationError",
        "trez_rest",
        False,
    )


def test_missing_settings_are_usage_errors(cli: Cli, sandbox: Sandbox) -> None:
    cli.env({"PAYAMAK_PROVIDER": "trez_rest", "PAYAMAK_USERNAME": "demo"})

    run = cli("credit")

    assert run.code == 2
    assert "Missing option '--password'" in run.err
    flags = cli("credit", "--password", "demo", "--base-url", sandbox.base_url, "--json")
    assert flags.code == 0, flags.err
    assert cli("credit", "--provider", "nope", "--password", "x").code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("send", "-t", "x"), "give the numbers"),
        (("send", "09121234567"), "--text"),
        (("send", "--csv", "{csv}", "09121234567"), "--csv takes no numbers"),
        (("send", "09121234567", "-t", "x", "--batch-size", "2"), "are for --csv"),
        (("send", "09121234567", "-t", "x", "--concurrency", "2"), "are for --csv"),
        (("send", "--csv", "{csv}", "--concurrency", "65"), "1<=x<=64"),
        (("send", "09121234567", "-t", "x", "--at", "soon"), "'soon' is neither"),
        (("status",), "give message ids"),
        (("nosuch",), "No such command"),
    ],
)
def test_usage_errors(cli: Cli, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    csv_file = write_csv(tmp_path / "a.csv", [("09121234567", "x")], header=("mobile", "text"))

    run = cli(*(a.format(csv=csv_file) for a in args))

    assert run.code == 2
    assert message in run.err


def test_invalid_number_is_an_error(cli: Cli, sandbox: Sandbox) -> None:
    run = cli("send", "0912", "-t", "x")

    assert run.code == 1
    assert "to[0]: no such Iranian number" in run.err
    assert sandbox.admin.messages() == []


def test_lost_answer_exits_3_with_the_reference(cli: Cli, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_rest", "truncate", operation="SendMessage")

    run = cli("send", "09121234567", "-t", "x", "--reference", "ref-77")

    assert run.code == 3
    assert "reconcile reference ref-77" in run.err
    as_json = cli("send", "09121234567", "-t", "y", "--json")
    assert as_json.code == 0  # the fault was used up: sends work again
    sandbox.admin.inject_fault("trez_rest", "truncate", operation="SendMessage")
    lost = cli("send", "09121234567", "-t", "z", "--reference", "ref-78", "--json")
    assert lost.code == 3
    error = lost.json()["error"]
    assert (error["type"], error["reference"], error["recipients"]) == (
        "SendOutcomeUnknownError",
        "ref-78",
        ["+989121234567"],
    )


# --- bulk send ------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_bulk_send_with_a_text_per_row(
    provider: str, cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    cli.env(settings_env(sandbox, provider))
    rows = [(f"0912555000{i}", f"متن {i}") for i in range(5)]
    csv_file = write_csv(tmp_path / "list.csv", rows, header=("Mobile", "Text"))

    run = cli("send", "--csv", csv_file, "--batch-size", "2", "--json")

    assert run.code == 0, run.err
    summary = run.json()
    assert summary["results"] == f"{csv_file}.results.jsonl"
    assert (summary["rows"], summary["sent"], summary["sent_now"], summary["resumed"]) == (
        5,
        5,
        5,
        False,
    )
    assert sorted(m["text"] for m in sandbox.admin.messages()) == [f"متن {i}" for i in range(5)]
    # Every sent row is in the results file, with the provider's message id.
    status = cli("status", "--results", summary["results"], "--json")
    assert status.code == 0, status.err
    assert sorted(r["recipient"] for r in status.json()["reports"]) == [
        f"+98912555000{i}" for i in range(5)
    ]

    again = cli("send", "--csv", csv_file, "--json")
    assert again.code == 0
    assert (again.json()["sent_now"], again.json()["resumed"]) == (0, True)
    assert len(sandbox.admin.messages()) == 5


def test_bulk_send_one_text(cli: Cli, sandbox: Sandbox, tmp_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "n.csv", [("09125550001",), ("09125550002",), ("09125550003",)], ("number",)
    )
    results = tmp_path / "out.jsonl"

    run = cli("send", "--csv", csv_file, "-t", "یک متن", "--results", results, "--batch-size", "2")

    assert run.code == 0, run.err
    assert "sent now" in run.out
    assert [m["text"] for m in sandbox.admin.messages()] == ["یک متن"] * 3
    groups = {m["group_id"] for m in sandbox.admin.messages()}
    assert len(groups) == 2  # two chunks, two group sends
    status = cli("status", "--results", results, "--json")
    assert len(status.json()["reports"]) == 3
    # Another text makes another send: the results file of this one is refused.
    other = cli("send", "--csv", csv_file, "-t", "متن دیگر", "--results", results)
    assert other.code == 1
    assert "records a run of another file or text" in other.err
    assert len(sandbox.admin.messages()) == 3


def test_bulk_send_reports_invalid_rows_and_sends_the_rest(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows = [("09125550001", "a"), ("0912", "b"), ("09125550001", "c"), ("09125550002", " ")]
    csv_file = write_csv(tmp_path / "bad.csv", rows, header=("mobile", "text"))

    run = cli("send", "--csv", csv_file, "--json")

    assert run.code == 1
    summary = run.json()
    assert (summary["sent"], summary["invalid"]) == (1, 3)
    assert [(p["row"], p["reason"]) for p in summary["problems"]] == [
        (2, "no such Iranian number (wrong length or range)"),
        (3, "the same number as row 1"),
        (4, "the text is empty"),
    ]
    assert [m["text"] for m in sandbox.admin.messages()] == ["a"]
    table = cli("send", "--csv", csv_file)
    assert "the same number as row 1" in table.out


def test_bulk_send_refused_chunk_is_retried_with_a_new_reference(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    rows = [(f"0912555000{i}", "x") for i in range(4)]
    csv_file = write_csv(tmp_path / "c.csv", rows, header=("mobile", "text"))
    # The second request is refused (not enough credit): nothing of that chunk went out. (A
    # chunk of one text goes as one group send: SendMessage.)
    sandbox.admin.inject_fault("trez_rest", "latency", operation="SendMessage", count=1)
    sandbox.admin.inject_fault("trez_rest", "error_code", operation="SendMessage", code=3003)

    run = cli("send", "--csv", csv_file, "--batch-size", "2", "--json")

    assert run.code == 1
    summary = run.json()
    assert (summary["sent"], summary["pending"], summary["unknown"]) == (2, 2, 0)
    assert "InsufficientCreditError" in summary["stopped"]
    assert run.err == ""  # --json: everything is in the document

    rerun = cli("send", "--csv", csv_file, "--json")

    assert rerun.code == 0, rerun.err
    assert (rerun.json()["sent"], rerun.json()["sent_now"]) == (4, 2)
    assert len(sandbox.admin.messages()) == 4
    results = Path(f"{csv_file}.results.jsonl").read_text(encoding="utf-8").splitlines()
    prefix = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:12]
    references = [json.loads(r)["reference"] for r in results if '"in_flight"' in r]
    # The rerun sends under a base reference of its own: none is ever used twice.
    assert references == [f"{prefix}-r1-1", f"{prefix}-r1-2", f"{prefix}-r2-1"]
    assert (summary["reference"], rerun.json()["reference"]) == (f"{prefix}-r1", f"{prefix}-r2")
    assert cli("send", "--csv", csv_file, "--json").json()["reference"] is None  # nothing sent


@pytest.mark.parametrize("provider", PROVIDERS)
def test_bulk_send_with_concurrent_requests(
    provider: str, cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    """--concurrency: several requests at once, each in flight in the journal before it left
    and answered after; every row once."""
    cli.env(settings_env(sandbox, provider))
    # Two rows per text: one request per chunk of two on every provider (a group send).
    rows = [(f"0912555{i:04d}", f"text {i // 2}") for i in range(10)]
    csv_file = write_csv(tmp_path / "c.csv", rows, header=("mobile", "text"))
    # Slow answers, so that requests overlap.
    wire = WIRE_OPERATIONS[provider]["send"]
    sandbox.admin.inject_fault(provider, "latency", operation=wire, count=5, latency=0.3)

    run = cli("send", "--csv", csv_file, "--batch-size", "2", "--concurrency", "3", "--json")

    assert run.code == 0, run.err
    assert (run.json()["sent"], run.json()["sent_now"]) == (10, 10)
    assert sorted(m["text"] for m in sandbox.admin.messages()) == sorted(t for _, t in rows)
    journal = Path(f"{csv_file}.results.jsonl").read_text(encoding="utf-8")
    records = [json.loads(line) for line in journal.splitlines()]
    prefix = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:12]
    started = [r["reference"] for r in records if r["event"] == "in_flight"]
    assert started == [f"{prefix}-r1-{i}" for i in range(1, 6)]
    answered = [r["reference"] for r in records if r["event"] == "chunk_done"]
    assert sorted(answered) == sorted(started)
    # Three requests were in flight before the first answer was recorded.
    events = [r["event"] for r in records]
    assert events.index("chunk_done") > [i for i, e in enumerate(events) if e == "in_flight"][2]


def test_bulk_send_partial_answer_leaves_only_the_unlisted_rows_in_doubt(
    cli: Cli, sandbox: Sandbox, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A trez_rest 5004 listing some recipients: those are sent or rejected, the row it leaves
    out is unknown under the chunk's reference, and a rerun sends nothing."""
    rows = [("09121234567", "a"), ("09351234567", "b"), ("09901234567", "c")]
    csv_file = write_csv(tmp_path / "c.csv", rows, header=("mobile", "text"))
    # Row 1 sent (message id 7001), row 2 refused (0), row 3 not listed.
    listed = [
        {"Id": i, "Mobile": rows[i][0], "Result": result} for i, result in ((0, 7001), (1, 0))
    ]
    httpserver.expect_oneshot_request(
        "/api/smsAPI/SendCorrespondingMessage", method="POST"
    ).respond_with_json({"Code": 5004, "Message": "some failed", "Result": listed})
    cli.env({**settings_env(sandbox, "trez_rest"), "PAYAMAK_BASE_URL": httpserver.url_for("")})
    prefix = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:12]

    run = cli("send", "--csv", csv_file, "--json")

    assert run.code == 3, run.err
    summary = run.json()
    assert (summary["sent"], summary["rejected"], summary["unknown"]) == (1, 1, 1)
    assert summary["unknown_chunks"] == [{"reference": f"{prefix}-r1-1", "rows": [3]}]
    assert [(p["row"], p["outcome"]) for p in summary["problems"]] == [(2, "rejected")]
    assert "SendOutcomeUnknownError" in summary["stopped"]

    rerun = cli("send", "--csv", csv_file, "--json")

    assert rerun.code == 3, rerun.err
    assert rerun.json()["unknown_chunks"] == summary["unknown_chunks"]
    assert len(httpserver.log) == 1  # nothing sent again


def test_bulk_send_refuses_a_prefix_too_long_before_anything(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    csv_file = write_csv(tmp_path / "a.csv", [("09125550001", "a")], header=("mobile", "text"))

    run = cli("send", "--csv", csv_file, "--reference", "x" * 51)

    assert run.code == 1
    assert "reference" in run.err
    assert not Path(f"{csv_file}.results.jsonl").exists()
    assert sandbox.admin.messages() == []


def test_bulk_send_refuses_a_results_file_of_another_file(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "a.csv", [("09125550001", "a")], header=("mobile", "text"))
    second = write_csv(tmp_path / "b.csv", [("09125550002", "b")], header=("mobile", "text"))
    results = tmp_path / "r.jsonl"
    assert cli("send", "--csv", first, "--results", results).code == 0

    run = cli("send", "--csv", second, "--results", results)

    assert run.code == 1
    assert "records a run of another file" in run.err
    assert len(sandbox.admin.messages()) == 1


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("", (), "empty file"),
        ("name,text\nali,x\n", (), "no number column"),
        ("mobile\n09125550001\n", (), "no text column"),
        ("mobile,text\n09125550001,x\n", ("-t", "y"), "has a text column"),
    ],
)
def test_bulk_send_refuses_unusable_files(
    cli: Cli, sandbox: Sandbox, tmp_path: Path, content: str, extra: tuple[str, ...], message: str
) -> None:
    csv_file = tmp_path / "f.csv"
    csv_file.write_text(content, encoding="utf-8")

    run = cli("send", "--csv", csv_file, *extra)

    assert run.code == 1
    assert message in run.err
    assert sandbox.admin.messages() == []
