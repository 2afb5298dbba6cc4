"""payamak_panel over raw HTTP: both ASMX services on the shared panel, envelopes as .NET and PHP
SoapClient write them, every result and delivery code reachable, and every answer checked against
the WSDL's own schema (as Prism checks a mock's answers against its OpenAPI document)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from payamak.sandbox import Sandbox
from tests.sandbox.support import (
    BLACKLISTED,
    CREDIT,
    DEMO_AUTH,
    FILTERED_WORD,
    LINE,
    MOBILE,
    OTHER_LINE,
    PORT_LINE,
    corresponding_body,
)

SPECS = Path(__file__).resolve().parents[2] / "specs" / "payamak_panel"
SEND, INCOMING = "/post/send.asmx", "/post/IncomingMessages.asmx"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "http://tempuri.org/"
CREDENTIALS = "<username>demo</username><password>demo</password>"


def _schemas() -> dict[str, etree.XMLSchema]:
    """Global element name → the schema of the WSDL declaring it."""
    found: dict[str, etree.XMLSchema] = {}
    for wsdl in ("send.wsdl", "incoming.wsdl"):
        schema = etree.parse(str(SPECS / wsdl)).find(".//{http://www.w3.org/2001/XMLSchema}schema")
        assert schema is not None
        compiled = etree.XMLSchema(etree.fromstring(etree.tostring(schema)))
        for element in schema.iterfind("{http://www.w3.org/2001/XMLSchema}element"):
            found.setdefault(str(element.get("name")), compiled)
    return found


SCHEMAS = _schemas()


def dotnet(operation: str, inner: str) -> bytes:
    """An envelope as .NET's generated proxies write it: default namespace on the wrapper."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="{SOAP_ENV}"><soap:Body>'
        f'<{operation} xmlns="{TNS}">{inner}</{operation}></soap:Body></soap:Envelope>'
    ).encode()


def php(operation: str, inner: str) -> bytes:
    """An envelope as PHP's SoapClient writes it: SOAP-ENV and ns1 prefixes on every element."""
    prefixed = inner
    for name in ("username", "password", "to", "string", "from", "text", "isflash", "udh"):
        prefixed = prefixed.replace(f"<{name}>", f"<ns1:{name}>").replace(
            f"</{name}>", f"</ns1:{name}>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}" xmlns:ns1="{TNS}"><SOAP-ENV:Body>'
        f"<ns1:{operation}>{prefixed}</ns1:{operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    ).encode()


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
        yield client


def call(
    http: httpx.Client, path: str, operation: str, inner: str, *, shape: str = "dotnet"
) -> etree._Element:
    """POSTs one operation and returns its response element, checked against the WSDL."""
    body = (dotnet if shape == "dotnet" else php)(operation, inner)
    response = http.post(
        path,
        content=body,
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{TNS}{operation}"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    soap_body = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body")
    assert soap_body is not None, response.text
    [element] = soap_body
    assert element.tag == f"{{{TNS}}}{operation}Response"
    SCHEMAS[f"{operation}Response"].assertValid(element)
    return element


def value(element: etree._Element, name: str) -> str:
    return element.findtext(f"{{{TNS}}}{name}") or ""


def send(
    http: httpx.Client, to: list[str], text: str = "hi", line: str = LINE, **kw: str
) -> etree._Element:
    numbers = "".join(f"<string>{n}</string>" for n in to)
    inner = (
        f"{CREDENTIALS}<to>{numbers}</to><from>{line}</from><text>{text}</text>"
        "<isflash>false</isflash>"
    )
    return call(http, SEND, "SendSms", inner, **kw)


def rec_ids(element: etree._Element) -> list[int]:
    return [int(v.text or "") for v in element.iterfind(f"{{{TNS}}}recId/{{{TNS}}}long")]


@pytest.mark.parametrize("shape", ["dotnet", "php"])
def test_send_sms_sends_charges_and_returns_ids_and_flags(
    http: httpx.Client, sandbox: Sandbox, shape: str
) -> None:
    answer = send(http, [MOBILE, BLACKLISTED], shape=shape)
    assert value(answer, "SendSmsResult") == "1"
    ids = rec_ids(answer)
    assert len(ids) == 2
    # One byte per recipient: 0 sent, 1 not sent (the blacklisted number).
    assert base64.b64decode(value(answer, "status")) == b"\x00\x01"
    stored = sandbox.admin.messages(provider="payamak_panel")
    assert [m["id"] for m in stored] == ids
    assert sandbox.admin.credit("demo") < CREDIT


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"line": OTHER_LINE}, "5"),
        ({"text": f"a {FILTERED_WORD}"}, "7"),
    ],
    ids=["foreign-line", "filtered"],
)
def test_send_sms_refusals_carry_the_provider_codes(
    http: httpx.Client, sandbox: Sandbox, overrides: dict[str, str], code: str
) -> None:
    answer = send(http, [MOBILE], **overrides)
    assert value(answer, "SendSmsResult") == code
    assert rec_ids(answer) == []
    assert sandbox.admin.messages(provider="payamak_panel") == []


