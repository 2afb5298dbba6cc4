"""advanced_ws over raw HTTP: the inferred SOAP service at its WSDL's address path on the shared
panel, envelopes as PHP's SoapClient and zeep write them, every result code and status code
reachable, the limits the WSDL marks enforced by the server too, and every answer checked against
the WSDL's own schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from payamak.sandbox import Sandbox
from payamak_gen.payamak_panel import PayamakPanelClient
from tests.sandbox.support import BLACKLISTED, CREDIT, FILTERED_WORD, LINE, MOBILE, OTHER_LINE

SPECS = Path(__file__).resolve().parents[2] / "specs" / "advanced_ws"
PATH = "/advanced/server.php"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XS = "http://www.w3.org/2001/XMLSchema"
TNS = "urn:AdvancedWebService"
CREDENTIALS = "<user>demo</user><pass>demo</pass>"
_SCHEMA = etree.parse(str(SPECS / "service.wsdl")).find(f".//{{{XS}}}schema")
assert _SCHEMA is not None
SCHEMA = etree.XMLSchema(etree.fromstring(etree.tostring(_SCHEMA)))


def envelope(operation: str, inner: str, *, shape: str = "php") -> bytes:
    """An envelope as PHP's SoapClient (SOAP-ENV and ns1 prefixes) or zeep writes it."""
    if shape == "php":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}" xmlns:ns1="{TNS}"><SOAP-ENV:Body>'
            f"<ns1:{operation}>{inner}</ns1:{operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>"
        ).encode()
    return (
        f'<soap-env:Envelope xmlns:soap-env="{SOAP_ENV}"><soap-env:Body>'
        f'<ns0:{operation} xmlns:ns0="{TNS}">{inner}</ns0:{operation}>'
        "</soap-env:Body></soap-env:Envelope>"
    ).encode()


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
        yield client


def post(http: httpx.Client, operation: str, inner: str, **kw: str) -> httpx.Response:
    return http.post(
        PATH,
        content=envelope(operation, inner, **kw),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{TNS}#{operation}"'},
    )


def call(http: httpx.Client, operation: str, inner: str, **kw: str) -> etree._Element:
    """POSTs one operation and returns its response element, checked against the WSDL."""
    response = post(http, operation, inner, **kw)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    soap_body = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body")
    assert soap_body is not None, response.text
    [element] = soap_body
    assert element.tag == f"{{{TNS}}}{operation}Response"
    SCHEMA.assertValid(element)
    return element


def code(element: etree._Element) -> int:
    return int(element.findtext("ErrCode") or "")


def items(element: etree._Element) -> list[str]:
    return [item.text or "" for item in element.iterfind("result/item")]


def numbers(name: str, values: list[str]) -> str:
    return f"<{name}>" + "".join(f"<item>{v}</item>" for v in values) + f"</{name}>"


def send(http: httpx.Client, to: list[str], text: str = "hi", line: str = LINE) -> etree._Element:
    inner = (
        f"{CREDENTIALS}<fromNum>{line}</fromNum>{numbers('toNum', to)}"
        f"<messageContent>{text}</messageContent>"
    )
    return call(http, "SendSMS", inner)


def status(http: httpx.Client, ids: list[str]) -> etree._Element:
    return call(http, "GetStatus", CREDENTIALS + numbers("unique_ids", ids))


@pytest.mark.parametrize("shape", ["php", "zeep"])
def test_send_drops_repeats_charges_and_returns_one_id_per_number(
    http: httpx.Client, sandbox: Sandbox, shape: str
) -> None:
    inner = (
        f"{CREDENTIALS}<fromNum>{LINE}</fromNum>"
        f"{numbers('toNum', [MOBILE, BLACKLISTED, MOBILE])}<messageContent>hi</messageContent>"
    )
    answer = call(http, "SendSMS", inner, shape=shape)
    assert code(answer) == 0
    ids = items(answer)
    assert len(ids) == 2
    assert [m["id"] for m in sandbox.admin.messages(provider="advanced_ws")] == [
        int(i) for i in ids
    ]
    credit = call(http, "GetCredit", CREDENTIALS)
    assert (code(credit), int(credit.findtext("result") or "")) == (0, sandbox.admin.credit("demo"))
    assert sandbox.admin.credit("demo") < CREDIT
    # A second send answers its own ids only.
    again = items(send(http, ["09351234567"]))
    assert len(again) == 1
    assert again[0] not in ids


