"""trez_xml: the Trez XML web service (``payamak_gen.trez_xml``).

Limits: 640 characters per message (the manual's ``String(640 char)``) and, as the same Trez
panel behind trez_rest, 50,000 recipients per request. The account's line must be sent with a
``98`` prefix when it starts with ``3000`` (the vendor's sample pages); the adapter adds it.
An empty inbox is answered with code 490, which the facade reads as no messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.errors import NotFoundError, PayamakGenError
from payamak_gen.trez_xml import (
    DEFAULT_BASE_URL,
    AsyncTrezXmlClient,
    GroupStatus,
    MessageStatus,
    PeerMessage,
    ReceivedPage,
    SentMessage,
    TrezXmlClient,
)

from .._models import Capabilities
from ._base import Adapter, Call, GroupState, InboxPage, Received, SentPairs, Settings

__all__ = ["TrezXml"]

_NO_MESSAGES = 490


def _empty_inbox(error: PayamakGenError) -> InboxPage | None:
    if isinstance(error, NotFoundError) and str(error.code) == str(_NO_MESSAGES):
        return InboxPage((), 0)
    return None


class TrezXml(Adapter):
    """The trez_xml adapter."""

    id = "trez_xml"
    needs_line = True
    capabilities = Capabilities(
        send=True,
        send_pairs=True,
        schedule=True,
        status=True,
        credit=True,
        inbox=True,
        max_recipients=50_000,
        max_characters=640,
    )
    sync_client = TrezXmlClient
    async_client = AsyncTrezXmlClient
    default_base_url = DEFAULT_BASE_URL

    def client_args(self, settings: Settings) -> tuple[Any, ...]:
        # The account's line goes in every document; the module docstring says why 3000… gets 98.
        line = settings.line or ""
        return ("98" + line if line.startswith("3000") else line,)

    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[str]:
        return Call(
            "send",
            lambda raw: raw.send_message(
                mobiles=list(recipients), message=text, user_group_id=ref, send_at=at
            ),
            str,
            is_read=False,
        )

    def send_pairs(
        self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str
    ) -> Call[SentPairs]:
        # doreid is the caller's id per message, echoed back: the index, from 1.
        messages = [
            PeerMessage(mobile=mobile, text=text, doreid=index + 1)
            for index, (mobile, text) in enumerate(pairs)
        ]

        def read(result: list[SentMessage]) -> SentPairs:
            ids: list[str | None] = [None] * len(pairs)
            for position, sent in enumerate(result):
                index = sent.doreid - 1 if sent.doreid is not None else position
                if 0 <= index < len(pairs):
                    ids[index] = str(sent.message_id)
            return SentPairs(tuple(ids))

        return Call(
            "send_pairs",
            lambda raw: raw.send_peer_to_peer(messages=messages, user_group_id=ref),
            read,
            is_read=False,
        )

    def group_status(self, group_id: str) -> Call[GroupState]:
        def read(result: GroupStatus) -> GroupState:
            return GroupState(result.status, tuple((r.mobile, r.status) for r in result.recipients))

        return Call("status", lambda raw: raw.group_status(group_id=group_id), read, is_read=True)

    def message_status(self, message_ids: Sequence[str]) -> Call[dict[str, StatusCode]]:
        def read(result: list[MessageStatus]) -> dict[str, StatusCode]:
            return {str(entry.message_id): entry.status for entry in result}

        numbers = [int(message_id) for message_id in message_ids]
        return Call(
            "status", lambda raw: raw.message_status(message_ids=numbers), read, is_read=True
        )

    def credit(self) -> Call[int]:
        return Call("credit", lambda raw: raw.get_credit(), int, is_read=True)

    def inbox_page(
        self, line: str | None, since: datetime, until: datetime, page: int
    ) -> Call[InboxPage]:
        def read(result: ReceivedPage) -> InboxPage:
            return InboxPage(
                tuple(Received(m.mobile, m.text, m.received_at) for m in result.messages),
                result.total_pages,
            )

        return Call(
            "inbox",
            lambda raw: raw.received_messages(start=since, end=until, page=page),
            read,
            is_read=True,
            recover=_empty_inbox,
        )
