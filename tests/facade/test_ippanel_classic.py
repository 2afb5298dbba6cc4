"""ippanel_classic's own choices in the facade (see ``payamak._adapters.ippanel_classic``): the
bulk id as the group id, texts grouped into sends for ``send_pairs`` and ``send_many``, status by
bulk id only, the inbox as a window over inboxlist, what goes on the wire, and failover."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer

import payamak
from payamak import (
    AsyncFailoverClient,
    Client,
    SendOutcomeUnknownError,
    UnsupportedOperationError,
    ValidationError,
)
from payamak.sandbox import DEMO_LINE, Sandbox
from payamak_gen.errors import InvalidRequestError, NotFoundError, PayamakGenError
from tests.facade.conftest import Facade, failover_of, make, request_sizes, sandbox_now

NAME = "ippanel_classic"


async def _await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.fixture
async def ippanel(mode: str, sandbox: Sandbox) -> AsyncIterator[Facade]:
    facade = make(mode, NAME, sandbox)
    yield facade
    await facade.close()


async def test_a_send_is_one_bulk_id_of_numbers_in_the_notes_form(
    mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/services.jspd", method="POST").respond_with_json([0, 10929800])
    facade = Facade(
        (payamak.AsyncClient if mode == "async" else Client)(
            NAME, username="u", password="p", line=DEMO_LINE, base_url=httpserver.url_for("")
        )
    )
    try:
        receipt = await facade.send(["09121234561", "+989351234562"], "سلام", reference="r-7")
    finally:
        await facade.close()

    assert receipt.groups == {"10929800": ("+989121234561", "+989351234562")}
    assert receipt.message_ids == {}  # no per-number ids: status goes by the bulk id
    assert receipt.reference == "r-7"  # on the client side only: send has no field for it
    ((request, _),) = httpserver.log
    form = parse_qs(request.get_data(as_text=True))
    assert form["to"] == ['["9121234561","9351234562"]']  # as the note's example
    assert (form["op"], form["from"]) == (["send"], [DEMO_LINE])
    assert "r-7" not in request.get_data(as_text=True)


async def test_a_scheduled_send_goes_at_its_tehran_time(ippanel: Facade, sandbox: Sandbox) -> None:
    # Whole seconds: the wire's Y-m-d H:i:s has no fraction.
    at = (sandbox_now(sandbox) + timedelta(hours=3)).replace(microsecond=0)

    await ippanel.send("09121234567", "later", at=at)

    (message,) = sandbox.admin.messages()
    assert message["send_at"] == at.timestamp()


async def test_send_pairs_sends_each_text_once_as_a_bulk(ippanel: Facade, sandbox: Sandbox) -> None:
    receipt = await ippanel.send_pairs(
        [("09121234561", "کد ۱"), ("09121234562", "other"), ("09121234563", "کد ۱")],
        reference="pairs-7",
    )

    assert request_sizes(sandbox) == [2, 1]  # one send per distinct text
    assert list(receipt.groups.values()) == [
        ("+989121234561", "+989121234563"),
        ("+989121234562",),
    ]
    assert receipt.accepted == ("+989121234561", "+989121234563", "+989121234562")
    texts = {m["mobile"][-10:]: m["text"] for m in sandbox.admin.messages()}
    assert texts == {"9121234561": "کد ۱", "9121234562": "other", "9121234563": "کد ۱"}
    sandbox.admin.advance(30)
    reports = await ippanel.status(receipt)
    assert {(r.recipient, r.state, r.code) for r in reports} == {
        ("+989121234561", "delivered", "delivered"),
        ("+989121234563", "delivered", "delivered"),
        ("+989121234562", "delivered", "delivered"),
    }
    assert {r.group_id for r in reports} == set(receipt.group_ids)


async def test_a_refused_text_after_another_went_out_is_a_partial_send(
    ippanel: Facade, sandbox: Sandbox
) -> None:
    spent = sandbox.admin.messages()
    assert spent == []
    # Enough credit for the first text's send only.
    receipt = await ippanel.send("09121234560", "x")
    price = 1_000_000 - (await ippanel.credit()).rials
    sandbox.admin.set_credit("demo", price)
    with pytest.raises(payamak.PartialSendError) as caught:
        await ippanel.send_pairs([("09121234561", "x"), ("09121234562", "y")])

    assert receipt.accepted == ("+989121234560",)
    assert caught.value.accepted.accepted == ("+989121234561",)
    assert caught.value.unsent == ("+989121234562",)


async def test_status_by_bulk_id_only(ippanel: Facade, sandbox: Sandbox) -> None:
    receipt = await ippanel.send(["09121234567", "09351234567"], "x")

    (report, other) = await ippanel.status(group_id=receipt.group_ids[0])
    assert (report.recipient, report.state, report.code, report.final) == (
        "+989121234567",
        "queued",
        "notsync",
        False,
    )
    assert report.description == "Being sent."  # errors.yaml's text of the code
    assert other.recipient == "+989351234567"
    with pytest.raises(UnsupportedOperationError) as caught:
        await ippanel.status(["123"])
    assert (caught.value.provider, caught.value.operation) == (NAME, "status by message id")


async def test_an_unknown_bulk_id_is_not_found(ippanel: Facade, sandbox: Sandbox) -> None:
    # delivery answers the literal null: errors.yaml's code "null".
    with pytest.raises(NotFoundError) as caught:
        await ippanel.status(group_id="999999")
    assert caught.value.code == "null"
    assert caught.value.provider == NAME

    with pytest.raises(ValidationError) as bad:
        await ippanel.status(group_id="bulk-1")
    assert (bad.value.field, bad.value.value) == ("group_id", "'bulk-1'")


async def test_the_inbox_is_a_window_over_the_lines_messages(
    ippanel: Facade, sandbox: Sandbox
) -> None:
    other_line = "50009999"
    sandbox.admin.put_account("demo", "demo", lines=[DEMO_LINE, other_line])
    start = sandbox_now(sandbox).replace(microsecond=0)
    base = start.timestamp()
    for offset, text in ((-1, "before"), (0, "at since"), (5, "inside"), (10, "at until")):
        sandbox.admin.inject_inbound(
            DEMO_LINE, "09121234567", text, username="demo", received_at=base + offset
        )
    sandbox.admin.inject_inbound(
        other_line, "09121234568", "another line", username="demo", received_at=base + 5
    )
    sandbox.admin.inject_inbound(
        DEMO_LINE, "09121234567", "after", username="demo", received_at=base + 11
    )

    messages = await ippanel.inbox(start, start + timedelta(seconds=10))

    assert [m.text for m in messages] == ["at since", "inside", "at until"]
    assert messages[0].received_at == start
    assert messages[0].sender == "+989121234567"
    assert all(m.provider == NAME for m in messages)


async def test_send_many_puts_one_text_per_request(ippanel: Facade, sandbox: Sandbox) -> None:
    rows = [
        ("09121234561", "a"),
        ("09121234562", "a"),
        ("09121234563", "b"),
        ("0912", "bad"),
        ("09121234564", "b"),
    ]
    outcomes: list[payamak.RecipientOutcome] = []

    summary = await ippanel._call(
        "send_many", rows, reference="bulk", concurrency=1, on_outcome=outcomes.append
    )

    assert (summary.accepted, summary.invalid, summary.requests) == (4, 1, 2)
    assert request_sizes(sandbox) == [2, 2]  # a new text closes the request
    accepted = [o for o in outcomes if o.status == "accepted"]
    assert all(o.group_id and o.group_id.isdigit() for o in accepted)
    assert len({o.group_id for o in accepted}) == 2


async def test_a_dropped_send_in_send_many_is_unknown_and_not_resent(
    ippanel: Facade, sandbox: Sandbox
) -> None:
    sandbox.admin.inject_fault(NAME, "drop", operation="send", count=1)
    outcomes: list[payamak.RecipientOutcome] = []

    summary = await ippanel._call(
        "send_many",
        [("09121234561", "a"), ("09121234562", "b")],
        reference="drop",
        concurrency=1,
        on_outcome=outcomes.append,
    )

    assert [o.status for o in sorted(outcomes, key=lambda o: o.row)] == ["unknown", "accepted"]
    (lost,) = summary.lost
    assert isinstance(lost, SendOutcomeUnknownError) and lost.reference == "drop-1"
    assert sandbox.admin.faults() == []
    assert [m["mobile"] for m in sandbox.admin.messages()] == ["09121234562"]


async def _chain(mode: str, sandbox: Sandbox, providers: list[str]) -> Any:
    inner = [make(mode, provider, sandbox).client for provider in providers]
    return failover_of(mode, inner)


async def _close(failover: Any) -> None:
    await _await(
        failover.aclose() if isinstance(failover, AsyncFailoverClient) else failover.close()
    )


# errors.yaml codes that prove nothing went out: the user restricted, the line not the user's,
# no credit, wrong credentials, the user restricted (permission, insufficient_credit,
# authentication).
@pytest.mark.parametrize("code", [2, 3, 5, 962, 963])
async def test_an_ippanel_refusal_moves_on(mode: str, sandbox: Sandbox, code: int) -> None:
    sandbox.admin.inject_fault(NAME, "error_code", operation="send", code=code)
    failover = await _chain(mode, sandbox, [NAME, "trez_rest"])
    try:
        receipt = await _await(failover.send("09121234567", "x"))
    finally:
        await _close(failover)

    assert receipt.provider == "trez_rest"
    assert [m["provider"] for m in sandbox.admin.messages()] == ["trez_rest"]


@pytest.mark.parametrize(("fault", "code"), [("drop", None), ("truncate", None), ("error_code", 1)])
async def test_never_after_an_unknown_outcome_or_a_refused_text(
    mode: str, sandbox: Sandbox, fault: str, code: int | None
) -> None:
    sandbox.admin.inject_fault(NAME, fault, operation="send", code=code)
    failover = await _chain(mode, sandbox, [NAME, "trez_rest"])
    expected: type[PayamakGenError] = (
        InvalidRequestError if fault == "error_code" else SendOutcomeUnknownError
    )
    try:
        with pytest.raises(expected) as caught:
            await _await(failover.send("09121234567", "x", reference="ipp-1"))
    finally:
        await _close(failover)

    assert caught.value.provider == NAME
    assert "trez_rest" not in [m["provider"] for m in sandbox.admin.messages()]


async def test_ippanel_takes_over_and_reports_status(mode: str, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_rest", "error_code", operation="SendMessage", code=3003)
    failover = await _chain(mode, sandbox, ["trez_rest", NAME])
    try:
        receipt = await _await(failover.send(["09121234567", "09351234567"], "x"))
        sandbox.admin.advance(30)
        reports = await _await(failover.status(receipt))
    finally:
        await _close(failover)

    assert receipt.provider == NAME
    assert [(r.provider, r.recipient, r.state) for r in reports] == [
        (NAME, "+989121234567", "delivered"),
        (NAME, "+989351234567", "delivered"),
    ]


def test_from_env(sandbox: Sandbox) -> None:
    environ = {
        "PAYAMAK_PROVIDER": NAME,
        "PAYAMAK_USERNAME": "demo",
        "PAYAMAK_PASSWORD": "demo",
        "PAYAMAK_LINE": DEMO_LINE,
        "PAYAMAK_BASE_URL": sandbox.base_url,
    }
    with Client.from_env(environ) as client:
        assert client.provider == NAME
        assert client.credit().rials == 1_000_000
        receipt = client.send("09121234567", "env")
    assert receipt.accepted == ("+989121234567",)
