"""trez_xml: every result code an input can trigger, each triggered by that input.

`CASES` names an input per code (several for most); a test checks that every code of
specs/trez_xml/errors.yaml is triggered except the ones no input can reach, and another that the
XSD itself flags what `SCHEMA_CODES` says for each schema-detected case.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

import pytest
import yaml
from lxml import etree
from typing_extensions import Unpack

from payamak.sandbox import SandboxAdmin
from payamak.sandbox.providers.trez_xml import SCHEMA_CODES
from tests.sandbox.support import DEMO_AUTH, LINE, MOBILE, OTHER_LINE, PORT_LINE, send_body
from tests.sandbox.test_trez_xml import (
    SCHEMA,
    SPECS,
    Xml,
    open_xml,
    pairs,
    recipients,
    request,
    send0,
    send_pairs,
)

xml = pytest.fixture(open_xml, name="xml")

# 426 (dodate empty): an empty dodate is the documented "send now", never an error.
# 466 (error saving data): nothing a client sends can make the sandbox fail to save; the
# error_code fault produces it (see test_trez_xml_wire.py).
UNTRIGGERABLE = frozenset({426, 466})

Setup = Callable[[Xml, SandboxAdmin], None]


@dataclass(frozen=True)
class Case:
    """One input and the code it must get.

    Attributes:
        code: The expected result code.
        document: The xmlString text (None: no xmlString element).
        setup: Prepares the panel first.
        schema: The (element, attribute) the XSD flags, when the code comes from `SCHEMA_CODES`.
    """

    code: int
    document: str | None
    setup: Setup | None = None
    schema: tuple[str, str | None] | None = None


def _send0(**tags: str | None) -> str:
    """A type-0 send with tags replaced (None leaves a tag out); body given raw as `body`."""
    values: dict[str, str | None] = {
        "type": "0",
        "dodate": "",
        "message": "hi",
        "usergroupid": "u1",
    }
    body = tags.pop("body", recipients(MOBILE))
    values.update(tags)
    return request("sendmessage", body=body, **values)


def _send1(body: str, **tags: str | None) -> str:
    values: dict[str, str | None] = {"type": "1", "dodate": "", "message": "", "usergroupid": "u2"}
    values.update(tags)
    return request("sendmessage", body=body, **values)


def _inbox(body: str | None = '<body page="1"/>', **tags: str | None) -> str:
    values: dict[str, str | None] = {
        "startdate": "1390/01/01 00:00:00",
        "enddate": "1500/01/01 00:00:00",
    }
    values.update(tags)
    return request("recivemessage", body=body, **values)


def _status1(body: str | None) -> str:
    return request("status", type="1", body=body)


def _credit_to(rials: int) -> Setup:
    def setup(xml: Xml, admin: SandboxAdmin) -> None:
        admin.set_credit("demo", rials)

    return setup


def _xml_send(usergroupid: str) -> Setup:
    def setup(xml: Xml, admin: SandboxAdmin) -> None:
        xml.ok(send0(MOBILE, usergroupid=usergroupid))

    return setup


def _rest_send(usergroupid: str) -> Setup:
    def setup(xml: Xml, admin: SandboxAdmin) -> None:
        path = "/api/smsAPI/SendMessage"
        body = send_body(UserGroupID=usergroupid)
        assert xml.http.post(path, json=body, auth=DEMO_AUTH).json()["Code"] == 0

    return setup


class _AccountOptions(TypedDict, total=False):
    """The options of `SandboxAdmin.put_account` these cases set."""

    lines: list[str]
    api_enabled: bool
    allowed_ips: list[str]


def _account(**options: Unpack[_AccountOptions]) -> Setup:
    def setup(xml: Xml, admin: SandboxAdmin) -> None:
        admin.put_account("acme", "pw", **options)

    return setup


_ENTITY_BOMB = (
    '<!DOCTYPE xmlrequest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<xmlrequest><username>&c;</username><password>demo</password>"
    f"<number>{LINE}</number><action>credit</action></xmlrequest>"
)
_EMOJI_640 = "😀" * 640  # 640 characters, 1280 UTF-16 units: 20 parts, over the 10 allowed

CASES: dict[str, Case] = {
    # 400: no xmlrequest
    "400 no xmlString": Case(400, None),
    "400 empty xmlString": Case(400, ""),
    "400 blank xmlString": Case(400, " \n\t "),
    "400 another root": Case(400, "<xmlresponse><username>demo</username></xmlresponse>"),
    "400 namespaced root": Case(
        400, '<xmlrequest xmlns="urn:x"><action>credit</action></xmlrequest>'
    ),
    # 401-415: a tag the action needs is missing
    "401 username": Case(401, request("credit", username=None)),
    "402 password": Case(402, request("credit", password=None)),
    "403 number": Case(403, request("credit", number=None)),
    "404 action": Case(404, request(None)),
    "405 type (send)": Case(405, _send0(type=None)),
    "405 type (status)": Case(405, request("status", usergroupid="x")),
    "406 dodate": Case(406, _send0(dodate=None)),
    "407 message (type 0)": Case(407, _send0(message=None)),
    "407 message (type 1)": Case(407, _send1(pairs((MOBILE, "1", "hi")), message=None)),
    "408 usergroupid (send)": Case(408, _send0(usergroupid=None)),
    "408 usergroupid (status 0)": Case(408, request("status", type="0")),
    "409 body (send)": Case(409, _send0(body=None)),
    "409 body (status 1)": Case(409, _status1(None)),
    "409 body (recivemessage)": Case(409, _inbox(None)),
    "410 recipient (send)": Case(410, _send0(body='<body status="1"></body>')),
    "410 recipient (type 2)": Case(
        410,
        _send1('<body reciveport="6122" sendport="6016"/>', type="2", number=PORT_LINE),
    ),
    "410 recipient (status 1)": Case(410, _status1('<body status="1"/>')),
    "411 startdate": Case(411, _inbox(startdate=None)),
    "412 enddate": Case(412, _inbox(enddate=None)),
    "413 page": Case(413, _inbox("<body/>")),
    "414 doreid (send 1)": Case(
        414, _send1(f'<body><recipient mobile="{MOBILE}">hi</recipient></body>')
    ),
    "414 doreid (status 1)": Case(414, _status1("<body><recipient/></body>")),
    "415 issubuser": Case(415, request("issubuser")),
    # 421-435: a tag is there but empty (or an attribute invalid)
    "421 username": Case(421, request("credit", username="")),
    "422 password": Case(422, request("credit", password=" ")),
    "423 number": Case(423, request("credit", number="")),
    "424 action": Case(424, request("")),
    "425 type": Case(425, _send0(type=""), schema=("type", None)),
    "425 type (status)": Case(425, request("status", type=" "), schema=("type", None)),
    "427 message": Case(427, _send0(message="  ")),
    "428 usergroupid (send)": Case(428, _send0(usergroupid="")),
    "428 usergroupid (status 0)": Case(428, request("status", type="0", usergroupid="")),
    "429 body (send)": Case(429, _send0(body="<body/>")),
    "429 blank body (send)": Case(429, _send0(body="<body>\n  </body>")),
    "429 body (status 1)": Case(429, _status1("<body></body>")),
    "430 recipient without mobile": Case(430, _send0(body="<body><recipient/></body>")),
    "430 empty mobile": Case(
        430, _send0(body='<body><recipient mobile=""/></body>'), schema=("recipient", "mobile")
    ),
    "430 mobile not digits": Case(
        430, _send0(body='<body><recipient mobile="abc"/></body>'), schema=("recipient", "mobile")
    ),
    "430 not an Iranian mobile": Case(430, _send0(body=recipients(MOBILE, "02188776655"))),
    "430 type 1 without text": Case(430, _send1(pairs((MOBILE, "1", "  ")))),
    "431 startdate": Case(431, _inbox(startdate=""), schema=("startdate", None)),
    "432 enddate": Case(432, _inbox(enddate=""), schema=("enddate", None)),
    "433 page empty": Case(433, _inbox('<body page=""/>'), schema=("body", "page")),
    "433 page zero": Case(433, _inbox('<body page="0"/>'), schema=("body", "page")),
    "433 page past the last": Case(433, _inbox('<body page="2"/>')),
    "434 doreid empty": Case(
        434, _send1(pairs((MOBILE, "", "hi"))), schema=("recipient", "doreid")
    ),
    "434 doreid not a number": Case(
        434, _status1('<body><recipient doreid="abc"/></body>'), schema=("recipient", "doreid")
    ),
    "435 issubuser": Case(435, request("issubuser", issubuser="")),
    # 461-499
    "461 unknown action": Case(461, request("delete"), schema=("action", None)),
    "461 capitalised action": Case(461, request("Credit"), schema=("action", None)),
    "462 wrong password": Case(462, request("credit", password="wrong")),
    "462 unknown user": Case(462, request("credit", username="nobody")),
    "462 web service disabled": Case(
        462,
        request("credit", username="acme", password="pw", number="5000555"),
        setup=_account(lines=["5000555"], api_enabled=False),
    ),
    "462 caller's address not allowed": Case(
        462,
        request("credit", username="acme", password="pw", number="5000555"),
        setup=_account(lines=["5000555"], allowed_ips=["10.9.8.7"]),
    ),
    "463 no dedicated number": Case(
        463, request("credit", username="acme", password="pw", number=LINE), setup=_account()
    ),
    "464 another account's line": Case(464, request("credit", number=OTHER_LINE)),
    "464 no such line": Case(464, request("credit", number="123")),
    "464 number not digits": Case(
        464, request("credit", number="50002910001080x"), schema=("number", None)
    ),
    "465 no credit (type 0)": Case(465, send0(MOBILE), setup=_credit_to(274)),
    "465 no credit (type 1)": Case(465, send_pairs((MOBILE, "1", "hi")), setup=_credit_to(0)),
    "467 type 3": Case(467, _send0(type="3"), schema=("type", None)),
    "467 type not a number": Case(467, _send0(type="x"), schema=("type", None)),
    "467 status type 2": Case(467, request("status", type="2", usergroupid="x")),
    "468 message over 640": Case(468, _send0(message="a" * 641), schema=("message", None)),
    "468 per-number text over 640": Case(
        468, _send1(pairs((MOBILE, "1", "b" * 641))), schema=("recipient", None)
    ),
    "468 more parts than allowed": Case(468, _send0(message=_EMOJI_640)),
    "468 too many recipients": Case(468, _send0(body=recipients(*[MOBILE] * 50_001))),
    "469 dodate format": Case(469, _send0(dodate="1402-01-01 10:00"), schema=("dodate", None)),
    "469 dodate no such day": Case(469, _send0(dodate="1403/13/01 10:00:00")),
    "469 startdate format": Case(469, _inbox(startdate="yesterday"), schema=("startdate", None)),
    "469 enddate format": Case(469, _inbox(enddate="1403/7/1 00:00:00"), schema=("enddate", None)),
    "469 enddate no such day": Case(469, _inbox(enddate="1403/07/31 00:00:00")),
    "470 usergroupid used by trez_xml": Case(
        470, send0(MOBILE, usergroupid="dup"), setup=_xml_send("dup")
    ),
    "470 usergroupid used by trez_rest": Case(
        470, send0(MOBILE, usergroupid="dup"), setup=_rest_send("dup")
    ),
    "470 unknown groupmid": Case(470, request("status", type="0", usergroupid=str(uuid.uuid4()))),
    "470 groupmid not a guid": Case(470, request("status", type="0", usergroupid="100")),
    "471 port line needed": Case(471, send_pairs((MOBILE, "1", "hi"), kind=2, ports=(6122, 6016))),
    "471 ports missing": Case(471, send_pairs((MOBILE, "1", "hi"), kind=2, number=PORT_LINE)),
    "471 port too short": Case(
        471,
        send_pairs((MOBILE, "1", "hi"), kind=2, ports=(12, 6016), number=PORT_LINE),
        schema=("body", "reciveport"),
    ),
    "471 port too long": Case(
        471,
        send_pairs((MOBILE, "1", "hi"), kind=2, ports=(6122, 60160), number=PORT_LINE),
        schema=("body", "sendport"),
    ),
    "490 nothing received in the period": Case(
        490, _inbox(startdate="1390/01/01 00:00:00", enddate="1391/01/01 00:00:00")
    ),
    "490 period backwards": Case(
        490, _inbox(startdate="1500/01/01 00:00:00", enddate="1390/01/01 00:00:00")
    ),
    "499 not well-formed": Case(499, "<xmlrequest><username>demo</xmlrequest>"),
    "499 not xml": Case(499, "username=demo&password=demo"),
    "499 doctype": Case(499, "<!DOCTYPE xmlrequest><xmlrequest/>"),
    "499 lower-case doctype": Case(499, "<!doctype xmlrequest><xmlrequest/>"),
    "499 entity bomb": Case(499, _ENTITY_BOMB),
    "499 undefined entity": Case(499, "<xmlrequest><username>&xxe;</username></xmlrequest>"),
    "499 unknown tag": Case(499, request("credit", sender="x")),
    "499 repeated tag": Case(499, request("credit", body=f"<number>{LINE}</number>")),
    "499 text in xmlrequest": Case(499, request("credit", body="stray text")),
    "499 text in body": Case(499, _send0(body="<body>09121234567</body>")),
    "499 unknown attribute": Case(
        499, _send0(body=f'<body><recipient mobile="{MOBILE}" to="x"/></body>')
    ),
    "499 body status not a number": Case(
        499, _status1('<body status="x"><recipient doreid="1"/></body>')
    ),
    "499 element inside a recipient": Case(
        499, _send0(body="<body><recipient><m/></recipient></body>")
    ),
    "499 element inside a tag": Case(499, request("credit", body="<issubuser><x/></issubuser>")),
}


def test_every_code_an_input_can_trigger_has_a_case() -> None:
    catalog = yaml.safe_load((SPECS / "errors.yaml").read_text(encoding="utf-8"))
    every = {int(item["code"]) for item in catalog["result_codes"]}
    assert {case.code for case in CASES.values()} == every - UNTRIGGERABLE


def test_every_schema_mapping_has_a_case() -> None:
    assert {case.schema for case in CASES.values() if case.schema} == set(SCHEMA_CODES)


@pytest.mark.parametrize("name", CASES)
def test_code(xml: Xml, sandbox_admin: SandboxAdmin, name: str) -> None:
    case = CASES[name]
    if case.setup is not None:
        case.setup(xml, sandbox_admin)
    assert xml.code(case.document) == case.code
    if case.setup is None:
        assert sandbox_admin.messages() == []


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.schema])
def test_the_schema_flags_what_the_mapping_names(name: str) -> None:
    case = CASES[name]
    assert case.document is not None and case.schema is not None
    document = etree.fromstring(case.document.encode())
    assert not SCHEMA.validate(document)
    (error, *_) = SCHEMA.error_log
    assert error.path is not None
    found = document.xpath(error.path)
    assert isinstance(found, list) and isinstance(found[0], etree._Element)
    attribute = re.search(r"attribute '([^']+)'", error.message)
    flagged = (found[0].tag, attribute.group(1) if attribute else None)
    assert flagged == case.schema
    assert case.code in SCHEMA_CODES[case.schema]


def test_status_of_another_accounts_group_is_470(xml: Xml) -> None:
    document = send0(MOBILE, username="other", password="other", number=OTHER_LINE)
    groupmid = xml.ok(document).findtext("groupmid") or ""
    assert xml.code(request("status", type="0", usergroupid=groupmid)) == 470


def test_error_echoes_what_the_request_carried(xml: Xml) -> None:
    answer = xml.call(_send0(type="7", usergroupid="echo-me"))
    assert [(c.tag, c.text) for c in answer][:5] == [
        ("username", "demo"),
        ("number", LINE),
        ("action", "sendmessage"),
        ("usergroupid", "echo-me"),
        ("code", "467"),
    ]
    unknown_action = xml.call(request("delete"))
    assert [c.tag for c in unknown_action] == ["username", "number", "code", "message"]


def test_a_failed_send_charges_nothing(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.set_credit("demo", 500)
    assert xml.code(send0(MOBILE, "09127654321")) == 465  # 2 x 275 > 500
    assert xml.credit() == 500
    assert sandbox_admin.messages() == []


def test_the_first_failing_check_wins(xml: Xml) -> None:
    # Common tags in code order, before the credentials are looked at.
    assert xml.code(request("credit", username=None, password=None, number="")) == 401
    assert xml.code(request("credit", password="wrong", number="")) == 423
    # The document's values are checked before the credentials, the credentials before the line.
    assert xml.code(request("status", password="wrong", type="9")) == 467
    assert xml.code(request("credit", password="wrong", number=OTHER_LINE)) == 462
    # The action's tags in code order.
    assert xml.code(_send0(type=None, dodate=None)) == 405
    assert xml.code(_send0(message=None, usergroupid=None)) == 407
