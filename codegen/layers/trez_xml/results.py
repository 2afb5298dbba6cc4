"""What the trez_xml actions take and return, beyond plain values.

Numbers stay text, as the server writes them (real status answers echo a mobile without its
leading 0); compare them after normalising. Delivery and group codes keep their raw value beside
the catalog entry (``errors.DELIVERY_CODES``, ``errors.GROUP_STATUS_CODES``), whose ``state`` is
the unified delivery state.

Hand-written (codegen/layers/trez_xml/), vendored verbatim into the generated package.
"""

from dataclasses import dataclass
from datetime import datetime

from payamak_gen._runtime.catalog import DeliveryState, StatusCode

__all__ = [
    "GroupStatus",
    "MessageStatus",
    "PeerMessage",
    "ReceivedMessage",
    "ReceivedPage",
    "RecipientStatus",
    "SentMessage",
]


@dataclass(frozen=True, slots=True)
class PeerMessage:
    """One message of a peer-to-peer send (a different text per number).

    Attributes:
        mobile: The recipient's mobile number, digits (optionally with a leading +).
        text: The text for this number, at most 640 characters.
        doreid: The caller's own id for this message, echoed in the answer (the manual's
            ``doreid``).
    """

    mobile: str
    text: str
    doreid: int


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message accepted by a peer-to-peer send.

    Attributes:
        message_id: The server's id for the message; pass it to ``message_status``.
        mobile: The recipient as the server echoed it, if it did.
        doreid: The caller's id as the server echoed it, if it did.
    """

    message_id: int
    mobile: str | None
    doreid: int | None


@dataclass(frozen=True, slots=True)
class RecipientStatus:
    """Delivery status of one number of a group send.

    Attributes:
        mobile: The number as the server echoes it (real servers drop the leading 0).
        code: The raw delivery code.
        status: The catalog entry for ``code``; undocumented codes mean "being processed".
    """

    mobile: str
    code: int
    status: StatusCode

    @property
    def state(self) -> DeliveryState:
        """The unified delivery state."""
        return self.status.state


@dataclass(frozen=True, slots=True)
class GroupStatus:
    """Status of a group (type-0) send.

    Attributes:
        code: The raw group status: 1 sent, 2 queued, 3 filtered.
        status: The catalog entry for ``code``.
        recipients: Per-number delivery codes; the server lists them only when ``code`` is 1.
    """

    code: int
    status: StatusCode
    recipients: tuple[RecipientStatus, ...]

    @property
    def state(self) -> DeliveryState:
        """The unified state of the whole send."""
        return self.status.state


@dataclass(frozen=True, slots=True)
class MessageStatus:
    """Delivery status of one message of a peer-to-peer send.

    Attributes:
        message_id: The server's id for the message, as returned by the send.
        code: The raw delivery code.
        status: The catalog entry for ``code``; undocumented codes mean "being processed".
    """

    message_id: int
    code: int
    status: StatusCode

    @property
    def state(self) -> DeliveryState:
        """The unified delivery state."""
        return self.status.state


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """One inbound message.

    Attributes:
        mobile: The sender's number as the server wrote it.
        text: The message text.
        received_at: When it was sent, in Tehran time, if the server said.
    """

    mobile: str
    text: str
    received_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReceivedPage:
    """One page (up to 50 messages) of inbound messages in a period.

    Attributes:
        page: This page's number, from 1.
        total_pages: How many pages the period has.
        messages: The messages of this page.
    """

    page: int
    total_pages: int
    messages: tuple[ReceivedMessage, ...]