def test_the_server_enforces_the_marked_limits_too(http: httpx.Client) -> None:
    sixty = [f"0912{i:07d}" for i in range(60)]
    assert code(send(http, sixty + sixty[:10])) == 0  # 60 distinct: within the limit
    too_many = send(http, [f"0935{i:07d}" for i in range(61)])
    assert (code(too_many), too_many.find("result")) == (-2, None)
    inner = (
        f"{CREDENTIALS}<fromNum>{LINE}</fromNum>{numbers('toNums', [MOBILE, MOBILE])}"
        f"{numbers('messageContents', ['a'])}"
    )
    assert code(call(http, "SendMultipleSMS", inner)) == -4


def test_refusals_carry_the_provider_codes(http: httpx.Client, sandbox: Sandbox) -> None:
    wrong = call(http, "GetCredit", "<user>demo</user><pass>nope</pass>")
    assert (code(wrong), wrong.findtext("result")) == (-1, "کاربر شناسایی نشد")
    assert code(send(http, [MOBILE], line=OTHER_LINE)) == -5
    assert code(send(http, [MOBILE], text=FILTERED_WORD)) == -3
    assert code(send(http, ["12345"])) == -3
    assert code(send(http, [])) == -3
    assert code(send(http, [MOBILE], text="")) == -3  # an empty <messageContent/>
    # Ten parts of Persian text (67 characters each) is the most one message may have.
    assert code(send(http, [MOBILE], text="س" * 670)) == 0
    assert code(send(http, [MOBILE], text="س" * 671)) == -3
    sandbox.admin.set_credit("demo", 0)
    assert code(send(http, [MOBILE])) == -3
    assert len(sandbox.admin.messages(provider="advanced_ws")) == 1  # the ten-part one
    pairs = (
        f"{CREDENTIALS}<fromNum>{LINE}</fromNum>{numbers('toNums', [MOBILE])}"
        f"{numbers('messageContents', ['a'])}"
    )
    assert code(call(http, "SendMultipleSMS", pairs)) == -3
    assert len(sandbox.admin.messages(provider="advanced_ws")) == 1


def test_peer_to_peer_gives_one_outcome_per_pair(http: httpx.Client, sandbox: Sandbox) -> None:
    inner = (
        f"{CREDENTIALS}<fromNum>{LINE}</fromNum>"
        f"{numbers('toNums', [MOBILE, 'x', '09351234567', MOBILE, MOBILE, MOBILE, MOBILE])}"
        f"{numbers('messageContents', ['a', 'b', FILTERED_WORD, 'd', '', 'س' * 671, 'س' * 670])}"
    )
    answer = call(http, "SendMultipleSMS", inner)
    entries = [
        (int(i.findtext("ErrCode") or ""), i.findtext("result"))
        for i in answer.iterfind("result/item")
    ]
    assert [c for c, _ in entries] == [0, -3, -3, 0, -3, -3, 0]
    stored = sandbox.admin.messages(provider="advanced_ws")
    assert [str(m["id"]) for m in stored] == [entries[0][1], entries[3][1], entries[6][1]]
    assert [m["text"] for m in stored] == ["a", "d", "س" * 670]


def test_every_status_code_over_time(http: httpx.Client, sandbox: Sandbox) -> None:
    ids = items(send(http, [MOBILE, BLACKLISTED, "09121234998", "09121234999"]))
    assert items(status(http, ids)) == ["1", "6", "1", "1"]
    sandbox.admin.advance(3)
    assert items(status(http, ids)) == ["3", "6", "2", "3"]
    sandbox.admin.advance(3600)
    assert items(status(http, ids)) == ["4", "6", "2", "5"]


def test_status_of_an_id_that_is_not_yours_is_3(http: httpx.Client, sandbox: Sandbox) -> None:
    # A message the same account sent through another provider is not this service's.
    with PayamakPanelClient("demo", "demo", base_url=sandbox.base_url) as panel:
        (elsewhere,) = panel.send_sms(to=[MOBILE], sender=LINE, text="x", isflash=False).rec_ids
    assert code(status(http, [str(elsewhere)])) == -3
    ids = items(send(http, [MOBILE]))
    other = call(
        http, "GetStatus", "<user>other</user><pass>other</pass>" + numbers("unique_ids", ids)
    )
    assert (code(other), other.find("result")) == (-3, None)
    assert code(status(http, ["12x"])) == -3


