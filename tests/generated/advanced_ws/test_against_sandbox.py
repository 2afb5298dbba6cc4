"""The generated advanced_ws clients against the sandbox, every operation, sync and async: the two
sides were built independently from the same WSDL (the sandbox checks requests against the WSDL
itself and reads its limits from the WSDL's marks), so a mistake on either side fails here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from payamak.sandbox import DEMO_BLACKLISTED, DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from payamak_gen import errors
from payamak_gen.advanced_ws import AdvancedWsClient, AsyncAdvancedWsClient

MOBILE = "09121234567"
FAILS = "09121234998"  # the sandbox's fate: it never reaches the operator
UNDELIVERED = "09121234999"  # reaches the operator, never the handset
TO = [MOBILE, DEMO_BLACKLISTED, MOBILE, FAILS, UNDELIVERED]
OTHER_LINE = "50002910002020"  # the sandbox's second account's line


def _scenario_checks(r: dict[str, Any]) -> None:
    assert int(r["credit_after"]) < int(r["credit_before"])
    # The repeated number is sent once: one id per distinct number.
    assert len(r["send_sms"]) == 4
    # Each entry's code is its typed catalog entry (errors.yaml), not a raw number.
    assert [
        (e.err_code.code, e.err_code.kind, e.err_code.retryable, e.result is not None)
        for e in r["send_multiple_sms"]
    ] == [(0, "ok", False, True), (-3, "server", False, True)]
    # Every status code, as the sandbox clock moves on: 1 being sent, 6 blacklisted, then 3 at
    # the operator and 2 an operator problem, then 4 delivered and 5 not delivered.
    assert [s.code for s in r["status_early"]] == [1, 6, 1, 1, 1]
    assert [s.code for s in r["status_operator"]] == [3, 6, 2, 3, 3]
    assert [(s.code, s.state) for s in r["status_late"]] == [
        (4, "delivered"),
        (6, "rejected"),
        (2, "failed"),
        (5, "undelivered"),
        (4, "delivered"),
    ]
    # Each message's time is an aware datetime, not unix seconds.
    assert all(m.time.utcoffset() == timedelta(0) for m in r["get_msg"])
    assert [(m.from_value, m.to, m.msg) for m in r["get_msg"]] == [
        ("09121111111", DEMO_LINE, "سلام، پیام دریافتی نمونه"),
        ("09122222222", DEMO_LINE, "demo inbound message"),
        ("09123333333", "30001234567890", "1"),
    ]
    assert r["get_msg_again"] == []


def test_every_operation_sync(sandbox: Sandbox) -> None:
    r: dict[str, Any] = {}
    with AdvancedWsClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c:
        r["credit_before"] = c.get_credit()
        r["send_sms"] = c.send_sms(from_num=DEMO_LINE, to_num=TO, message_content="سلام")
        r["send_multiple_sms"] = c.send_multiple_sms(
            from_num=DEMO_LINE, to_nums=[MOBILE, "not-a-number"], message_contents=["a", "b"]
        )
        ids = [*r["send_sms"], r["send_multiple_sms"][0].result]
        r["status_early"] = c.get_status(unique_ids=ids)
        sandbox.admin.advance(3)
        r["status_operator"] = c.get_status(unique_ids=ids)
        sandbox.admin.advance(3600)
        r["status_late"] = c.get_status(unique_ids=ids)
        r["credit_after"] = c.get_credit()
        r["get_msg"] = c.get_msg()
        r["get_msg_again"] = c.get_msg()
    _scenario_checks(r)


async def test_every_operation_async(sandbox: Sandbox) -> None:
    r: dict[str, Any] = {}
    async with AsyncAdvancedWsClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c:
        r["credit_before"] = await c.get_credit()
        r["send_sms"] = await c.send_sms(from_num=DEMO_LINE, to_num=TO, message_content="سلام")
        r["send_multiple_sms"] = await c.send_multiple_sms(
            from_num=DEMO_LINE, to_nums=[MOBILE, "not-a-number"], message_contents=["a", "b"]
        )
        ids = [*r["send_sms"], r["send_multiple_sms"][0].result]
        r["status_early"] = await c.get_status(unique_ids=ids)
        sandbox.admin.advance(3)
        r["status_operator"] = await c.get_status(unique_ids=ids)
        sandbox.admin.advance(3600)
        r["status_late"] = await c.get_status(unique_ids=ids)
        r["credit_after"] = await c.get_credit()
        r["get_msg"] = await c.get_msg()
        r["get_msg_again"] = await c.get_msg()
    _scenario_checks(r)


def test_result_codes_the_sandbox_reaches_are_typed(sandbox: Sandbox) -> None:
    with AdvancedWsClient(DEMO_USERNAME, "s3cret-but-wrong", base_url=sandbox.base_url) as c:
        with pytest.raises(errors.AuthenticationError) as caught:
            c.get_credit()
        assert caught.value.code == -1
        assert "s3cret" not in f"{caught.value} {caught.value!r}"
    with AdvancedWsClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c:
        with pytest.raises(errors.PermissionDeniedError) as denied:
            c.send_sms(from_num=OTHER_LINE, to_num=[MOBILE], message_content="x")
        assert denied.value.code == -5
        with pytest.raises(errors.ServerError) as failed:
            c.send_sms(from_num=DEMO_LINE, to_num=[MOBILE], message_content="filtered-word")
        assert failed.value.code == -3
        # The client refuses -2 and -4 before sending, so no request reaches the server.
        with pytest.raises(errors.InvalidInputError, match="at most 60"):
            c.send_sms(
                from_num=DEMO_LINE, to_num=[f"0912{i:07d}" for i in range(61)], message_content="x"
            )
        with pytest.raises(errors.InvalidInputError, match="must have as many"):
            c.send_multiple_sms(from_num=DEMO_LINE, to_nums=[MOBILE], message_contents=[])
        # Sixty distinct numbers among more items is within the limit, on both sides.
        many = [f"0912{i:07d}" for i in range(60)]
        assert (
            len(c.send_sms(from_num=DEMO_LINE, to_num=many + many[:5], message_content="x")) == 60
        )


@pytest.mark.parametrize(
    ("operation", "code", "error"),
    [
        ("SendSMS", -2, errors.LimitExceededError),
        ("SendMultipleSMS", -4, errors.InvalidRequestError),
        ("GetCredit", -1, errors.AuthenticationError),
        ("GetMsg", -3, errors.ServerError),
        ("GetStatus", -5, errors.PermissionDeniedError),
        ("GetStatus", -9, errors.ApiError),
    ],
)
def test_injected_codes_are_typed(
    sandbox: Sandbox, operation: str, code: int, error: type[errors.ApiError]
) -> None:
    sandbox.admin.inject_fault("advanced_ws", "error_code", operation=operation, code=code)
    calls = {
        "SendSMS": lambda c: c.send_sms(from_num=DEMO_LINE, to_num=[MOBILE], message_content="x"),
        "SendMultipleSMS": lambda c: c.send_multiple_sms(
            from_num=DEMO_LINE, to_nums=[MOBILE], message_contents=["x"]
        ),
        "GetCredit": lambda c: c.get_credit(),
        "GetMsg": lambda c: c.get_msg(),
        "GetStatus": lambda c: c.get_status(unique_ids=["1"]),
    }
    with (
        AdvancedWsClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c,
        pytest.raises(error) as caught,
    ):
        calls[operation](c)
    assert (type(caught.value), caught.value.code) == (error, code)


@pytest.mark.parametrize(
    ("code", "state"),
    [
        (1, "pending"),
        (2, "failed"),
        (3, "sent"),
        (4, "delivered"),
        (5, "undelivered"),
        (6, "rejected"),
    ],
)
def test_every_status_code_reaches_its_state(sandbox: Sandbox, code: int, state: str) -> None:
    sandbox.admin.inject_fault("advanced_ws", "error_code", operation="GetStatus", code=code)
    with AdvancedWsClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c:
        (status,) = c.get_status(unique_ids=["1"])
    assert (status.code, status.state) == (code, state)
