"""Every trez_rest operation, sync and async, over HTTP: the exact request and the parsed result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen.trez_rest import AsyncTrezRestClient, TrezRestClient, models
from tests.generated.trez_rest.support import BASIC, example


@dataclass(frozen=True)
class Case:
    operation: str
    method: str
    kwargs: dict[str, Any]
    body: bytes  # exactly what must go on the wire


CASES = [
    Case(
        "SendMessage",
        "send_message",
        {
            "phone_number": "50002910001080",
            "message": "test",
            "mobiles": ["0911111111", "0911111112"],
            "user_group_id": "13",
            "send_at": datetime.fromtimestamp(1537701659, timezone.utc),
        },
        b'{"PhoneNumber":"50002910001080","Message":"test","Mobiles":["0911111111","0911111112"],'
        b'"UserGroupID":"13","SendDateInTimeStamp":1537701659}',
    ),
    Case(
        "SendAutoCode",
        "send_auto_code",
        {"mobile": "09116420422", "footer": "RayganSMS.com"},
        b'{"Mobile":"09116420422","Footer":"RayganSMS.com"}',
    ),
    Case(
        "CheckSendCode",
        "check_send_code",
        {"mobile": "09116420422", "code": "545668"},
        b'{"Mobile":"09116420422","Code":"545668"}',
    ),
    Case(
        "SendCode",
        "send_code",
        {"mobile": "09116420422", "message": "کد شما: 21335"},
        '{"Mobile":"09116420422","Message":"کد شما: 21335"}'.encode(),
    ),
    Case(
        "SendCorrespondingMessage",
        "send_corresponding_message",
        {
            "phone_number": "50002910001080",
            "user_group_id": "14",
            "recipients_message": [
                models.RecipientMessage(id="1", message="اول", mobile="09112170848"),
                models.RecipientMessage(id="2", message="second", mobile="09116662206"),
            ],
        },
        '{"PhoneNumber":"50002910001080","UserGroupID":"14","RecipientsMessage":['
        '{"Id":"1","Message":"اول","Mobile":"09112170848"},'
        '{"Id":"2","Message":"second","Mobile":"09116662206"}]}'.encode(),
    ),
    Case(
        "SendMessageToPort",
        "send_message_to_port",
        {
            "phone_number": "30001234567890",
            "recieve_port_number": 20,
            "send_port_number": 40,
            "user_group_id": "123456789",
            "recipients_message": [
                models.RecipientMessage(id="1", message="m", mobile="09112170848"),
            ],
        },
        b'{"PhoneNumber":"30001234567890","recievePortNumber":20,"sendPortNumber":40,'
        b'"UserGroupID":"123456789","RecipientsMessage":'
        b'[{"Id":"1","Message":"m","Mobile":"09112170848"}]}',
    ),
    Case(
        "GroupMessageStatus",
        "group_message_status",
        {"group_message_id": "16"},
        b'{"GroupMessageId":"16"}',
    ),
    Case(
        "CorrespondingMessageStatus",
        "corresponding_message_status",
        {"message_id": ["1", "2"]},
        b'{"messageId":["1","2"]}',
    ),
    Case("GetGroupMessageId", "get_group_message_id", {"group_id": "16"}, b'{"groupId":"16"}'),
    Case(
        "ReceiveMessages",
        "receive_messages",
        {
            "phone_number": "5000299558253",
            "start": datetime(2020, 5, 8, 7, 37, 33, tzinfo=timezone.utc),
            "end": datetime.fromtimestamp(1620632253, timezone(timedelta(hours=3, minutes=30))),
            "page": 1,
        },
        b'{"PhoneNumber":"5000299558253","StartDate":1588923453,"EndDate":1620632253,"Page":1}',
    ),
    Case("GetCredit", "get_credit", {}, b"{}"),
    Case("GetPrices", "get_prices", {}, b"{}"),
    Case(
        "ShowWhiteList",
        "show_white_list",
        {"mobiles_list": ["09112170848", "09333152378"]},
        b'{"MobilesList":["09112170848","09333152378"]}',
    ),
]


def _expect(httpserver: HTTPServer, case: Case) -> Any:
    """Serve the manual's example response for the case; return what the client must parse."""
    response = example(f"{case.operation}.response.json")
    httpserver.expect_oneshot_request(
        f"/api/smsAPI/{case.operation}",
        method="POST",
        headers={"Authorization": BASIC, "Content-Type": "application/json"},
        data=case.body,
    ).respond_with_json(response)
    response_model = getattr(models, f"{case.operation}Response")
    return response_model.model_validate(response).result


def _assert_one_exact_request(httpserver: HTTPServer, case: Case) -> None:
    httpserver.check_assertions()
    assert len(httpserver.log) == 1
    request, _ = httpserver.log[0]
    assert request.method == "POST"
    assert request.path == f"/api/smsAPI/{case.operation}"
    assert request.headers["Authorization"] == BASIC
    assert request.get_data() == case.body


def test_every_operation_has_a_case() -> None:
    from payamak_gen.trez_rest import operations

    built = {
        name.removeprefix("build_") for name in operations.__all__ if name.startswith("build_")
    }
    assert built == {case.method for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
def test_sync(httpserver: HTTPServer, client: TrezRestClient, case: Case) -> None:
    expected = _expect(httpserver, case)

    result = getattr(client, case.method)(**case.kwargs)

    assert result == expected
    _assert_one_exact_request(httpserver, case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.operation)
async def test_async(httpserver: HTTPServer, async_client: AsyncTrezRestClient, case: Case) -> None:
    expected = _expect(httpserver, case)

    result = await getattr(async_client, case.method)(**case.kwargs)

    assert result == expected
    _assert_one_exact_request(httpserver, case)


def test_results_are_typed(httpserver: HTTPServer, client: TrezRestClient) -> None:
    httpserver.expect_request("/api/smsAPI/GroupMessageStatus").respond_with_json(
        example("GroupMessageStatus.response.json")
    )
    httpserver.expect_request("/api/smsAPI/GetPrices").respond_with_json(
        example("GetPrices.response.json")
    )

    status = client.group_message_status(group_message_id="16")
    prices = client.get_prices()

    assert isinstance(status, models.GroupMessageStatusResult)
    assert (status.status_code.code, status.status_code.state) == (1, "sent")
    assert [s.mobile for s in status.messages_list_state] == ["9116420422", "9116665601"]
    assert (prices.fa_price, prices.en_price) == (112, 275)


@pytest.mark.parametrize("naive", [datetime(2024, 1, 1, 12, 0), datetime.now()])
def test_a_naive_time_is_refused_before_anything_is_sent(
    httpserver: HTTPServer, client: TrezRestClient, naive: datetime
) -> None:
    with pytest.raises(ValueError, match="a time must be timezone-aware"):
        client.send_message(
            phone_number="50002910001080",
            message="m",
            mobiles=["0911111111"],
            user_group_id="1",
            send_at=naive,
        )
    assert httpserver.log == []


def test_money_is_whole_rials(httpserver: HTTPServer, client: TrezRestClient) -> None:
    httpserver.expect_request("/api/smsAPI/GetCredit").respond_with_json(
        example("GetCredit.response.json")
    )
    httpserver.expect_request("/api/smsAPI/GetPrices").respond_with_json(
        example("GetPrices.response.json")
    )

    credit, prices = client.get_credit(), client.get_prices()

    assert [type(v) for v in (credit, prices.fa_price, prices.en_price)] == [int, int, int]
