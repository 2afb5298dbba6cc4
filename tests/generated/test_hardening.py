"""Issue 12, the client side, for every landed provider: one error contract (nothing but the
documented hierarchy escapes a call), an overall deadline, a response size cap enforced while
the body streams in, finite numbers only, and no password in a traceback rendered with locals.

Hostile answers come from real loopback servers: pytest-httpserver for whole bodies, and the raw
socket server of ``rawserver`` for trickled, flooded and hung-up answers."""

from __future__ import annotations

import base64
import inspect
import socket
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from typing import Any, Protocol
from urllib.parse import quote_plus
from xml.sax.saxutils import escape

import pytest
from pytest_httpserver import HTTPServer
from rich.traceback import Traceback

from payamak_gen import errors
from payamak_gen._runtime.http import Secret
from payamak_gen._runtime.xml import MAX_MARKUP
from payamak_gen.advanced_ws import AdvancedWsClient
from payamak_gen.advanced_ws import operations as advanced_operations
from payamak_gen.ippanel_classic import IppanelClassicClient
from payamak_gen.payamak_panel import PayamakPanelClient
from payamak_gen.payamak_panel import operations as panel_operations
from payamak_gen.trez_rest import AsyncTrezRestClient, TrezRestClient
from payamak_gen.trez_xml import AsyncTrezXmlClient, TrezXmlClient
from tests.generated import rawserver
from tests.generated.samples import arguments, operations_of
from tests.generated.trez_xml import support as xml

REST_PASSWORD = "s3cret:پسورد"
REST_BASIC = base64.b64encode(f"demo-user:{REST_PASSWORD}".encode()).decode()
JSON = "application/json"
SOAP = "text/xml; charset=utf-8"
REST_CREDIT = b'{"Code":0,"Message":"ok","Result":129249}'
XML_CREDIT = xml.soap_response(xml.response_document("<body>129249</body>"))


def _rest(base_url: str, **options: Any) -> TrezRestClient:
    return TrezRestClient("demo-user", REST_PASSWORD, base_url=base_url, **options)


def _xml(base_url: str, number: str = xml.NUMBER, **options: Any) -> TrezXmlClient:
    return TrezXmlClient(xml.USERNAME, xml.PASSWORD, number, base_url=base_url, **options)


def _panel(base_url: str, **options: Any) -> PayamakPanelClient:
    return PayamakPanelClient("demo-user", xml.PASSWORD, base_url=base_url, **options)


PANEL_CREDIT = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<GetCreditResponse xmlns="http://tempuri.org/"><GetCreditResult>129249'
    b"</GetCreditResult></GetCreditResponse></soap:Body></soap:Envelope>"
)


def _ippanel(base_url: str, **options: Any) -> IppanelClassicClient:
    return IppanelClassicClient("demo-user", REST_PASSWORD, base_url=base_url, **options)


def _advanced(base_url: str, **options: Any) -> AdvancedWsClient:
    return AdvancedWsClient("demo-user", xml.PASSWORD, base_url=base_url, **options)


ADVANCED_CREDIT = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<n:GetCreditResponse xmlns:n="urn:AdvancedWebService"><ErrCode>0</ErrCode>'
    b"<result>129249</result></n:GetCreditResponse></soap:Body></soap:Envelope>"
)


class _CreditClient(Protocol):
    """What the deadline test calls on each provider's sync client."""

    def get_credit(self) -> object: ...

    def close(self) -> None: ...


PROVIDERS: dict[str, tuple[Callable[..., _CreditClient], bytes, str]] = {
    "trez_rest": (_rest, REST_CREDIT, JSON),
    "trez_xml": (_xml, XML_CREDIT, SOAP),
    "payamak_panel": (_panel, PANEL_CREDIT, SOAP),
    "ippanel_classic": (_ippanel, b"[0,129249]", JSON),
    "advanced_ws": (_advanced, ADVANCED_CREDIT, SOAP),
}


