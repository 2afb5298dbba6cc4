"""Tenant isolation, over real HTTP through both Trez APIs: no operation reads another account's
groups, messages, message statuses, inbox or credit, and a lookup inside one account reads only
what it names (one group's numbers, not those of the account's other groups).

Each test runs once per provider that has the operation. Two accounts of the demo config take
part: `demo` and `other`, each with a line of its own. Expectations are written out here (numbers
sent, prices, codes from the provider notes), never read back from the sandbox's own tables.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import pytest
from lxml import etree

from payamak.sandbox import Sandbox, SandboxAdmin
from payamak.sandbox.providers.trez_xml import format_jalali
from tests.sandbox.support import CREDIT, LINE, OTHER_LINE, PORT_LINE, PRICE_EN
from tests.sandbox.test_trez_xml import Xml, pairs, recipients, request

OTHER_CREDIT = 50_000  # the demo config's second account
M1, M2, M3, M4 = "09121000001", "09121000002", "09121000003", "09121000004"
_refs = itertools.count(1)


@dataclass(frozen=True)
class Login:
    """An account and the line it sends from."""

    username: str
    password: str
    line: str


DEMO = Login("demo", "demo", LINE)
OTHER = Login("other", "other", OTHER_LINE)


def core(mobile: str) -> str:
    """The ten-digit core both APIs answer numbers with (`9121000001`)."""
    return mobile[-10:]


class Panel(Protocol):
    """The operations both Trez APIs offer, as one account sees them over the wire."""

    name: str
    group_not_found: int  # the code for a group id the caller has no group with
    line_not_yours: int  # the code for a line of another account

    def send_group(self, who: Login, mobiles: Sequence[str], ref: str | None = None) -> str:
        """Sends one text to `mobiles` now; returns the group id the server answered with."""
        ...

    def group_numbers(self, who: Login, group_id: str) -> dict[str, str] | int:
        """A group's per-number codes by number core, or the error code."""
        ...

    def send_pairs(self, who: Login, items: Sequence[tuple[str, str]]) -> list[int]:
        """Sends one (mobile, text) per number; returns the message ids."""
        ...

    def message_status(self, who: Login, ids: Sequence[int]) -> dict[int, str]:
        """The per-message codes the server answers for `ids`, by id."""
        ...

    def inbox(self, who: Login, line: str, now: float) -> list[str] | int:
        """The texts received on `line` in the day around `now` (page 1), or the error code."""
        ...

    def credit(self, who: Login) -> int:
        """The account's credit in rials."""
        ...


@dataclass
class RestPanel:
    """trez_rest: JSON over POST, HTTP Basic."""

    http: httpx.Client
    name = "trez_rest"
    group_not_found = 3002
    line_not_yours = 2001

    def call(self, who: Login, method: str, body: Any = None) -> tuple[int, Any]:
        response = self.http.post(
            f"/api/smsAPI/{method}", auth=(who.username, who.password), json=body
        )
        assert response.status_code == 200, response.text
        envelope = response.json()
        return envelope["Code"], envelope["Result"]

    def ok(self, who: Login, method: str, body: Any = None) -> Any:
        code, result = self.call(who, method, body)
        assert code == 0, (method, code)
        return result

    def send_group(self, who: Login, mobiles: Sequence[str], ref: str | None = None) -> str:
        body = {
            "PhoneNumber": who.line,
            "Message": "hello",
            "Mobiles": list(mobiles),
            "UserGroupID": ref or f"g{next(_refs)}",
            "SendDateInTimeStamp": 0,
        }
        group_id: str = self.ok(who, "SendMessage", body)
        return group_id

    def group_numbers(self, who: Login, group_id: str) -> dict[str, str] | int:
        code, result = self.call(who, "GroupMessageStatus", {"GroupMessageId": group_id})
        if code:
            return int(code)
        assert result["StatusCode"] == "1"  # sent (the send time has come)
        return {row["Mobile"]: row["Status"] for row in result["MessagesListState"]}

    def send_pairs(self, who: Login, items: Sequence[tuple[str, str]]) -> list[int]:
        rows = [{"Id": str(n), "Message": t, "Mobile": m} for n, (m, t) in enumerate(items, 1)]
        body = {
            "PhoneNumber": who.line,
            "UserGroupID": f"p{next(_refs)}",
            "RecipientsMessage": rows,
        }
        return [row["Result"] for row in self.ok(who, "SendCorrespondingMessage", body)]

    def message_status(self, who: Login, ids: Sequence[int]) -> dict[int, str]:
        result = self.ok(who, "CorrespondingMessageStatus", {"messageId": [str(i) for i in ids]})
        return {int(row["MsgId"]): row["Status"] for row in result}

    def inbox(self, who: Login, line: str, now: float) -> list[str] | int:
        body = {
            "PhoneNumber": line,
            "StartDate": math.floor(now) - 86_400,
            "EndDate": math.floor(now) + 86_400,
            "Page": 1,
        }
        code, result = self.call(who, "ReceiveMessages", body)
        if code:
            return int(code)
        return [row["MsgBody"] for row in result["ReceivedMsgs"]]

    def credit(self, who: Login) -> int:
        credit: int = self.ok(who, "GetCredit")
        return credit


