"""The tunnel path on a WSDL whose one operation carries XSD documents as text
(tests/codegen/fixtures/tunnel/): the actions, their documents and their result codes come from
the XSD's urn:payamak marks; sync and async, over a real loopback server."""

from __future__ import annotations

import types
from collections.abc import Iterator
from xml.sax.saxutils import escape

import pytest
from lxml import etree
from pytest_httpserver import HTTPServer

from payamak_gen.errors import (
    ApiError,
    AuthenticationError,
    InsufficientCreditError,
    MalformedResponseError,
    ResponseValidationError,
)
from tests.codegen.conftest import fixture_package

PROVIDER = "tunnel_fixture"
PATH = "/Tunnel.asmx"
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
    "</soap:Body></soap:Envelope>"
)
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@pytest.fixture(scope="module")
def tunnel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    yield from fixture_package(
        tmp_path_factory,
        PROVIDER,
        "tests/codegen/fixtures/tunnel/service.wsdl",
        "tests/codegen/fixtures/tunnel/documents.xsd",
        "tests/codegen/fixtures/tunnel/errors.yaml",
    )


def _carried(document: str) -> str:
    """An Execute request or response body carrying ``document`` as escaped text."""
    return escape(document)


def _answer(document: str) -> str:
    return ENVELOPE.format(
        '<ExecuteResponse xmlns="http://tempuri.org/">'
        f"<ExecuteResult>{_carried(document)}</ExecuteResult></ExecuteResponse>"
    )


def _sent_document(httpserver: HTTPServer) -> etree._Element:
    (entry,) = httpserver.log
    body = etree.fromstring(entry[0].get_data())
    (text,) = body.iter("{http://tempuri.org/}xmlString")
    return etree.fromstring((text.text or "").encode())


def test_the_carrier_is_not_a_client_method(tunnel: types.ModuleType) -> None:
    methods = {name for name in vars(tunnel.TunnelFixtureClient) if not name.startswith("_")}
    assert {"get_credit", "send"} <= methods
    assert "execute" not in methods
    assert "build_execute" in tunnel.operations.__all__  # still there, sans-IO
    assert frozenset({"send"}) == tunnel.operations.WRITES  # urn:payamak:writes on the action


def test_an_action_is_a_document_inside_the_carrier_sync(
    tunnel: types.ModuleType, httpserver: HTTPServer
) -> None:
    request = f"{DECLARATION}<credit><username>user</username><password>s3cret</password></credit>"
    httpserver.expect_oneshot_request(
        PATH,
        method="POST",
        headers={"SOAPAction": '"http://tempuri.org/Execute"'},
        data=ENVELOPE.format(
            '<Execute xmlns="http://tempuri.org/">'
            f"<xmlString>{_carried(request)}</xmlString></Execute>"
        ).encode(),
    ).respond_with_data(
        _answer("<creditResult><code>0</code><amount>998515184</amount></creditResult>"),
        content_type="text/xml",
    )

    with tunnel.TunnelFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c:
        assert c.get_credit() == 998515184
    httpserver.check_assertions()


async def test_a_repeated_element_is_a_list_async(
    tunnel: types.ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_data(
        _answer("<sendResult><code>0</code><id>42</id></sendResult>"), content_type="text/xml"
    )

    async with tunnel.AsyncTunnelFixtureClient(
        "user", "s3cret", base_url=httpserver.url_for("/")
    ) as c:
        assert await c.send(to=["0912", "0913"], text="سلام") == 42

    sent = _sent_document(httpserver)
    assert sent.tag == "send"
    assert [e.text for e in sent.iter("to")] == ["0912", "0913"]
    assert sent.findtext("text") == "سلام"


@pytest.mark.parametrize(
    ("code", "error"), [(402, InsufficientCreditError), (401, AuthenticationError)]
)
def test_a_code_in_the_carried_document_raises_for_the_action(
    tunnel: types.ModuleType, httpserver: HTTPServer, code: int, error: type[ApiError]
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        _answer(f"<creditResult><code>{code}</code></creditResult>"), content_type="text/xml"
    )
    with (
        tunnel.TunnelFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(error) as caught,
    ):
        c.get_credit()
    # The error names the action, not the carrier operation.
    assert (caught.value.code, caught.value.operation) == (code, "credit")
    assert "s3cret" not in f"{caught.value!s}{caught.value!r}{c!r}"


@pytest.mark.parametrize(
    ("document", "error", "message"),
    [
        ("<creditResult><code>0</code>", MalformedResponseError, "carried document"),
        ("<creditResult><code>0</code><x/></creditResult>", ResponseValidationError, "<x>"),
        ("<sendResult><code>0</code></sendResult>", ResponseValidationError, "creditResult"),
        ("<creditResult><code>0</code></creditResult>", ResponseValidationError, "no amount"),
    ],
    ids=["truncated", "unknown-element", "other-document", "no-result"],
)
def test_a_carried_document_that_does_not_fit(
    tunnel: types.ModuleType,
    httpserver: HTTPServer,
    document: str,
    error: type[Exception],
    message: str,
) -> None:
    httpserver.expect_request(PATH).respond_with_data(_answer(document), content_type="text/xml")
    with (
        tunnel.TunnelFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(error, match=message),
    ):
        c.get_credit()


def test_a_schema_bound_is_checked_before_anything_is_sent(
    tunnel: types.ModuleType, httpserver: HTTPServer
) -> None:
    with (
        tunnel.TunnelFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(ValueError, match="send/to: at least 1 required, got 0"),
    ):
        c.send(to=[], text="x")
    assert httpserver.log == []
