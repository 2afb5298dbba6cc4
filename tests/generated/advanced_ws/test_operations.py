"""The generated advanced_ws client over a real HTTP server on 127.0.0.1: every operation, sync and
async, with the exact envelope and SOAPAction it sends, answered with the spec's examples; every
response shape (a credit text, a list of ids, per-recipient outcomes, status codes to their unified
state, received messages, a list of one, an empty or absent list, a failure with and without its
description); each result code to its typed outcome; and zeep, loading the same WSDL offline,
building the same envelopes and reading the answers alike."""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pytest_httpserver import HTTPServer

from payamak_gen.advanced_ws import (
    DEFAULT_BASE_URL,
    AdvancedWsClient,
    AsyncAdvancedWsClient,
    operations,
)
from payamak_gen.errors import (
    ApiError,
    AuthenticationError,
    InvalidInputError,
    InvalidRequestError,
    LimitExceededError,
    PermissionDeniedError,
    ResponseValidationError,
    ServerError,
    SoapFaultError,
)
from tests.generated.support import canonical_xml, zeep_oracle

SPECS = Path(__file__).resolve().parents[3] / "specs" / "advanced_ws"
EXAMPLES = SPECS / "examples"
PATH = "/advanced/server.php"
NS = "urn:AdvancedWebService"
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
    "</soap:Body></soap:Envelope>"
)
CREDENTIALS = '<user xmlns="">user</user><pass xmlns="">s3cret-pass</pass>'


def _items(name: str, values: list[str]) -> str:
    return f'<{name} xmlns="">' + "".join(f"<item>{v}</item>" for v in values) + f"</{name}>"


# Operation → (method, keyword arguments, the request element's inner XML exactly as sent, the
# example file answering it, the value the method returns, compared by _outcome).
CASES: dict[str, tuple[str, dict[str, Any], str, str, Any]] = {
    "GetCredit": ("get_credit", {}, CREDENTIALS, "GetCredit.response.xml", "125000"),
    "SendSMS": (
        "send_sms",
        {
            "from_num": "30001234",
            "to_num": ["09121234567", "09351234567", "09121234567"],
            "message_content": "سلام & <x>",
        },
        CREDENTIALS
        + '<fromNum xmlns="">30001234</fromNum>'
        + _items("toNum", ["09121234567", "09351234567", "09121234567"])
        + '<messageContent xmlns="">سلام &amp; &lt;x&gt;</messageContent>',
        "SendSMS.response.xml",
        ["81001", "81002"],
    ),
    "SendMultipleSMS": (
        "send_multiple_sms",
        {
            "from_num": "30001234",
            "to_nums": ["09121234567", "09351234567"],
            "message_contents": ["سلام علی", "سلام مریم"],
        },
        CREDENTIALS
        + '<fromNum xmlns="">30001234</fromNum>'
        + _items("toNums", ["09121234567", "09351234567"])
        + _items("messageContents", ["سلام علی", "سلام مریم"]),
        "SendMultipleSMS.response.xml",
        [((0, "ok"), "81003"), ((-3, "server"), "ارسال به این شماره ممکن نیست")],
    ),
    "GetStatus": (
        "get_status",
        {"unique_ids": ["81001", "81002"]},
        CREDENTIALS + _items("unique_ids", ["81001", "81002"]),
        "GetStatus.response.xml",
        [(4, "delivered"), (1, "pending")],
    ),
    "GetMsg": (
        "get_msg",
        {},
        CREDENTIALS,
        "GetMsg.response.xml",
        [
            (
                "09121234567",
                "30001234",
                "سلام",
                datetime(2025, 11, 30, 10, 53, 20, tzinfo=timezone.utc),
            )
        ],
    ),
}


def _outcome(result: Any) -> Any:
    """Records as tuples of their fields, catalog entries as (code, state)."""
    if not isinstance(result, list):
        return result
    out: list[Any] = []
    for item in result:
        if hasattr(item, "state"):
            out.append((item.code, item.state))
        elif hasattr(item, "err_code"):
            out.append(((item.err_code.code, item.err_code.kind), item.result))
        elif hasattr(item, "msg"):
            out.append((item.from_value, item.to, item.msg, item.time))
        else:
            out.append(item)
    return out


