"""trez_xml over raw HTTP: every action's happy path, the manual's examples, and the shared panel.

Envelopes are built by hand here (and the helpers below are shared by the other test_trez_xml*
files); every answer's inner document is checked against specs/trez_xml/xmlapi.xsd.
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest
from lxml import etree

from payamak.sandbox import AccountConfig, Sandbox, SandboxAdmin, SandboxConfig
from payamak.sandbox._clock import Clock
from payamak.sandbox._store import Store
from payamak.sandbox.providers.trez_xml import TrezXml, format_jalali, parse_jalali
from tests.sandbox.support import (
    BLACKLISTED,
    CREDIT,
    FILTERED_WORD,
    LINE,
    MOBILE,
    PORT_LINE,
    PRICE_EN,
    PRICE_FA,
    Rest,
    send_body,
)

SPECS = Path(__file__).resolve().parents[2] / "specs" / "trez_xml"
EXAMPLES = SPECS / "examples"
SCHEMA = etree.XMLSchema(etree.parse(str(SPECS / "xmlapi.xsd")))
ENDPOINT = "/XmlForSMS.asmx"
TNS = "http://tempuri.org/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_ACTION = '"http://tempuri.org/getxml"'
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ids = itertools.count(1)


def envelope(document: str | None, *, cdata: bool = False) -> bytes:
    """A getxml envelope as ASP.NET's own clients write it; None leaves xmlString out."""
    if document is None:
        part = ""
    elif cdata:
        part = f"<xmlString><![CDATA[{document}]]></xmlString>"
    else:
        part = f"<xmlString>{escape(document)}</xmlString>"
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<soap:Body><getxml xmlns="{TNS}">{part}</getxml></soap:Body></soap:Envelope>'
    ).encode()


def request(
    action: str | None,
    *,
    username: str | None = "demo",
    password: str | None = "demo",
    number: str | None = LINE,
    body: str | None = None,
    **tags: str | None,
) -> str:
    """An xmlrequest document; a tag given as None is left out, `body` is raw XML."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?><xmlrequest>']
    common = (("username", username), ("password", password), ("number", number))
    for tag, value in (*common, ("action", action), *tags.items()):
        if value is not None:
            parts.append(f"<{tag}>{escape(value)}</{tag}>")
    if body is not None:
        parts.append(body)
    parts.append("</xmlrequest>")
    return "".join(parts)


def recipients(*mobiles: str) -> str:
    """A type-0 body."""
    return "<body>" + "".join(f'<recipient mobile="{m}"></recipient>' for m in mobiles) + "</body>"


def pairs(*items: tuple[str, str, str], ports: tuple[int, int] | None = None) -> str:
    """A type-1/2 body from (mobile, doreid, text); `ports` is (reciveport, sendport)."""
    attrs = "" if ports is None else f' reciveport="{ports[0]}" sendport="{ports[1]}"'
    rows = "".join(
        f'<recipient mobile="{m}" doreid="{d}">{escape(t)}</recipient>' for m, d, t in items
    )
    return f"<body{attrs}>{rows}</body>"


def send0(
    *mobiles: str,
    message: str = "hello",
    dodate: str = "",
    usergroupid: str | None = None,
    **kw: str,
) -> str:
    """A sendmessage type 0 document (a fresh usergroupid unless given)."""
    return request(
        "sendmessage",
        type="0",
        dodate=dodate,
        message=message,
        usergroupid=usergroupid or f"g{next(_ids)}",
        body=recipients(*(mobiles or (MOBILE,))),
        **kw,
    )


def send_pairs(
    *items: tuple[str, str, str], kind: int = 1, ports: tuple[int, int] | None = None, **kw: str
) -> str:
    """A sendmessage type 1 (or 2) document."""
    return request(
        "sendmessage",
        type=str(kind),
        dodate="",
        message="",
        usergroupid=f"p{next(_ids)}",
        body=pairs(*items, ports=ports),
        **kw,
    )


def shape(node: etree._Element) -> tuple[object, ...]:
    """An element's structure: tag, attribute names, whether it has text, children's shapes."""
    return (
        node.tag,
        tuple(sorted(node.attrib)),
        bool((node.text or "").strip()),
        tuple(shape(child) for child in node),
    )


@dataclass
class Xml:
    """Calls getxml over raw HTTP and returns the inner response document."""

    http: httpx.Client

    def post(self, content: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """Posts raw bytes to the endpoint with the usual SOAP 1.1 headers (overridable)."""
        sent = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": SOAP_ACTION}
        sent.update(headers or {})
        return self.http.post(ENDPOINT, content=content, headers=sent)

    def call(self, document: str | None, **kwargs: bool) -> etree._Element:
        """Sends a document; checks HTTP 200, the response envelope and the XSD; returns it."""
        response = self.post(envelope(document, **kwargs))
        return result_document(response)

    def ok(self, document: str) -> etree._Element:
        """Calls and asserts the answer has no code; returns its body."""
        root = self.call(document)
        assert root.find("code") is None, etree.tostring(root)
        body = root.find("body")
        assert body is not None
        return body

    def code(self, document: str | None, **kwargs: bool) -> int:
        """Calls and returns the answer's code (asserting the error shape)."""
        root = self.call(document, **kwargs)
        assert root.find("body") is None
        assert [child.tag for child in root][-2:] == ["code", "message"]
        return int(root.findtext("code") or "0")

    def credit(self) -> int:
        """The demo account's credit through the credit action."""
        return int(self.ok(request("credit")).text or "")


