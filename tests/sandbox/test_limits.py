"""Every limit the sandbox enforces, at its exact boundary: the last value accepted and the first
refused, over real HTTP.

The limits are written out here from the provider notes and the specs (shared/providers/*.md,
specs/trez_xml/xmlapi.xsd, specs/*/errors.yaml), never imported from the sandbox, so that a limit
changed there fails here. Limits and where they come from:

- trez_rest: a send may be scheduled at most 365 days ahead (2004 past it; negative is 1003);
  at most 50,000 recipients per call (2005); at most 10 segments per text (2006); ports 1-65535
  (2007, the sandbox's choice: the note gives no range); 50 received messages per page (2008
  past the last); dates up to .NET's last DateTime, and a start not after the end (1003); message
  and caller ids of at most 18 digits (1004).
- trez_xml: at most 640 characters per text and 10 segments (468); 50,000 recipients (468); ports
  1000-9999, four digits (471); send type 0-2 (467); 50 received messages per page (433 past the
  last). trez_xml sets no scheduling window: neither its note nor its manual gives one.
"""

from __future__ import annotations

import math

import httpx
import pytest

from payamak.sandbox import Sandbox, SandboxAdmin
from payamak.sandbox.providers.trez_xml import format_jalali
from tests.sandbox.support import (
    CREDIT,
    LINE,
    MOBILE,
    PORT_LINE,
    PRICE_EN,
    PRICE_FA,
    Rest,
    corresponding_body,
    port_body,
    send_body,
)
from tests.sandbox.test_trez_xml import Xml, open_xml, pairs, request, send0

SCHEDULE_AHEAD = 365 * 24 * 3600
MAX_RECIPIENTS = 50_000
# .NET's DateTime.MaxValue, 9999-12-31 23:59:59 UTC, in unix seconds.
LAST_DOTNET_SECOND = 253_402_300_799
PAGE = 50
LATIN_10_PARTS = 10 * 153  # septets in ten concatenated GSM-7 segments
UNICODE_10_PARTS = 10 * 67  # UTF-16 units in ten concatenated UCS-2 segments
EMOJI_10_PARTS = UNICODE_10_PARTS // 2  # each emoji is two UTF-16 units

xml = pytest.fixture(open_xml, name="xml")


def whole_second_now(admin: SandboxAdmin) -> int:
    """Moves the frozen clock on to the next whole second and returns it.

    With a fractional now, "365 days from now" falls between two whole-second timestamps, and a
    mutant that refuses the limit itself (`>=` for `>`) would pass; on a whole second the limit
    is a timestamp a client can send.
    """
    now = admin.now()
    admin.advance(math.ceil(now) - now)
    whole = admin.now()
    assert whole == math.ceil(now)
    return int(whole)


def many_mobiles(count: int) -> list[str]:
    return [f"0912{n:07d}" for n in range(count)]


# -- trez_rest: scheduling ----------------------------------------------------------------------


@pytest.mark.parametrize("ahead", [SCHEDULE_AHEAD - 1, SCHEDULE_AHEAD])
def test_a_send_up_to_365_days_ahead_is_scheduled_then(
    rest: Rest, sandbox_admin: SandboxAdmin, ahead: int
) -> None:
    now = whole_second_now(sandbox_admin)

    group_id = rest.ok("SendMessage", send_body(SendDateInTimeStamp=now + ahead))

    (sent,) = sandbox_admin.messages()
    assert sent["send_at"] == now + ahead  # scheduled for exactly that second, not clamped
    status = rest.ok("GroupMessageStatus", {"GroupMessageId": group_id})
    assert status["StatusCode"] == "2"  # queued until then