def _expect(httpserver: HTTPServer, op: str, response: bytes | None = None) -> None:
    _, _, request, example, _ = CASES[op]
    httpserver.expect_oneshot_request(
        PATH,
        method="POST",
        headers={
            "SOAPAction": f'"{NS}#{op}"',
            "Content-Type": "text/xml; charset=utf-8",
        },
        data=ENVELOPE.format(f'<{op} xmlns="{NS}">{request}</{op}>').encode(),
    ).respond_with_data(
        response if response is not None else (EXAMPLES / example).read_bytes(),
        content_type="text/xml; charset=utf-8",
    )


def _answer(httpserver: HTTPServer, op: str, inner: str) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        ENVELOPE.format(f'<n:{op}Response xmlns:n="{NS}">{inner}</n:{op}Response>'),
        content_type="text/xml; charset=utf-8",
    )


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[AdvancedWsClient]:
    with AdvancedWsClient("user", "s3cret-pass", base_url=httpserver.url_for("/")) as c:
        yield c


@pytest.fixture
async def async_client(httpserver: HTTPServer) -> AsyncIterator[AsyncAdvancedWsClient]:
    async with AsyncAdvancedWsClient("user", "s3cret-pass", base_url=httpserver.url_for("/")) as c:
        yield c


def test_every_wsdl_operation_is_covered() -> None:
    tree = etree.parse(str(SPECS / "service.wsdl"))
    names = {
        str(op.get("name"))
        for op in tree.iter("{http://schemas.xmlsoap.org/wsdl/}operation")
        # a parsed element's tag is a str
        if (parent := op.getparent()) is not None
        and isinstance(parent.tag, str)
        and parent.tag.endswith("portType")
    }
    assert names == set(CASES)
    assert frozenset({"send_sms", "send_multiple_sms"}) == operations.WRITES


@pytest.mark.parametrize("op", sorted(CASES))
def test_every_operation_sync(client: AdvancedWsClient, httpserver: HTTPServer, op: str) -> None:
    method, kwargs, _, _, expected = CASES[op]
    _expect(httpserver, op)
    assert _outcome(getattr(client, method)(**kwargs)) == expected
    httpserver.check_assertions()


@pytest.mark.parametrize("op", sorted(CASES))
async def test_every_operation_async(
    async_client: AsyncAdvancedWsClient, httpserver: HTTPServer, op: str
) -> None:
    method, kwargs, _, _, expected = CASES[op]
    _expect(httpserver, op)
    assert _outcome(await getattr(async_client, method)(**kwargs)) == expected
    httpserver.check_assertions()


@pytest.mark.parametrize("cls", [AdvancedWsClient, AsyncAdvancedWsClient])
def test_there_is_no_default_host(cls: type) -> None:
    assert DEFAULT_BASE_URL is None
    with pytest.raises(ValueError, match="vendor's host is unknown") as caught:
        cls("user", "s3cret-pass")
    assert "base_url must be given" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_limits_are_refused_before_sending(
    client: AdvancedWsClient, httpserver: HTTPServer
) -> None:
    sixty_one = [f"0912{i:07d}" for i in range(61)]
    with pytest.raises(InvalidInputError, match="toNum holds 61 distinct values; at most 60"):
        client.send_sms(from_num="30001234", to_num=sixty_one, message_content="x")
    with pytest.raises(InvalidInputError, match="messageContents has 3 items but toNums has 2"):
        client.send_multiple_sms(
            from_num="30001234", to_nums=["1", "2"], message_contents=["a", "b", "c"]
        )
    assert httpserver.log == []


async def test_sixty_distinct_numbers_with_repeats_are_sent(
    async_client: AsyncAdvancedWsClient, httpserver: HTTPServer
) -> None:
    numbers = [f"0912{i:07d}" for i in range(60)]
    _answer(httpserver, "SendSMS", "<ErrCode>0</ErrCode><result><item>1</item></result>")
    await async_client.send_sms(
        from_num="30001234", to_num=numbers + numbers[:30], message_content="x"
    )
    (request, _), *_ = httpserver.log
    assert request.get_data().count(b"<item>") == 90  # repeats are sent as given