def result_document(response: httpx.Response) -> etree._Element:
    """The xmlresponse inside a getxml answer, checked against the WSDL's shape and the XSD."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    (result,) = root.findall(f"{{{SOAP_ENV}}}Body/{{{TNS}}}getxmlResponse/{{{TNS}}}getxmlResult")
    document = etree.fromstring((result.text or "").encode())
    assert SCHEMA.validate(document), SCHEMA.error_log
    return document


def open_xml(sandbox: Sandbox) -> Iterator[Xml]:
    """A raw httpx client on the reset sandbox's trez_xml endpoint (the `xml` fixture)."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as client:
        yield Xml(client)


# The other test_trez_xml* modules declare the fixture the same way from `open_xml`.
xml = pytest.fixture(open_xml, name="xml")


def codes_by_mobile(body: etree._Element) -> dict[str, str]:
    return {r.get("mobile", ""): r.text or "" for r in body.iterfind("recipient")}


def group_status(xml: Xml, groupmid: str) -> etree._Element:
    return xml.ok(request("status", type="0", usergroupid=groupmid))


# -- the specs and the sandbox agree -------------------------------------------------------------


def test_every_action_of_the_schema_is_served(sandbox: Sandbox) -> None:
    (provider,) = [p for p in sandbox.services.providers if p.name == "trez_xml"]
    assert isinstance(provider, TrezXml)
    assert provider.unimplemented() == []
    assert list(provider.operations) == [
        "getxml",
        "sendmessage",
        "credit",
        "status",
        "recivemessage",
        "issubuser",
    ]


def test_jalali_dates_are_tehran_time() -> None:
    stamp = parse_jalali("1403/01/01 00:00:00")  # Nowruz 2024: 2024-03-20 00:00 +03:30
    assert stamp == 1710880200
    assert format_jalali(stamp) == "1403/01/01 00:00:00"
    assert format_jalali(1_700_000_000) == "1402/08/24 01:43:20"
    for bad in ("1403/13/01 00:00:00", "1402/12/30 00:00:00", "1403/01/01 24:00:00", "tomorrow"):
        with pytest.raises(ValueError):
            parse_jalali(bad)


# -- the manual's examples: same request, same structure ---------------------------------------


@pytest.fixture
def mehran(sandbox_admin: SandboxAdmin) -> SandboxAdmin:
    """The manual's account (mehran67 / 123456, line 30008632) and its sub-user mehran123."""
    sandbox_admin.put_account("mehran67", "123456", port_lines=["30008632"])
    sandbox_admin.put_account("mehran123", "pw", parent="mehran67")
    return sandbox_admin


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def example_shape(name: str) -> tuple[object, ...]:
    return shape(etree.fromstring((EXAMPLES / name).read_bytes()))