def test_a_send_one_second_past_365_days_is_2004(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    now = whole_second_now(sandbox_admin)

    body = send_body(SendDateInTimeStamp=now + SCHEDULE_AHEAD + 1)
    assert rest.code("SendMessage", body) == 2004
    assert sandbox_admin.messages() == []
    assert rest.credit() == CREDIT


@pytest.mark.parametrize(("stamp", "code"), [(0, 0), (-1, 1003)])
def test_a_send_time_of_zero_is_now_and_a_negative_one_is_1003(
    rest: Rest, sandbox_admin: SandboxAdmin, stamp: int, code: int
) -> None:
    now = whole_second_now(sandbox_admin)
    assert rest.code("SendMessage", send_body(SendDateInTimeStamp=stamp)) == code
    assert [m["send_at"] for m in sandbox_admin.messages()] == ([now] if code == 0 else [])


# -- trez_rest: recipients -----------------------------------------------------------------------


def test_50000_recipients_are_sent(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.set_credit("demo", MAX_RECIPIENTS * PRICE_EN)

    rest.ok("SendMessage", send_body(Mobiles=many_mobiles(MAX_RECIPIENTS)))

    # Every one of them charged (listing 50,000 messages through the admin API would cost
    # seconds and show nothing more).
    assert rest.credit() == 0


def test_50001_recipients_are_2005(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    assert rest.code("SendMessage", send_body(Mobiles=many_mobiles(MAX_RECIPIENTS + 1))) == 2005
    assert sandbox_admin.messages() == []


def _per_recipient(count: int) -> list[dict[str, str]]:
    return [{"Id": str(n), "Message": "hi", "Mobile": m} for n, m in enumerate(many_mobiles(count))]


@pytest.mark.parametrize("method", ["SendCorrespondingMessage", "SendMessageToPort"])
def test_50001_per_recipient_texts_are_2005(
    rest: Rest, sandbox_admin: SandboxAdmin, method: str
) -> None:
    body = corresponding_body if method == "SendCorrespondingMessage" else port_body

    assert rest.code(method, body(RecipientsMessage=_per_recipient(MAX_RECIPIENTS + 1))) == 2005
    assert sandbox_admin.messages() == []


def test_a_status_of_50001_ids_is_2005(rest: Rest) -> None:
    ids = list(range(1, MAX_RECIPIENTS + 2))

    assert rest.code("CorrespondingMessageStatus", {"messageId": ids}) == 2005


@pytest.mark.parametrize(("count", "code"), [(MAX_RECIPIENTS, 0), (MAX_RECIPIENTS + 1, 2005)])
def test_show_white_list_takes_50000_numbers(rest: Rest, count: int, code: int) -> None:
    envelope = rest.call("ShowWhiteList", {"MobilesList": many_mobiles(count)})
    assert envelope["Code"] == code
    if code == 0:
        # None of these is blacklisted (the demo blacklist holds 09120000000 only, which is
        # number 0 here), so all but that one come back.
        assert len(envelope["Result"]) == count - 1


# -- trez_rest: segments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("a" * LATIN_10_PARTS, PRICE_EN),
        ("{" * (LATIN_10_PARTS // 2), PRICE_EN),  # extension characters take two septets
        ("س" * UNICODE_10_PARTS, PRICE_FA),
        ("😀" * EMOJI_10_PARTS, PRICE_FA),
    ],
    ids=["latin", "latin-extension", "persian", "emoji"],
)
def test_ten_segments_are_sent_and_eleven_are_2006(
    rest: Rest, sandbox_admin: SandboxAdmin, text: str, price: int
) -> None:
    one_more = text + text[-1]  # one character, and so one unit or two, past the tenth segment

    assert rest.code("SendMessage", send_body(Message=one_more)) == 2006
    rest.ok("SendMessage", send_body(Message=text))

    (sent,) = sandbox_admin.messages()
    assert (sent["parts"], sent["price"]) == (10, 10 * price)


@pytest.mark.parametrize("method", ["SendCorrespondingMessage", "SendMessageToPort"])
def test_a_per_recipient_text_of_ten_segments_is_sent_and_eleven_are_2006(
    rest: Rest, sandbox_admin: SandboxAdmin, method: str
) -> None:
    def body(text: str) -> dict[str, object]:
        make = port_body if method == "SendMessageToPort" else corresponding_body
        return make(RecipientsMessage=[{"Id": "1", "Message": text, "Mobile": MOBILE}])

    assert rest.code(method, body("a" * (LATIN_10_PARTS + 1))) == 2006
    rest.ok(method, body("a" * LATIN_10_PARTS))
    assert [m["parts"] for m in sandbox_admin.messages()] == [10]


def test_a_code_text_of_ten_segments_is_sent_and_eleven_are_2006(rest: Rest) -> None:
    assert rest.code("SendCode", {"Mobile": MOBILE, "Message": "1" * (LATIN_10_PARTS + 1)}) == 2006
    assert rest.ok("SendCode", {"Mobile": MOBILE, "Message": "1" * LATIN_10_PARTS}) > 2000


# -- trez_rest: ports ----------------------------------------------------------------------------


@pytest.mark.parametrize("port", [1, 65_535])
@pytest.mark.parametrize("field", ["sendPortNumber", "recievePortNumber"])
def test_ports_1_to_65535_are_sent(
    rest: Rest, sandbox_admin: SandboxAdmin, field: str, port: int
) -> None:
    rest.ok("SendMessageToPort", port_body(**{field: port}))
    sent = sandbox_admin.messages()[0]
    assert sent["send_port" if field == "sendPortNumber" else "receive_port"] == port


@pytest.mark.parametrize("port", [0, 65_536])
@pytest.mark.parametrize("field", ["sendPortNumber", "recievePortNumber"])
def test_ports_outside_1_to_65535_are_2007(
    rest: Rest, sandbox_admin: SandboxAdmin, field: str, port: int
) -> None:
    assert rest.code("SendMessageToPort", port_body(**{field: port})) == 2007
    assert sandbox_admin.messages() == []


# -- trez_rest: inbox pages and dates -------------------------------------------------------------


def _inbox_line(admin: SandboxAdmin, count: int) -> tuple[str, float]:
    """A line of a fresh account with `count` messages received a minute apart; (line, first)."""
    line = "50001112223"
    admin.put_account("pager", "pager", lines=[line])
    first = math.floor(admin.now()) - 86_400
    for n in range(count):
        admin.inject_inbound(line, f"0912{n:07d}", f"in {n}", received_at=first + 60 * n)
    return line, first


def test_rest_50_received_messages_are_one_page_and_51_are_two(
    sandbox: Sandbox, sandbox_admin: SandboxAdmin
) -> None:
    line, first = _inbox_line(sandbox_admin, PAGE)
    with httpx.Client(base_url=sandbox.base_url, auth=("pager", "pager"), timeout=10) as http:
        pager = Rest(http)
        window = {"PhoneNumber": line, "StartDate": first, "EndDate": first + 86_400}

        one = pager.ok("ReceiveMessages", {**window, "Page": 1})
        assert (one["TotalPage"], len(one["ReceivedMsgs"])) == (1, PAGE)
        assert pager.code("ReceiveMessages", {**window, "Page": 2}) == 2008

        sandbox_admin.inject_inbound(line, MOBILE, "the 51st", received_at=first + 60 * PAGE)
        two = pager.ok("ReceiveMessages", {**window, "Page": 1})
        last = pager.ok("ReceiveMessages", {**window, "Page": 2})
        assert (two["TotalPage"], len(two["ReceivedMsgs"])) == (2, PAGE)
        # Newest first: the 51st leads page 1 and the oldest is left alone on page 2.
        assert two["ReceivedMsgs"][0]["MsgBody"] == "the 51st"
        assert [m["MsgBody"] for m in last["ReceivedMsgs"]] == ["in 0"]
        assert pager.code("ReceiveMessages", {**window, "Page": 3}) == 2008


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (0, LAST_DOTNET_SECOND, 0),
        (0, LAST_DOTNET_SECOND + 1, 1003),
        (LAST_DOTNET_SECOND, LAST_DOTNET_SECOND, 0),  # a start equal to the end
        (LAST_DOTNET_SECOND, LAST_DOTNET_SECOND - 1, 1003),  # a start after the end
        (-1, 0, 1003),
    ],
)
def test_receive_messages_dates_at_their_bounds(
    rest: Rest, start: int, end: int, code: int
) -> None:
    body = {"PhoneNumber": LINE, "StartDate": start, "EndDate": end, "Page": 1}
    assert rest.code("ReceiveMessages", body) == code


# -- trez_rest: ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(("digits", "code"), [(18, 0), (19, 1004)])
def test_message_ids_of_up_to_18_digits_are_read(rest: Rest, digits: int, code: int) -> None:
    envelope = rest.call("CorrespondingMessageStatus", {"messageId": ["9" * digits]})
    assert envelope["Code"] == code
    if code == 0:
        assert envelope["Result"] == []  # no such message: left out of the answer


@pytest.mark.parametrize(
    ("ref", "code"), [("9" * 18, 0), ("-" + "9" * 18, 0), ("9" * 19, 1004), ("-" + "9" * 19, 1004)]
)
def test_caller_ids_of_up_to_18_digits_are_read(rest: Rest, ref: str, code: int) -> None:
    body = corresponding_body(RecipientsMessage=[{"Id": ref, "Message": "m", "Mobile": MOBILE}])
    envelope = rest.call("SendCorrespondingMessage", body)
    assert envelope["Code"] == code
    if code == 0:
        assert envelope["Result"][0]["Id"] == int(ref)


# -- trez_xml: texts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["a" * 640, "س" * 640, "😀" * EMOJI_10_PARTS],
    ids=["640-latin", "640-persian", "10-parts-emoji"],
)
def test_xml_a_text_at_either_limit_is_sent_and_one_more_character_is_468(
    xml: Xml, sandbox_admin: SandboxAdmin, text: str
) -> None:
    assert xml.code(send0(MOBILE, message=text + text[-1])) == 468
    xml.ok(send0(MOBILE, message=text))
    assert [m["text"] for m in sandbox_admin.messages()] == [text]


