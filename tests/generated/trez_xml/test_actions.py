"""Every trez_xml action, sync and async, over HTTP: the exact SOAPAction, envelope and inner
document sent, and the parsed result, including the real-world variants of the provider note."""

from __future__ import annotations

import pytest
from lxml import etree
from pytest_httpserver import HTTPServer

from payamak_gen.trez_xml import AsyncTrezXmlClient, TrezXmlClient, operations
from tests.generated.trez_xml.cases import CASES, GROUP_ID, Case
from tests.generated.trez_xml.support import (
    CONTENT_TYPE,
    PATH,
    SOAP_ACTION,
    example,
    inner_request,
    soap_request,
    soap_response,
    xsd,
)


def test_every_action_has_a_case() -> None:
    # Every action of the spec, but not the carrier getxml, which stays sans-IO only.
    built = {n.removeprefix("build_") for n in operations.__all__ if n.startswith("build_")}
    assert built - {"getxml"} == {case.method for case in CASES}
    public = {
        name
        for name, value in vars(TrezXmlClient).items()
        if callable(value) and not name.startswith("_")
    }
    assert public == built - {"getxml"}


def _sent_inner_document(body: bytes) -> str:
    envelope = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    (xml_string,) = envelope.iter("{http://tempuri.org/}xmlString")
    return str(xml_string.text)


def _expect(httpserver: HTTPServer, case: Case) -> bytes:
    """Serve the case's example answer to exactly the expected request; return that request."""
    expected_body = soap_request(inner_request(case.inner))
    httpserver.expect_oneshot_request(
        PATH,
        method="POST",
        headers={"SOAPAction": SOAP_ACTION, "Content-Type": CONTENT_TYPE},
        data=expected_body,
    ).respond_with_data(soap_response(example(case.response)), content_type=CONTENT_TYPE)
    return expected_body


def _assert_one_exact_request(httpserver: HTTPServer, case: Case, expected_body: bytes) -> None:
    httpserver.check_assertions()
    assert len(httpserver.log) == 1
    sent, _ = httpserver.log[0]
    assert (sent.method, sent.path) == ("POST", PATH)
    assert sent.headers["SOAPAction"] == SOAP_ACTION
    assert sent.headers["Content-Type"] == CONTENT_TYPE
    assert sent.get_data() == expected_body
    inner = _sent_inner_document(sent.get_data())
    assert inner == inner_request(case.inner)
    xsd().assertValid(etree.fromstring(inner.encode()))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_sync(httpserver: HTTPServer, client: TrezXmlClient, case: Case) -> None:
    expected_body = _expect(httpserver, case)

    result = getattr(client, case.method)(**case.kwargs)

    assert result == case.expected
    _assert_one_exact_request(httpserver, case, expected_body)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_async(httpserver: HTTPServer, async_client: AsyncTrezXmlClient, case: Case) -> None:
    expected_body = _expect(httpserver, case)

    result = await getattr(async_client, case.method)(**case.kwargs)

    assert result == case.expected
    _assert_one_exact_request(httpserver, case, expected_body)


def test_results_carry_unified_states(httpserver: HTTPServer, client: TrezXmlClient) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        soap_response(example("status_type0.mobile-without-zero.response.xml"))
    )

    status = client.group_status(group_id=GROUP_ID)

    assert (status.state, status.status.final) == ("sent", False)
    assert [r.state for r in status.recipients] == ["delivered", "sent", "failed"]
    assert status.recipients[0].status.fa == "رسیده به گوشی"


def test_base_url_path_and_trailing_slash(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data(soap_response(example("credit.response.xml")))
    base_url = httpserver.url_for("/").rstrip("/") + "/"

    with TrezXmlClient("u", "p", "1", base_url=base_url) as client:
        assert client.get_credit() == 998515184

    assert httpserver.log[0][0].path == PATH


@pytest.mark.parametrize("echo", ["SendMessage", "sendMessage", "SENDMESSAGE", ""])
def test_send_answer_echoing_action_in_another_spelling_still_parses(
    httpserver: HTTPServer, client: TrezXmlClient, echo: str
) -> None:
    # An unreadable success would look like a failure and invite a second, duplicate send.
    answer = example("sendmessage_type0.response.xml").replace(
        "<action>sendmessage</action>", f"<action>{echo}</action>"
    )
    assert f"<action>{echo}</action>" in answer
    httpserver.expect_request(PATH).respond_with_data(soap_response(answer))

    group_id = client.send_message(mobiles=["09121234567"], message="x", user_group_id="g-1")

    assert group_id == "288e5d2f-1bae-4d42-b684-92d63d28259d"