# -- the overall deadline (item 3) --------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_trickling_server_is_cut_off_at_the_deadline(provider: str) -> None:
    make, body, content_type = PROVIDERS[provider]
    # 0.25 s a byte: the per-read timeout (1 s) never fires, as in the 18 s call.
    with rawserver.RawServer(rawserver.trickle(body, 0.25, content_type)) as server:
        client = make(server.url, timeout=1, deadline=1.0)
        started = time.monotonic()
        with pytest.raises(errors.RequestTimeout, match="overall deadline") as caught:
            client.get_credit()
        elapsed = time.monotonic() - started
        client.close()

    assert caught.value.outcome_unknown is True  # the request had left
    assert 1.0 <= elapsed < 1.4, elapsed  # overrun: at most one byte interval
    assert server.sent < len(body)


async def test_the_async_client_is_cut_off_at_the_deadline_too() -> None:
    with rawserver.RawServer(rawserver.trickle(REST_CREDIT, 0.25, JSON)) as server:
        async with AsyncTrezRestClient(
            "demo-user", REST_PASSWORD, base_url=server.url, timeout=1, deadline=0.8
        ) as client:
            started = time.monotonic()
            with pytest.raises(errors.RequestTimeout, match="overall deadline"):
                await client.get_credit()
            elapsed = time.monotonic() - started
    assert 0.8 <= elapsed < 1.2, elapsed


def test_a_server_that_sends_nothing_is_cut_off_at_the_deadline_not_the_read_timeout() -> None:
    # The per-phase read timeout (10 s) is capped by what is left of the deadline.
    with rawserver.RawServer(lambda connection, server: time.sleep(1.5)) as silent:
        client = _rest(silent.url, timeout=10, deadline=0.5)
        started = time.monotonic()
        with pytest.raises(errors.RequestTimeout) as caught:
            client.get_credit()
        assert time.monotonic() - started < 1.0
        client.close()
    assert caught.value.outcome_unknown is True


def _trickled_headers(connection: socket.socket, server: rawserver.RawServer) -> None:
    # 0.05 s a byte for the whole answer, headers included: 72 bytes, 3.6 s.
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}":
        if server.stopping():
            return
        connection.sendall(bytes([byte]))
        time.sleep(0.05)


def test_a_server_trickling_its_headers_is_cut_off_at_the_deadline() -> None:
    # httpx reads the headers in one call; the deadline reaches into each socket read.
    with rawserver.RawServer(_trickled_headers) as server:
        client = _rest(server.url, timeout=1, deadline=0.5)
        started = time.monotonic()
        with pytest.raises(errors.RequestTimeout, match="overall deadline") as caught:
            client.get_credit()
        elapsed = time.monotonic() - started
        client.close()
    assert 0.5 <= elapsed < 0.8, elapsed
    assert caught.value.outcome_unknown is True
    _assert_hidden(caught.value)


async def test_an_async_server_trickling_its_headers_is_cut_off_at_the_deadline() -> None:
    with rawserver.RawServer(_trickled_headers) as server:
        async with AsyncTrezRestClient(
            "demo-user", REST_PASSWORD, base_url=server.url, timeout=1, deadline=0.5
        ) as client:
            started = time.monotonic()
            with pytest.raises(errors.RequestTimeout, match="overall deadline"):
                await client.get_credit()
            elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 0.8, elapsed


def test_a_slow_answer_within_the_deadline_is_read() -> None:
    with (
        rawserver.RawServer(rawserver.trickle(REST_CREDIT, 0.005, JSON)) as server,
        _rest(server.url, timeout=1, deadline=2.0) as client,
    ):
        assert client.get_credit() == 129249


def test_deadline_none_and_bad_values() -> None:
    with _rest("http://127.0.0.1:9", deadline=None) as client:
        assert client.deadline is None
    with pytest.raises(ValueError, match="deadline"):
        _rest("http://127.0.0.1:9", deadline=0)
    with pytest.raises(ValueError, match="max_response_bytes"):
        _rest("http://127.0.0.1:9", max_response_bytes=0)


# -- the response size cap (item 4) -------------------------------------------------------------