def test_xml_a_per_number_text_of_640_characters_is_sent_and_641_is_468(
    xml: Xml, sandbox_admin: SandboxAdmin
) -> None:
    def send(text: str) -> str:
        return request(
            "sendmessage",
            type="1",
            dodate="",
            message="",
            usergroupid=f"p{len(text)}",
            body=pairs((MOBILE, "1", text)),
        )

    assert xml.code(send("b" * 641)) == 468
    xml.ok(send("b" * 640))
    assert [len(m["text"]) for m in sandbox_admin.messages()] == [640]


# -- trez_xml: recipients ------------------------------------------------------------------------


def test_xml_50000_recipients_are_sent(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.set_credit("demo", MAX_RECIPIENTS * PRICE_EN)

    xml.ok(send0(*many_mobiles(MAX_RECIPIENTS)))

    assert sandbox_admin.credit("demo") == 0  # every one of them charged


def test_xml_50001_recipients_are_468(xml: Xml, sandbox_admin: SandboxAdmin) -> None:
    assert xml.code(send0(*many_mobiles(MAX_RECIPIENTS + 1))) == 468
    assert sandbox_admin.messages() == []


# -- trez_xml: ports and types -------------------------------------------------------------------


def _send_to_ports(receive: int, send: int) -> str:
    return request(
        "sendmessage",
        number=PORT_LINE,
        type="2",
        dodate="",
        message="",
        usergroupid=f"ports-{receive}-{send}",
        body=pairs((MOBILE, "1", "ping"), ports=(receive, send)),
    )


@pytest.mark.parametrize(("receive", "send"), [(1000, 9999), (9999, 1000)])
def test_xml_ports_1000_and_9999_are_sent(
    xml: Xml, sandbox_admin: SandboxAdmin, receive: int, send: int
) -> None:
    body = xml.ok(_send_to_ports(receive, send))
    assert (body.get("reciveport"), body.get("sendport")) == (str(receive), str(send))
    (sent,) = sandbox_admin.messages()
    assert (sent["receive_port"], sent["send_port"]) == (receive, send)


@pytest.mark.parametrize(
    ("receive", "send"), [(999, 9999), (10_000, 1000), (1000, 999), (9999, 10_000)]
)
def test_xml_ports_999_and_10000_are_471(
    xml: Xml, sandbox_admin: SandboxAdmin, receive: int, send: int
) -> None:
    assert xml.code(_send_to_ports(receive, send)) == 471
    assert sandbox_admin.messages() == []


@pytest.mark.parametrize(("kind", "code"), [("2", 0), ("3", 467)])
def test_xml_send_types_go_up_to_2(xml: Xml, kind: str, code: int) -> None:
    document = _send_to_ports(1000, 1000).replace("<type>2</type>", f"<type>{kind}</type>")
    root = xml.call(document)
    assert int(root.findtext("code") or "0") == code


# -- trez_xml: inbox pages -----------------------------------------------------------------------


def test_xml_50_received_messages_are_one_page_and_51_are_two(
    xml: Xml, sandbox_admin: SandboxAdmin
) -> None:
    line, first = _inbox_line(sandbox_admin, PAGE)

    def page(number: int) -> str:
        return request(
            "recivemessage",
            username="pager",
            password="pager",
            number=line,
            startdate=format_jalali(first),
            enddate=format_jalali(first + 86_400),
            body=f'<body page="{number}"></body>',
        )

    one = xml.ok(page(1))
    assert (one.get("totalpage"), len(one)) == ("1", PAGE)
    assert xml.code(page(2)) == 433

    sandbox_admin.inject_inbound(line, MOBILE, "the 51st", received_at=first + 60 * PAGE)
    two = xml.ok(page(1))
    assert (two.get("totalpage"), len(two)) == ("2", PAGE)
    # Oldest first: the 51st is left alone on page 2.
    assert [r.text for r in xml.ok(page(2))] == ["the 51st"]
    assert xml.code(page(3)) == 433
