"""payamak_panel's own choices in the facade (see ``payamak._adapters.payamak_panel``): texts
grouped into SendSms calls for ``send_pairs``, an inbox that does not consume, a reference that
stays on the client, and answers that leave recipients unaccounted for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer

import payamak
from payamak import SendOutcomeUnknownError
from payamak.sandbox import DEMO_LINE, Sandbox
from payamak_gen.errors import ApiError
from payamak_gen.payamak_panel import AsyncPayamakPanelClient, PayamakPanelClient
from tests.facade.conftest import Facade, make, request_sizes, sandbox_now

_SEND_ONE_OF_TWO = """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <SendSmsResponse xmlns="http://tempuri.org/">
      <SendSmsResult>1</SendSmsResult>
      <recId><long>120045</long></recId>
    </SendSmsResponse>
  </soap:Body>
</soap:Envelope>"""


@pytest.fixture
async def panel(mode: str, sandbox: Sandbox) -> AsyncIterator[Facade]:
    facade = make(mode, "payamak_panel", sandbox)
    yield facade
    await facade.close()


async def test_send_pairs_sends_each_text_once_to_its_numbers(
    panel: Facade, sandbox: Sandbox
) -> None:
    receipt = await panel.send_pairs(
        [("09121234561", "کد ۱"), ("09121234562", "other"), ("09121234563", "کد ۱")],
        reference="pairs-7",
    )

    assert request_sizes(sandbox) == [2, 1]  # one SendSms per distinct text
    texts = {m["mobile"][-10:]: m["text"] for m in sandbox.admin.messages()}
    assert texts == {"9121234561": "کد ۱", "9121234562": "other", "9121234563": "کد ۱"}
    assert (
        set(receipt.accepted)
        == set(receipt.message_ids)
        == {
            "+989121234561",
            "+989121234562",
            "+989121234563",
        }
    )
    sandbox.admin.advance(30)
    assert {r.state for r in await panel.status(receipt)} == {"delivered"}


async def test_a_refused_text_after_another_went_out_is_a_partial_send(
    panel: Facade, sandbox: Sandbox
) -> None:
    await panel.send("09121234560", "x")
    price = 1_000_000 - (await panel.credit()).rials
    sandbox.admin.set_credit("demo", price)  # one message's worth: the first text only

    with pytest.raises(payamak.PartialSendError) as caught:
        await panel.send_pairs([("09121234561", "x"), ("09121234562", "y"), ("09121234563", "y")])

    assert caught.value.accepted.accepted == ("+989121234561",)
    assert caught.value.unsent == ("+989121234562", "+989121234563")
    cause = caught.value.__cause__
    assert isinstance(cause, ApiError), cause
    assert cause.code == 2


async def test_the_inbox_does_not_consume_messages(panel: Facade, sandbox: Sandbox) -> None:
    start = sandbox_now(sandbox)
    sandbox.admin.inject_inbound(DEMO_LINE, "09121234567", "first", username="demo")
    sandbox.admin.advance(5)
    sandbox.admin.inject_inbound(DEMO_LINE, "09351234567", "second", username="demo")
    end = sandbox_now(sandbox)
    raw = panel.client.raw

    async def unread() -> int:
        if panel.mode == "async":
            assert isinstance(raw, AsyncPayamakPanelClient)
            return await raw.get_inbox_count(is_read=False)
        assert isinstance(raw, PayamakPanelClient)
        return raw.get_inbox_count(is_read=False)

    before = await unread()
    first = await panel.inbox(start, end)
    again = await panel.inbox(start, end)

    assert [(m.sender, m.text) for m in first] == [
        ("+989121234567", "first"),
        ("+989351234567", "second"),
    ]
    assert again == first
    assert await unread() == before  # still unread on the panel

    # A consuming read through the raw client moves them to the read list; the inbox still
    # lists them.
    consumed = raw.get_new_messages_list(line=DEMO_LINE)
    assert len(await consumed if panel.mode == "async" else consumed) >= 2
    assert await panel.inbox(start, end) == first


async def test_the_inbox_keeps_to_its_window(panel: Facade, sandbox: Sandbox) -> None:
    sandbox.admin.inject_inbound(DEMO_LINE, "09121234567", "before", username="demo")
    sandbox.admin.advance(60)
    start = sandbox_now(sandbox)
    sandbox.admin.inject_inbound(DEMO_LINE, "09121234567", "inside", username="demo")
    sandbox.admin.advance(60)
    end = sandbox_now(sandbox)
    sandbox.admin.advance(60)
    sandbox.admin.inject_inbound(DEMO_LINE, "09121234567", "after", username="demo")

    messages = await panel.inbox(start, end)

    assert [m.text for m in messages] == ["inside"]
    assert messages[0].received_at is not None
    assert abs(messages[0].received_at - start) < timedelta(seconds=1)


async def test_the_reference_stays_on_the_client(panel: Facade, sandbox: Sandbox) -> None:
    receipt = await panel.send("09121234567", "x", reference="order-9")

    assert receipt.reference == "order-9"
    # SendSms has no field for it: the panel never saw it.
    assert "order-9" not in repr(sandbox.admin.messages())


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_recipients_an_answer_leaves_out_are_unknown(
    mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/post/send.asmx", method="POST").respond_with_data(
        _SEND_ONE_OF_TWO, content_type="text/xml; charset=utf-8"
    )
    factory = payamak.AsyncClient if mode == "async" else payamak.Client
    facade = Facade(
        factory(
            "payamak_panel",
            username="u",
            password="p",
            line=DEMO_LINE,
            base_url=httpserver.url_for("/"),
        )
    )
    try:
        with pytest.raises(SendOutcomeUnknownError) as caught:
            await facade.send(["09121234567", "09351234567"], "x", reference="half")
    finally:
        await facade.close()

    error = caught.value
    # The first has its recId (sent); the answer says nothing of the second.
    assert error.recipients == ("+989351234567",)
    assert error.accepted is not None
    assert error.accepted.accepted == ("+989121234567",)
    assert dict(error.accepted.message_ids) == {"+989121234567": "120045"}
    assert error.reference == "half"
    assert len(httpserver.log) == 1  # never retried


async def test_send_many_sends_a_request_per_run_of_one_text(
    panel: Facade, sandbox: Sandbox
) -> None:
    rows = [
        ("09121234561", "a"),
        ("09121234562", "a"),
        ("09120000000", "a"),  # the sandbox's blacklisted number: flagged not sent
        ("09121234563", "b"),
        ("0912", "b"),
        ("09121234564", "a"),
    ]
    outcomes: list[payamak.RecipientOutcome] = []

    # One request at a time, so that the sandbox sees them in the order they were made.
    summary = await panel._call(
        "send_many", rows, reference="many", on_outcome=outcomes.append, concurrency=1
    )

    assert request_sizes(sandbox) == [3, 1, 1]  # a text change closes the request
    by_row = {o.row: o for o in outcomes}
    assert [by_row[i].status for i in range(6)] == [
        "accepted",
        "accepted",
        "rejected",
        "accepted",
        "invalid",
        "accepted",
    ]
    assert [by_row[i].reference for i in (0, 3, 5)] == ["many-1", "many-2", "many-3"]
    assert by_row[2].message_id is not None  # its recId: its status says why
    assert all(by_row[i].message_id and by_row[i].group_id is None for i in (0, 1, 3, 5))
    assert (summary.accepted, summary.rejected, summary.invalid, summary.requests) == (4, 1, 1, 3)


async def test_send_many_marks_a_lost_request_unknown(panel: Facade, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("payamak_panel", "drop", operation="SendSms", count=1)
    outcomes: list[payamak.RecipientOutcome] = []

    summary = await panel._call(
        "send_many",
        [("09121234561", "a"), ("09121234562", "a"), ("09121234563", "b")],
        reference="lost",
        concurrency=1,
        on_outcome=outcomes.append,
    )

    assert sorted((o.row, o.status) for o in outcomes) == [
        (0, "unknown"),
        (1, "unknown"),
        (2, "accepted"),
    ]
    (lost,) = summary.lost
    assert (lost.reference, lost.recipients) == ("lost-1", ("+989121234561", "+989121234562"))
    assert len(sandbox.admin.messages()) == 1  # never retried


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_send_many_leaves_unknown_only_what_an_answer_leaves_out(
    mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/post/send.asmx", method="POST").respond_with_data(
        _SEND_ONE_OF_TWO, content_type="text/xml; charset=utf-8"
    )
    factory = payamak.AsyncClient if mode == "async" else payamak.Client
    facade = Facade(
        factory(
            "payamak_panel",
            username="u",
            password="p",
            line=DEMO_LINE,
            base_url=httpserver.url_for("/"),
        )
    )
    outcomes: list[payamak.RecipientOutcome] = []
    try:
        summary = await facade._call(
            "send_many",
            [("09121234567", "x"), ("09351234567", "x")],
            reference="half",
            on_outcome=outcomes.append,
        )
    finally:
        await facade.close()

    first, second = sorted(outcomes, key=lambda o: o.row)
    assert (first.status, first.message_id) == ("accepted", "120045")
    assert second.status == "unknown"
    (lost,) = summary.lost
    assert lost.recipients == ("+989351234567",)