def test_wrong_password_is_0_and_short_credit_is_2(http: httpx.Client, sandbox: Sandbox) -> None:
    inner = (
        "<username>demo</username><password>nope</password><to><string>09121234567</string>"
        f"</to><from>{LINE}</from><text>x</text><isflash>false</isflash>"
    )
    assert value(call(http, SEND, "SendSms", inner), "SendSmsResult") == "0"
    sandbox.admin.set_credit("demo", 0)
    assert value(send(http, [MOBILE]), "SendSmsResult") == "2"


@pytest.mark.parametrize("code", [0, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15])
def test_every_send_sms_code_is_reachable_through_the_error_code_fault(
    http: httpx.Client, sandbox: Sandbox, code: int
) -> None:
    sandbox.admin.inject_fault("payamak_panel", "error_code", operation="SendSms", code=code)
    assert value(send(http, [MOBILE]), "SendSmsResult") == str(code)


def test_delivery_codes_follow_the_message_and_unknown_ids(
    http: httpx.Client, sandbox: Sandbox
) -> None:
    delivered, blacklisted = rec_ids(send(http, [MOBILE, BLACKLISTED]))

    def code(rec_id: int) -> str:
        answer = call(http, SEND, "GetDelivery", f"<recId>{rec_id}</recId>")
        return value(answer, "GetDeliveryResult")

    assert code(delivered) == "400"  # in the send queue
    sandbox.admin.advance(3600)
    assert (code(delivered), code(blacklisted), code(999_999)) == ("1", "35", "100")


def test_update_delivery_keeps_its_interval_per_group(http: httpx.Client, sandbox: Sandbox) -> None:
    first, second = rec_ids(send(http, [MOBILE, "09351234567"]))

    def update(rec_id: int) -> str:
        answer = call(http, SEND, "UpdateDelivery", f"<recId>{rec_id}</recId>")
        return value(answer, "UpdateDeliveryResult")

    assert (update(first), update(second), update(123_456_789)) == ("1", "100", "0")
    sandbox.admin.advance(61)
    assert update(second) == "1"


def test_credit_inbox_count_and_numbers(http: httpx.Client) -> None:
    assert value(call(http, SEND, "GetCredit", CREDENTIALS), "GetCreditResult") == str(CREDIT)
    unread = call(http, SEND, "GetInboxCount", f"{CREDENTIALS}<isRead>false</isRead>")
    assert value(unread, "GetInboxCountResult") == "3"
    numbers = call(http, INCOMING, "GetUserNumbersList", CREDENTIALS)
    assert LINE in [s.text for s in numbers.iter(f"{{{TNS}}}string")]


def _messages(element: etree._Element) -> list[etree._Element]:
    return list(element.iter(f"{{{TNS}}}Message"))


def test_new_messages_are_read_once_and_marks_move_them(http: httpx.Client) -> None:
    inner = f"{CREDENTIALS}<from>{LINE}</from>"
    new = _messages(call(http, INCOMING, "GetNewMessagesList", inner))
    assert len(new) == 2
    # Real servers send the sender without its leading 0.
    assert [m.findtext(f"{{{TNS}}}Sender") for m in new] == ["9121111111", "9122222222"]
    assert _messages(call(http, INCOMING, "GetNewMessagesList", inner)) == []
    assert len(_messages(call(http, INCOMING, "GetReceiveSMSIsReadList", inner))) == 2
    ids = "".join(f"<long>{m.findtext(f'{{{TNS}}}MsgID')}</long>" for m in new)
    marked = call(http, INCOMING, "UpdateMessagesIsNotRead", f"{CREDENTIALS}<msgIds>{ids}</msgIds>")
    assert value(marked, "UpdateMessagesIsNotReadResult") == "2"
    assert len(_messages(call(http, INCOMING, "GetReceiveSMSIsNotReadList", inner))) == 2
    call(
        http, INCOMING, "UpdateMessagesIsRead", f"{CREDENTIALS}<msgIds>{ids}<long>1</long></msgIds>"
    )
    assert _messages(call(http, INCOMING, "GetReceiveSMSIsNotReadList", inner)) == []


