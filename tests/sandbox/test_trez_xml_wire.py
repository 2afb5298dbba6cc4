"""trez_xml's SOAP layer: the WSDL and zeep, envelopes from other toolkits, hostile XML, faults,
and concurrent sends over both Trez APIs on one account."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest
import zeep
import zeep.exceptions
from lxml import etree

from payamak.sandbox import Sandbox, SandboxAdmin, SandboxAdminError
from tests.sandbox.support import CREDIT, DEMO_AUTH, LINE, MOBILE, PRICE_EN, send_body
from tests.sandbox.test_trez_xml import (
    ENDPOINT,
    SOAP_ACTION,
    SOAP_ENV,
    TNS,
    Xml,
    envelope,
    open_xml,
    request,
    result_document,
    send0,
)

xml = pytest.fixture(open_xml, name="xml")

CREDIT_REQUEST = request("credit")
STRICT = zeep.Settings(
    strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True, xml_huge_tree=False
)


def fault_code(response: httpx.Response) -> str | None:
    """The faultcode of a SOAP 1.1 Fault answer, checking it is HTTP 500 XML."""
    assert response.status_code == 500, response.text
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    return root.findtext(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault/faultcode")


@pytest.fixture
def zeep_client(sandbox: Sandbox, tmp_path: Path) -> Iterator[zeep.Client]:
    """zeep on the WSDL the sandbox serves, loaded offline from a file with strict settings."""
    wsdl = tmp_path / "XmlForSMS.wsdl"
    wsdl.write_bytes(httpx.get(f"{sandbox.base_url}{ENDPOINT}?wsdl").content)
    # zeep ships py.typed but leaves Client.__init__ unannotated.
    with zeep.Client(str(wsdl), settings=STRICT) as client:  # type: ignore[no-untyped-call]
        yield client


# -- the WSDL and zeep ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/XmlForSMS.asmx?wsdl", "/XmlForSMS.asmx?WSDL", "/xmlforsms.asmx?Wsdl"]
)
def test_wsdl_is_served_with_the_sandbox_address(sandbox: Sandbox, url: str) -> None:
    response = httpx.get(sandbox.base_url + url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    address = root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address is not None
    assert address.get("location") == sandbox.base_url + url.split("?")[0]


@pytest.mark.parametrize("host", ["sms.example.test:8080", "[::1]:8765", "localhost"])
def test_wsdl_address_follows_the_host_header(sandbox: Sandbox, host: str) -> None:
    response = httpx.get(f"{sandbox.base_url}{ENDPOINT}?wsdl", headers={"Host": host})
    address = etree.fromstring(response.content).find(
        ".//{http://schemas.xmlsoap.org/wsdl/soap/}address"
    )
    assert address is not None
    assert address.get("location") == f"http://{host}{ENDPOINT}"


@pytest.mark.parametrize("host", ['evil"/><x a="', "<x>", "a b", "host:port", "a:1:2"])
def test_wsdl_refuses_a_host_header_that_is_no_host(sandbox: Sandbox, host: str) -> None:
    # The Host header went into the location attribute as it came, breaking (or rewriting) the WSDL.
    response = httpx.get(f"{sandbox.base_url}{ENDPOINT}?wsdl", headers={"Host": host})
    assert response.status_code == 400
    assert host.encode() not in response.content


def test_zeep_loads_the_wsdl_and_calls_getxml(zeep_client: zeep.Client) -> None:
    answer = zeep_client.service.getxml(xmlString=CREDIT_REQUEST)
    document = etree.fromstring(answer.encode())
    assert document.findtext("body") == str(CREDIT)


def test_zeeps_envelope_is_accepted(zeep_client: zeep.Client, xml: Xml) -> None:
    # zeep leaves create_message unannotated.
    message = zeep_client.create_message(  # type: ignore[no-untyped-call]
        zeep_client.service, "getxml", xmlString=send0(MOBILE)
    )
    response = xml.post(etree.tostring(message))
    assert result_document(response).findtext("body/groupmid")
    assert xml.credit() == CREDIT - PRICE_EN


# -- envelopes from other toolkits ---------------------------------------------------------------

_TOOLKITS = {
    "asp.net": envelope(CREDIT_REQUEST),
    "cdata": envelope(CREDIT_REQUEST, cdata=True),
    "prefixed, typed (php, perl)": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}" xmlns:ns1="{TNS}" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" '
        'SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">'
        '<SOAP-ENV:Body><ns1:getxml SOAP-ENC:root="1"><ns1:xmlString xsi:type="xsd:string">'
        f"{escape(CREDIT_REQUEST)}</ns1:xmlString></ns1:getxml></SOAP-ENV:Body>"
        "</SOAP-ENV:Envelope>"
    ).encode(),
    "default namespaces, header": (
        f'<Envelope xmlns="{SOAP_ENV}"><Header><Trace xmlns="urn:x">1</Trace></Header>'
        f'<Body><getxml xmlns="{TNS}"><xmlString>{escape(CREDIT_REQUEST)}</xmlString>'
        "</getxml></Body></Envelope>"
    ).encode(),
}


@pytest.mark.parametrize("soap_action", [SOAP_ACTION, "http://tempuri.org/getxml", None, '""'])
@pytest.mark.parametrize("toolkit", _TOOLKITS)
def test_envelopes_from_other_toolkits(xml: Xml, toolkit: str, soap_action: str | None) -> None:
    headers = {} if soap_action is None else {"SOAPAction": soap_action}
    response = xml.http.post(
        ENDPOINT, content=_TOOLKITS[toolkit], headers={"Content-Type": "text/xml", **headers}
    )
    assert result_document(response).findtext("body") == str(CREDIT)


@pytest.mark.parametrize("path", ["/xmlforsms.asmx", "/XMLFORSMS.ASMX"])
def test_path_case_is_ignored(xml: Xml, path: str) -> None:
    response = xml.http.post(
        path, content=envelope(CREDIT_REQUEST), headers={"SOAPAction": SOAP_ACTION}
    )
    assert result_document(response).findtext("body") == str(CREDIT)


def test_a_browser_gets_the_service_page(sandbox: Sandbox) -> None:
    response = httpx.get(sandbox.base_url + ENDPOINT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "getxml" in response.text


_SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
_BAD_ENVELOPES = {
    "not xml": (b"xmlString=<xmlrequest/>", SOAP_ACTION),
    "not an envelope": (b"<getxml/>", SOAP_ACTION),
    "soap 1.2": (
        (
            f'<e:Envelope xmlns:e="{_SOAP12}"><e:Body><getxml xmlns="{TNS}"/></e:Body></e:Envelope>'
        ).encode(),
        SOAP_ACTION,
    ),
    "empty body": (
        f'<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body/></s:Envelope>'.encode(),
        SOAP_ACTION,
    ),
    "unknown soapaction": (envelope(CREDIT_REQUEST), '"http://tempuri.org/SendSms"'),
    "element not the action's": (
        envelope(CREDIT_REQUEST)
        .replace(b"<getxml xmlns=", b"<getXml xmlns=")
        .replace(b"</getxml>", b"</getXml>"),
        SOAP_ACTION,
    ),
    "wrong namespace, no soapaction": (
        envelope(CREDIT_REQUEST).replace(TNS.encode(), b"http://trez.ir/"),
        None,
    ),
    "xmlString holds elements": (
        envelope(None).replace(b"></getxml>", b"><xmlString><xmlrequest/></xmlString></getxml>"),
        SOAP_ACTION,
    ),
    "unknown part": (
        envelope(CREDIT_REQUEST).replace(b"</getxml>", b"<password>x</password></getxml>"),
        SOAP_ACTION,
    ),
}


@pytest.mark.parametrize("name", _BAD_ENVELOPES)
def test_bad_envelopes_are_client_faults(xml: Xml, name: str) -> None:
    content, soap_action = _BAD_ENVELOPES[name]
    headers = {"Content-Type": "text/xml"}
    if soap_action is not None:
        headers["SOAPAction"] = soap_action
    assert fault_code(xml.http.post(ENDPOINT, content=content, headers=headers)) == "soap:Client"


# -- hostile XML: refused, never expanded --------------------------------------------------------

_LAUGHS = (
    '<!DOCTYPE {root} [<!ENTITY l0 "lol">'
    + "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)
_XXE = '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(
    "document",
    [
        _XXE.format(root="xmlrequest") + "<xmlrequest><username>&xxe;</username></xmlrequest>",
        _LAUGHS.format(root="xmlrequest") + "<xmlrequest><username>&l9;</username></xmlrequest>",
        '<!DOCTYPE xmlrequest SYSTEM "http://127.0.0.1:1/x.dtd"><xmlrequest/>',
    ],
    ids=["xxe", "billion-laughs", "external-dtd"],
)
def test_hostile_inner_documents_are_499(xml: Xml, document: str) -> None:
    started = time.perf_counter()
    for cdata in (False, True):
        response = xml.post(envelope(document, cdata=cdata))
        assert b"root:" not in response.content and b"lollol" not in response.content
        assert result_document(response).findtext("code") == "499"
    assert time.perf_counter() - started < 2


def _envelope_with_doctype(doctype: str, entity: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>'
        f'<getxml xmlns="{TNS}"><xmlString>{entity}</xmlString></getxml></soap:Body>'
        "</soap:Envelope>"
    ).encode()


@pytest.mark.parametrize(
    "content",
    [
        _envelope_with_doctype(_XXE.format(root="soap:Envelope"), "&xxe;"),
        _envelope_with_doctype(_LAUGHS.format(root="soap:Envelope"), "&l9;"),
        # Past the first 2 KiB, where a quick prefix check would no longer look.
        _envelope_with_doctype(
            "<!--" + "x" * 3000 + "-->" + _XXE.format(root="soap:Envelope"), "&xxe;"
        ),
    ],
    ids=["xxe", "billion-laughs", "late-doctype"],
)
def test_hostile_envelopes_are_refused(xml: Xml, content: bytes) -> None:
    started = time.perf_counter()
    response = xml.post(content)
    assert fault_code(response) == "soap:Client"
    assert b"DTD is prohibited" in response.content
    assert b"root:" not in response.content and b"lollol" not in response.content
    assert time.perf_counter() - started < 2


# -- faults, as a client sees them ---------------------------------------------------------------


def test_latency_then_the_send_happens(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_xml", "latency", operation="sendmessage", latency=0.3)
    started = time.perf_counter()
    xml.ok(send0(MOBILE))
    assert time.perf_counter() - started >= 0.3
    assert len(sandbox_admin.messages(provider="trez_xml")) == 1


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_503", 503)])
def test_http_errors(xml: Xml, sandbox_admin: SandboxAdmin, kind: str, status: int) -> None:
    sandbox_admin.inject_fault("trez_xml", kind, operation="getxml")
    response = xml.post(envelope(send0(MOBILE)))
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert sandbox_admin.messages() == []


def test_drop(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_xml", "drop", operation="sendmessage")
    with pytest.raises(httpx.RemoteProtocolError):
        xml.post(envelope(send0(MOBILE)))
    assert sandbox_admin.messages() == []


def test_truncate_after_the_send(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_xml", "truncate", operation="sendmessage")
    with pytest.raises(httpx.RemoteProtocolError):
        xml.post(envelope(send0(MOBILE)))
    assert len(sandbox_admin.messages()) == 1
    assert xml.credit() == CREDIT - PRICE_EN


def test_malformed(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_xml", "malformed", operation="credit")
    response = xml.post(envelope(CREDIT_REQUEST))
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


def test_soap_fault_reaches_zeep_as_a_fault(
    zeep_client: zeep.Client, sandbox_admin: SandboxAdmin, xml: Xml
) -> None:
    sandbox_admin.inject_fault("trez_xml", "soap_fault", operation="getxml", count=2)
    with pytest.raises(zeep.exceptions.Fault) as caught:
        zeep_client.service.getxml(xmlString=CREDIT_REQUEST)
    assert caught.value.message == "Server was unable to process request."
    assert fault_code(xml.post(envelope(CREDIT_REQUEST))) == "soap:Server"
    assert zeep_client.service.getxml(xmlString=CREDIT_REQUEST)  # the fault is used up


def test_error_code_answers_the_gateways_error(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_xml", "error_code", operation="sendmessage", code=466)
    answer = xml.call(send0(MOBILE))
    assert [(c.tag, c.text) for c in answer] == [
        ("code", "466"),
        ("message", "خطا در ثبت اطلاعات"),
    ]
    assert sandbox_admin.messages() == []


def test_faults_target_actions_or_every_call(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_xml", "http_503", operation="SendMessage")
    assert xml.post(envelope(CREDIT_REQUEST)).status_code == 200
    assert xml.post(envelope(send0(MOBILE))).status_code == 503
    sandbox_admin.inject_fault("trez_xml", "http_500", count=2)
    assert xml.post(envelope(CREDIT_REQUEST)).status_code == 500
    assert xml.post(b"not even xml").status_code == 500
    assert xml.post(envelope(CREDIT_REQUEST)).status_code == 200
    with pytest.raises(SandboxAdminError) as unknown:
        sandbox_admin.inject_fault("trez_xml", "http_500", operation="SendMessageToPort")
    assert unknown.value.status == 404


# -- concurrency over both APIs ------------------------------------------------------------------


async def _both_apis(
    http: httpx.AsyncClient, count: int, usergroupid: str | None = None
) -> tuple[list[int], list[str]]:
    """Sends `count` messages through each API at once; returns REST codes and XML answers."""
    rest = [
        http.post("/api/smsAPI/SendMessage", json=send_body(), auth=DEMO_AUTH) for _ in range(count)
    ]
    soap = [
        http.post(
            ENDPOINT,
            content=envelope(send0(f"0912{n:07d}", usergroupid=usergroupid or f"c{n}")),
            headers={"SOAPAction": SOAP_ACTION, "Content-Type": "text/xml; charset=utf-8"},
        )
        for n in range(count)
    ]
    responses = await asyncio.gather(*rest, *soap)
    codes = [r.json()["Code"] for r in responses[:count]]
    answers = [result_document(r).findtext("code") or "ok" for r in responses[count:]]
    return codes, answers


@pytest.fixture
async def both(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=20)
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30, limits=limits) as client:
        yield client


async def test_concurrent_sends_over_both_apis_keep_credit_exact(
    both: httpx.AsyncClient, sandbox_admin: SandboxAdmin
) -> None:
    codes, answers = await _both_apis(both, 25)
    assert codes == [0] * 25 and answers == ["ok"] * 25
    assert sandbox_admin.credit("demo") == CREDIT - 50 * PRICE_EN
    sent = sandbox_admin.messages()
    assert len(sent) == len({m["id"] for m in sent}) == 50


async def test_concurrent_sends_past_the_credit_never_overdraw(
    both: httpx.AsyncClient, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.set_credit("demo", 30 * PRICE_EN)
    codes, answers = await _both_apis(both, 25)
    assert set(codes) <= {0, 3003} and set(answers) <= {"ok", "465"}
    assert codes.count(0) + answers.count("ok") == 30
    assert sandbox_admin.credit("demo") == 0
    assert len(sandbox_admin.messages()) == 30


async def test_concurrent_sends_with_one_usergroupid_send_once(
    both: httpx.AsyncClient, sandbox_admin: SandboxAdmin
) -> None:
    _, answers = await _both_apis(both, 20, usergroupid="same")
    assert sorted(answers) == ["470"] * 19 + ["ok"]
    (sent,) = sandbox_admin.messages(provider="trez_xml")
    assert (sent["line"], sent["kind"], sent["username"]) == (LINE, "group", "demo")
