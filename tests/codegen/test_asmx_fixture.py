"""The generic SOAP path on an ASMX-style WSDL (tests/codegen/fixtures/asmx/): credentials as body
parameters, a double, a base64Binary, ArrayOfString and ArrayOfLong wrappers, a nillable element,
a renamed input and a result code in the response element, each over a real loopback server, sync
and async."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zeep
import zeep.xsd
from lxml import etree
from pytest_httpserver import HTTPServer

from payamak_gen._runtime.http import HttpResponse
from payamak_gen._runtime.xml import parse_text
from payamak_gen.errors import (
    ApiError,
    AuthenticationError,
    InsufficientCreditError,
    ResponseValidationError,
)
from tests.codegen.conftest import fixture_package
from tests.generated.support import canonical_xml, zeep_oracle

PROVIDER = "asmx_fixture"
PATH = "/post/send.asmx"
FIXTURE = Path(__file__).with_name("fixtures") / "asmx"
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
    "</soap:Body></soap:Envelope>"
)
CREDENTIALS = "<username>user</username><password>s3cret-pass</password>"


@pytest.fixture(scope="module")
def asmx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    yield from fixture_package(
        tmp_path_factory,
        PROVIDER,
        "tests/codegen/fixtures/asmx/send.wsdl",
        "tests/codegen/fixtures/asmx/incoming.wsdl",
        "tests/codegen/fixtures/asmx/errors.yaml",
    )


def _expect(httpserver: HTTPServer, action: str, request_body: str, response_body: str) -> None:
    httpserver.expect_oneshot_request(
        PATH,
        method="POST",
        headers={"SOAPAction": f'"http://tempuri.org/{action}"'},
        data=ENVELOPE.format(request_body).encode(),
    ).respond_with_data(ENVELOPE.format(response_body), content_type="text/xml; charset=utf-8")


def _send_sms_response(code: int, ids: str = "") -> str:
    return (
        f'<SendSmsResponse xmlns="http://tempuri.org/"><SendSmsResult>{code}</SendSmsResult>'
        f"<recId>{ids}</recId></SendSmsResponse>"
    )


def test_writes_come_from_the_request_element_mark(asmx: types.ModuleType) -> None:
    assert frozenset({"send_sms"}) == asmx.operations.WRITES


def test_the_client_is_generated_with_the_spec_names(asmx: types.ModuleType) -> None:
    assert asmx.DEFAULT_BASE_URL == "http://panel.example"
    assert asmx.operations.SEND_SERVICE.path == PATH
    assert asmx.operations.INCOMING_SERVICE.path == "/post/IncomingMessages.asmx"
    assert {"build_get_credit", "build_send_sms"} <= set(asmx.operations.__all__)


def test_a_double_result_sync(asmx: types.ModuleType, httpserver: HTTPServer) -> None:
    _expect(
        httpserver,
        "GetCredit",
        f'<GetCredit xmlns="http://tempuri.org/">{CREDENTIALS}</GetCredit>',
        '<GetCreditResponse xmlns="http://tempuri.org/">'
        "<GetCreditResult>1234.5</GetCreditResult></GetCreditResponse>",
    )
    with asmx.AsmxFixtureClient("user", "s3cret-pass", base_url=httpserver.url_for("/")) as c:
        assert c.get_credit() == 1234.5
    httpserver.check_assertions()


async def test_an_operation_posts_to_its_own_service_async(
    asmx: types.ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request(
        "/post/IncomingMessages.asmx",
        method="POST",
        headers={"SOAPAction": '"http://tempuri.org/GetInboxCount"'},
        data=ENVELOPE.format(
            f'<GetInboxCount xmlns="http://tempuri.org/">{CREDENTIALS}<isRead>true</isRead>'
            "</GetInboxCount>"
        ).encode(),
    ).respond_with_data(
        ENVELOPE.format(
            '<GetInboxCountResponse xmlns="http://tempuri.org/">'
            "<GetInboxCountResult>7</GetInboxCountResult></GetInboxCountResponse>"
        ),
        content_type="text/xml",
    )
    async with asmx.AsyncAsmxFixtureClient(
        "user", "s3cret-pass", base_url=httpserver.url_for("/")
    ) as c:
        assert await c.get_inbox_count(is_read=True) == 7
    httpserver.check_assertions()


async def test_arrays_nil_and_a_success_code_async(
    asmx: types.ModuleType, httpserver: HTTPServer
) -> None:
    _expect(
        httpserver,
        "SendSms",
        f'<SendSms xmlns="http://tempuri.org/">{CREDENTIALS}'
        "<to><string>09121234567</string><string>09127654321</string></to>"
        "<from>5000</from><text>سلام &amp; bye</text>"
        '<udh xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></SendSms>',
        _send_sms_response(1, "<long>11</long><long>9007199254740993</long>"),
    )
    async with asmx.AsyncAsmxFixtureClient(
        "user", "s3cret-pass", base_url=httpserver.url_for("/")
    ) as c:
        ids = await c.send_sms(
            to=["09121234567", "09127654321"], sender="5000", text="سلام & bye", udh=None
        )
    assert ids == [11, 9007199254740993]
    httpserver.check_assertions()


def test_base64_bytes_travel_as_base64(asmx: types.ModuleType, httpserver: HTTPServer) -> None:
    _expect(
        httpserver,
        "SendSms",
        f'<SendSms xmlns="http://tempuri.org/">{CREDENTIALS}'
        "<to><string>0912</string></to><text>x</text><udh>BQADAAIB</udh></SendSms>",
        _send_sms_response(1),
    )
    with asmx.AsmxFixtureClient("user", "s3cret-pass", base_url=httpserver.url_for("/")) as c:
        assert c.send_sms(to=["0912"], text="x", udh=b"\x05\x00\x03\x00\x02\x01") == []
    httpserver.check_assertions()


@pytest.mark.parametrize(
    ("code", "error"),
    [(2, InsufficientCreditError), (0, AuthenticationError), (77, ApiError)],
    ids=["catalogued", "authentication", "undocumented"],
)
def test_a_result_code_in_the_response_element_raises_its_error(
    asmx: types.ModuleType, httpserver: HTTPServer, code: int, error: type[ApiError]
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        ENVELOPE.format(_send_sms_response(code)), content_type="text/xml"
    )
    with (
        asmx.AsmxFixtureClient("user", "s3cret-pass", base_url=httpserver.url_for("/")) as c,
        pytest.raises(error) as caught,
    ):
        c.send_sms(to=["0912"], text="x")
    assert type(caught.value) is error
    assert (caught.value.code, caught.value.operation) == (code, "SendSms")
    assert "s3cret-pass" not in f"{caught.value!s}{caught.value!r}{c!r}"


def test_a_nil_value_reads_back_as_none(asmx: types.ModuleType) -> None:
    element = asmx.codec.write_send_sms(asmx.envelopes.SendSms(udh=None, text="t"))
    parsed = asmx.codec.read_send_sms(parse_text(element))
    assert (parsed.udh, parsed.text) == (None, "t")


def test_a_malformed_double_is_a_validation_error(
    asmx: types.ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        ENVELOPE.format(
            '<GetCreditResponse xmlns="http://tempuri.org/">'
            "<GetCreditResult>1,5</GetCreditResult></GetCreditResponse>"
        ),
        content_type="text/xml",
    )
    with (
        asmx.AsmxFixtureClient("u", "p", base_url=httpserver.url_for("/")) as c,
        pytest.raises(ResponseValidationError, match="is not a double"),
    ):
        c.get_credit()


@pytest.fixture(scope="module")
def oracles() -> dict[str, Any]:
    """zeep over each WSDL file, by the operations it describes."""
    send, incoming = zeep_oracle(FIXTURE / "send.wsdl"), zeep_oracle(FIXTURE / "incoming.wsdl")
    return {"GetCredit": send, "SendSms": send, "GetInboxCount": incoming}


CREDENTIAL_ARGS = {"username": "u", "password": "p"}


@pytest.mark.parametrize(
    ("operation", "method", "ours", "theirs"),
    [
        ("GetCredit", "get_credit", {}, {}),
        ("GetInboxCount", "get_inbox_count", {"is_read": False}, {"isRead": False}),
        (
            "SendSms",
            "send_sms",
            {"to": ["0912", "0913"], "sender": "5000", "text": "سلام <&>", "udh": b"\x05\x00"},
            {
                "to": {"string": ["0912", "0913"]},
                "from": "5000",
                "text": "سلام <&>",
                "udh": b"\x05\x00",
            },
        ),
        (
            "SendSms",
            "send_sms",
            {"to": ["0912"], "text": "x", "udh": None},
            {"to": {"string": ["0912"]}, "text": "x", "udh": zeep.xsd.Nil},
        ),
    ],
    ids=["double-result", "other-service", "arrays-and-base64", "nil"],
)
def test_zeep_builds_the_same_envelope(
    asmx: types.ModuleType,
    oracles: dict[str, Any],
    operation: str,
    method: str,
    ours: dict[str, Any],
    theirs: dict[str, Any],
) -> None:
    built = getattr(asmx.operations, f"build_{method}")(**CREDENTIAL_ARGS, **ours)
    oracle = oracles[operation]
    envelope, headers = oracle.service._binding._create(
        operation, (), {**CREDENTIAL_ARGS, **theirs}, client=oracle
    )

    assert canonical_xml(built.content) == canonical_xml(etree.tostring(envelope))
    assert built.headers["SOAPAction"] == headers["SOAPAction"]


def test_zeep_reads_our_understanding_of_an_answer_alike(
    asmx: types.ModuleType, oracles: dict[str, Any]
) -> None:
    body = ENVELOPE.format(_send_sms_response(1, "<long>11</long><long>12</long>")).encode()
    reply = types.SimpleNamespace(
        content=body, status_code=200, headers={"Content-Type": "text/xml"}, encoding="utf-8"
    )

    oracle = oracles["SendSms"]
    binding = oracle.service._binding
    theirs = binding.process_reply(oracle, binding.get("SendSms"), reply)
    ours = asmx.operations.parse_send_sms(HttpResponse(status_code=200, content=body))

    assert (theirs.SendSmsResult, list(theirs.recId.long)) == (1, ours)


@pytest.mark.parametrize("value", ["NaN", "INF", "-INF", "1E999"])
def test_a_non_finite_double_is_refused(
    asmx: types.ModuleType, httpserver: HTTPServer, value: str
) -> None:
    # Issue 12: XML Schema allows INF and NaN in a double; no credit is either.
    httpserver.expect_request(PATH).respond_with_data(
        ENVELOPE.format(
            '<GetCreditResponse xmlns="http://tempuri.org/">'
            f"<GetCreditResult>{value}</GetCreditResult></GetCreditResponse>"
        ),
        content_type="text/xml; charset=utf-8",
    )
    with (
        asmx.AsmxFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as client,
        pytest.raises(ResponseValidationError, match="not a finite number"),
    ):
        client.get_credit()


def _answer(httpserver: HTTPServer, operation: str, inner: str) -> None:
    httpserver.expect_oneshot_request(
        "/post/IncomingMessages.asmx",
        headers={"SOAPAction": f'"http://tempuri.org/{operation}"'},
    ).respond_with_data(
        ENVELOPE.format(
            f'<{operation}Response xmlns="http://tempuri.org/">{inner}</{operation}Response>'
        ),
        content_type="text/xml",
    )


@pytest.mark.parametrize("name", ["GetMessagesResult", "GetMessagesAResult"])
def test_an_array_of_a_complex_type_under_either_name_is_a_list(
    asmx: types.ModuleType, httpserver: HTTPServer, name: str
) -> None:
    _answer(
        httpserver,
        "GetMessages",
        f"<{name}><Message><Id>5</Id><Body>a</Body></Message><Message><Id>6</Id></Message></{name}>",
    )
    with asmx.AsmxFixtureClient("u", "p", base_url=httpserver.url_for("/")) as c:
        messages = c.get_messages()
    assert [(m.id, m.body) for m in messages] == [(5, "a"), (6, None)]


@pytest.mark.parametrize("inner", ["", "<GetMessagesAResult/>"], ids=["absent", "empty"])
def test_an_absent_or_empty_array_is_an_empty_list(
    asmx: types.ModuleType, httpserver: HTTPServer, inner: str
) -> None:
    _answer(httpserver, "GetMessages", inner)
    with asmx.AsmxFixtureClient("u", "p", base_url=httpserver.url_for("/")) as c:
        assert c.get_messages() == []


async def test_a_code_and_several_children_are_one_class_with_encodings_applied(
    asmx: types.ModuleType, httpserver: HTTPServer
) -> None:
    _answer(
        httpserver,
        "Report",
        "<ReportResult>1</ReportResult><flags>AAIA</flags><state>77</state>"
        "<balance>1500.6</balance>",
    )
    async with asmx.AsyncAsmxFixtureClient("u", "p", base_url=httpserver.url_for("/")) as c:
        outcome = await c.report()
    assert type(outcome) is asmx.operations.ReportOutcome
    assert (outcome.code.code, outcome.code.kind) == (1, "ok")
    assert outcome.flags == [True, False, True]
    # An undocumented delivery code keeps its raw value, with the catalog's unknown state.
    assert (outcome.state.code, outcome.state.state) == (77, "pending")
    assert (outcome.balance_rials, type(outcome.balance_rials)) == (1501, int)


def test_absent_optional_children_of_an_outcome(
    asmx: types.ModuleType, httpserver: HTTPServer
) -> None:
    _answer(httpserver, "Report", "<ReportResult>1</ReportResult><state>1</state>")
    with asmx.AsmxFixtureClient("u", "p", base_url=httpserver.url_for("/")) as c:
        outcome = c.report()
    assert (outcome.flags, outcome.state.state, outcome.balance_rials) == ([], "delivered", None)


@pytest.mark.parametrize(("code", "kind"), [(1, "ok"), (2, None)])
def test_a_response_of_only_a_result_code_returns_its_entry_or_raises(
    asmx: types.ModuleType, httpserver: HTTPServer, code: int, kind: str | None
) -> None:
    _answer(httpserver, "Mark", f"<MarkResult>{code}</MarkResult>")
    with asmx.AsmxFixtureClient("u", "p", base_url=httpserver.url_for("/")) as c:
        if kind is None:
            with pytest.raises(InsufficientCreditError):
                c.mark()
        else:
            entry = c.mark()
            assert (entry.code, entry.kind) == (code, kind)