def test_sent_lists_show_what_the_panel_sent(http: httpx.Client) -> None:
    send(http, [MOBILE])
    inner = f"{CREDENTIALS}<from>{LINE}</from>"
    [sent] = _messages(call(http, INCOMING, "GetSentSMSIsNotReadList", inner))
    assert (sent.findtext(f"{{{TNS}}}Receiver"), sent.findtext(f"{{{TNS}}}Body")) == (MOBILE, "hi")
    assert _messages(call(http, INCOMING, "GetSentSMSIsReadList", inner)) == []


def test_schedule_sms_holds_the_message_until_its_time(
    http: httpx.Client, sandbox: Sandbox
) -> None:
    inner = (
        f"{CREDENTIALS}<to><string>{MOBILE}</string></to><from>{LINE}</from><text>later</text>"
        "<isflash>false</isflash><scheduleDateTime>2099-01-01T10:00:00</scheduleDateTime>"
    )
    assert value(call(http, SEND, "ScheduleSms", inner), "ScheduleSmsResult") == "1"
    [message] = sandbox.admin.messages(provider="payamak_panel")
    delivery = call(http, SEND, "GetDelivery", f"<recId>{message['id']}</recId>")
    assert value(delivery, "GetDeliveryResult") == "400"


def test_a_wrong_password_without_a_result_code_is_a_fault(http: httpx.Client) -> None:
    response = http.post(
        SEND,
        content=dotnet("GetCredit", "<username>demo</username><password>x</password>"),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{TNS}GetCredit"'},
    )
    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(f".//{{{SOAP_ENV}}}Fault")
    assert fault is not None
    assert (fault.findtext("faultcode"), fault.findtext("faultstring")) == (
        "soap:Server",
        "نام کاربری و رمز اشتباه",
    )


def test_a_request_breaking_the_wsdl_is_a_client_fault(http: httpx.Client) -> None:
    response = http.post(
        SEND,
        content=dotnet("GetInboxCount", f"{CREDENTIALS}<isRead>maybe</isRead>"),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{TNS}GetInboxCount"'},
    )
    assert response.status_code == 500
    assert b"<faultcode>soap:Client</faultcode>" in response.content
    # An operation of the other service is not served here.
    wrong = http.post(
        SEND,
        content=dotnet("GetUserNumbersList", CREDENTIALS),
        headers={"SOAPAction": f'"{TNS}GetUserNumbersList"', "Content-Type": "text/xml"},
    )
    assert wrong.status_code == 500


@pytest.mark.parametrize(
    ("path", "query", "service"),
    [
        ("/post/send.asmx", "WSDL", "send.asmx"),
        ("/post/Send.asmx", "wsdl", "Send.asmx"),
        ("/POST/IncomingMessages.asmx", "wsdl", "IncomingMessages.asmx"),
    ],
)
def test_the_wsdl_is_served_in_any_path_case_with_the_request_host(
    http: httpx.Client, sandbox: Sandbox, path: str, query: str, service: str
) -> None:
    response = http.get(f"{path}?{query}")
    assert response.status_code == 200
    address = etree.fromstring(response.content).find(
        ".//{http://schemas.xmlsoap.org/wsdl/soap/}address"
    )
    assert address is not None
    assert address.get("location") == f"{sandbox.base_url.rstrip('/')}{path}"
    assert address.get("location", "").endswith(service)


# -- isolation and exact limits (each left a mutant of the provider module alive) --------------

OTHER_CREDENTIALS = "<username>other</username><password>other</password>"