def test_get_msg_returns_the_last_50_unread_once(http: httpx.Client, sandbox: Sandbox) -> None:
    for i in range(55):
        sandbox.admin.inject_inbound(LINE, f"0912{i:07d}", f"m{i}")
    first = call(http, "GetMsg", CREDENTIALS)
    received = [item.findtext("msg") for item in first.iterfind("result/item")]
    assert received == [f"m{i}" for i in range(5, 55)]
    item = first.find("result/item")
    assert item is not None
    assert (item.findtext("from"), item.findtext("to")) == ("09120000005", LINE)
    assert int(item.findtext("time") or "") <= sandbox.admin.now()
    # The three seeded and five older ones are still unread; then nothing is.
    assert len(call(http, "GetMsg", CREDENTIALS).findall("result/item")) == 8
    assert call(http, "GetMsg", CREDENTIALS).findall("result/item") == []


def test_a_request_breaking_the_wsdl_is_a_client_fault(http: httpx.Client) -> None:
    response = post(http, "GetStatus", f"{CREDENTIALS}<unique_ids><id>1</id></unique_ids>")
    assert response.status_code == 500
    assert b"<faultcode>soap:Client</faultcode>" in response.content
    unknown = http.post(
        PATH,
        content=envelope("GetCredit", CREDENTIALS),
        headers={"SOAPAction": '"urn:AdvancedWebService#Nope"', "Content-Type": "text/xml"},
    )
    assert unknown.status_code == 500
    assert http.put(PATH).status_code == 405
    page = http.get(PATH)
    assert page.status_code == 200
    assert "GetCredit, SendSMS, SendMultipleSMS, GetStatus, GetMsg" in page.text


def test_faults_are_armed_on_operations_only(http: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("advanced_ws", "error_code", operation="GetCredit", code=-5)
    # Neither a GET nor an unreadable body names an operation, so the fault waits for one.
    assert http.get(f"{PATH}?wsdl").status_code == 200
    unreadable = http.post(PATH, content=b"not xml", headers={"Content-Type": "text/xml"})
    assert unreadable.status_code == 500
    assert b"<faultcode>soap:Client</faultcode>" in unreadable.content
    assert code(call(http, "GetCredit", CREDENTIALS)) == -5


@pytest.mark.parametrize("path", [PATH, "/Advanced/Server.php"])
def test_the_wsdl_is_served_with_the_request_host(
    http: httpx.Client, sandbox: Sandbox, path: str
) -> None:
    response = http.get(f"{path}?wsdl")
    assert response.status_code == 200
    address = etree.fromstring(response.content).find(
        ".//{http://schemas.xmlsoap.org/wsdl/soap/}address"
    )
    assert address is not None
    assert address.get("location") == f"{sandbox.base_url.rstrip('/')}{path}"


@pytest.mark.parametrize(
    ("operation", "inner", "injected"),
    [
        ("GetCredit", CREDENTIALS, -5),
        (
            "SendSMS",
            f"{CREDENTIALS}<fromNum>{LINE}</fromNum><toNum/><messageContent>x</messageContent>",
            -2,
        ),
        ("GetStatus", CREDENTIALS + "<unique_ids/>", 5),
        ("GetStatus", CREDENTIALS + "<unique_ids/>", 0),
    ],
)
def test_the_error_code_fault_answers_in_the_operations_shape(
    http: httpx.Client, sandbox: Sandbox, operation: str, inner: str, injected: int
) -> None:
    sandbox.admin.inject_fault("advanced_ws", "error_code", operation=operation, code=injected)
    answer = call(http, operation, inner)
    if injected > 0:  # a status code: GetStatus's one status
        assert (code(answer), items(answer)) == (0, [str(injected)])
    elif injected == 0:  # success with nothing: no result at all
        assert (code(answer), answer.find("result")) == (0, None)
    else:
        assert code(answer) == injected