@pytest.mark.parametrize(
    ("request_file", "response_file"),
    [
        ("credit.request.xml", "credit.response.xml"),
        ("credit.action-first.request.xml", "credit.response.xml"),
        ("sendmessage_type0.request.xml", "sendmessage_type0.response.xml"),
        ("sendmessage_type0.empty-dodate.request.xml", "sendmessage_type0.response.xml"),
        ("sendmessage_type1.request.xml", "sendmessage_type1.response.xml"),
        ("sendmessage_type2.request.xml", "sendmessage_type2.response.xml"),
        ("issubuser.request.xml", "issubuser.response.xml"),
    ],
)
def test_example_requests_get_answers_shaped_like_the_examples(
    xml: Xml, mehran: SandboxAdmin, request_file: str, response_file: str
) -> None:
    answer = xml.call(example(request_file))
    assert shape(answer) == example_shape(response_file)
    expected = etree.fromstring((EXAMPLES / response_file).read_bytes())
    asked = etree.fromstring((EXAMPLES / request_file).read_bytes())
    assert answer.findtext("username") == expected.findtext("username")
    assert answer.findtext("number") == asked.findtext("number")
    assert answer.findtext("action") == expected.findtext("action")
    if expected.find("body/recipient") is not None:
        sent = [(r.get("mobile"), r.get("doreid")) for r in asked.iterfind("body/recipient")]
        got = [(r.get("mobile"), r.get("doreid")) for r in answer.iterfind("body/recipient")]
        assert got == sent


def test_example_status_type0_answers(xml: Xml, mehran: SandboxAdmin) -> None:
    groupmid = xml.ok(example("sendmessage_type0.request.xml")).findtext("groupmid") or ""
    asked = example("status_type0.request.xml").replace(
        "499ec4f7-6ead-414f-ac0f-e7c420e4fce5", groupmid
    )
    answer = xml.call(asked)
    assert shape(answer) == example_shape("status_type0.response.xml")
    assert answer.findtext("usergroupid") == groupmid
    # The real server echoes each mobile without its leading 0.
    mobiles = [r.get("mobile") for r in answer.iterfind("body/recipient")]
    assert mobiles == ["9116662205", "9366178192", "9113261024"]
    client_style = example("status_type0.client-body.request.xml").replace(
        "499ec4f7-6ead-414f-ac0f-e7c420e4fce5", groupmid
    )
    assert shape(xml.call(client_style)) == shape(answer)


def test_example_status_type0_queued(xml: Xml, mehran: SandboxAdmin, sandbox: Sandbox) -> None:
    later = format_jalali(sandbox.admin.now() + 3600)
    send = example("sendmessage_type0.request.xml").replace("1394/06/26 20:20:36", later)
    groupmid = xml.ok(send).findtext("groupmid") or ""
    asked = example("status_type0.request.xml").replace(
        "499ec4f7-6ead-414f-ac0f-e7c420e4fce5", groupmid
    )
    assert shape(xml.call(asked)) == example_shape("status_type0.queued.response.xml")


def test_example_status_type1(xml: Xml, mehran: SandboxAdmin) -> None:
    sent = xml.ok(example("sendmessage_type1.request.xml"))
    ids = [r.text or "" for r in sent.iterfind("recipient")]
    asked = (
        example("status_type1.request.xml")
        .replace('"2027"', f'"{ids[0]}"')
        .replace('"2028"', f'"{ids[1]}"')
    )
    answer = xml.call(asked)
    assert shape(answer) == example_shape("status_type1.response.xml")
    assert [r.get("doreid") for r in answer.iterfind("body/recipient")] == ids[:2]


def test_example_recivemessage(xml: Xml, mehran: SandboxAdmin) -> None:
    for date, text in (("1394/01/01 20:20:20", "متن پیام"), ("1394/02/01 15:20:20", "متن پیام")):
        mehran.inject_inbound("30008632", "09116662205", text, received_at=parse_jalali(date))
    answer = xml.call(example("recivemessage.request.xml"))
    assert shape(answer) == example_shape("recivemessage.response.xml")
    rows = [(r.get("mobile"), r.get("date"), r.text) for r in answer.iterfind("body/recipient")]
    assert rows == [
        ("09116662205", "1394/01/01 20:20:20", "متن پیام"),
        ("09116662205", "1394/02/01 15:20:20", "متن پیام"),
    ]


