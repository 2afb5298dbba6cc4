"""What the facade returns: its own frozen models, never the generated layer's.

Numbers are E.164 (``+989121234567``) whatever form the provider echoes; money is whole rials
(``int``); times are timezone-aware ``datetime`` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from payamak_gen.errors import PayamakGenError

    from ._errors import SendOutcomeUnknownError

__all__ = [
    "Balance",
    "BulkSummary",
    "Capabilities",
    "DeliveryReport",
    "DeliveryState",
    "InboundMessage",
    "RecipientOutcome",
    "RecipientStatus",
    "SendReceipt",
]

DeliveryState = Literal[
    "queued", "at_operator", "delivered", "failed", "blacklisted", "filtered", "unknown"
]
"""Where a message is, the same for every provider.

``queued``: accepted, not yet at the operator; ``at_operator``: handed to the operator;
``delivered``: on the handset; ``failed``: will not arrive; ``blacklisted``: the number refuses
messages; ``filtered``: the text was filtered; ``unknown``: the provider said nothing about it.
"""


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class SendReceipt:
    """What a provider accepted for one ``send`` or ``send_pairs``.

    Attributes:
        provider: Provider id.
        reference: The caller's reference the send used (generated if none was given); chunk
            ``i`` (from 1) of a send split into several carries ``{reference}-{i}``.
        groups: Group id → its recipients, for sends the provider tracks as a group.
        message_ids: Recipient → the provider's message id, where it gives one per message.
        accepted: Recipients the provider accepted.
        rejected: Recipients the provider refused while accepting the others.
    """

    provider: str
    reference: str
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    message_ids: Mapping[str, str] = field(default_factory=dict)
    accepted: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Frozen all the way down: a receipt is a record of what happened.
        object.__setattr__(self, "groups", MappingProxyType(dict(self.groups)))
        object.__setattr__(self, "message_ids", _frozen(self.message_ids))

    @property
    def group_ids(self) -> tuple[str, ...]:
        """The provider's ids of the groups this send made, in sending order."""
        return tuple(self.groups)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """The delivery state of one message (or of a group, when no recipient is listed).

    Attributes:
        provider: Provider id.
        recipient: The number, E.164, if known.
        state: The unified state.
        code: The provider's raw status code, if it gave one.
        final: Whether the state can still change.
        description: The provider's meaning of the code, in English.
        message_id: The provider's message id, for per-message sends.
        group_id: The provider's group id, for group sends.
    """

    provider: str
    recipient: str | None
    state: DeliveryState
    code: int | str | None
    final: bool
    description: str
    message_id: str | None = None
    group_id: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A message received on the account's line.

    Attributes:
        provider: Provider id.
        sender: The sender's number, E.164 when it parses as an Iranian mobile, else as given.
        text: The message text.
        received_at: When it was received, if the provider said.
    """

    provider: str
    sender: str
    text: str
    received_at: datetime | None


@dataclass(frozen=True, slots=True)
class Balance:
    """The account's credit.

    Attributes:
        provider: Provider id.
        rials: Whole rials (every provider's money is converted to this one type).
    """

    provider: str
    rials: int


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a provider supports through the facade, and its limits.

    Attributes:
        send: ``send`` (one text to many).
        send_pairs: ``send_pairs`` (a text per number).
        schedule: ``send(..., at=...)``.
        status: ``status``.
        credit: ``credit``.
        inbox: ``inbox``.
        max_recipients: Recipients per request; longer lists are sent in chunks.
        max_segments: SMS parts per message, if the provider limits them.
        max_characters: Characters per message, if the provider limits them.
    """

    send: bool
    send_pairs: bool
    schedule: bool
    status: bool
    credit: bool
    inbox: bool
    max_recipients: int
    max_segments: int | None = None
    max_characters: int | None = None


RecipientStatus = Literal["accepted", "rejected", "invalid", "failed", "unknown"]
"""What became of one row of ``send_many``.

``accepted``: the provider took the message; ``rejected``: the provider refused this recipient
while taking the others of its request; ``invalid``: refused before any request (a bad number or
text), nothing sent; ``failed``: the provider refused the whole request, nothing of it sent;
``unknown``: the request's answer was lost, the message may have gone out (reconcile by
``reference``, do not resend blindly).
"""


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    """The outcome of one row of ``send_many``.

    Attributes:
        row: The row's position in the input, from 0.
        recipient: The number as E.164, or a short rendering of what was given if it is no
            valid number.
        status: What became of it.
        reference: The reference of the request that carried it (``{reference}-{chunk}``);
            None for an invalid row, which no request carried.
        message_id: The provider's message id, where it gives one per message.
        group_id: The provider's group id, for a request sent as one group.
        error: Why it was not accepted: the ``ValidationError`` of an invalid row, the
            provider's refusal of a failed request, the ``SendOutcomeUnknownError`` (with the
            request's reference and recipients) of a lost one; None otherwise.
    """

    row: int
    recipient: str
    status: RecipientStatus
    reference: str | None
    message_id: str | None = None
    group_id: str | None = None
    error: PayamakGenError | None = None


@dataclass(frozen=True, slots=True)
class BulkSummary:
    """Counts of a ``send_many`` so far (its progress reports) or in all (its result).

    Attributes:
        provider: Provider id.
        reference: The send's reference; request ``i`` (from 1) carried ``{reference}-{i}``.
        rows: Rows with an outcome.
        accepted: Rows accepted.
        rejected: Rows the provider refused one by one.
        invalid: Rows refused before any request.
        failed: Rows of requests the provider refused.
        unknown: Rows of requests whose answer was lost.
        requests: Requests finished.
        lost: One error per request whose answer was lost, each with its reference and
            recipients, to reconcile with the provider before sending any of them again.
    """

    provider: str
    reference: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    invalid: int = 0
    failed: int = 0
    unknown: int = 0
    requests: int = 0
    lost: tuple[SendOutcomeUnknownError, ...] = ()
