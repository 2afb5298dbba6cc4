"""Issue 12, item 8: the sandbox accepts what real clients send wherever accepting cannot change
what a request means (the vendor's own samples, ASP.NET's binder), and still refuses the rest."""

from __future__ import annotations

import math
from typing import Any

import pytest
from lxml import etree

from payamak.sandbox import SandboxAdmin
from payamak.sandbox.providers.trez_xml import format_jalali
from tests.sandbox.support import MOBILE, Rest, corresponding_body, port_body, send_body
from tests.sandbox.test_trez_xml import Xml, open_xml, request, send0

xml = pytest.fixture(open_xml, name="xml")

# -- trez_rest: JSON integers where the spec says string ------------------------------------------


@pytest.mark.parametrize(
    ("method", "make"),
    [("SendCorrespondingMessage", corresponding_body), ("SendMessageToPort", port_body)],
)
def test_integer_recipient_ids_as_the_vendors_php_sample_sends_them(
    rest: Rest, sandbox_admin: SandboxAdmin, method: str, make: Any
) -> None:
    body = make()
    for index, entry in enumerate(body["RecipientsMessage"], start=1):
        entry["Id"] = index * 10  # a JSON number, not "10"
    result = rest.ok(method, body)
    assert [(item["Id"], item["Mobile"]) for item in result] == [
        (10, "09112170848"),
        (20, "09116662206"),
    ]
    assert [m["user_ref"] for m in sandbox_admin.messages()] == ["10", "20"]


def test_integers_for_every_string_field_read_as_their_text(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    group_id = rest.ok(
        "SendMessage",
        send_body(PhoneNumber=50002910001080, Mobiles=[9121234567], UserGroupID=13),
    )
    (sent,) = sandbox_admin.messages()
    assert (sent["line"], sent["mobile"]) == ("50002910001080", "09121234567")
    assert rest.ok("GetGroupMessageId", {"groupId": 13}) == group_id
    assert [
        s["MsgId"] for s in rest.ok("CorrespondingMessageStatus", {"messageId": [sent["id"]]})
    ] == [str(sent["id"])]


@pytest.mark.parametrize(
    "value", [True, 1.5, 1e3, None], ids=["bool", "fraction", "float-integer", "null"]
)
def test_values_whose_text_is_ambiguous_are_still_refused(rest: Rest, value: Any) -> None:
    body = corresponding_body()
    body["RecipientsMessage"][0]["Id"] = value
    assert rest.code("SendCorrespondingMessage", body) == 1004


# -- trez_xml: whitespace around dates ------------------------------------------------------------


@pytest.mark.parametrize("dodate", [" ", "\n    ", "\t \r\n"], ids=["space", "indent", "mixed"])
def test_a_whitespace_only_dodate_means_now(
    xml: Xml, sandbox_admin: SandboxAdmin, dodate: str
) -> None:
    # The vendor's XML sample writes the date followed by a space, so an empty one is " ".
    xml.ok(send0(MOBILE, dodate=dodate))
    (sent,) = sandbox_admin.messages()
    assert sent["send_at"] == sandbox_admin.now()


def test_whitespace_around_dates_is_ignored(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    at = math.floor(sandbox_admin.now()) + 3600
    xml.ok(send0(MOBILE, dodate=f" {format_jalali(at)} "))
    (sent,) = sandbox_admin.messages()
    assert sent["send_at"] == at
    month_ago = at - 30 * 86400
    sandbox_admin.inject_inbound("50002910001080", MOBILE, "hi", received_at=month_ago)
    inbox = request(
        "recivemessage",
        startdate=f"\n {format_jalali(month_ago - 60)}\n",
        enddate=f" {format_jalali(month_ago + 60)}",
        body='<body page="1"/>',
    )
    assert [r.text for r in xml.ok(inbox)] == ["hi"]


@pytest.mark.parametrize("dodate", ["x", "1404/01/01", "1404/13/01 10:00:00", "1404/01/01 T 10:00"])
def test_a_date_that_is_not_one_is_still_469(xml: Xml, dodate: str) -> None:
    assert xml.code(send0(MOBILE, dodate=f" {dodate} ")) == 469


def test_free_text_keeps_its_whitespace(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    # Only formatted values (dates) are read with their whitespace collapsed: a text keeps its
    # spaces, and they count towards its 640 characters.
    assert xml.code(send0(MOBILE, message="a" * 639 + "  ")) == 468
    xml.ok(send0(MOBILE, message="two  spaces"))
    (sent,) = sandbox_admin.messages()
    assert sent["text"] == "two  spaces"


def test_the_vendor_sample_with_its_trailing_space_is_served(xml: Xml) -> None:
    document = (
        "<xmlrequest><username>demo</username><password>demo</password>"
        "<number>50002910001080</number><action>sendmessage</action><type>0</type>"
        "<dodate> </dodate><message>salam</message><usergroupid>vendor-1</usergroupid>"
        f'<body><recipient mobile="{MOBILE}"> </recipient></body></xmlrequest>'
    )
    body = xml.ok(document)
    assert etree.QName(body[0]).localname == "groupmid"