def test_a_list_of_one_and_empty_or_absent_lists(
    client: AdvancedWsClient, httpserver: HTTPServer
) -> None:
    _answer(httpserver, "GetStatus", "<ErrCode>0</ErrCode><result><item>77</item></result>")
    (status,) = client.get_status(unique_ids=["1"])
    # A code errors.yaml does not list keeps its raw value, with the unknown state.
    assert (status.code, status.state) == (77, "pending")
    httpserver.clear()
    _answer(httpserver, "GetMsg", "<ErrCode>0</ErrCode><result/>")
    assert client.get_msg() == []
    httpserver.clear()
    _answer(httpserver, "GetMsg", "<ErrCode>0</ErrCode>")
    assert client.get_msg() == []


def test_entry_codes_and_times_are_typed(client: AdvancedWsClient, httpserver: HTTPServer) -> None:
    entry = "<item><ErrCode>{}</ErrCode><result>{}</result></item>"
    _answer(
        httpserver,
        "SendMultipleSMS",
        "<ErrCode>0</ErrCode><result>"
        + entry.format(-5, "not yours")
        + entry.format(-77, "?")
        + "</result>",
    )
    five, unknown = client.send_multiple_sms(
        from_num="3000", to_nums=["09121234567", "09121234568"], message_contents=["a", "b"]
    )
    # Each entry's code is its errors.yaml entry; an undocumented one a failure, never retried.
    assert (five.err_code.code, five.err_code.kind, five.err_code.fa) == (
        -5,
        "permission",
        "شماره ارسال متعلق به شما نیست",
    )
    assert (unknown.err_code.code, unknown.err_code.kind, unknown.err_code.retryable) == (
        -77,
        "server",
        False,
    )
    httpserver.clear()
    message = "<item><from>0912</from><to>3000</to><msg>x</msg><time>{}</time></item>"
    _answer(httpserver, "GetMsg", f"<ErrCode>0</ErrCode><result>{message.format(0)}</result>")
    (received,) = client.get_msg()
    assert received.time == datetime(1970, 1, 1, tzinfo=timezone.utc)
    httpserver.clear()
    # A time no datetime can hold is a bad answer, not a crash.
    _answer(httpserver, "GetMsg", f"<ErrCode>0</ErrCode><result>{message.format(10**17)}</result>")
    with pytest.raises(ResponseValidationError, match="is not a time in unix seconds"):
        client.get_msg()


def test_credit_without_result_is_a_validation_error(
    client: AdvancedWsClient, httpserver: HTTPServer
) -> None:
    _answer(httpserver, "GetCredit", "<ErrCode>0</ErrCode>")
    with pytest.raises(ResponseValidationError, match="GetCreditResponse has no result"):
        client.get_credit()


@pytest.mark.parametrize(
    ("op", "code", "error"),
    [
        ("GetCredit", -1, AuthenticationError),
        ("SendSMS", -2, LimitExceededError),
        ("SendSMS", -3, ServerError),
        ("SendMultipleSMS", -4, InvalidRequestError),
        ("SendMultipleSMS", -5, PermissionDeniedError),
        ("GetStatus", -1, AuthenticationError),
        ("GetMsg", -42, ApiError),
    ],
)
def test_each_result_code_raises_its_typed_error(
    client: AdvancedWsClient,
    httpserver: HTTPServer,
    op: str,
    code: int,
    error: type[ApiError],
) -> None:
    # GetCredit's failure carries its description in result; the lists' do not.
    description = "<result>کاربر شناسایی نشد</result>" if op == "GetCredit" else ""
    _answer(httpserver, op, f"<ErrCode>{code}</ErrCode>{description}")
    method, kwargs, *_ = CASES[op]
    with pytest.raises(error) as caught:
        getattr(client, method)(**kwargs)
    assert (type(caught.value), caught.value.code, caught.value.operation) == (error, code, op)
    assert not caught.value.retryable