ENVELOPE_START = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<getxmlResponse xmlns="http://tempuri.org/"><getxmlResult>'
)


@pytest.mark.parametrize("declare_length", [False, True], ids=["streamed", "declared"])
def test_a_50_mb_element_flood_is_cut_off_while_it_streams(declare_length: bool) -> None:
    answer = rawserver.flood(
        ENVELOPE_START, b"<a/>", 50 * 2**20, SOAP, declare_length=declare_length
    )
    with rawserver.RawServer(answer) as server:
        client = _xml(server.url, timeout=5)
        started = time.monotonic()
        with pytest.raises(errors.ResponseTooLargeError, match="max_response_bytes") as caught:
            client.get_credit()
        elapsed = time.monotonic() - started
        client.close()

    assert isinstance(caught.value, errors.ProtocolError)
    assert caught.value.limit == client.max_response_bytes == 4 * 2**20
    assert elapsed < 1.0, elapsed
    # Read up to the cap (plus what the socket buffers held), never the 50 MB.
    assert server.sent < 16 * 2**20
    if declare_length:
        assert caught.value.raw == b""  # refused on the header, before the body


def test_the_cap_is_configurable_and_counts_the_body_only() -> None:
    with rawserver.RawServer(rawserver.trickle(REST_CREDIT, 0, JSON)) as server:
        with _rest(server.url, max_response_bytes=len(REST_CREDIT)) as client:
            assert client.get_credit() == 129249
        with (
            _rest(server.url, max_response_bytes=len(REST_CREDIT) - 1) as client,
            pytest.raises(errors.ResponseTooLargeError),
        ):
            client.get_credit()


@pytest.fixture
def xml_client(httpserver: HTTPServer) -> Iterator[TrezXmlClient]:
    with _xml(httpserver.url_for("/"), timeout=5) as client:
        yield client


def test_markup_under_the_byte_cap_is_still_bounded(
    httpserver: HTTPServer, xml_client: TrezXmlClient
) -> None:
    # 300,000 empty elements are 1.2 MB, under the byte cap; libxml2 would build ~60 MB of nodes.
    flood = ENVELOPE_START + b"<a/>" * (MAX_MARKUP + 50_000)
    httpserver.expect_request(xml.PATH).respond_with_data(flood, content_type=SOAP)
    with pytest.raises(errors.ResponseTooLargeError, match="'<'") as caught:
        xml_client.get_credit()
    assert caught.value.limit == MAX_MARKUP


def test_a_markup_flood_inside_the_carried_document_is_bounded(
    httpserver: HTTPServer, xml_client: TrezXmlClient
) -> None:
    inner = "<xmlresponse><body>" + "<a/>" * (MAX_MARKUP + 1) + "</body></xmlresponse>"
    httpserver.expect_request(xml.PATH).respond_with_data(
        xml.soap_response(inner), content_type=SOAP
    )
    with pytest.raises(errors.ResponseTooLargeError, match="getxmlResult"):
        xml_client.get_credit()


# -- one error contract (items 2 and 5) ---------------------------------------------------------

DEEP = b'{"Code":0,"Message":"","Result":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
HUGE = b"9" * 5000


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"Code":' + HUGE + b',"Message":"","Result":null}', errors.ResponseValidationError),
        (b'{"Code":0,"Message":"","Result":' + HUGE + b"}", errors.ResponseValidationError),
        (b'{"Code":"' + HUGE + b'","Message":"","Result":1}', errors.ResponseValidationError),
        ('{"Code":"²","Message":"","Result":1}'.encode(), errors.ResponseValidationError),
        ('{"Code":"٠","Message":"","Result":1}'.encode(), errors.ResponseValidationError),
        (DEEP, errors.MalformedResponseError),
        (b'{"Code":0,"Message":"","Result":NaN}', errors.ResponseValidationError),
        (b'{"Code":0,"Message":"","Result":Infinity}', errors.ResponseValidationError),
        (b'{"Code":0,"Message":"","Result":-Infinity}', errors.ResponseValidationError),
        (b'{"Code":0,"Message":"","Result":1e999}', errors.ResponseValidationError),
        (b'{"Code":0,"Message":"","Result":"NaN"}', errors.ResponseValidationError),
        (b'{"Code":NaN,"Message":"","Result":1}', errors.ResponseValidationError),
    ],
    ids=[
        "huge-code",
        "huge-result",
        "huge-code-string",
        "superscript-code",
        "arabic-digit-code",
        "deep-result",
        "nan",
        "infinity",
        "minus-infinity",
        "overflow",
        "nan-string",
        "nan-code",
    ],
)
def test_hostile_json_answers_give_documented_errors(
    httpserver: HTTPServer, body: bytes, error: type[errors.ProtocolError]
) -> None:
    httpserver.expect_request("/api/smsAPI/GetCredit").respond_with_data(body, content_type=JSON)
    with _rest(httpserver.url_for("/")) as client, pytest.raises(error) as caught:
        client.get_credit()
    assert caught.value.outcome_unknown is True
    assert len(str(caught.value)) < 1000  # the 5,000 digits are not echoed whole


