"""Lookup tables for the result and status codes of specs/<provider>/errors.yaml."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "DeliveryState",
    "ErrorKind",
    "NumberStatus",
    "ResultCode",
    "ResultCodeTable",
    "StatusCode",
    "StatusCodeTable",
    "wire_code",
    "wire_pair",
]

ErrorKind = Literal[
    "ok",
    "invalid_request",
    "authentication",
    "permission",
    "insufficient_credit",
    "limit_exceeded",
    "not_found",
    "server",
    "partial_failure",
]
"""What a result code means, the same across providers."""

DeliveryState = Literal[
    "pending", "queued", "sent", "delivered", "undelivered", "failed", "rejected", "filtered"
]
"""Unified delivery state of a message or a group, the same across providers."""


def _key(code: int | str) -> str:
    # Providers send the same code as 1, "1" or " 1 "; one key form makes lookups agree.
    return str(code).strip()


@dataclass(frozen=True, slots=True)
class ResultCode:
    """One documented result code of a provider.

    Attributes:
        code: The code as the provider sends it.
        kind: What it means, the same across providers.
        retryable: Whether sending the same request again is safe and may succeed.
        en: English description.
        fa: The provider's Persian description.
    """

    code: int | str
    kind: ErrorKind
    retryable: bool
    en: str
    fa: str


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One documented status code of a message or a message group.

    Attributes:
        code: The code as the provider sends it.
        state: The unified delivery state.
        final: Whether the state can still change.
        retryable: Whether the provider says to send the message again.
        en: English description.
        fa: The provider's Persian description.
    """

    code: int | str
    state: DeliveryState
    final: bool
    retryable: bool
    en: str
    fa: str


@dataclass(frozen=True, slots=True)
class NumberStatus:
    """The delivery status of one recipient: a ``<number>:<status>`` entry of a report.

    Attributes:
        number: The recipient's number, as the provider wrote it.
        status: The catalog entry of the status (its raw ``code`` and unified ``state``).
    """

    number: str
    status: StatusCode

    @property
    def state(self) -> DeliveryState:
        """The unified delivery state."""
        return self.status.state


class ResultCodeTable:
    """The result codes of one provider, looked up by code in any of its wire forms."""

    def __init__(self, entries: Iterable[ResultCode]) -> None:
        self._entries: Mapping[str, ResultCode] = MappingProxyType(
            {_key(entry.code): entry for entry in entries}
        )

    def get(self, code: int | str) -> ResultCode | None:
        """Return the documented entry for ``code``, or None if the provider never documented it."""
        return self._entries.get(_key(code))

    def success_entry(self, code: int | str) -> ResultCode:
        """The entry of a success code, documented or not (then a bare ``ok`` entry): what an
        operation whose only news is its success code returns."""
        return self.get(code) or ResultCode(
            code=code, kind="ok", retryable=False, en=f"Success ({code!r})", fa=""
        )

    def entry(self, code: int | str) -> ResultCode:
        """The entry of a code that is data rather than the answer's verdict (one entry of a
        batch answer): the documented entry, or for an undocumented code a failure entry
        (``server``, not retryable, so that an unknown outcome of a send is never sent again)
        that keeps the raw code."""
        return self.get(code) or ResultCode(
            code=code, kind="server", retryable=False, en=f"Undocumented code {code!r}", fa=""
        )

    def __iter__(self) -> Iterator[ResultCode]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)


class StatusCodeTable:
    """Status codes of one provider; codes it never documented map to its 'unknown' state."""

    def __init__(self, entries: Iterable[StatusCode], unknown_state: DeliveryState) -> None:
        self._entries: Mapping[str, StatusCode] = MappingProxyType(
            {_key(entry.code): entry for entry in entries}
        )
        self.unknown_state: DeliveryState = unknown_state

    def from_wire(self, value: Any) -> StatusCode:
        """``lookup`` for a value decoded from the wire (a model field's validator): a code as a
        number or a string, or an entry already looked up.

        Raises:
            ValueError: the value is neither (a bool, a float, an object…).
        """
        if isinstance(value, StatusCode):
            return value
        # bool is an int subclass; true/false is not a code.
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return self.lookup(value)
        raise ValueError(f"expected a status code, got {value!r:.60}")

    def pair_from_wire(self, value: Any) -> NumberStatus:
        """A ``<number>:<status>`` entry (a model field's validator), split at its last colon,
        or an entry already read.

        Raises:
            ValueError: the value is not text with a number, a colon and a status.
        """
        if isinstance(value, NumberStatus):
            return value
        if isinstance(value, str):
            number, colon, code = value.rpartition(":")
            if colon and number.strip() and code.strip():
                return NumberStatus(number=number.strip(), status=self.lookup(code.strip()))
        raise ValueError(f"expected '<number>:<status>', got {value!r:.60}")

    def lookup(self, code: int | str) -> StatusCode:
        """Return the entry for ``code``; an undocumented code keeps its raw value.

        Providers document only some codes and say that anything else means the message is
        still being processed, so an unknown code is not an error.
        """
        entry = self._entries.get(_key(code))
        if entry is not None:
            return entry
        return StatusCode(
            code=code,
            state=self.unknown_state,
            final=False,
            retryable=False,
            en=f"Undocumented status code {code!r}",
            fa="",
        )

    def __iter__(self) -> Iterator[StatusCode]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)


def wire_code(status: StatusCode) -> int | str:
    """How a status travels: its code (a model field's serialiser)."""
    return status.code


def wire_pair(pair: NumberStatus) -> str:
    """How a recipient's status travels: ``<number>:<status>`` (a model field's serialiser)."""
    return f"{pair.number}:{pair.status.code}"