def test_the_examples_failures_are_typed(client: AdvancedWsClient, httpserver: HTTPServer) -> None:
    for example, op, error in [
        ("GetCredit.wrong-password.response.xml", "GetCredit", AuthenticationError),
        ("SendSMS.too-many.response.xml", "SendSMS", LimitExceededError),
        ("SendMultipleSMS.counts-differ.response.xml", "SendMultipleSMS", InvalidRequestError),
    ]:
        httpserver.clear()
        httpserver.expect_request(PATH).respond_with_data(
            (EXAMPLES / example).read_bytes(), content_type="text/xml; charset=utf-8"
        )
        method, kwargs, *_ = CASES[op]
        with pytest.raises(error):
            getattr(client, method)(**kwargs)


def test_a_soap_fault_is_typed(client: AdvancedWsClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        ENVELOPE.format(
            "<soap:Fault><faultcode>soap:Client</faultcode>"
            "<faultstring>Bad request</faultstring></soap:Fault>"
        ),
        status=500,
        content_type="text/xml; charset=utf-8",
    )
    with pytest.raises(SoapFaultError) as caught:
        client.get_msg()
    assert (caught.value.fault_code, caught.value.fault_string) == ("soap:Client", "Bad request")


# zeep, the independent reference: the same WSDL, loaded offline.
@pytest.fixture(scope="module")
def oracle() -> Any:
    return zeep_oracle(SPECS / "service.wsdl")


ZEEP_ARGS: dict[str, dict[str, Any]] = {
    "GetCredit": {},
    "SendSMS": {
        "fromNum": "30001234",
        "toNum": {"item": ["09121234567", "09351234567", "09121234567"]},
        "messageContent": "سلام & <x>",
    },
    "SendMultipleSMS": {
        "fromNum": "30001234",
        "toNums": {"item": ["09121234567", "09351234567"]},
        "messageContents": {"item": ["سلام علی", "سلام مریم"]},
    },
    "GetStatus": {"unique_ids": {"item": ["81001", "81002"]}},
    "GetMsg": {},
}


@pytest.mark.parametrize("op", sorted(CASES))
def test_zeep_builds_the_same_envelope(oracle: Any, op: str) -> None:
    method, kwargs, *_ = CASES[op]
    built = getattr(operations, f"build_{method}")(
        username="user", password="s3cret-pass", **kwargs
    )
    envelope, headers = oracle.service._binding._create(
        op, (), {"user": "user", "pass": "s3cret-pass", **ZEEP_ARGS[op]}, client=oracle
    )
    assert canonical_xml(built.content) == canonical_xml(etree.tostring(envelope))
    assert built.headers["SOAPAction"] == headers["SOAPAction"]


@pytest.mark.parametrize("op", sorted(CASES))
def test_zeep_reads_the_answers_alike(
    client: AdvancedWsClient, httpserver: HTTPServer, oracle: Any, op: str
) -> None:
    method, kwargs, _, example, _ = CASES[op]
    _expect(httpserver, op)
    ours = _outcome(getattr(client, method)(**kwargs))
    reply = types.SimpleNamespace(
        content=(EXAMPLES / example).read_bytes(),
        status_code=200,
        headers={"Content-Type": "text/xml"},
        encoding="utf-8",
    )
    theirs = oracle.service._binding.process_reply(oracle, oracle.service._binding.get(op), reply)
    assert theirs.ErrCode == 0
    if op == "GetCredit":
        assert theirs.result == ours
    elif op == "SendMultipleSMS":
        assert [(e.ErrCode, e.result) for e in theirs.result.item] == [
            (code, result) for (code, _), result in ours
        ]
    elif op == "GetStatus":
        assert theirs.result.item == [code for code, _ in ours]
    elif op == "GetMsg":
        assert [
            (m["from"], m.to, m.msg, datetime.fromtimestamp(m.time, timezone.utc))
            for m in theirs.result.item
        ] == ours
    else:
        assert theirs.result.item == ours