@pytest.mark.parametrize(
    ("document", "error"),
    [
        (f"<xmlresponse><code>{'9' * 5000}</code></xmlresponse>", errors.ResponseValidationError),
        ("<xmlresponse><body>NaN</body></xmlresponse>", errors.ResponseValidationError),
        ("<xmlresponse><body>INF</body></xmlresponse>", errors.ResponseValidationError),
        (f"<xmlresponse><body>{'9' * 5000}</body></xmlresponse>", errors.ResponseValidationError),
        ("<xmlresponse><body>²</body></xmlresponse>", errors.ResponseValidationError),
        ("<a>" * 300 + "</a>" * 300, errors.MalformedResponseError),  # deeper than libxml2's 256
    ],
    ids=["huge-code", "nan", "inf", "huge-credit", "superscript", "deep"],
)
def test_hostile_xml_answers_give_documented_errors(
    httpserver: HTTPServer,
    xml_client: TrezXmlClient,
    document: str,
    error: type[errors.ProtocolError],
) -> None:
    httpserver.expect_request(xml.PATH).respond_with_data(
        xml.soap_response(document), content_type=SOAP
    )
    with pytest.raises(error) as caught:
        xml_client.get_credit()
    assert caught.value.outcome_unknown is True


def test_a_wrong_type_for_the_xml_client_names_its_field(
    httpserver: HTTPServer, xml_client: TrezXmlClient
) -> None:
    with pytest.raises(errors.InvalidInputError) as caught:
        # An int where the signature wants str, on purpose: the runtime input check is under test.
        xml_client.send_message(mobiles=["0912"], message=123, user_group_id="1")  # type: ignore[arg-type]
    assert caught.value.field == "xmlrequest/message"
    assert "expected str, got int" in str(caught.value)
    assert caught.value.outcome_unknown is False
    assert isinstance(caught.value, ValueError)
    assert httpserver.log == []


def test_none_for_the_rest_client_is_an_input_error(httpserver: HTTPServer) -> None:
    with (
        _rest(httpserver.url_for("/")) as client,
        pytest.raises(errors.InvalidInputError) as caught,
    ):
        # None where the signature wants str, on purpose: the runtime input check is under test.
        client.send_code(mobile=None, message="x")  # type: ignore[arg-type]
    assert caught.value.field == "mobile"
    assert caught.value.value == "None (NoneType)"
    assert caught.value.operation == "SendCode"
    assert caught.value.outcome_unknown is False
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert httpserver.log == []


def test_an_input_error_shows_a_long_value_cut_short(httpserver: HTTPServer) -> None:
    with (
        _rest(httpserver.url_for("/")) as client,
        pytest.raises(errors.InvalidInputError) as caught,
    ):
        # A list where the signature wants str, on purpose: the runtime input check is under test.
        client.send_code(mobile=["x" * 10_000], message="x")  # type: ignore[arg-type]
    assert caught.value.value is not None and len(caught.value.value) < 80


# -- secrets out of frames (item 6) -------------------------------------------------------------


