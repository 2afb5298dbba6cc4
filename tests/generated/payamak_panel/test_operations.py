"""The generated payamak_panel client over a real HTTP server on 127.0.0.1: every operation, sync
and async, with the exact envelope and SOAPAction it sends; what real servers answer (a list of one
message, an empty list, both names of GetNewMessagesList's result, a Sender without its leading 0,
unknown delivery codes, a SOAP Fault); each SendSms result code to its typed outcome; and zeep,
loading the same WSDLs offline, building the same envelopes and reading answers alike."""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pytest_httpserver import HTTPServer

from payamak_gen.errors import (
    ApiError,
    AuthenticationError,
    InsufficientCreditError,
    SoapFaultError,
)
from payamak_gen.payamak_panel import AsyncPayamakPanelClient, PayamakPanelClient, operations
from tests.generated.support import canonical_xml, zeep_oracle

SPECS = Path(__file__).resolve().parents[3] / "specs" / "payamak_panel"
SEND, INCOMING = "/post/send.asmx", "/post/IncomingMessages.asmx"
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
    "</soap:Body></soap:Envelope>"
)
CREDENTIALS = "<username>user</username><password>s3cret-pass</password>"
MESSAGE = (
    "<Message><MsgID>5501</MsgID><MsgType>1</MsgType><Body>سلام</Body>"
    "<SendDate>2026-11-30T10:15:00</SendDate><Sender>9121234567</Sender>"
    "<Receiver>30001234</Receiver><Parts>1</Parts><IsRead>false</IsRead></Message>"
)


def _tag(op: str, inner: str, suffix: str = "") -> str:
    return f'<{op}{suffix} xmlns="http://tempuri.org/">{inner}</{op}{suffix}>'


# Operation → (method, keyword arguments, path, the request body's inner XML, the response
# body's inner XML, the value the method returns).
CASES: dict[str, tuple[str, dict[str, Any], str, str, str, Any]] = {
    "GetCredit": (
        "get_credit",
        {},
        SEND,
        CREDENTIALS,
        "<GetCreditResult>125000</GetCreditResult>",
        125000,
    ),
    "GetDelivery": (
        "get_delivery",
        {"rec_id": 9007199254740993},
        SEND,
        "<recId>9007199254740993</recId>",
        "<GetDeliveryResult>1</GetDeliveryResult>",
        1,
    ),
    "UpdateDelivery": (
        "update_delivery",
        {"rec_id": 12},
        SEND,
        "<recId>12</recId>",
        "<UpdateDeliveryResult>100</UpdateDeliveryResult>",
        100,
    ),
    "GetInboxCount": (
        "get_inbox_count",
        {"is_read": False},
        SEND,
        f"{CREDENTIALS}<isRead>false</isRead>",
        "<GetInboxCountResult>3</GetInboxCountResult>",
        3,
    ),
    "ScheduleSms": (
        "schedule_sms",
        {
            "to": ["09121234567"],
            "sender": "30001234",
            "text": "x",
            "isflash": True,
            "send_at": "2026-12-01T08:00:00",
        },
        SEND,
        f"{CREDENTIALS}<to><string>09121234567</string></to><from>30001234</from><text>x</text>"
        "<isflash>true</isflash><scheduleDateTime>2026-12-01T08:00:00</scheduleDateTime>",
        "<ScheduleSmsResult>1</ScheduleSmsResult>",
        1,
    ),
    "GetReceiveSMSIsNotReadList": (
        "get_receive_sms_is_not_read_list",
        {"line": "30001234"},
        INCOMING,
        f"{CREDENTIALS}<from>30001234</from>",
        f"<GetReceiveSMSIsNotReadListResult>{MESSAGE}{MESSAGE}</GetReceiveSMSIsNotReadListResult>",
        2,
    ),
    "GetReceiveSMSIsReadList": (
        "get_receive_sms_is_read_list",
        {"line": "30001234"},
        INCOMING,
        f"{CREDENTIALS}<from>30001234</from>",
        f"<GetReceiveSMSIsReadListResult>{MESSAGE}</GetReceiveSMSIsReadListResult>",
        1,
    ),
    "GetSentSMSIsNotReadList": (
        "get_sent_sms_is_not_read_list",
        {"line": "30001234"},
        INCOMING,
        f"{CREDENTIALS}<from>30001234</from>",
        "<GetSentSMSIsNotReadListResult/>",
        0,
    ),
    "GetSentSMSIsReadList": (
        "get_sent_sms_is_read_list",
        {"line": "30001234"},
        INCOMING,
        f"{CREDENTIALS}<from>30001234</from>",
        "",
        0,
    ),
    "GetUserNumbersList": (
        "get_user_numbers_list",
        {},
        INCOMING,
        CREDENTIALS,
        "<GetUserNumbersListResult><string>30001234</string><string>50002</string>"
        "</GetUserNumbersListResult>",
        ["30001234", "50002"],
    ),
    "UpdateMessagesIsRead": (
        "update_messages_is_read",
        {"message_ids": [5501, 5502]},
        INCOMING,
        f"{CREDENTIALS}<msgIds><long>5501</long><long>5502</long></msgIds>",
        "<UpdateMessagesIsReadResult>2</UpdateMessagesIsReadResult>",
        2,
    ),
    "UpdateMessagesIsNotRead": (
        "update_messages_is_not_read",
        {"message_ids": [5501]},
        INCOMING,
        f"{CREDENTIALS}<msgIds><long>5501</long></msgIds>",
        "<UpdateMessagesIsNotReadResult>1</UpdateMessagesIsNotReadResult>",
        1,
    ),
    "GetNewMessagesList": (
        "get_new_messages_list",
        {"line": "30001234"},
        INCOMING,
        f"{CREDENTIALS}<from>30001234</from>",
        f"<GetNewMessagesListResult>{MESSAGE}</GetNewMessagesListResult>",
        1,
    ),
    "SendSms": (
        "send_sms",
        {"to": ["09121234567", "09351234567"], "sender": "30001234", "text": "سلام & <x>"},
        SEND,
        f"{CREDENTIALS}<to><string>09121234567</string><string>09351234567</string></to>"
        "<from>30001234</from><text>سلام &amp; &lt;x&gt;</text><isflash>false</isflash>",
        "<SendSmsResult>1</SendSmsResult><recId><long>120045</long><long>120046</long></recId>"
        "<status>AAE=</status>",
        ([120045, 120046], [True, False]),
    ),
}


