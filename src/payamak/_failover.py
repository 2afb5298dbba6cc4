"""Sending through several providers in order, moving on only when nothing was sent.

A send moves to the next provider only when the previous one's answer proves that nothing went
out: the connection was refused before the request left, the credentials or the line were
refused, or the account has no credit. Never after an unknown outcome (the messages may be on
their way: sending again would send twice), and never for a refusal of the input itself (a bad
date or text would be refused everywhere) or after part of a chunked send went out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from types import TracebackType

from typing_extensions import Self

from payamak_gen.errors import (
    AuthenticationError,
    InsufficientCreditError,
    PayamakGenError,
    PermissionDeniedError,
    TransportError,
)

from ._client import AsyncClient, Client
from ._errors import ValidationError
from ._models import DeliveryReport, SendReceipt

__all__ = ["AsyncFailoverClient", "FailoverClient", "proves_unsent"]

_REFUSED = (AuthenticationError, PermissionDeniedError, InsufficientCreditError)


def proves_unsent(error: PayamakGenError) -> bool:
    """Whether ``error`` proves the provider sent nothing, for reasons of its own."""
    if error.outcome_unknown:
        return False
    if isinstance(error, TransportError):
        return True  # not outcome_unknown: the request never left
    return isinstance(error, _REFUSED)


def _check(clients: Sequence[object]) -> None:
    if not clients:
        raise ValidationError(
            "clients", clients, "give at least one client", provider="?", operation="failover"
        )


def _pick(clients: Sequence[Client | AsyncClient], receipt: SendReceipt) -> int:
    for index, client in enumerate(clients):
        if client.provider == receipt.provider:
            return index
    raise ValidationError(
        "receipt",
        receipt.reference,
        f"no client of {receipt.provider}",
        provider=receipt.provider,
        operation="status",
    )


class FailoverClient:
    """Sends through the first provider that takes the messages.

    Args:
        clients: ``Client`` objects in order of preference; closed with this one.

    Attributes:
        clients: The clients, for reads and everything else.
    """

    def __init__(self, clients: Iterable[Client]) -> None:
        self.clients = tuple(clients)
        _check(self.clients)

    def __repr__(self) -> str:
        return f"FailoverClient({[c.provider for c in self.clients]!r})"

    def send(
        self,
        to: str | Iterable[str],
        text: str,
        *,
        at: datetime | None = None,
        reference: str | None = None,
    ) -> SendReceipt:
        """``Client.send`` on each client in turn until one takes it; its receipt names it.

        Raises:
            PayamakError: the last provider's refusal, or the first error that does not prove
                nothing was sent (an unknown outcome above all).
        """
        recipients = to if isinstance(to, str) else list(to)
        for client in self.clients[:-1]:
            try:
                return client.send(recipients, text, at=at, reference=reference)
            except PayamakGenError as error:
                if not proves_unsent(error):
                    raise
        return self.clients[-1].send(recipients, text, at=at, reference=reference)

    def send_pairs(
        self, pairs: Iterable[tuple[str, str]], *, reference: str | None = None
    ) -> SendReceipt:
        """``Client.send_pairs`` with the same failover as ``send``."""
        listed = list(pairs)
        for client in self.clients[:-1]:
            try:
                return client.send_pairs(listed, reference=reference)
            except PayamakGenError as error:
                if not proves_unsent(error):
                    raise
        return self.clients[-1].send_pairs(listed, reference=reference)

    def status(self, receipt: SendReceipt) -> tuple[DeliveryReport, ...]:
        """Delivery reports from the provider that took the send."""
        return self.clients[_pick(self.clients, receipt)].status(receipt)

    def close(self) -> None:
        """Close every client."""
        for client in self.clients:
            client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncFailoverClient:
    """``FailoverClient`` over ``AsyncClient`` objects."""

    def __init__(self, clients: Iterable[AsyncClient]) -> None:
        self.clients = tuple(clients)
        _check(self.clients)

    def __repr__(self) -> str:
        return f"AsyncFailoverClient({[c.provider for c in self.clients]!r})"

    async def send(
        self,
        to: str | Iterable[str],
        text: str,
        *,
        at: datetime | None = None,
        reference: str | None = None,
    ) -> SendReceipt:
        """As ``FailoverClient.send``."""
        recipients = to if isinstance(to, str) else list(to)
        for client in self.clients[:-1]:
            try:
                return await client.send(recipients, text, at=at, reference=reference)
            except PayamakGenError as error:
                if not proves_unsent(error):
                    raise
        return await self.clients[-1].send(recipients, text, at=at, reference=reference)

    async def send_pairs(
        self, pairs: Iterable[tuple[str, str]], *, reference: str | None = None
    ) -> SendReceipt:
        """As ``FailoverClient.send_pairs``."""
        listed = list(pairs)
        for client in self.clients[:-1]:
            try:
                return await client.send_pairs(listed, reference=reference)
            except PayamakGenError as error:
                if not proves_unsent(error):
                    raise
        return await self.clients[-1].send_pairs(listed, reference=reference)

    async def status(self, receipt: SendReceipt) -> tuple[DeliveryReport, ...]:
        """As ``FailoverClient.status``."""
        return await self.clients[_pick(self.clients, receipt)].status(receipt)

    async def aclose(self) -> None:
        """Close every client."""
        for client in self.clients:
            await client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