@dataclass
class XmlPanel:
    """trez_xml: an xmlrequest document inside a SOAP 1.1 getxml call."""

    xml: Xml
    name = "trez_xml"
    group_not_found = 470
    line_not_yours = 464

    def answer(
        self, who: Login, action: str, *, number: str | None = None, **tags: str
    ) -> etree._Element | int:
        """The answer's body, or its code when it carries one."""
        document = request(
            action, username=who.username, password=who.password, number=number or who.line, **tags
        )
        root = self.xml.call(document)
        code = root.findtext("code")
        if code is not None:
            return int(code)
        body = root.find("body")
        assert body is not None, etree.tostring(root)
        return body

    def ok(self, who: Login, action: str, **tags: str) -> etree._Element:
        body = self.answer(who, action, **tags)
        assert isinstance(body, etree._Element), (action, body)
        return body

    def send_group(self, who: Login, mobiles: Sequence[str], ref: str | None = None) -> str:
        body = self.ok(
            who,
            "sendmessage",
            type="0",
            dodate="",
            message="hello",
            usergroupid=ref or f"g{next(_refs)}",
            body=recipients(*mobiles),
        )
        return body.findtext("groupmid") or ""

    def group_numbers(self, who: Login, group_id: str) -> dict[str, str] | int:
        body = self.answer(who, "status", type="0", usergroupid=group_id)
        if isinstance(body, int):
            return body
        assert body.get("status") == "1"  # sent (the send time has come)
        return {row.get("mobile", ""): row.text or "" for row in body.iterfind("recipient")}

    def send_pairs(self, who: Login, items: Sequence[tuple[str, str]]) -> list[int]:
        rows = pairs(*((m, str(n), t) for n, (m, t) in enumerate(items, 1)))
        body = self.ok(
            who,
            "sendmessage",
            type="1",
            dodate="",
            message="",
            usergroupid=f"p{next(_refs)}",
            body=rows,
        )
        return [int(row.text or "") for row in body.iterfind("recipient")]

    def message_status(self, who: Login, ids: Sequence[int]) -> dict[int, str]:
        asked = "".join(f'<recipient doreid="{i}"></recipient>' for i in ids)
        body = self.ok(who, "status", type="1", body=f"<body>{asked}</body>")
        return {int(row.get("doreid") or ""): row.text or "" for row in body.iterfind("recipient")}

    def inbox(self, who: Login, line: str, now: float) -> list[str] | int:
        body = self.answer(
            who,
            "recivemessage",
            number=line,
            startdate=format_jalali(now - 86_400),
            enddate=format_jalali(now + 86_400),
            body='<body page="1"></body>',
        )
        if body == 490:  # no message in the period: an empty inbox, in this API's words
            return []
        if isinstance(body, int):
            return body
        return [row.text or "" for row in body.iterfind("recipient")]

    def credit(self, who: Login) -> int:
        return int(self.ok(who, "credit").text or "")


@pytest.fixture(params=["trez_rest", "trez_xml"])
def panel(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Panel]:
    """Each provider in turn, over raw HTTP, on a reset sandbox."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10, trust_env=False) as http:
        yield RestPanel(http) if request.param == "trez_rest" else XmlPanel(Xml(http))


@pytest.fixture
def rest_panel(sandbox: Sandbox) -> Iterator[RestPanel]:
    """trez_rest alone, for its operations trez_xml has no counterpart of."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10, trust_env=False) as http:
        yield RestPanel(http)