def _trez_rest_send(http: httpx.Client, mobile: str) -> int:
    """Sends through trez_rest, as the same demo account, and returns the message id."""
    answer = http.post(
        "/api/smsAPI/SendCorrespondingMessage",
        json=corresponding_body(RecipientsMessage=[{"Id": "1", "Message": "x", "Mobile": mobile}]),
        auth=DEMO_AUTH,
    ).json()
    assert answer["Code"] == 0, answer
    return int(answer["Result"][0]["Result"])


def test_a_second_send_answers_only_its_own_rec_ids(http: httpx.Client) -> None:
    first = rec_ids(send(http, [MOBILE]))
    second = rec_ids(send(http, [MOBILE, "09351234567"]))

    assert len(first) == 1 and len(second) == 2
    assert not set(first) & set(second)


def test_delivery_never_reads_a_message_another_provider_sent(http: httpx.Client) -> None:
    rest_id = _trez_rest_send(http, MOBILE)

    answer = call(http, SEND, "GetDelivery", f"<recId>{rest_id}</recId>")

    assert value(answer, "GetDeliveryResult") == "100"  # unknown to the panel


def test_an_update_is_refused_until_exactly_the_interval_has_passed(
    http: httpx.Client, sandbox: Sandbox
) -> None:
    (rec_id,) = rec_ids(send(http, [MOBILE]))

    def update() -> str:
        answer = call(http, SEND, "UpdateDelivery", f"<recId>{rec_id}</recId>")
        return value(answer, "UpdateDeliveryResult")

    assert update() == "1"
    sandbox.admin.advance(59)
    assert update() == "100"  # once a minute (provider note)
    sandbox.admin.advance(1)
    assert update() == "1"


def test_sent_lists_hold_only_this_accounts_panel_sends_from_the_line_asked(
    http: httpx.Client,
) -> None:
    send(http, [MOBILE], text="from the line")
    send(http, [MOBILE], text="from the port line", line=PORT_LINE)
    _trez_rest_send(http, "09351234567")  # the same account through another provider

    def bodies(credentials: str, line: str) -> list[str]:
        inner = f"{credentials}<from>{line}</from>"
        listed = _messages(call(http, INCOMING, "GetSentSMSIsNotReadList", inner))
        return [_body(m) for m in listed]

    assert bodies(CREDENTIALS, LINE) == ["from the line"]
    assert sorted(bodies(CREDENTIALS, "")) == ["from the line", "from the port line"]
    assert bodies(OTHER_CREDENTIALS, "") == []


def _body(message: etree._Element) -> str:
    text = message.findtext(f"{{{TNS}}}Body")
    assert text is not None, etree.tostring(message)
    return text


def _fields(message: etree._Element) -> dict[str, str | None]:
    fields: dict[str, str | None] = {}
    for child in message:
        assert isinstance(child.tag, str), child.tag  # a parsed element's tag is a str
        fields[child.tag.split("}")[1]] = child.text
    return fields


def test_listed_messages_carry_every_field_in_tehran_local_time(
    http: httpx.Client, sandbox: Sandbox
) -> None:
    # 2026-03-01 08:30:15.75 UTC is 12:00:15 in Tehran (+03:30); .NET writes it without a zone.
    sandbox.admin.inject_inbound(LINE, "09127654321", "پاسخ", received_at=1_772_353_815.75)
    inner = f"{CREDENTIALS}<from>{LINE}</from>"

    received = _messages(call(http, INCOMING, "GetNewMessagesList", inner))
    mine = [_fields(m) for m in received if _fields(m)["Body"] == "پاسخ"]

    assert len(mine) == 1
    message_id = mine[0].pop("MsgID")
    assert message_id is not None and message_id.isdigit()
    assert mine[0] == {
        "MsgType": "1",
        "Body": "پاسخ",
        "SendDate": "2026-03-01T12:00:15",
        "Sender": "9127654321",
        "Receiver": LINE,
        "Parts": "1",
        "IsRead": "false",
    }
    send(http, [MOBILE], text="x" * 161)  # two GSM-7 parts
    [sent] = [_fields(m) for m in _messages(call(http, INCOMING, "GetSentSMSIsNotReadList", inner))]
    assert (sent["MsgType"], sent["Parts"], sent["Sender"], sent["Receiver"]) == (
        "2",
        "2",
        LINE,
        MOBILE,
    )
