"""How the trez_xml client fails: each failure is a distinct typed error raised before anything
half-built escapes, hostile XML is refused, and no error or repr shows the password."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from payamak_gen import errors
from payamak_gen._runtime.http import HttpRequest
from payamak_gen.trez_xml import AsyncTrezXmlClient, PeerMessage, TrezXmlClient
from tests.generated.support import assert_matches_catalog, assert_no_secrets
from tests.generated.trez_xml.support import (
    NUMBER,
    PASSWORD,
    PASSWORD_XML,
    PATH,
    USERNAME,
    example,
    response_document,
    soap_fault,
    soap_response,
)
from tests.spec_tables import result_codes

XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def _assert_no_credentials(error: BaseException) -> None:
    assert_no_secrets(error, PASSWORD, PASSWORD_XML)


def _serve(httpserver: HTTPServer, body: bytes, status: int = 200) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        body, status=status, content_type="text/xml; charset=utf-8"
    )


# ------------------------------------------------------------------------- result codes


@pytest.mark.parametrize("entry", result_codes("trez_xml"), ids=lambda e: str(e["code"]))
def test_every_result_code_maps_to_its_typed_error(
    httpserver: HTTPServer, client: TrezXmlClient, entry: dict[str, Any]
) -> None:
    body = soap_response(response_document(f"<action>credit</action><code>{entry['code']}</code>"))
    _serve(httpserver, body)

    with pytest.raises(errors.ApiError) as caught:
        client.get_credit()

    error = caught.value
    assert_matches_catalog(error, entry)
    assert error.server_message is None
    assert (error.provider, error.operation, error.http_status) == ("trez_xml", "credit", 200)
    assert error.raw == body
    _assert_no_credentials(error)


async def test_result_code_async(httpserver: HTTPServer, async_client: AsyncTrezXmlClient) -> None:
    _serve(httpserver, soap_response(example("error.response.xml")))

    with pytest.raises(errors.AuthenticationError) as caught:
        await async_client.send_message(mobiles=["09121234567"], message="x", user_group_id="1")

    assert caught.value.code == 462


@pytest.mark.parametrize(
    ("children", "code", "server_message"),
    [
        ("<code>465</code><message>اعتبار کافی نیست</message>", 465, "اعتبار کافی نیست"),
        ("<code> 465 : no credit </code>", 465, "465 : no credit"),
        ("<message>first</message><code>465</code><body/>", 465, "first"),
    ],
    ids=["message-element", "description-in-code", "any-order-with-body"],
)
def test_error_shape_is_read_leniently(
    httpserver: HTTPServer,
    client: TrezXmlClient,
    children: str,
    code: int,
    server_message: str,
) -> None:
    _serve(httpserver, soap_response(f"<xmlresponse>{children}</xmlresponse>"))

    with pytest.raises(errors.InsufficientCreditError) as caught:
        client.get_credit()

    assert (caught.value.code, caught.value.server_message) == (code, server_message)


def test_undocumented_code_is_a_plain_api_error(
    httpserver: HTTPServer, client: TrezXmlClient
) -> None:
    _serve(httpserver, soap_response("<xmlresponse><code>477</code></xmlresponse>"))

    with pytest.raises(errors.ApiError) as caught:
        client.get_credit()

    assert type(caught.value) is errors.ApiError
    assert (caught.value.code, caught.value.kind) == (477, None)


def test_code_without_a_number_is_a_validation_error(
    httpserver: HTTPServer, client: TrezXmlClient
) -> None:
    _serve(httpserver, soap_response("<xmlresponse><code>error</code></xmlresponse>"))

    with pytest.raises(errors.ResponseValidationError, match="holds no result code"):
        client.get_credit()


def test_no_received_messages_is_not_found(httpserver: HTTPServer, client: TrezXmlClient) -> None:
    _serve(httpserver, soap_response(response_document("<code>490</code>")))

    with pytest.raises(errors.NotFoundError):
        client.received_messages(
            start=datetime(2024, 1, 1).astimezone(), end=datetime.now().astimezone()
        )


# ------------------------------------------------------------------------- SOAP and HTTP


@pytest.mark.parametrize(
    ("fault_code", "kind"),
    [
        ("soap:Server", "server"),
        ("soap:Client", "invalid_request"),
        ("soap:Client.Auth", "invalid_request"),
    ],
)
def test_soap_fault_is_typed_before_the_http_status(
    httpserver: HTTPServer, client: TrezXmlClient, fault_code: str, kind: str
) -> None:
    text = "Server was unable to process request. ---> Object reference not set."
    body = soap_fault(fault_code, text)
    _serve(httpserver, body, status=500)

    with pytest.raises(errors.SoapFaultError) as caught:
        client.get_credit()

    error = caught.value
    assert isinstance(error, errors.ApiError)
    assert (error.fault_code, error.fault_string, error.code) == (fault_code, text, fault_code)
    assert (error.kind, error.retryable, error.http_status) == (kind, False, 500)
    assert error.outcome_unknown == (kind == "server")  # a Client fault was refused outright
    assert (error.server_message, error.raw) == (text, body)
    assert error.fault_actor is None and error.detail is None
    _assert_no_credentials(error)


def test_soap_fault_with_http_200_is_still_a_fault(
    httpserver: HTTPServer, client: TrezXmlClient
) -> None:
    _serve(httpserver, soap_fault("soap:Server", "boom"))

    with pytest.raises(errors.SoapFaultError):
        client.get_credit()


def test_http_401_is_an_authentication_error(httpserver: HTTPServer, client: TrezXmlClient) -> None:
    _serve(httpserver, b"Unauthorized", status=401)

    with pytest.raises(errors.AuthenticationError) as caught:
        client.get_credit()

    assert (caught.value.http_status, caught.value.code) == (401, None)
    assert caught.value.message_fa


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b"<!DOCTYPE html><html><body><h1>500 - Internal Server Error</h1></body></html>"),
        (503, b""),
        (404, b"<html>not found</html>"),
        (302, b""),
    ],
)
def test_unexpected_http_status(
    httpserver: HTTPServer, client: TrezXmlClient, status: int, body: bytes
) -> None:
    _serve(httpserver, body, status=status)

    with pytest.raises(errors.HttpStatusError) as caught:
        client.get_credit()

    assert (caught.value.status_code, caught.value.raw) == (status, body)


def _envelope(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
    ).encode()


CREDIT = soap_response(example("credit.response.xml"))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml",
        CREDIT[: len(CREDIT) // 2],
        CREDIT[:-1],
        CREDIT.replace(b"</getxmlResponse>", b""),
        ('<?xml version="1.0"?>' + XXE + "<x>&e;</x>").encode(),
        ('<?xml version="1.0"?>' + LAUGHS + "<x>&lol9;</x>").encode(),
        CREDIT.replace(
            b"<soap:Envelope", XXE.replace("x [", "soap:Envelope [").encode() + b"<soap:Envelope", 1
        ),
        ("<!DOCTYPE x><x/>").encode("utf-16"),
        b"\xff\xfe\x00",
    ],
    ids=[
        "empty",
        "text",
        "truncated-half",
        "truncated-last-byte",
        "mismatched-tags",
        "xxe",
        "billion-laughs",
        "xxe-before-envelope",
        "doctype-utf16",
        "garbage",
    ],
)
def test_malformed_envelope(httpserver: HTTPServer, client: TrezXmlClient, body: bytes) -> None:
    _serve(httpserver, body)

    with pytest.raises(errors.MalformedResponseError) as caught:
        client.get_credit()

    assert caught.value.raw == body


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><Envelope><Body/></Envelope>',
        _envelope(""),
        _envelope('<fooResponse xmlns="http://tempuri.org/"/>'),
        _envelope('<getxmlResponse xmlns="http://tempuri.org/"/>'),
        _envelope(
            '<getxmlResponse xmlns="urn:other"><getxmlResult>x</getxmlResult></getxmlResponse>'
        ),
        _envelope(
            '<getxmlResponse xmlns="http://tempuri.org/"><getxmlResult>a</getxmlResult>'
            "<getxmlResult>b</getxmlResult></getxmlResponse>"
        ),
        _envelope(
            '<getxmlResponse xmlns="http://tempuri.org/"><getxmlResult><b/></getxmlResult>'
            "</getxmlResponse>"
        ),
        _envelope(
            '<getxmlResponse xmlns="http://tempuri.org/"/><getxmlResponse xmlns="http://tempuri.org/"/>'
        ),
    ],
    ids=[
        "no-soap-namespace",
        "empty-body",
        "other-operation",
        "no-result",
        "result-in-other-namespace",
        "result-twice",
        "result-with-an-element",
        "two-responses",
    ],
)
def test_envelope_that_does_not_fit(
    httpserver: HTTPServer, client: TrezXmlClient, body: bytes
) -> None:
    _serve(httpserver, body)

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.get_credit()

    assert caught.value.raw == body


# ------------------------------------------------------------------------- inner document


@pytest.mark.parametrize(
    "inner",
    [
        XXE + "<xmlresponse><body>&e;</body></xmlresponse>",
        LAUGHS + "<xmlresponse><body>&lol9;</body></xmlresponse>",
        '<?xml version="1.0"?><!DOCTYPE xmlresponse><xmlresponse/>',
        example("credit.response.xml")[:-30],
        "<xmlresponse><body>1</body>",
        "998515184",
        "",
    ],
    ids=["xxe", "billion-laughs", "doctype", "truncated", "unclosed", "bare-text", "empty"],
)
def test_malformed_inner_document(
    httpserver: HTTPServer, client: TrezXmlClient, inner: str
) -> None:
    _serve(httpserver, soap_response(inner))

    with pytest.raises(errors.MalformedResponseError, match="getxmlResult"):
        client.get_credit()


@pytest.mark.parametrize(
    ("inner", "match"),
    [
        ("<xmlresponse><body>12.5</body></xmlresponse>", "not an integer"),
        ("<xmlresponse><body>۱۲۳</body></xmlresponse>", "not an integer"),
        ("<xmlresponse><body/></xmlresponse>", "not an integer"),
        ("<xmlresponse><body>1_000</body></xmlresponse>", "not an integer"),
        ("<xmlresponse/>", "no body"),
        ("<xmlresponse><body><groupmid>g</groupmid></body></xmlresponse>", "text only"),
        ("<xmlrespons><body>1</body></xmlrespons>", "expected <xmlresponse>"),
        ("<xmlrespons><code>462</code></xmlrespons>", "expected <xmlresponse>"),
        ("<xmlresponse><credit>1</credit></xmlresponse>", "unexpected element <credit>"),
        ("<xmlresponse><body>1</body><body>2</body></xmlresponse>", "repeated"),
        ("<xmlresponse><type>x</type><body>1</body></xmlresponse>", "not an integer"),
        ("<xmlresponse>text<body>1</body></xmlresponse>", "unexpected text"),
        ("<xmlresponse><body><other/></body></xmlresponse>", "unexpected element <other>"),
        ("<xmlresponse><username><b/></username></xmlresponse>", "unexpected child"),
    ],
)
def test_credit_that_does_not_convert(
    httpserver: HTTPServer, client: TrezXmlClient, inner: str, match: str
) -> None:
    body = soap_response(inner)
    _serve(httpserver, body)

    with pytest.raises(errors.ResponseValidationError, match=match) as caught:
        client.get_credit()

    assert caught.value.raw == body


@pytest.mark.parametrize(
    ("method", "kwargs", "body", "match"),
    [
        (
            "send_message",
            {"mobiles": ["0912"], "message": "m", "user_group_id": "1"},
            "<body/>",
            "one groupmid",
        ),
        (
            "send_message",
            {"mobiles": ["0912"], "message": "m", "user_group_id": "1"},
            "<body><groupmid> </groupmid></body>",
            "empty",
        ),
        (
            "send_peer_to_peer",
            {"messages": [PeerMessage("0912", "t", 1)], "user_group_id": "1"},
            '<body><recipient mobile="0912">x</recipient></body>',
            "not an integer",
        ),
        (
            "send_peer_to_peer",
            {"messages": [PeerMessage("0912", "t", 1)], "user_group_id": "1"},
            '<body><recipient doreid="one">1</recipient></body>',
            "not an integer",
        ),
        ("group_status", {"group_id": "g"}, "<body/>", "status is missing"),
        (
            "group_status",
            {"group_id": "g"},
            '<body status="1"><recipient>1</recipient></body>',
            "mobile is missing",
        ),
        (
            "group_status",
            {"group_id": "g"},
            '<body status="1"><recipient mobile="1"/></body>',
            "not an integer",
        ),
        (
            "message_status",
            {"message_ids": [1]},
            "<body><recipient>1</recipient></body>",
            "doreid is missing",
        ),
        ("received_messages", {}, '<body page="1"/>', "totalpage is missing"),
        (
            "received_messages",
            {},
            '<body page="1" totalpage="1">'
            '<recipient mobile="1" date="1403/13/01 10:00:00">x</recipient></body>',
            "not a real Jalali",
        ),
        (
            "received_messages",
            {},
            '<body page="1" totalpage="1">'
            '<recipient mobile="1" date="yesterday">x</recipient></body>',
            "not a Jalali",
        ),
        ("is_sub_user", {"name": "x"}, "<body>yes</body>", "not a boolean"),
    ],
)
def test_answers_that_do_not_fit_the_action(
    httpserver: HTTPServer,
    client: TrezXmlClient,
    method: str,
    kwargs: dict[str, object],
    body: str,
    match: str,
) -> None:
    if method == "received_messages":
        kwargs = {
            "start": datetime(2024, 1, 1).astimezone(),
            "end": datetime(2024, 2, 1).astimezone(),
        }
    _serve(httpserver, soap_response(f"<xmlresponse>{body}</xmlresponse>"))

    with pytest.raises(errors.ResponseValidationError, match=match):
        getattr(client, method)(**kwargs)


def test_lenient_where_the_spec_says_so(httpserver: HTTPServer, client: TrezXmlClient) -> None:
    # A byte-order mark and whitespace before the declaration, an encoding the text no longer
    # has, comments, a token with spaces, an unknown attribute and .NET's capitalised boolean.
    inner = (
        '\ufeff \n<?xml version="1.0" encoding="utf-16"?><!-- c --><xmlresponse>'
        '<action> issubuser </action><!-- c --><body x="1">True</body></xmlresponse>'
    )
    _serve(httpserver, soap_response(inner))

    assert client.is_sub_user(name="x") is True


# ------------------------------------------------------------------------- input and transport


@pytest.mark.parametrize(
    ("method", "kwargs", "error", "match"),
    [
        (
            "send_message",
            {
                "mobiles": ["0912"],
                "message": "m",
                "user_group_id": "1",
                "send_at": datetime(2024, 3, 20, 10, 0),
            },
            ValueError,
            "send_at must be timezone-aware.*2024-03-20T10:00:00",
        ),
        (
            "received_messages",
            {"start": datetime(2024, 3, 20), "end": datetime(2024, 3, 21).astimezone()},
            ValueError,
            "start must be timezone-aware",
        ),
        (
            "received_messages",
            {
                "start": datetime(2024, 3, 22).astimezone(),
                "end": datetime(2024, 3, 21).astimezone(),
            },
            ValueError,
            "is after end",
        ),
        (
            "received_messages",
            {
                "start": datetime(2024, 3, 20).astimezone(),
                "end": datetime(2024, 3, 21).astimezone(),
                "page": 0,
            },
            ValueError,
            "page must be 1 or more",
        ),
        (
            "send_message",
            {"mobiles": [], "message": "m", "user_group_id": "1"},
            ValueError,
            "mobiles must not be empty",
        ),
        (
            "send_message",
            {"mobiles": "09121234567", "message": "m", "user_group_id": "1"},
            ValueError,
            "not one string",
        ),
        (
            "send_message",
            {"mobiles": ["0912-123"], "message": "m", "user_group_id": "1"},
            ValueError,
            "recipient@mobile",
        ),
        (
            "send_message",
            {"mobiles": ["0912"], "message": "x" * 641, "user_group_id": "1"},
            ValueError,
            "641 characters, at most 640",
        ),
        (
            "send_message",
            {"mobiles": ["0912"], "message": "bell\x07", "user_group_id": "1"},
            ValueError,
            "U\\+0007",
        ),
        (
            "send_peer_to_peer",
            {"messages": [], "user_group_id": "1"},
            ValueError,
            "messages must not be empty",
        ),
        (
            "send_to_port",
            {
                "messages": [PeerMessage("0912", "t", 1)],
                "user_group_id": "1",
                "receive_port": 999,
                "send_port": 6016,
            },
            ValueError,
            "reciveport: 999 is below the minimum 1000",
        ),
        (
            "send_to_port",
            {
                "messages": [PeerMessage("0912", "t", 1)],
                "user_group_id": "1",
                "receive_port": 6122,
                "send_port": 10000,
            },
            ValueError,
            "sendport: 10000 is above",
        ),
        ("message_status", {"message_ids": []}, ValueError, "message_ids must not be empty"),
        ("group_status", {"group_id": "g", "mobiles": "0912"}, ValueError, "not one string"),
    ],
)
def test_invalid_input_is_refused_before_any_request(
    httpserver: HTTPServer,
    client: TrezXmlClient,
    method: str,
    kwargs: dict[str, object],
    error: type[Exception],
    match: str,
) -> None:
    # Every one is the documented InvalidInputError (a ValueError too), a TypeError included:
    # nothing was sent, so the outcome is known.
    with pytest.raises(errors.InvalidInputError, match=match) as caught:
        getattr(client, method)(**kwargs)

    assert isinstance(caught.value, error)
    assert caught.value.outcome_unknown is False
    assert caught.value.provider == "trez_xml"
    assert httpserver.log == []


def test_bad_line_number_is_refused_before_any_request(httpserver: HTTPServer) -> None:
    with (
        TrezXmlClient(USERNAME, PASSWORD, "3000-86", base_url=httpserver.url_for("/")) as c,
        pytest.raises(ValueError, match="xmlrequest/number"),
    ):
        c.get_credit()

    assert httpserver.log == []


def test_credentials_never_show(httpserver: HTTPServer, client: TrezXmlClient) -> None:
    request = HttpRequest(method="POST", path=PATH, content=PASSWORD.encode())

    for text in (repr(client), str(client), repr(request)):
        assert PASSWORD not in text


def test_connection_refused_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with (
        TrezXmlClient(USERNAME, PASSWORD, NUMBER, base_url=f"http://127.0.0.1:{port}") as c,
        pytest.raises(errors.TransportError) as caught,
    ):
        c.get_credit()

    assert caught.value.operation == "credit"
    _assert_no_credentials(caught.value)


def test_timeout_is_a_request_timeout(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def held(request: Request) -> Response:
        release.wait(10)  # until the client has timed out (below)
        return Response(CREDIT, content_type="text/xml; charset=utf-8")

    httpserver.expect_request(PATH).respond_with_handler(held)

    try:
        with (
            TrezXmlClient(
                USERNAME, PASSWORD, NUMBER, base_url=httpserver.url_for("/"), timeout=0.2
            ) as c,
            pytest.raises(errors.RequestTimeout),
        ):
            c.get_credit()
    finally:
        # Let the answer go and wait until the server is done with it: a request still running
        # after this test would be logged in the next test's `httpserver.log` (the server is the
        # session's, cleared between tests) and hold up its requests (it answers one at a time).
        release.set()
        deadline = time.monotonic() + 10
        while not httpserver.log and time.monotonic() < deadline:
            time.sleep(0.005)
    assert len(httpserver.log) == 1  # the held request has finished, and it was the only one


@pytest.mark.parametrize(
    ("call", "action"),
    [
        (
            lambda c: c.send_message(mobiles=["09121111111"], message="m", user_group_id="1"),
            "sendmessage",
        ),
        (lambda c: c.group_status(group_id="g"), "status"),
        (lambda c: c.is_sub_user(name="x"), "issubuser"),
        (
            lambda c: c.received_messages(
                start=datetime.fromisoformat("2024-01-01T00:00:00+03:30"),
                end=datetime.fromisoformat("2024-01-02T00:00:00+03:30"),
            ),
            "recivemessage",
        ),
    ],
    ids=["sendmessage", "status", "issubuser", "recivemessage"],
)
@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (soap_fault("soap:Server", "boom"), 500, errors.SoapFaultError),
        (b"<not xml", 200, errors.MalformedResponseError),
        (soap_response(response_document("<code>401</code>")), 200, errors.ApiError),
    ],
    ids=["fault", "malformed", "result-code"],
)
def test_every_error_names_the_action_not_getxml(
    httpserver: HTTPServer,
    client: TrezXmlClient,
    call: object,
    action: str,
    body: bytes,
    status: int,
    error: type[errors.PayamakGenError],
) -> None:
    _serve(httpserver, body, status)
    assert callable(call)
    with pytest.raises(error) as caught:
        call(client)
    assert caught.value.operation == action