@pytest.fixture
def xml_panel(sandbox: Sandbox) -> Iterator[XmlPanel]:
    """trez_xml alone."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10, trust_env=False) as http:
        yield XmlPanel(Xml(http))


# -- groups --------------------------------------------------------------------------------------


def test_a_groups_status_lists_that_groups_numbers_and_no_other(panel: Panel) -> None:
    first = panel.send_group(DEMO, [M1, M2])
    second = panel.send_group(DEMO, [M3])
    theirs = panel.send_group(OTHER, [M4])

    # Queued ("0") until the clock moves; what matters here is whose numbers are listed.
    assert panel.group_numbers(DEMO, first) == {core(M1): "0", core(M2): "0"}
    assert panel.group_numbers(DEMO, second) == {core(M3): "0"}
    assert panel.group_numbers(OTHER, theirs) == {core(M4): "0"}


def test_another_accounts_group_is_not_found(panel: Panel) -> None:
    mine = panel.send_group(DEMO, [M1])
    theirs = panel.send_group(OTHER, [M2])

    assert panel.group_numbers(DEMO, theirs) == panel.group_not_found
    assert panel.group_numbers(OTHER, mine) == panel.group_not_found
    # Each still sees its own, so the refusals above are about the owner, not the id.
    assert panel.group_numbers(DEMO, mine) == {core(M1): "0"}
    assert panel.group_numbers(OTHER, theirs) == {core(M2): "0"}


def test_group_message_id_is_looked_up_in_the_callers_groups(rest_panel: RestPanel) -> None:
    mine = rest_panel.send_group(DEMO, [M1], ref="shared")
    theirs = rest_panel.send_group(OTHER, [M2], ref="shared")  # the latest with that id overall
    rest_panel.send_group(DEMO, [M3], ref="demo-only")

    assert rest_panel.ok(DEMO, "GetGroupMessageId", {"groupId": "shared"}) == mine
    assert rest_panel.ok(OTHER, "GetGroupMessageId", {"groupId": "shared"}) == theirs
    assert rest_panel.call(OTHER, "GetGroupMessageId", {"groupId": "demo-only"}) == (3002, None)


def test_a_usergroupid_is_unique_within_one_account_only(xml_panel: XmlPanel) -> None:
    xml_panel.send_group(OTHER, [M1], ref="u1")

    xml_panel.send_group(DEMO, [M2], ref="u1")  # another account's id does not collide

    again = xml_panel.answer(
        DEMO,
        "sendmessage",
        type="0",
        dodate="",
        message="hi",
        usergroupid="u1",
        body=recipients(M3),
    )
    assert again == 470  # the account's own does


# -- messages ------------------------------------------------------------------------------------


def test_message_statuses_answer_the_callers_own_ids_only(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    mine = panel.send_pairs(DEMO, [(M1, "a"), (M2, "b")])
    theirs = panel.send_pairs(OTHER, [(M3, "c")])
    panel.send_group(OTHER, [M4])
    (their_group_message,) = [
        m["id"] for m in sandbox_admin.messages(username="other") if m["kind"] == "group"
    ]
    asked = [*mine, *theirs, their_group_message]

    assert panel.message_status(DEMO, asked) == {mine[0]: "0", mine[1]: "0"}
    assert panel.message_status(OTHER, asked) == {theirs[0]: "0", their_group_message: "0"}


def test_a_code_another_account_sent_does_not_verify(rest_panel: RestPanel) -> None:
    rest_panel.ok(OTHER, "SendCode", {"Mobile": M1, "Message": "your code: 4321"})
    rest_panel.ok(DEMO, "SendCode", {"Mobile": M1, "Message": "your code: 1234"})

    check = "CheckSendCode"
    assert rest_panel.ok(DEMO, check, {"Mobile": M1, "Code": "4321"}) is False
    assert rest_panel.ok(DEMO, check, {"Mobile": M1, "Code": "1234"}) is True
    assert rest_panel.ok(OTHER, check, {"Mobile": M1, "Code": "4321"}) is True
    assert rest_panel.ok(OTHER, check, {"Mobile": M1, "Code": "1234"}) is False


# -- inbox ---------------------------------------------------------------------------------------


def test_the_inbox_shows_the_callers_line_only(panel: Panel, sandbox_admin: SandboxAdmin) -> None:
    now = sandbox_admin.now()
    sandbox_admin.inject_inbound(OTHER_LINE, M1, "to other")
    sandbox_admin.inject_inbound(LINE, M2, "to demo")
    sandbox_admin.inject_inbound(PORT_LINE, M3, "to demo's other line")

    # The demo config's two messages on LINE, then the one above (order differs by API).
    demo_inbox = panel.inbox(DEMO, LINE, now)
    assert isinstance(demo_inbox, list)
    assert sorted(demo_inbox) == sorted(
        ["سلام، پیام دریافتی نمونه", "demo inbound message", "to demo"]
    )
    assert panel.inbox(OTHER, OTHER_LINE, now) == ["to other"]
    assert panel.inbox(DEMO, OTHER_LINE, now) == panel.line_not_yours
    assert panel.inbox(OTHER, LINE, now) == panel.line_not_yours


def test_a_line_moved_to_another_account_does_not_bring_its_old_inbox(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    now = sandbox_admin.now()
    sandbox_admin.inject_inbound(OTHER_LINE, M1, "to other, before the move")
    sandbox_admin.put_account("third", "third", lines=[OTHER_LINE])  # the line changes hands
    sandbox_admin.inject_inbound(OTHER_LINE, M2, "to third")

    third = Login("third", "third", OTHER_LINE)
    assert panel.inbox(third, OTHER_LINE, now) == ["to third"]


# -- credit --------------------------------------------------------------------------------------


def test_each_account_reads_and_spends_its_own_credit(panel: Panel) -> None:
    assert (panel.credit(DEMO), panel.credit(OTHER)) == (CREDIT, OTHER_CREDIT)

    panel.send_group(OTHER, [M1])
    assert (panel.credit(DEMO), panel.credit(OTHER)) == (CREDIT, OTHER_CREDIT - PRICE_EN)

    panel.send_group(DEMO, [M1, M2])
    assert (panel.credit(DEMO), panel.credit(OTHER)) == (
        CREDIT - 2 * PRICE_EN,
        OTHER_CREDIT - PRICE_EN,
    )
