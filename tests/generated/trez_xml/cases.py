"""The actions of trez_xml, one case each: the call, the exact inner document it must send,
the example the server answers with and the result it must give. Shared by the HTTP tests and
the zeep oracle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.trez_xml import (
    GroupStatus,
    MessageStatus,
    PeerMessage,
    ReceivedMessage,
    ReceivedPage,
    RecipientStatus,
    SentMessage,
)
from tests.spec_tables import expected_status

TEHRAN = ZoneInfo("Asia/Tehran")
GROUP_ID = "499ec4f7-6ead-414f-ac0f-e7c420e4fce5"


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    kwargs: dict[str, Any]
    inner: str  # the xmlrequest children after the account, exactly as they must be sent
    response: str  # the example file the server answers with
    expected: Any


def _delivery(code: int) -> StatusCode:
    return expected_status("trez_xml", "delivery_codes", code)


def _group(code: int, *recipients: tuple[str, int]) -> GroupStatus:
    return GroupStatus(
        code=code,
        status=expected_status("trez_xml", "group_status_codes", code),
        recipients=tuple(RecipientStatus(m, c, _delivery(c)) for m, c in recipients),
    )


CASES = [
    Case(
        "send_message-scheduled",
        "send_message",
        {
            "mobiles": ["09116662205", "09366178192"],
            "message": "matne payam mehran",
            "user_group_id": "100",
            # 15:50:36 UTC is 20:20:36 in Tehran (+04:30 in September 2015): 1394/06/26.
            "send_at": datetime(2015, 9, 17, 15, 50, 36, tzinfo=timezone.utc),
        },
        "<action>sendmessage</action><type>0</type><dodate>1394/06/26 20:20:36</dodate>"
        "<message>matne payam mehran</message><usergroupid>100</usergroupid>"
        '<body><recipient mobile="09116662205"/><recipient mobile="09366178192"/></body>',
        "sendmessage_type0.response.xml",
        "288e5d2f-1bae-4d42-b684-92d63d28259d",
    ),
    Case(
        "send_message-now-empty-dodate",
        "send_message",
        {
            "mobiles": ["+989121234567"],
            "message": 'سلام "دنیا" & <b>',
            "user_group_id": "t-2",
        },
        "<action>sendmessage</action><type>0</type><dodate/>"
        '<message>سلام "دنیا" &amp; &lt;b&gt;</message><usergroupid>t-2</usergroupid>'
        '<body><recipient mobile="+989121234567"/></body>',
        "sendmessage_type0.response.xml",
        "288e5d2f-1bae-4d42-b684-92d63d28259d",
    ),
    Case(
        "send_peer_to_peer",
        "send_peer_to_peer",
        {
            "messages": [
                PeerMessage("09116662205", "سلام", 10452207),
                PeerMessage("09366178192", "line\r\nbreak", 45687204),
            ],
            "user_group_id": "100",
        },
        "<action>sendmessage</action><type>1</type><dodate/><message/>"
        "<usergroupid>100</usergroupid><body>"
        '<recipient mobile="09116662205" doreid="10452207">سلام</recipient>'
        '<recipient mobile="09366178192" doreid="45687204">line&#13;\nbreak</recipient></body>',
        "sendmessage_type1.response.xml",
        [
            SentMessage(2021, "09116662205", 10452207),
            SentMessage(2022, "09366178192", 45687204),
            SentMessage(2023, "09112112910", 45207527),
        ],
    ),
    Case(
        "send_to_port",
        "send_to_port",
        {
            "messages": [PeerMessage("09116662205", "سلام", 10452207)],
            "user_group_id": "100",
            "receive_port": 6122,
            "send_port": 6016,
        },
        "<action>sendmessage</action><type>2</type><dodate/><message/>"
        '<usergroupid>100</usergroupid><body reciveport="6122" sendport="6016">'
        '<recipient mobile="09116662205" doreid="10452207">سلام</recipient></body>',
        "sendmessage_type2.response.xml",
        [
            SentMessage(2021, "09116662205", 10452207),
            SentMessage(2022, "09366178192", 45687204),
            SentMessage(2023, "09112112910", 45207527),
        ],
    ),
    Case(
        "get_credit", "get_credit", {}, "<action>credit</action>", "credit.response.xml", 998515184
    ),
    Case(
        "group_status-manual-form",
        "group_status",
        {"group_id": GROUP_ID},
        f"<action>status</action><type>0</type><usergroupid>{GROUP_ID}</usergroupid>",
        "status_type0.response.xml",
        _group(1, ("09116662205", 1), ("09366178192", 1), ("09112112910", 16)),
    ),
    Case(
        "group_status-client-body-mobile-without-zero",
        "group_status",
        {"group_id": GROUP_ID, "mobiles": ["09116662205", "09366178192", "09112112910"]},
        f"<action>status</action><type>0</type><usergroupid>{GROUP_ID}</usergroupid>"
        '<body status="1"><recipient mobile="09116662205">""</recipient>'
        '<recipient mobile="09366178192">""</recipient>'
        '<recipient mobile="09112112910">""</recipient></body>',
        "status_type0.mobile-without-zero.response.xml",
        _group(1, ("9116662205", 1), ("9366178192", 8), ("9112112910", 16)),
    ),
    Case(
        "group_status-queued",
        "group_status",
        {"group_id": GROUP_ID},
        f"<action>status</action><type>0</type><usergroupid>{GROUP_ID}</usergroupid>",
        "status_type0.queued.response.xml",
        _group(2),
    ),
    Case(
        "message_status",
        "message_status",
        {"message_ids": [2027, 2028]},
        '<action>status</action><type>1</type><body><recipient doreid="2027"/>'
        '<recipient doreid="2028"/></body>',
        "status_type1.response.xml",
        [
            MessageStatus(2027, 27, _delivery(27)),
            MessageStatus(2028, 0, _delivery(0)),
        ],
    ),
    Case(
        "received_messages",
        "received_messages",
        {
            "start": datetime(2015, 3, 21, 20, 20, 20, tzinfo=TEHRAN),
            # 16:50:20 UTC is 20:20:20 in Tehran (+03:30 on 20 March 2016): 1395/01/01.
            "end": datetime(2016, 3, 20, 16, 50, 20, tzinfo=timezone.utc),
        },
        "<action>recivemessage</action><startdate>1394/01/01 20:20:20</startdate>"
        '<enddate>1395/01/01 20:20:20</enddate><body page="1"/>',
        "recivemessage.response.xml",
        ReceivedPage(
            page=1,
            total_pages=10,
            messages=(
                ReceivedMessage(
                    "09116662205", "متن پیام", datetime(2015, 3, 21, 20, 20, 20, tzinfo=TEHRAN)
                ),
                ReceivedMessage(
                    "09116662205", "متن پیام", datetime(2015, 4, 21, 15, 20, 20, tzinfo=TEHRAN)
                ),
            ),
        ),
    ),
    Case(
        "is_sub_user",
        "is_sub_user",
        {"name": "mehran123"},
        "<action>issubuser</action><issubuser>mehran123</issubuser>",
        "issubuser.response.xml",
        True,
    ),
]