def _expect(httpserver: HTTPServer, op: str) -> tuple[str, dict[str, Any], Any]:
    method, kwargs, path, request, response, expected = CASES[op]
    if op == "SendSms":
        kwargs = {**kwargs, "isflash": False}
    httpserver.expect_oneshot_request(
        path,
        method="POST",
        headers={
            "SOAPAction": f'"http://tempuri.org/{op}"',
            "Content-Type": "text/xml; charset=utf-8",
        },
        data=ENVELOPE.format(_tag(op, request)).encode(),
    ).respond_with_data(
        ENVELOPE.format(_tag(op, response, "Response")), content_type="text/xml; charset=utf-8"
    )
    return method, kwargs, expected


def _outcome(op: str, result: Any) -> Any:
    """What to compare: list results by length (the messages are checked on their own), catalog
    entries by code (their meaning is checked on its own)."""
    if op == "SendSms":
        return (result.rec_ids, result.sent)
    if op in {"GetDelivery", "ScheduleSms"}:
        return result.code
    if isinstance(result, list) and result and not isinstance(result[0], str):
        return len(result)
    if isinstance(result, list) and not result and isinstance(CASES[op][5], int):
        return 0
    return result


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[PayamakPanelClient]:
    with PayamakPanelClient("user", "s3cret-pass", base_url=httpserver.url_for("/")) as c:
        yield c


@pytest.fixture
async def async_client(httpserver: HTTPServer) -> AsyncIterator[AsyncPayamakPanelClient]:
    async with AsyncPayamakPanelClient(
        "user", "s3cret-pass", base_url=httpserver.url_for("/")
    ) as c:
        yield c


def test_every_wsdl_operation_is_covered() -> None:
    names = set()
    for wsdl in ("send.wsdl", "incoming.wsdl"):
        tree = etree.parse(str(SPECS / wsdl))
        names |= {
            str(op.get("name"))
            for op in tree.iter("{http://schemas.xmlsoap.org/wsdl/}operation")
            # a parsed element's tag is a str
            if (parent := op.getparent()) is not None
            and isinstance(parent.tag, str)
            and parent.tag.endswith("portType")
        }
    assert names == set(CASES)
    assert len(names) == 14


@pytest.mark.parametrize("op", sorted(CASES))
def test_every_operation_sync(client: PayamakPanelClient, httpserver: HTTPServer, op: str) -> None:
    method, kwargs, expected = _expect(httpserver, op)
    assert _outcome(op, getattr(client, method)(**kwargs)) == expected
    httpserver.check_assertions()


@pytest.mark.parametrize("op", sorted(CASES))
async def test_every_operation_async(
    async_client: AsyncPayamakPanelClient, httpserver: HTTPServer, op: str
) -> None:
    method, kwargs, expected = _expect(httpserver, op)
    assert _outcome(op, await getattr(async_client, method)(**kwargs)) == expected
    httpserver.check_assertions()


