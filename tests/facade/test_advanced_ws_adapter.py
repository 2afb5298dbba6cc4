"""The advanced_ws facade adapter's own choices against the sandbox, sync and async (the facade
suite runs it too, by its registration and its entry in conftest.PROFILES): the facade's
operations (``payamak._operations``) driven over the generated client, as ``Client`` drives them."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest

from payamak import Balance, SendReceipt
from payamak import _operations as ops
from payamak._adapters._base import Settings
from payamak._adapters.advanced_ws import AdvancedWs
from payamak._errors import UnsupportedOperationError
from payamak.sandbox import DEMO_BLACKLISTED, DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from payamak_gen.errors import AuthenticationError, ResponseValidationError

ADAPTER = AdvancedWs()


async def drive(op: ops.Op[Any], raw: Any) -> Any:
    """Run a facade operation over ``raw``, awaiting what an async client returns."""
    call = next(op)
    while True:
        result = call.invoke(raw)
        if inspect.isawaitable(result):
            result = await result
        try:
            call = op.send(call.read(result))
        except StopIteration as stop:
            return stop.value


@pytest.fixture(params=["sync", "async"])
async def raw(request: pytest.FixtureRequest, sandbox: Sandbox) -> AsyncIterator[Any]:
    settings = Settings(DEMO_USERNAME, DEMO_PASSWORD, DEMO_LINE, sandbox.base_url, 10.0)
    client = ADAPTER.client(settings, asynchronous=request.param == "async")
    yield client
    if request.param == "async":
        await client.aclose()
    else:
        client.close()


async def test_a_send_is_answered_per_recipient(raw: Any, sandbox: Sandbox) -> None:
    numbers = ["+989121234567", "+98" + DEMO_BLACKLISTED[1:], "+989121234999"]
    receipt = await drive(ops.send(ADAPTER, DEMO_LINE, numbers, "سلام", None, "1"), raw)

    assert isinstance(receipt, SendReceipt)
    assert receipt.group_ids == ()
    ids = [str(m["id"]) for m in sandbox.admin.messages(provider="advanced_ws")]
    assert dict(receipt.message_ids) == dict(zip(numbers, ids, strict=True))
    assert receipt.accepted == tuple(numbers)
    sandbox.admin.advance(3600)
    messages: dict[str, str | None] = {mid: number for number, mid in receipt.message_ids.items()}
    reports = await drive(ops.status(ADAPTER, {}, messages), raw)
    assert [(r.recipient, r.state, r.code) for r in reports] == [
        ("+989121234567", "delivered", 4),
        ("+989120000000", "blacklisted", 6),
        ("+989121234999", "failed", 5),  # the facade's state for undelivered
    ]


def test_ids_missing_from_the_answer_are_unknown_outcomes() -> None:
    answer = ADAPTER.send(DEMO_LINE, ["09121234567", "09351234567"], "x", None, "1").read(["77"])

    assert answer.message_ids == ("77", None)
    assert answer.unknown == frozenset({1})


async def test_pairs_message_status_and_credit(raw: Any, sandbox: Sandbox) -> None:
    before = await drive(ops.credit(ADAPTER), raw)
    pairs = [("+989121234567", "a"), ("+989351234567", "b")]
    receipt = await drive(ops.send_pairs(ADAPTER, DEMO_LINE, pairs, "2"), raw)

    assert receipt.accepted == ("+989121234567", "+989351234567")
    reports = await drive(ops.status(ADAPTER, {}, dict.fromkeys(receipt.message_ids.values())), raw)
    assert [(r.state, r.code) for r in reports] == [("queued", 1), ("queued", 1)]
    after = await drive(ops.credit(ADAPTER), raw)
    assert before == Balance("advanced_ws", 1_000_000)
    assert after.rials == before.rials - sum(m["price"] for m in sandbox.admin.messages())


async def test_what_the_adapter_refuses(raw: Any, sandbox: Sandbox) -> None:
    with pytest.raises(UnsupportedOperationError, match="does not support status by group id"):
        await drive(ops.status(ADAPTER, {"12345": ()}, {}), raw)
    # One status for two ids cannot be matched to them.
    sandbox.admin.inject_fault("advanced_ws", "error_code", operation="GetStatus", code=4)
    with pytest.raises(ResponseValidationError, match="1 status"):
        await drive(ops.status(ADAPTER, {}, {"1": None, "2": None}), raw)
    with pytest.raises(ResponseValidationError, match="not a number"):
        ADAPTER.credit().read("کاربر")


async def test_a_wrong_password_and_no_base_url(sandbox: Sandbox) -> None:
    wrong = Settings(DEMO_USERNAME, "s3cret-wrong", DEMO_LINE, sandbox.base_url, 10.0)
    with ADAPTER.client(wrong, asynchronous=False) as raw, pytest.raises(AuthenticationError):
        await drive(ops.credit(ADAPTER), raw)
    nowhere = Settings(DEMO_USERNAME, "s3cret-wrong", DEMO_LINE, None, 10.0)
    with pytest.raises(ValueError, match="vendor's host is unknown"):
        ADAPTER.client(nowhere, asynchronous=True)
    assert not ADAPTER.capabilities.inbox
    assert ADAPTER.capabilities.max_recipients == 60