def _rendered(error: BaseException) -> str:
    """The traceback as pytest -l, error trackers and rich show it: with every frame's locals.

    rich's locals are taken as its ``show_locals`` renders them (its own pretty-printer, which
    walks dataclasses and containers itself) without laying out the panels, which is slow.
    """
    plain = "".join(
        traceback.TracebackException.from_exception(error, capture_locals=True).format()
    )
    # rich annotates locals_max_string as int, yet documents None as no limit and handles it.
    trace = Traceback.extract(
        type(error),
        error,
        error.__traceback__,
        show_locals=True,
        locals_max_string=None,  # type: ignore[arg-type]
    )
    shown = [
        f"{name} = {node.render(max_width=200)}"
        for stack in trace.stacks
        for frame in stack.frames
        for name, node in (frame.locals or {}).items()
    ]
    assert shown  # rich did see the frames' locals
    return plain + "\n".join(shown)


def _caught(call: Callable[[], object]) -> BaseException:
    # A frame of its own: the test's locals are not what is being checked.
    try:
        call()
    except Exception as error:
        return error
    raise AssertionError("the call did not fail")


SECRETS = (xml.PASSWORD, xml.PASSWORD_XML, escape(xml.PASSWORD_XML), REST_PASSWORD, REST_BASIC)


def _assert_hidden(error: BaseException) -> None:
    text = _rendered(error)
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("method", operations_of(TrezXmlClient))
def test_no_password_in_a_trez_xml_traceback_with_locals(method: str) -> None:
    kwargs = arguments(getattr(TrezXmlClient, method))
    with rawserver.RawServer(rawserver.hang_up) as server:
        with _xml(server.url, timeout=2) as client:
            sent = _caught(lambda: getattr(client, method)(**kwargs))
        # A line that breaks its pattern fails after the password was written.
        with _xml(server.url, number="3000-86") as client:
            refused = _caught(lambda: getattr(client, method)(**kwargs))

    assert isinstance(sent, errors.TransportError) and sent.outcome_unknown
    assert escape(xml.PASSWORD_XML).encode() in server.requests[0]  # it went, in the body
    assert isinstance(refused, errors.InvalidInputError)
    assert refused.field == "xmlrequest/number"
    _assert_hidden(sent)
    _assert_hidden(refused)


@pytest.mark.parametrize("method", operations_of(TrezRestClient))
def test_no_password_in_a_trez_rest_traceback_with_locals(method: str) -> None:
    kwargs = arguments(getattr(TrezRestClient, method))
    with rawserver.RawServer(rawserver.hang_up) as server, _rest(server.url) as client:
        sent = _caught(lambda: getattr(client, method)(**kwargs))
        assert isinstance(sent, errors.TransportError)
        _assert_hidden(sent)
        if kwargs:
            refused = _caught(lambda: getattr(client, method)(**dict.fromkeys(kwargs)))
            assert isinstance(refused, errors.InvalidInputError)
            _assert_hidden(refused)


@pytest.mark.parametrize("method", operations_of(PayamakPanelClient))
def test_no_password_in_a_payamak_panel_traceback_with_locals(method: str) -> None:
    kwargs = arguments(getattr(PayamakPanelClient, method))
    with rawserver.RawServer(rawserver.hang_up) as server, _panel(server.url) as client:
        sent = _caught(lambda: getattr(client, method)(**kwargs))
        assert isinstance(sent, errors.TransportError)
        _assert_hidden(sent)
        if kwargs:
            wrong = dict.fromkeys(kwargs, object())
            refused = _caught(lambda: getattr(client, method)(**wrong))
            assert isinstance(refused, errors.InvalidInputError), refused
            assert refused.field
            _assert_hidden(refused)
    # The password went in the body when the operation takes it (GetDelivery does not), so
    # the checks above mean something.
    takes_password = (
        "password" in inspect.signature(getattr(panel_operations, f"build_{method}")).parameters
    )
    assert [xml.PASSWORD_XML.encode() in body for body in server.requests] == [takes_password]


