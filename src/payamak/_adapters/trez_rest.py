"""trez_rest: Trez / RayganSMS REST (``payamak_gen.trez_rest``).

Limits from the provider's documented codes: 50,000 recipients per request (2005) and 10 SMS
parts per message (2006). Recipients travel as ``09…``, the form of the manual's examples.

``send_pairs`` and code 5004 (``errors.yaml``: "some messages failed while sending; the others
were sent"): the error answer still carries the per-recipient ``Result`` list. Each listed
recipient with a message id went out; one listed with ``Result`` 0 was refused (the manual's
partial failures, as in a success answer); one the list leaves out, or every recipient when the
answer has no readable list, has an unknown outcome. So a 5004 whose list accounts for everyone
is an ordinary receipt with ``rejected`` recipients, and otherwise a ``SendOutcomeUnknownError``
naming only the unaccounted recipients, with what was accepted in ``accepted``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timezone

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.errors import PartialFailureError, PayamakGenError
from payamak_gen.trez_rest import DEFAULT_BASE_URL, AsyncTrezRestClient, TrezRestClient
from payamak_gen.trez_rest import models as wire

from .._models import Capabilities
from ._base import Adapter, Call, GroupState, InboxPage, Received, SentPairs

__all__ = ["TrezRest"]


_SOME_FAILED = "5004"
_RESULT_LIST: TypeAdapter[list[wire.RecipientSendResult]] = TypeAdapter(
    list[wire.RecipientSendResult]
)


def _per_recipient(result: list[wire.RecipientSendResult], count: int) -> SentPairs:
    """The answer per request index (each recipient's ``Id`` is its index): a message id where
    it went out, None where ``Result`` is 0 (refused), unknown where it is not listed."""
    ids: list[str | None] = [None] * count
    listed: set[int] = set()
    for sent in result:
        if 0 <= sent.id < count:
            listed.add(sent.id)
            if sent.result:
                ids[sent.id] = str(sent.result)
    return SentPairs(tuple(ids), unknown=frozenset(range(count)) - listed)


def _line(line: str | None) -> str:
    # The facade checks that a line was configured before it asks for a send or the inbox.
    assert line is not None
    return line


class TrezRest(Adapter):
    """The trez_rest adapter."""

    id = "trez_rest"
    capabilities = Capabilities(
        send=True,
        send_pairs=True,
        schedule=True,
        status=True,
        credit=True,
        inbox=True,
        max_recipients=50_000,
        max_segments=10,
    )
    sync_client = TrezRestClient
    async_client = AsyncTrezRestClient
    default_base_url = DEFAULT_BASE_URL

    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[str]:
        # The gateway sends at once any time not in the future; "now" is one of those.
        send_at = at if at is not None else datetime.now(timezone.utc)
        return Call(
            "send",
            lambda raw: raw.send_message(
                phone_number=_line(line),
                message=text,
                mobiles=list(recipients),
                user_group_id=ref,
                send_at=send_at,
            ),
            str,
            is_read=False,
        )

    def send_pairs(
        self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str
    ) -> Call[SentPairs]:
        messages = [
            wire.RecipientMessage(id=str(index), message=text, mobile=mobile)
            for index, (mobile, text) in enumerate(pairs)
        ]

        def read(result: list[wire.RecipientSendResult]) -> SentPairs:
            return _per_recipient(result, len(pairs))

        def recover(error: PayamakGenError) -> SentPairs | None:
            if not isinstance(error, PartialFailureError) or str(error.code) != _SOME_FAILED:
                return None
            try:
                listed = _RESULT_LIST.validate_python(error.result)
            except PydanticValidationError:
                return None  # no list to go by: the whole request's outcome is unknown
            return dataclasses.replace(_per_recipient(listed, len(pairs)), error=error)

        return Call(
            "send_pairs",
            lambda raw: raw.send_corresponding_message(
                phone_number=_line(line), user_group_id=ref, recipients_message=messages
            ),
            read,
            is_read=False,
            recover=recover,
        )

    def group_status(self, group_id: str) -> Call[GroupState]:
        def read(result: wire.GroupMessageStatusResult) -> GroupState:
            return GroupState(
                result.status_code,
                tuple((entry.mobile, entry.status) for entry in result.messages_list_state),
            )

        return Call(
            "status",
            lambda raw: raw.group_message_status(group_message_id=group_id),
            read,
            is_read=True,
        )

    def message_status(self, message_ids: Sequence[str]) -> Call[dict[str, StatusCode]]:
        def read(result: list[wire.MessageStatus]) -> dict[str, StatusCode]:
            return {entry.msg_id: entry.status for entry in result}

        return Call(
            "status",
            lambda raw: raw.corresponding_message_status(message_id=list(message_ids)),
            read,
            is_read=True,
        )

    def credit(self) -> Call[int]:
        return Call("credit", lambda raw: raw.get_credit(), int, is_read=True)

    def inbox_page(
        self, line: str | None, since: datetime, until: datetime, page: int
    ) -> Call[InboxPage]:
        def read(result: wire.ReceiveMessagesResult) -> InboxPage:
            return InboxPage(
                tuple(Received(m.mobile, m.msg_body, m.date) for m in result.received_msgs),
                result.total_page,
            )

        return Call(
            "inbox",
            lambda raw: raw.receive_messages(
                phone_number=_line(line), start=since, end=until, page=page
            ),
            read,
            is_read=True,
        )
