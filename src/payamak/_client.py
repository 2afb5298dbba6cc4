"""``Client`` and ``AsyncClient``: one client over every provider.

Both validate and normalise every input before any request (``_validate``), build the same
operations (``_operations``) and differ only in how they drive them: plain calls or awaits.
Reads are retried on transient failures (``_retry``); sends never are.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any, TypeVar

import httpx
from typing_extensions import Self

from payamak_gen._runtime.http import DEFAULT_TIMEOUT
from payamak_gen.errors import InsecureTransportWarning, PayamakGenError

from . import _bulk as bulk
from . import _operations as ops
from . import _validate as check
from ._adapters import ADAPTERS, Adapter
from ._adapters._base import Call, InboxPage, Settings
from ._errors import UnsupportedOperationError, ValidationError
from ._models import (
    Balance,
    BulkSummary,
    Capabilities,
    DeliveryReport,
    InboundMessage,
    RecipientOutcome,
    SendReceipt,
)
from ._retry import RetryPolicy, is_transient

__all__ = ["AsyncClient", "Client", "InsecureTransportWarning"]

T = TypeVar("T")
logger = logging.getLogger("payamak")

_ENV_PREFIX = "PAYAMAK_"


@dataclass(frozen=True, slots=True)
class _Core:
    """What ``Client`` and ``AsyncClient`` share: the adapter, settings without secrets, and
    the validation that turns arguments into operations."""

    adapter: Adapter
    line: str | None
    retry: RetryPolicy

    @property
    def provider(self) -> str:
        return self.adapter.id

    def require(self, operation: str) -> None:
        if not getattr(self.adapter.capabilities, operation):
            raise UnsupportedOperationError(provider=self.provider, operation=operation)

    def require_line(self, operation: str) -> str:
        if not self.line:
            raise ValidationError(
                "line",
                self.line,
                f"{self.provider} needs the sender line for {operation}",
                provider=self.provider,
                operation=operation,
            )
        return self.line

    def send(
        self, to: str | Iterable[str], text: str, at: datetime | None, reference: str | None
    ) -> ops.Op[SendReceipt]:
        self.require("send")
        name, limits = self.provider, self.adapter.capabilities
        numbers = check.recipients(to, provider=name, operation="send")
        body = check.text(text, "text", limits, provider=name, operation="send")
        when = check.schedule(at, provider=name, operation="send")
        if when is not None:
            self.require("schedule")
        ref = check.reference(reference, provider=name, operation="send")
        line = self.require_line("send")
        return ops.send(self.adapter, line, numbers, body, when, ref)

    def send_pairs(
        self, pairs: Iterable[tuple[str, str]], reference: str | None
    ) -> ops.Op[SendReceipt]:
        self.require("send_pairs")
        name, limits = self.provider, self.adapter.capabilities
        checked: list[tuple[str, str]] = []
        seen: set[str] = set()
        for index, pair in enumerate(pairs):
            number, text = pair
            e164 = check.mobile(number, f"pairs[{index}][0]", provider=name, operation="send_pairs")
            if e164 in seen:
                # A receipt keys message ids by recipient; two texts to one number are two sends.
                raise ValidationError(
                    f"pairs[{index}][0]",
                    number,
                    "this number is already in the list",
                    provider=name,
                    operation="send_pairs",
                )
            seen.add(e164)
            body = check.text(
                text, f"pairs[{index}][1]", limits, provider=name, operation="send_pairs"
            )
            checked.append((e164, body))
        if not checked:
            raise ValidationError(
                "pairs", pairs, "no recipient", provider=name, operation="send_pairs"
            )
        ref = check.reference(reference, provider=name, operation="send_pairs")
        line = self.require_line("send_pairs")
        return ops.send_pairs(self.adapter, line, checked, ref)

    def send_many(
        self,
        reference: str | None,
        chunk_size: int | None,
        concurrency: int,
        on_outcome: bulk.OnOutcome | None,
        progress: bulk.OnProgress | None,
        on_request: bulk.OnRequest | None,
    ) -> tuple[bulk.Planner, bulk.Tally]:
        self.require("send")
        ref = bulk.base_reference(reference, provider=self.provider)
        size = bulk.limits(self.adapter, chunk_size, concurrency)
        self.require_line("send_many")
        return (
            bulk.Planner(self.adapter, ref, size),
            bulk.Tally(self.provider, ref, on_outcome, progress, on_request),
        )

    def status(
        self, what: SendReceipt | str | Iterable[str] | None, group_id: str | None
    ) -> ops.Op[tuple[DeliveryReport, ...]]:
        self.require("status")
        groups: dict[str, tuple[str, ...]] = {}
        messages: dict[str, str | None] = {}
        if isinstance(what, SendReceipt):
            if what.provider != self.provider:
                raise ValidationError(
                    "receipt",
                    what.reference,
                    f"a receipt of {what.provider}, not of {self.provider}",
                    provider=self.provider,
                    operation="status",
                )
            groups.update(what.groups)
            messages.update({mid: number for number, mid in what.message_ids.items()})
        elif what is not None:
            ids = [what] if isinstance(what, str) else list(what)
            for index, message_id in enumerate(ids):
                if not isinstance(message_id, str) or not message_id.isdigit():
                    raise ValidationError(
                        f"ids[{index}]",
                        message_id,
                        "a message id is digits",
                        provider=self.provider,
                        operation="status",
                    )
                messages[message_id] = None
        if group_id is not None:
            groups[group_id] = ()
        if not groups and not messages:
            raise ValidationError(
                "receipt", what, "nothing to ask about", provider=self.provider, operation="status"
            )
        return ops.status(self.adapter, groups, messages)

    def credit(self) -> ops.Op[Balance]:
        self.require("credit")
        return ops.credit(self.adapter)

    def inbox_window(self, since: datetime, until: datetime | None) -> tuple[datetime, datetime]:
        self.require("inbox")
        for name, value in (("since", since), ("until", until)):
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise ValidationError(
                    name,
                    value,
                    "expected a timezone-aware datetime",
                    provider=self.provider,
                    operation="inbox",
                )
        end = until if until is not None else _now_rounded_up()
        if since > end:
            raise ValidationError(
                "since", since, "after until", provider=self.provider, operation="inbox"
            )
        self.require_line("inbox")
        return since, end

    def inbound(self, page: InboxPage) -> list[InboundMessage]:
        return [
            InboundMessage(self.provider, ops.wire_number(m.mobile), m.text, m.received_at)
            for m in page.messages
        ]

    def give_up(self, call: Call[Any], error: PayamakGenError, attempt: int) -> float | None:
        """Seconds to wait before trying ``call`` again, or None to raise ``error``."""
        if not call.is_read or attempt >= self.retry.attempts or not is_transient(error):
            return None
        delay = self.retry.delay(attempt)
        logger.info(
            "%s %s: attempt %d failed (%s: %s); retrying in %.2f s",
            self.provider,
            call.operation,
            attempt,
            type(error).__name__,
            error,
            delay,
        )
        return delay


def _build(
    provider: str,
    *,
    username: str,
    password: str,
    line: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout,
    retry: RetryPolicy | None,
    asynchronous: bool,
) -> tuple[_Core, Any]:
    adapter = ADAPTERS.get(provider)
    if adapter is None:
        raise ValidationError(
            "provider",
            provider,
            f"unknown provider; known: {', '.join(sorted(ADAPTERS))}",
            provider=str(provider),
            operation="connect",
        )
    for name, value in (("username", username), ("password", password)):
        if not isinstance(value, str) or not value:
            # The value itself is never shown: it is a credential.
            raise ValidationError(
                name, "<hidden>", "must be non-empty text", provider=provider, operation="connect"
            )
    core = _Core(adapter, line or None, retry or RetryPolicy())
    if adapter.needs_line:
        core.require_line("connect")
    settings = Settings(username, password, core.line, base_url, timeout)
    raw = adapter.client(settings, asynchronous=asynchronous)
    # Plain http to another host: the generated client warns (InsecureTransportWarning, one
    # class for the facade and payamak_gen), so there is one warning, not two.
    return core, raw


def _settings_from_env(environ: Mapping[str, str] | None) -> dict[str, Any]:
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        return env.get(_ENV_PREFIX + name) or None

    provider = get("PROVIDER")
    for name in ("PROVIDER", "USERNAME", "PASSWORD"):
        if get(name) is None:
            raise ValidationError(
                _ENV_PREFIX + name,
                None,
                "not set",
                provider=provider or "?",
                operation="from_env",
            )
    settings: dict[str, Any] = {
        "provider": provider,
        "username": get("USERNAME"),
        "password": get("PASSWORD"),
        "line": get("LINE"),
        "base_url": get("BASE_URL"),
    }
    timeout = get("TIMEOUT")
    if timeout is not None:
        try:
            settings["timeout"] = float(timeout)
        except ValueError:
            raise ValidationError(
                "PAYAMAK_TIMEOUT", timeout, "seconds", provider=str(provider), operation="from_env"
            ) from None
    return settings


def _now_rounded_up() -> datetime:
    """Now, rounded up to the next whole second: the wires carry whole seconds and cut the
    fraction off, so an open window ending at plain "now" would miss this very second."""
    now = datetime.now(timezone.utc)
    if now.microsecond:
        now = now.replace(microsecond=0) + timedelta(seconds=1)
    return now


class Client:
    """A synchronous client of one provider.

    Args:
        provider: Provider id (``advanced_ws``, ``ippanel_classic``, ``payamak_panel``,
            ``trez_rest``, ``trez_xml``).
        username: Panel username.
        password: Panel password (never shown in reprs, logs or errors).
        line: The account's sender line (needed to send and read the inbox).
        base_url: The provider's address; its real host if None.
        timeout: Seconds, or an ``httpx.Timeout``, for every request.
        retry: How reads are retried (sends never are).

    Raises:
        ValidationError: an unknown provider, empty credentials, or no line where the
            provider needs one.
    """

    def __init__(
        self,
        provider: str,
        *,
        username: str,
        password: str,
        line: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._core, self._raw = _build(
            provider,
            username=username,
            password=password,
            line=line,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            asynchronous=False,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Self:
        """A client from ``PAYAMAK_PROVIDER``, ``PAYAMAK_USERNAME``, ``PAYAMAK_PASSWORD``,
        ``PAYAMAK_LINE``, ``PAYAMAK_BASE_URL`` and ``PAYAMAK_TIMEOUT`` (``os.environ`` unless
        ``environ`` is given); keyword arguments override them."""
        settings = {**_settings_from_env(environ), **overrides}
        return cls(settings.pop("provider"), **settings)

    @property
    def provider(self) -> str:
        """Provider id."""
        return self._core.provider

    @property
    def capabilities(self) -> Capabilities:
        """What this provider supports, and its limits."""
        return self._core.adapter.capabilities

    @property
    def raw(self) -> Any:
        """The generated typed client, for everything the facade does not cover."""
        return self._raw

    def __repr__(self) -> str:
        return f"Client(provider={self.provider!r}, base_url={self._raw.base_url!r})"

    def _run(self, op: ops.Op[T]) -> T:
        value: Any = None
        error: PayamakGenError | None = None
        while True:
            try:
                call = op.throw(error) if error is not None else op.send(value)
            except StopIteration as stop:
                result: T = stop.value
                return result
            error = None
            try:
                value = self._invoke(call)
            except PayamakGenError as exc:
                error = exc

    def _invoke(self, call: Call[Any]) -> Any:
        attempt = 1
        while True:
            try:
                return call.read(call.invoke(self._raw))
            except PayamakGenError as error:
                recovered = call.recover(error) if call.recover else None
                if recovered is not None:
                    return recovered
                delay = self._core.give_up(call, error, attempt)
                if delay is None:
                    raise
            time.sleep(delay)
            attempt += 1

    def send(
        self,
        to: str | Iterable[str],
        text: str,
        *,
        at: datetime | None = None,
        reference: str | None = None,
    ) -> SendReceipt:
        """Send one text to one number or several (chunked to the provider's batch size).

        Args:
            to: A number or numbers in any usual Iranian form; repeats are sent once.
            text: The message.
            at: When to send (timezone-aware, not in the past); now if None.
            reference: Your id for this send, to reconcile by; generated if None.

        Raises:
            ValidationError: a bad number, text, time or reference (nothing was sent).
            SendOutcomeUnknownError: the answer was lost; the messages may have gone out.
            PartialSendError: a later chunk was refused after earlier ones went out.
            PayamakError: the provider refused the send (nothing was sent).
        """
        return self._run(self._core.send(to, text, at, reference))

    def send_pairs(
        self, pairs: Iterable[tuple[str, str]], *, reference: str | None = None
    ) -> SendReceipt:
        """Send a different text to each number: ``[(number, text), …]``; as ``send``.

        The pairs go in as few requests as the provider's recipient limit and a budget of
        about 1 MB of texts per request allow."""
        return self._run(self._core.send_pairs(pairs, reference))

    def send_many(
        self,
        rows: Iterable[tuple[str, str]],
        *,
        concurrency: int = 4,
        chunk_size: int | None = None,
        reference: str | None = None,
        on_outcome: Callable[[RecipientOutcome], None] | None = None,
        progress: Callable[[BulkSummary], None] | None = None,
        on_request: Callable[[str, tuple[int, ...]], None] | None = None,
    ) -> BulkSummary:
        """Send a text per number to any number of rows ``(number, text)``, streamed.

        Rows are read only as requests go out (at most ``concurrency`` requests of at most
        ``chunk_size`` rows are held at once), so a generator over a file of millions of rows
        keeps memory flat. Rows sharing one text go as one group send, others as one
        per-recipient send, each request within the provider's limits. A row with a bad number
        or text is an ``invalid`` outcome and the other rows go on. Nothing is retried: a lost
        answer makes its request's rows ``unknown``, a refusal makes them ``failed``, and the
        other requests go on. The requests run in a pool of ``concurrency`` threads; rows are
        read and callbacks called in the calling thread only.

        Args:
            rows: ``(number, text)`` pairs; a number twice is two messages.
            concurrency: Requests in flight at once (1 to 64).
            chunk_size: Rows per request at most; the provider's limit if None.
            reference: Your id for this send; request ``i`` carries ``{reference}-{i}``.
            on_outcome: Called with each row's outcome as its request finishes (outcomes
                are not kept: collect them here if you need them).
            progress: Called with the counts so far after each request.
            on_request: Called with a request's reference and its rows' positions just
                before it is sent (a write-ahead log records it here; if this raises, the
                request is not sent).

        Returns:
            The counts, and the error of each request whose answer was lost.

        Raises:
            ValidationError: a bad ``reference``, ``chunk_size`` or ``concurrency``, or no
                line (nothing was sent).
        """
        planner, tally = self._core.send_many(
            reference, chunk_size, concurrency, on_outcome, progress, on_request
        )
        adapter, line = self._core.adapter, self._core.line
        return bulk.drive(
            rows,
            planner,
            lambda chunk: self._run(bulk.send_chunk(adapter, line, chunk)),
            concurrency,
            tally,
        )

    def status(
        self,
        what: SendReceipt | str | Iterable[str] | None = None,
        *,
        group_id: str | None = None,
    ) -> tuple[DeliveryReport, ...]:
        """Delivery reports for a receipt, for message ids, or for a provider's group id."""
        return self._run(self._core.status(what, group_id))

    def credit(self) -> Balance:
        """The account's balance."""
        return self._run(self._core.credit())

    def inbox(self, since: datetime, until: datetime | None = None) -> Iterator[InboundMessage]:
        """Messages received on the line between ``since`` and ``until``, in the provider's
        order, fetching page after page as the iteration goes. ``until`` None is now, rounded up
        to the whole second (the wires carry whole seconds: this second's messages are in)."""
        start, end = self._core.inbox_window(since, until)
        line = self._core.line
        core = self._core

        def pages() -> Iterator[InboundMessage]:
            page = 1
            while True:
                result = self._run(ops.inbox_page(core.adapter, line, start, end, page))
                yield from core.inbound(result)
                if page >= result.total_pages:
                    return
                page += 1

        return pages()

    def close(self) -> None:
        """Close the connections."""
        self._raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient:
    """The asynchronous ``Client``: the same arguments and methods, as coroutines (``inbox``
    is an async iterator)."""

    def __init__(
        self,
        provider: str,
        *,
        username: str,
        password: str,
        line: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._core, self._raw = _build(
            provider,
            username=username,
            password=password,
            line=line,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            asynchronous=True,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Self:
        """As ``Client.from_env``."""
        settings = {**_settings_from_env(environ), **overrides}
        return cls(settings.pop("provider"), **settings)

    @property
    def provider(self) -> str:
        """Provider id."""
        return self._core.provider

    @property
    def capabilities(self) -> Capabilities:
        """What this provider supports, and its limits."""
        return self._core.adapter.capabilities

    @property
    def raw(self) -> Any:
        """The generated typed async client."""
        return self._raw

    def __repr__(self) -> str:
        return f"AsyncClient(provider={self.provider!r}, base_url={self._raw.base_url!r})"

    async def _run(self, op: ops.Op[T]) -> T:
        value: Any = None
        error: PayamakGenError | None = None
        while True:
            try:
                call = op.throw(error) if error is not None else op.send(value)
            except StopIteration as stop:
                result: T = stop.value
                return result
            error = None
            try:
                value = await self._invoke(call)
            except PayamakGenError as exc:
                error = exc

    async def _invoke(self, call: Call[Any]) -> Any:
        attempt = 1
        while True:
            try:
                return call.read(await call.invoke(self._raw))
            except PayamakGenError as error:
                recovered = call.recover(error) if call.recover else None
                if recovered is not None:
                    return recovered
                delay = self._core.give_up(call, error, attempt)
                if delay is None:
                    raise
            await asyncio.sleep(delay)
            attempt += 1

    async def send(
        self,
        to: str | Iterable[str],
        text: str,
        *,
        at: datetime | None = None,
        reference: str | None = None,
    ) -> SendReceipt:
        """As ``Client.send``."""
        return await self._run(self._core.send(to, text, at, reference))

    async def send_pairs(
        self, pairs: Iterable[tuple[str, str]], *, reference: str | None = None
    ) -> SendReceipt:
        """As ``Client.send_pairs``."""
        return await self._run(self._core.send_pairs(pairs, reference))

    async def send_many(
        self,
        rows: Iterable[tuple[str, str]] | AsyncIterable[tuple[str, str]],
        *,
        concurrency: int = 4,
        chunk_size: int | None = None,
        reference: str | None = None,
        on_outcome: Callable[[RecipientOutcome], None] | None = None,
        progress: Callable[[BulkSummary], None] | None = None,
        on_request: Callable[[str, tuple[int, ...]], None] | None = None,
    ) -> BulkSummary:
        """As ``Client.send_many``; ``rows`` may also be an async iterable, the requests run
        as tasks on the running loop, and the callbacks are called on it (keep them quick).
        Cancelled, it lets the requests in flight finish before it stops."""
        planner, tally = self._core.send_many(
            reference, chunk_size, concurrency, on_outcome, progress, on_request
        )
        adapter, line = self._core.adapter, self._core.line
        return await bulk.adrive(
            rows,
            planner,
            lambda chunk: self._run(bulk.send_chunk(adapter, line, chunk)),
            concurrency,
            tally,
        )

    async def status(
        self,
        what: SendReceipt | str | Iterable[str] | None = None,
        *,
        group_id: str | None = None,
    ) -> tuple[DeliveryReport, ...]:
        """As ``Client.status``."""
        return await self._run(self._core.status(what, group_id))

    async def credit(self) -> Balance:
        """As ``Client.credit``."""
        return await self._run(self._core.credit())

    def inbox(
        self, since: datetime, until: datetime | None = None
    ) -> AsyncIterator[InboundMessage]:
        """As ``Client.inbox``, an async iterator."""
        start, end = self._core.inbox_window(since, until)
        line = self._core.line
        core = self._core

        async def pages() -> AsyncIterator[InboundMessage]:
            page = 1
            while True:
                result = await self._run(ops.inbox_page(core.adapter, line, start, end, page))
                for message in core.inbound(result):
                    yield message
                if page >= result.total_pages:
                    return
                page += 1

        return pages()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._raw.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
