"""What an adapter is: how one provider's generated client does the facade's operations.

An adapter builds no HTTP itself and keeps no state; for each operation it returns a ``Call``:
the generated client's method to invoke (sync or async alike: the facade awaits the result in
``AsyncClient``) and how to read its result into plain values. The facade does everything that
is the same for every provider (validation, chunking, retries, errors, models).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

import httpx

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.errors import PayamakGenError

from .._errors import UnsupportedOperationError
from .._models import Capabilities
from .._request_size import runs_within_budget

__all__ = [
    "Adapter",
    "Call",
    "GroupState",
    "InboxPage",
    "Received",
    "SentPairs",
    "Settings",
    "runs_by_text",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One request to the generated client.

    Attributes:
        operation: The facade operation (``send``, ``credit``…), for errors.
        invoke: Calls the generated client; returns the result, or an awaitable of it.
        read: The result of the invocation, as plain values.
        is_read: Whether it only reads (so may be retried).
        recover: Turns an error that is an ordinary answer (an empty inbox) into a result, or
            returns None to let it through.
    """

    operation: str
    invoke: Callable[[Any], Any]
    read: Callable[[Any], T]
    is_read: bool
    recover: Callable[[PayamakGenError], T | None] | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """How to reach the provider. ``password`` never leaves this object but into the client."""

    username: str
    password: str = field(repr=False)
    line: str | None
    base_url: str | None
    timeout: float | httpx.Timeout


@dataclass(frozen=True, slots=True)
class SentPairs:
    """The answer to a send that the provider answers per recipient, by index of the request.

    Attributes:
        message_ids: The provider's message id per index, or None where it gave none.
        sent: Whether each one went out, where the provider says so apart from the id (a
            payamak_panel status byte); if None, the ones with a message id went out and the
            others were refused.
        unknown: Indices the answer does not account for: their outcome is unknown.
        error: The provider's error answer this was read from (a partial failure that lists
            its recipients), kept as the cause of what the facade raises for the unknown ones.
    """

    message_ids: tuple[str | None, ...]
    sent: tuple[bool, ...] | None = None
    unknown: frozenset[int] = frozenset()
    error: PayamakGenError | None = None

    def went_out(self, index: int) -> bool:
        """Whether the recipient at ``index`` was sent (not refused, not unknown)."""
        if index in self.unknown:
            return False
        if self.sent is not None:
            return self.sent[index]
        return self.message_ids[index] is not None


@dataclass(frozen=True, slots=True)
class GroupState:
    """A group's status and the per-recipient codes the provider listed (as it echoed them)."""

    status: StatusCode
    recipients: tuple[tuple[str, StatusCode], ...]


@dataclass(frozen=True, slots=True)
class Received:
    """One inbound message as the provider gave it."""

    mobile: str
    text: str
    received_at: datetime | None


@dataclass(frozen=True, slots=True)
class InboxPage:
    """One page of the inbox."""

    messages: tuple[Received, ...]
    total_pages: int


def runs_by_text(pairs: Sequence[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    """``pairs`` grouped by identical text (in order of first appearance), each group in runs
    of at most ``size``: the requests of ``send_pairs`` for a provider whose send carries one
    text."""
    by_text: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        by_text.setdefault(pair[1], []).append(pair)
    return [
        group[start : start + size]
        for group in by_text.values()
        for start in range(0, len(group), size)
    ]


class Adapter(ABC):
    """One provider, as the facade sees it.

    Attributes:
        id: Provider id.
        capabilities: What it supports and its limits.
        needs_line: Whether the client cannot be built without a line.
    """

    id: str
    capabilities: Capabilities
    needs_line: bool = False
    status_batch: int | None = None
    """Message ids per status request, when fewer than ``capabilities.max_recipients``."""
    mixes_texts: bool = True
    """Whether one ``send_pairs`` request can carry different texts (``send_many`` puts
    different texts into one request only then)."""

    sync_client: Any
    """The generated client class, built as ``(username, password, *client_args, base_url=,
    timeout=)``."""
    async_client: Any
    """Its async twin, built alike."""
    default_base_url: str | None
    """The generated package's ``DEFAULT_BASE_URL`` (None when the vendor's host is unknown)."""

    def client(self, settings: Settings, *, asynchronous: bool) -> Any:
        """The generated client (sync or async) for these settings."""
        factory = self.async_client if asynchronous else self.sync_client
        return factory(
            settings.username,
            settings.password,
            *self.client_args(settings),
            base_url=settings.base_url or self.default_base_url,
            timeout=settings.timeout,
        )

    def client_args(self, settings: Settings) -> tuple[Any, ...]:
        """Positional arguments of the generated client after the credentials (none by default)."""
        return ()

    def mobile(self, e164: str) -> str:
        """A recipient in the form the provider wants, from ``+98…``: ``09…`` unless the
        provider says otherwise."""
        return "0" + e164.removeprefix("+98")

    @abstractmethod
    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[str] | Call[SentPairs]:
        """Send one text to recipients (already in ``mobile`` form); the result is a group id,
        or, for a provider that tracks each recipient apart, the answer per recipient."""

    def pair_runs(self, pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
        """How ``send_pairs`` splits its pairs into requests: by default consecutive runs of at
        most ``capabilities.max_recipients`` pairs and the request budget of their texts, one
        ``send_pairs`` call each."""
        return runs_within_budget(pairs, self.capabilities.max_recipients)

    # From here on the operations are optional: an adapter overrides those its capabilities claim.
    # The facade checks capabilities first; these defaults keep a mismatch inside the error
    # hierarchy instead of escaping as NotImplementedError.

    def send_pairs(
        self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str
    ) -> Call[str] | Call[SentPairs]:
        """Send a text per recipient (a run of ``pair_runs``); the result is, as for ``send``,
        a group id or the answer per recipient."""
        raise UnsupportedOperationError(provider=self.id, operation="send_pairs")

    def group_status(self, group_id: str) -> Call[GroupState]:
        """Status of a group send."""
        raise UnsupportedOperationError(provider=self.id, operation="status")

    def message_status(self, message_ids: Sequence[str]) -> Call[dict[str, StatusCode]]:
        """Status of messages by id; ids the provider does not list are left out."""
        raise UnsupportedOperationError(provider=self.id, operation="status")

    def credit(self) -> Call[int]:
        """The balance in rials."""
        raise UnsupportedOperationError(provider=self.id, operation="credit")

    def inbox_page(
        self, line: str | None, since: datetime, until: datetime, page: int
    ) -> Call[InboxPage]:
        """One page (from 1) of messages received in a period."""
        raise UnsupportedOperationError(provider=self.id, operation="inbox")