def _answer(httpserver: HTTPServer, path: str, body: str, status: int = 200) -> None:
    httpserver.expect_request(path).respond_with_data(
        ENVELOPE.format(body), status=status, content_type="text/xml; charset=utf-8"
    )


def test_a_single_message_is_a_list_of_one_and_the_sender_keeps_its_form(
    client: PayamakPanelClient, httpserver: HTTPServer
) -> None:
    _answer(
        httpserver,
        INCOMING,
        _tag(
            "GetNewMessagesList",
            f"<GetNewMessagesListResult>{MESSAGE}</GetNewMessagesListResult>",
            "Response",
        ),
    )
    [message] = client.get_new_messages_list(line="30001234")
    assert (message.msg_id, message.sender, message.body, message.parts, message.is_read) == (
        5501,
        "9121234567",
        "سلام",
        1,
        False,
    )


@pytest.mark.parametrize(
    "inner",
    [
        f"<GetNewMessagesAResult>{MESSAGE}{MESSAGE}</GetNewMessagesAResult>",
        f"<GetNewMessagesListResult>{MESSAGE}{MESSAGE}</GetNewMessagesListResult>",
    ],
    ids=["a-result", "list-result"],
)
async def test_both_result_names_of_get_new_messages_list(
    async_client: AsyncPayamakPanelClient, httpserver: HTTPServer, inner: str
) -> None:
    _answer(httpserver, INCOMING, _tag("GetNewMessagesList", inner, "Response"))
    messages = await async_client.get_new_messages_list(line="30001234")
    assert [m.msg_id for m in messages] == [5501, 5501]


@pytest.mark.parametrize(
    "inner",
    ["", "<GetNewMessagesAResult/>", "<GetNewMessagesListResult></GetNewMessagesListResult>"],
)
def test_an_empty_result_is_an_empty_list(
    client: PayamakPanelClient, httpserver: HTTPServer, inner: str
) -> None:
    _answer(httpserver, INCOMING, _tag("GetNewMessagesList", inner, "Response"))
    assert client.get_new_messages_list(line="30001234") == []


@pytest.mark.parametrize(
    ("code", "state", "final"),
    [
        (0, "sent", False),
        (1, "delivered", True),
        (2, "undelivered", True),
        (9, "pending", False),
        (35, "rejected", True),
        (400, "queued", False),
        (12345, "pending", False),
    ],
)
def test_delivery_codes_are_their_unified_state_and_keep_their_raw_value(
    client: PayamakPanelClient, httpserver: HTTPServer, code: int, state: str, final: bool
) -> None:
    _answer(
        httpserver,
        SEND,
        _tag("GetDelivery", f"<GetDeliveryResult>{code}</GetDeliveryResult>", "Response"),
    )
    status = client.get_delivery(rec_id=1)
    assert (status.code, status.state, status.final) == (code, state, final)


async def test_send_sms_success_is_1_with_its_meaning_ids_and_flags(
    async_client: AsyncPayamakPanelClient, httpserver: HTTPServer
) -> None:
    _answer(
        httpserver,
        SEND,
        _tag(
            "SendSms",
            "<SendSmsResult>1</SendSmsResult><recId><long>7</long><long>8</long><long>9</long>"
            "</recId><status>AAEA</status>",
            "Response",
        ),
    )
    outcome = await async_client.send_sms(to=["0912", "0935", "0901"], text="x", isflash=True)
    assert (outcome.code.code, outcome.code.kind, outcome.code.fa) == (1, "ok", "ارسال موفق")
    assert (outcome.rec_ids, outcome.sent) == ([7, 8, 9], [True, False, True])


def test_credit_is_int_rials_like_every_provider(
    client: PayamakPanelClient, httpserver: HTTPServer
) -> None:
    _answer(
        httpserver,
        SEND,
        _tag("GetCredit", "<GetCreditResult>98765.4</GetCreditResult>", "Response"),
    )
    credit = client.get_credit()
    assert (credit, type(credit)) == (98765, int)


@pytest.mark.parametrize(
    ("code", "error", "kind"),
    [
        (0, AuthenticationError, "authentication"),
        (2, InsufficientCreditError, "insufficient_credit"),
        (3, ApiError, "limit_exceeded"),
        (5, ApiError, "permission"),
        (6, ApiError, "server"),
        (1, None, None),
        (7, ApiError, "invalid_request"),
        (14, ApiError, "invalid_request"),
        (77, ApiError, None),
    ],
)
def test_each_send_sms_failure_code_raises_its_typed_error(
    client: PayamakPanelClient,
    httpserver: HTTPServer,
    code: int,
    error: type[ApiError] | None,
    kind: str | None,
) -> None:
    _answer(
        httpserver,
        SEND,
        _tag("SendSms", f"<SendSmsResult>{code}</SendSmsResult><recId/><status/>", "Response"),
    )
    if error is None:  # 1 is success: the code every other provider would call an error
        assert client.send_sms(to=["09121234567"], text="x", isflash=False).rec_ids == []
        return
    with pytest.raises(error) as caught:
        client.send_sms(to=["09121234567"], text="x", isflash=False)
    assert (caught.value.code, caught.value.operation) == (code, "SendSms")
    if kind is not None:
        assert caught.value.kind == kind
    assert "s3cret-pass" not in f"{caught.value!s}{caught.value!r}{client!r}"