def test_error_answer_has_the_example_shape_plus_the_text(xml: Xml, mehran: SandboxAdmin) -> None:
    answer = xml.call(example("credit.request.xml").replace("123456", "wrong"))
    expected = etree.fromstring((EXAMPLES / "error.response.xml").read_bytes())
    assert [c.tag for c in answer] == [*(c.tag for c in expected), "message"]
    assert answer.findtext("code") == expected.findtext("code") == "462"
    assert answer.findtext("message") == "خطا درست نبودن user یا pass"  # errors.yaml's fa


# -- sendmessage ---------------------------------------------------------------------------------


def test_send_type0_now_charges_every_recipient(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    body = xml.ok(send0(MOBILE, "09127654321", usergroupid="mine-1"))
    groupmid = body.findtext("groupmid") or ""
    assert GUID.match(groupmid)
    assert xml.credit() == CREDIT - 2 * PRICE_EN
    sent = sandbox_admin.messages(provider="trez_xml")
    assert [(m["mobile"], m["text"], m["group_id"], m["kind"]) for m in sent] == [
        (MOBILE, "hello", groupmid, "group"),
        ("09127654321", "hello", groupmid, "group"),
    ]
    assert all(m["line"] == LINE and m["state"] == "queued" for m in sent)


@pytest.mark.parametrize(
    ("text", "cost"),
    [("hello", PRICE_EN), ("سلام", PRICE_FA), ("س" * 71, 2 * PRICE_FA), ("a" * 161, 2 * PRICE_EN)],
)
def test_send_type0_costs_segments_times_price(xml: Xml, text: str, cost: int) -> None:
    xml.ok(send0(MOBILE, message=text))
    assert xml.credit() == CREDIT - cost


def test_send_type0_scheduled_by_jalali_dodate(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    at = math.floor(sandbox_admin.now()) + 3600
    groupmid = xml.ok(send0(MOBILE, dodate=format_jalali(at))).findtext("groupmid") or ""
    (message,) = sandbox_admin.messages()
    assert message["send_at"] == at
    assert group_status(xml, groupmid).get("status") == "2"
    sandbox_admin.advance(3600 - 10)
    assert group_status(xml, groupmid).get("status") == "2"
    sandbox_admin.advance(11)
    just_sent = group_status(xml, groupmid)
    assert just_sent.get("status") == "1"
    assert codes_by_mobile(just_sent) == {MOBILE[1:]: "0"}  # 0: still being processed


def test_send_type0_with_a_past_or_empty_dodate_goes_now(
    xml: Xml, sandbox_admin: SandboxAdmin
) -> None:
    xml.ok(send0(MOBILE, dodate="1394/06/26 20:20:36"))
    xml.ok(send0(MOBILE, dodate=""))
    now = sandbox_admin.now()
    assert [m["send_at"] for m in sandbox_admin.messages()] == [now, now]


def test_send_type0_accepts_98_prefixed_3000_line(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    xml.ok(send0(MOBILE, number="98" + PORT_LINE))
    assert [m["line"] for m in sandbox_admin.messages()] == [PORT_LINE]


def test_send_type1_one_text_per_number(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    body = xml.ok(send_pairs((MOBILE, "10452207", "سلام"), ("9127654321", "45687204", "hi there")))
    rows = [(r.get("mobile"), r.get("doreid"), r.text) for r in body.iterfind("recipient")]
    sent = sandbox_admin.messages(provider="trez_xml")
    assert rows == [
        (MOBILE, "10452207", str(sent[0]["id"])),
        ("9127654321", "45687204", str(sent[1]["id"])),
    ]
    assert [(m["text"], m["user_ref"], m["kind"]) for m in sent] == [
        ("سلام", "10452207", "corresponding"),
        ("hi there", "45687204", "corresponding"),
    ]
    assert xml.credit() == CREDIT - PRICE_FA - PRICE_EN


def test_send_type2_to_application_ports(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    document = send_pairs((MOBILE, "1", "ping"), kind=2, ports=(6122, 6016), number=PORT_LINE)
    body = xml.ok(document)
    assert (body.get("reciveport"), body.get("sendport")) == ("6122", "6016")
    (message,) = sandbox_admin.messages()
    assert (message["kind"], message["receive_port"], message["send_port"]) == ("port", 6122, 6016)


def test_filtered_text_is_free_and_reports_status_3(xml: Xml) -> None:
    groupmid = xml.ok(send0(MOBILE, message=f"a {FILTERED_WORD} b")).findtext("groupmid") or ""
    assert xml.credit() == CREDIT
    body = group_status(xml, groupmid)
    assert (body.get("status"), len(body)) == ("3", 0)


# -- status --------------------------------------------------------------------------------------


def test_status_type0_follows_the_clock(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    mobiles = (MOBILE, BLACKLISTED, "09121234998", "09121234999")
    groupmid = xml.ok(send0(*mobiles)).findtext("groupmid") or ""
    sandbox_admin.advance(3)
    assert codes_by_mobile(group_status(xml, groupmid)) == {
        "9121234567": "8",
        "9120000000": "27",
        "9121234998": "16",
        "9121234999": "8",
    }
    sandbox_admin.advance(10)
    body = group_status(xml, groupmid)
    assert body.get("status") == "1"
    assert codes_by_mobile(body) == {
        "9121234567": "1",
        "9120000000": "27",
        "9121234998": "16",
        "9121234999": "2",
    }


def test_status_type1_by_message_ids(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sent = xml.ok(send_pairs((MOBILE, "1", "a"), (BLACKLISTED, "2", "b")))
    ids = [r.text or "" for r in sent.iterfind("recipient")]
    asked = "".join(f'<recipient doreid="{i}"></recipient>' for i in [*ids, "999999"])
    document = request("status", type="1", body=f"<body>{asked}</body>")
    before = xml.ok(document)
    assert [(r.get("doreid"), r.text) for r in before] == [(ids[0], "0"), (ids[1], "27")]
    sandbox_admin.advance(10)
    after = xml.ok(document)  # the unknown id is left out
    assert [(r.get("doreid"), r.text) for r in after] == [(ids[0], "1"), (ids[1], "27")]


def test_integers_of_any_width_the_schema_accepts_are_read(xml: Xml) -> None:
    # The XSD's integers take any number of leading zeros, and a page any number of digits; int()
    # refuses text of more than 4300 digits, so each of these used to be an HTTP 500.
    zeros = "0" * 5000
    rows = f'<recipient mobile="{MOBILE}" doreid="1">ping</recipient>'
    body = f'<body reciveport="{zeros}6122" sendport="{zeros}6016">{rows}</body>'
    document = request(
        "sendmessage",
        number=PORT_LINE,
        type=zeros + "2",
        dodate="",
        message="",
        usergroupid="wide",
        body=body,
    )
    sent = xml.ok(document)
    assert (sent.get("reciveport"), sent.get("sendport")) == ("6122", "6016")
    message_id = sent.findtext("recipient") or ""
    asked = f'<body><recipient doreid="{zeros}{message_id}"></recipient></body>'
    status = xml.ok(request("status", type=zeros + "1", body=asked))
    assert [r.text for r in status] == ["0"]
    assert xml.ok(inbox_request(zeros + "1")).get("page") == "1"
    assert xml.code(inbox_request("9" * 5000)) == 433  # past the last page, however wide


def test_status_sees_groups_sent_through_trez_rest(xml: Xml, rest: Rest) -> None:
    groupmid = rest.ok("SendMessage", send_body())
    assert group_status(xml, groupmid).get("status") == "1"


# -- recivemessage -------------------------------------------------------------------------------


def inbox_request(
    page: int | str, start: str = "1390/01/01 00:00:00", end: str = "1500/01/01 00:00:00"
) -> str:
    return request(
        "recivemessage", startdate=start, enddate=end, body=f'<body page="{page}"></body>'
    )


def test_recivemessage_pages_of_50_oldest_first(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    base = math.floor(sandbox_admin.now()) - 100_000
    for n in range(118):
        sandbox_admin.inject_inbound(LINE, f"0912{n:07d}", f"in {n}", received_at=base + n * 60)
    # The demo inbox already holds two messages on this line, received just now.
    pages = [xml.ok(inbox_request(page)) for page in (1, 2, 3)]
    assert [(p.get("page"), p.get("totalpage"), len(p)) for p in pages] == [
        ("1", "3", 50),
        ("2", "3", 50),
        ("3", "3", 20),
    ]
    first = pages[0][0]
    assert (first.get("mobile"), first.text) == ("09120000000", "in 0")
    assert first.get("date") == format_jalali(base)
    assert [r.text for r in pages[1]][:2] == ["in 50", "in 51"]
    assert xml.code(inbox_request(4)) == 433


def test_recivemessage_period_and_line(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    now = math.floor(sandbox_admin.now())
    sandbox_admin.inject_inbound(LINE, MOBILE, "old", received_at=now - 10 * 86400)
    sandbox_admin.inject_inbound(PORT_LINE, MOBILE, "other line", received_at=now - 120)
    window = inbox_request(1, format_jalali(now - 11 * 86400), format_jalali(now - 9 * 86400))
    assert [r.text for r in xml.ok(window)] == ["old"]
    port_line = request(
        "recivemessage",
        number=PORT_LINE,
        startdate=format_jalali(now - 3600),
        enddate=format_jalali(now + 60),
        body='<body page="1"/>',
    )
    assert [r.text for r in xml.ok(port_line)] == ["other line", "1"]  # the demo one: 60 s ago


# -- credit and issubuser ------------------------------------------------------------------------


def test_credit_is_the_panels_balance(xml: Xml, rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    assert xml.credit() == CREDIT
    rest.ok("SendMessage", send_body())
    xml.ok(send0(MOBILE))
    assert xml.credit() == rest.credit() == CREDIT - 2 * PRICE_EN
    sandbox_admin.set_credit("demo", 42)
    assert xml.credit() == 42


@pytest.mark.parametrize(
    ("name", "answer"),
    [("reseller-sub", "true"), ("other", "false"), ("nobody", "false"), ("demo", "false")],
)
def test_issubuser(xml: Xml, sandbox_admin: SandboxAdmin, name: str, answer: str) -> None:
    sandbox_admin.put_account("reseller-sub", "pw", parent="demo")
    assert xml.ok(request("issubuser", issubuser=name)).text == answer


def test_sub_users_parent_is_listed(sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.put_account("reseller-sub", "pw", parent="demo")
    parents = {a["username"]: a["parent"] for a in sandbox_admin.accounts()}
    assert parents["reseller-sub"] == "demo"
    assert parents["demo"] is None


def test_admin_lists_trez_xml_sends_among_all(
    xml: Xml, rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    rest.ok("SendMessage", send_body())
    xml.ok(send0(MOBILE))
    assert [m["provider"] for m in sandbox_admin.messages()] == ["trez_rest", "trez_xml"]
    assert len(sandbox_admin.messages(provider="trez_xml")) == 1


def test_a_state_file_from_before_sub_users_gains_the_parent_column(tmp_path: Path) -> None:
    state = tmp_path / "old.sqlite"
    with sqlite3.connect(state) as db:
        db.execute(
            "CREATE TABLE accounts (username TEXT PRIMARY KEY, password TEXT NOT NULL, "
            "credit_rials INTEGER NOT NULL, price_fa INTEGER NOT NULL, price_en INTEGER NOT NULL, "
            "api_enabled INTEGER NOT NULL DEFAULT 1, allowed_ips TEXT NOT NULL DEFAULT '')"
        )
    db.close()
    store = Store(SandboxConfig(), Clock(frozen=True), state)
    try:
        store.put_account(AccountConfig("reseller-sub", "pw", parent="demo"))
        account = store.account("reseller-sub")
        assert account is not None and account.parent == "demo"
        demo = store.account("demo")
        assert demo is not None and demo.parent is None
    finally:
        store.close()
