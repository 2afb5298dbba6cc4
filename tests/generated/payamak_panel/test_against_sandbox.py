"""The generated payamak_panel clients against the sandbox, every operation, sync and async: the
two sides were built independently from the same WSDLs (the sandbox checks requests against the
WSDL itself), so a mistake on either side fails here."""

from __future__ import annotations

from typing import Any

import pytest

from payamak.sandbox import DEMO_BLACKLISTED, DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from payamak_gen import errors
from payamak_gen.payamak_panel import AsyncPayamakPanelClient, PayamakPanelClient

MOBILE = "09121234567"


def _scenario_checks(results: dict[str, Any]) -> None:
    outcome = results["send_sms"]
    assert (outcome.code.code, len(outcome.rec_ids), outcome.sent) == (1, 2, [True, False])
    assert results["get_credit"] < results["credit_before"]
    assert type(results["get_credit"]) is int
    assert [s.state for s in results["get_delivery"]] == ["delivered", "rejected"]
    assert results["update_delivery"] == [1, 100]
    assert results["get_inbox_count"] == 3
    assert DEMO_LINE in results["get_user_numbers_list"]
    new = results["get_new_messages_list"]
    assert [m.sender for m in new] == ["9121111111", "9122222222"]
    assert results["get_receive_sms_is_read_list"] == [m.msg_id for m in new]
    assert results["update_messages_is_not_read"] == 2
    assert results["get_receive_sms_is_not_read_list"] == [m.msg_id for m in new]
    assert results["update_messages_is_read"] == 2
    assert [m.receiver for m in results["get_sent_sms_is_not_read_list"]] == [
        MOBILE,
        DEMO_BLACKLISTED,
        MOBILE,
    ]
    assert results["get_sent_sms_is_read_list"] == []
    assert results["schedule_sms"].kind == "ok"


def test_every_operation_sync(sandbox: Sandbox) -> None:
    r: dict[str, Any] = {}
    with PayamakPanelClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c:
        r["credit_before"] = c.get_credit()
        r["send_sms"] = c.send_sms(
            to=[MOBILE, DEMO_BLACKLISTED], sender=DEMO_LINE, text="سلام", isflash=False
        )
        sandbox.admin.advance(3600)
        r["get_delivery"] = [c.get_delivery(rec_id=i) for i in r["send_sms"].rec_ids]
        r["update_delivery"] = [c.update_delivery(rec_id=i) for i in r["send_sms"].rec_ids]
        r["get_credit"] = c.get_credit()
        r["get_inbox_count"] = c.get_inbox_count(is_read=False)
        r["get_user_numbers_list"] = c.get_user_numbers_list()
        r["get_new_messages_list"] = c.get_new_messages_list(line=DEMO_LINE)
        ids = [m.msg_id for m in r["get_new_messages_list"]]
        r["get_receive_sms_is_read_list"] = [
            m.msg_id for m in c.get_receive_sms_is_read_list(line=DEMO_LINE)
        ]
        r["update_messages_is_not_read"] = c.update_messages_is_not_read(message_ids=ids)
        r["get_receive_sms_is_not_read_list"] = [
            m.msg_id for m in c.get_receive_sms_is_not_read_list(line=DEMO_LINE)
        ]
        r["update_messages_is_read"] = c.update_messages_is_read(message_ids=ids)
        r["schedule_sms"] = c.schedule_sms(
            to=[MOBILE],
            sender=DEMO_LINE,
            text="later",
            isflash=False,
            send_at="2099-01-01T08:00:00",
        )
        r["get_sent_sms_is_not_read_list"] = c.get_sent_sms_is_not_read_list(line=DEMO_LINE)
        r["get_sent_sms_is_read_list"] = c.get_sent_sms_is_read_list(line=DEMO_LINE)
    _scenario_checks(r)


async def test_every_operation_async(sandbox: Sandbox) -> None:
    r: dict[str, Any] = {}
    async with AsyncPayamakPanelClient(
        DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url
    ) as c:
        r["credit_before"] = await c.get_credit()
        r["send_sms"] = await c.send_sms(
            to=[MOBILE, DEMO_BLACKLISTED], sender=DEMO_LINE, text="سلام", isflash=False
        )
        sandbox.admin.advance(3600)
        r["get_delivery"] = [await c.get_delivery(rec_id=i) for i in r["send_sms"].rec_ids]
        r["update_delivery"] = [await c.update_delivery(rec_id=i) for i in r["send_sms"].rec_ids]
        r["get_credit"] = await c.get_credit()
        r["get_inbox_count"] = await c.get_inbox_count(is_read=False)
        r["get_user_numbers_list"] = await c.get_user_numbers_list()
        r["get_new_messages_list"] = await c.get_new_messages_list(line=DEMO_LINE)
        ids = [m.msg_id for m in r["get_new_messages_list"]]
        r["get_receive_sms_is_read_list"] = [
            m.msg_id for m in await c.get_receive_sms_is_read_list(line=DEMO_LINE)
        ]
        r["update_messages_is_not_read"] = await c.update_messages_is_not_read(message_ids=ids)
        r["get_receive_sms_is_not_read_list"] = [
            m.msg_id for m in await c.get_receive_sms_is_not_read_list(line=DEMO_LINE)
        ]
        r["update_messages_is_read"] = await c.update_messages_is_read(message_ids=ids)
        r["schedule_sms"] = await c.schedule_sms(
            to=[MOBILE],
            sender=DEMO_LINE,
            text="later",
            isflash=False,
            send_at="2099-01-01T08:00:00",
        )
        r["get_sent_sms_is_not_read_list"] = await c.get_sent_sms_is_not_read_list(line=DEMO_LINE)
        r["get_sent_sms_is_read_list"] = await c.get_sent_sms_is_read_list(line=DEMO_LINE)
    _scenario_checks(r)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (0, errors.AuthenticationError),
        (2, errors.InsufficientCreditError),
        (6, errors.ServerError),
        (77, errors.ApiError),
    ],
)
def test_send_sms_failure_codes_from_the_sandbox_are_typed(
    sandbox: Sandbox, code: int, error: type[errors.ApiError]
) -> None:
    sandbox.admin.inject_fault("payamak_panel", "error_code", operation="SendSms", code=code)
    with (
        PayamakPanelClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as c,
        pytest.raises(error) as caught,
    ):
        c.send_sms(to=[MOBILE], sender=DEMO_LINE, text="x", isflash=False)
    assert (type(caught.value), caught.value.code) == (error, code)


def test_a_wrong_password_on_a_read_is_a_soap_fault(sandbox: Sandbox) -> None:
    with (
        PayamakPanelClient(DEMO_USERNAME, "wrong", base_url=sandbox.base_url) as c,
        pytest.raises(errors.SoapFaultError) as caught,
    ):
        c.get_credit()
    assert (caught.value.fault_code, caught.value.fault_string) == (
        "soap:Server",
        "نام کاربری و رمز اشتباه",
    )
    assert "wrong" not in f"{caught.value} {caught.value!r}"