def test_a_soap_fault_is_typed_with_its_code_and_string(
    client: PayamakPanelClient, httpserver: HTTPServer
) -> None:
    _answer(
        httpserver,
        SEND,
        "<soap:Fault><faultcode>soap:Server</faultcode>"
        "<faultstring>Server was unable to process request.</faultstring></soap:Fault>",
        status=500,
    )
    with pytest.raises(SoapFaultError) as caught:
        client.get_credit()
    assert (caught.value.fault_code, caught.value.fault_string) == (
        "soap:Server",
        "Server was unable to process request.",
    )


# zeep, the independent reference: the same WSDL files, loaded offline.
@pytest.fixture(scope="module")
def oracles() -> dict[str, Any]:
    return {
        SEND: zeep_oracle(SPECS / "send.wsdl"),
        INCOMING: zeep_oracle(SPECS / "incoming.wsdl"),
    }


ZEEP_ARGS: dict[str, dict[str, Any]] = {
    "GetDelivery": {"recId": 9007199254740993},
    "UpdateDelivery": {"recId": 12},
    "GetInboxCount": {"isRead": False},
    "ScheduleSms": {
        "to": {"string": ["09121234567"]},
        "from": "30001234",
        "text": "x",
        "isflash": True,
        "scheduleDateTime": "2026-12-01T08:00:00",
    },
    "SendSms": {
        "to": {"string": ["09121234567", "09351234567"]},
        "from": "30001234",
        "text": "سلام & <x>",
        "isflash": False,
    },
    "UpdateMessagesIsRead": {"msgIds": {"long": [5501, 5502]}},
    "UpdateMessagesIsNotRead": {"msgIds": {"long": [5501]}},
}


@pytest.mark.parametrize("op", sorted(CASES))
def test_zeep_builds_the_same_envelope(oracles: dict[str, Any], op: str) -> None:
    method, kwargs, path, _, _, _ = CASES[op]
    credentialed = "username" in {
        p for p in operations.__dict__[f"build_{method}"].__code__.co_varnames
    }
    credentials = {"username": "user", "password": "s3cret-pass"} if credentialed else {}
    if op == "SendSms":
        kwargs = {**kwargs, "isflash": False}
    built = getattr(operations, f"build_{method}")(**credentials, **kwargs)
    theirs = ZEEP_ARGS.get(op, {"from": "30001234"} if "line" in kwargs else {})
    oracle = oracles[path]
    envelope, headers = oracle.service._binding._create(
        op, (), {**credentials, **theirs}, client=oracle
    )
    assert canonical_xml(built.content) == canonical_xml(etree.tostring(envelope))
    assert built.headers["SOAPAction"] == headers["SOAPAction"]


@pytest.mark.parametrize("op", ["SendSms", "GetNewMessagesList", "GetUserNumbersList", "GetCredit"])
def test_zeep_reads_the_answers_alike(
    client: PayamakPanelClient, httpserver: HTTPServer, oracles: dict[str, Any], op: str
) -> None:
    method, kwargs, _ = _expect(httpserver, op)
    ours = getattr(client, method)(**kwargs)
    path, response = CASES[op][2], CASES[op][4]
    reply = types.SimpleNamespace(
        content=ENVELOPE.format(_tag(op, response, "Response")).encode(),
        status_code=200,
        headers={"Content-Type": "text/xml"},
        encoding="utf-8",
    )
    theirs = oracles[path].service._binding.process_reply(
        oracles[path], oracles[path].service._binding.get(op), reply
    )
    if op == "SendSms":
        assert (theirs.SendSmsResult, theirs.recId.long) == (ours.code.code, ours.rec_ids)
        assert [byte == 0 for byte in theirs.status] == ours.sent
    elif op == "GetNewMessagesList":
        assert [m.MsgID for m in theirs.GetNewMessagesListResult.Message] == [
            m.msg_id for m in ours
        ]
        assert [m.Sender for m in theirs.GetNewMessagesListResult.Message] == [
            m.sender for m in ours
        ]
    else:  # zeep unwraps a one-child ArrayOfString response itself, as we do
        assert theirs == ours