@pytest.mark.parametrize("method", operations_of(AdvancedWsClient))
def test_no_password_in_an_advanced_ws_traceback_with_locals(method: str) -> None:
    kwargs = arguments(getattr(AdvancedWsClient, method))
    with rawserver.RawServer(rawserver.hang_up) as server, _advanced(server.url) as client:
        sent = _caught(lambda: getattr(client, method)(**kwargs))
        assert isinstance(sent, errors.TransportError)
        _assert_hidden(sent)
        if kwargs:
            wrong = dict.fromkeys(kwargs, object())
            refused = _caught(lambda: getattr(client, method)(**wrong))
            assert isinstance(refused, errors.InvalidInputError), refused
            _assert_hidden(refused)
    # Every operation takes the password, so it went in every body: the checks above mean
    # something.
    assert all(
        "password" in inspect.signature(getattr(advanced_operations, f"build_{m}")).parameters
        for m in operations_of(AdvancedWsClient)
    )
    assert [xml.PASSWORD_XML.encode() in body for body in server.requests] == [True]


async def test_no_password_in_an_async_traceback_with_locals() -> None:
    with rawserver.RawServer(rawserver.hang_up) as server:
        async with AsyncTrezXmlClient(
            xml.USERNAME, xml.PASSWORD, xml.NUMBER, base_url=server.url
        ) as client:
            try:
                await client.get_credit()
            except errors.TransportError as error:
                _assert_hidden(error)
            else:
                raise AssertionError("no error")


def test_a_secret_never_shows() -> None:
    secret = Secret("hunter2")
    assert secret.reveal() == "hunter2"
    assert "hunter2" not in repr(secret) + str(secret) + f"{secret}"
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


@pytest.mark.parametrize(
    "client_class", [TrezRestClient, TrezXmlClient, PayamakPanelClient, AdvancedWsClient]
)
def test_a_client_whose_constructor_failed_still_has_a_repr(
    client_class: type[TrezRestClient | TrezXmlClient | PayamakPanelClient | AdvancedWsClient],
) -> None:
    arguments_ = ("u", "p", "1") if client_class is TrezXmlClient else ("u", "p")
    error = _caught(lambda: client_class(*arguments_, base_url="not a url"))
    assert isinstance(error, ValueError)
    # capture_locals calls repr() on the half-made `self` of every __init__ frame.
    assert "base_url=" in _rendered(error)
    half_made = client_class.__new__(client_class)
    assert repr(half_made) == f"{client_class.__name__}(base_url='<unset>')"


# -- credentials over plain http ----------------------------------------------------------------


def test_credentials_over_plain_http_to_another_host_warn() -> None:
    with pytest.warns(errors.InsecureTransportWarning, match="sms.example"):
        _rest("http://sms.example/").close()
    with pytest.warns(errors.InsecureTransportWarning, match="sms.trez.ir"):
        TrezXmlClient("u", "p", "1").close()  # the default base URL: the gateway's own


@pytest.mark.parametrize(
    "base_url",
    ["https://sms.example/", "http://127.0.0.1:1/", "http://localhost:1/", "http://[::1]:1/"],
)
def test_https_and_loopback_do_not_warn(base_url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _rest(base_url).close()
        _xml(base_url).close()


@pytest.mark.parametrize("method", operations_of(IppanelClassicClient))
def test_no_password_in_an_ippanel_classic_traceback_with_locals(method: str) -> None:
    # The password is a form field of every operation: it goes in every body.
    kwargs = arguments(getattr(IppanelClassicClient, method))
    with rawserver.RawServer(rawserver.hang_up) as server, _ippanel(server.url) as client:
        sent = _caught(lambda: getattr(client, method)(**kwargs))
        assert isinstance(sent, errors.TransportError)
        _assert_hidden(sent)
        if kwargs:
            refused = _caught(lambda: getattr(client, method)(**dict.fromkeys(kwargs)))
            assert isinstance(refused, errors.InvalidInputError)
            _assert_hidden(refused)
    assert len(server.requests) == 1
    assert quote_plus(REST_PASSWORD).encode() in server.requests[0]
