"""Fault injection: make the next N calls of an operation fail the way networks and servers do.

Faults are armed per (provider, operation) with a count, and applied by a pure ASGI middleware in
front of every provider, so each kind looks the same on every gateway:

==============  ===============================================================  ===============
kind            what the client sees                                             operation runs
==============  ===============================================================  ===============
``latency``     the normal answer, `latency` seconds late                        yes
``http_500``    HTTP 500 with an HTML error page (as IIS sends)                  no
``http_503``    HTTP 503 with an HTML error page                                 no
``drop``        the connection closes before any response byte                   no
``truncate``    the real response's headers, then half the body, then the        yes
                connection closes (Content-Length says more was coming)
``malformed``   HTTP 200 whose body is not valid JSON / XML                      no
``soap_fault``  HTTP 500 with a SOAP 1.1 Fault envelope (SOAP providers only)    no
``error_code``  the gateway's own error answer with result code `code` (for       no
                codes no input can trigger: 5001 internal error, 3001, ...)
==============  ===============================================================  ===============

``truncate`` is the "sent, but you cannot know it" case: the message is stored and charged, the
answer is lost, which is what a client's unknown-outcome handling must cope with.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ._limits import (
    BodyTooLargeError,
    Message,
    Receive,
    Scope,
    Send,
    read_body,
    send_too_large,
)
from ._soap import soap11_fault
from ._wire import JSON_TYPE, XML_TYPE, wire_request
from .providers import Provider

__all__ = ["FAULT_KINDS", "Fault", "FaultBook", "FaultKind", "FaultMiddleware"]

FaultKind = Literal[
    "latency", "http_500", "http_503", "drop", "truncate", "malformed", "soap_fault", "error_code"
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Fault:
    """An armed fault.

    Attributes:
        id: Handle for listing.
        provider: Provider id it applies to.
        operation: Operation name it applies to (case-insensitive), or `*` for every operation.
        kind: What goes wrong.
        remaining: How many more calls it affects.
        latency: Added delay in seconds (for `latency`).
        code: The provider result code to answer with (for `error_code`).
    """

    id: int
    provider: str
    operation: str
    kind: FaultKind
    remaining: int
    latency: float = 0.0
    code: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The fault as the admin API shows it."""
        return {
            "id": self.id,
            "provider": self.provider,
            "operation": self.operation,
            "kind": self.kind,
            "remaining": self.remaining,
            "latency": self.latency,
            "code": self.code,
        }


class FaultBook:
    """The armed faults, consumed first-in first-out per matching call."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    @property
    def armed(self) -> bool:
        """Whether any fault is waiting (the middleware's fast path checks this)."""
        return bool(self._faults)

    def arm(
        self,
        provider: str,
        operation: str,
        kind: str,
        count: int = 1,
        latency: float = 0.0,
        code: int | None = None,
    ) -> Fault:
        """Arms a fault for the next `count` matching calls.

        Raises:
            ValueError: If the kind is unknown, the count or latency is out of range, or an
                `error_code` fault has no code.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if not 0 <= latency <= 120:  # written so that NaN fails it too
            raise ValueError(f"latency must be between 0 and 120 seconds, not {latency}")
        if kind == "error_code" and code is None:
            raise ValueError("an error_code fault needs a code")
        fault = Fault(next(self._ids), provider, operation, kind, count, latency, code)  # type: ignore[arg-type]
        self._faults.append(fault)
        return fault

    def has(self, provider: str) -> bool:
        """Whether any fault is armed for this provider."""
        return any(f.provider == provider for f in self._faults)

    def take(self, provider: str, operations: Sequence[str]) -> Fault | None:
        """Consumes one use of the first fault matching this call, if any."""
        names = {op.lower() for op in operations}
        for fault in self._faults:
            if fault.provider != provider:
                continue
            if fault.operation != "*" and fault.operation.lower() not in names:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def list(self) -> list[Fault]:
        """Returns the armed faults."""
        return list(self._faults)

    def clear(self) -> None:
        """Disarms every fault."""
        self._faults.clear()


class FaultMiddleware:
    """Pure ASGI middleware that applies armed faults to provider calls.

    Args:
        app: The application behind it.
        book: The armed faults.
        find_provider: Maps a request path to the provider serving it.
    """

    def __init__(
        self, app: ASGIApp, book: FaultBook, find_provider: Callable[[str], Provider | None]
    ) -> None:
        self._app = app
        self._book = book
        self._find_provider = find_provider

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._book.armed:
            await self._app(scope, receive, send)
            return
        provider = self._find_provider(str(scope["path"]))
        if provider is None or not self._book.has(provider.name):
            await self._app(scope, receive, send)
            return
        try:
            body = await read_body(scope, receive)
        except BodyTooLargeError as exc:
            await send_too_large(send, exc.limit)  # no provider sees it, so no fault is used up
            return
        if body is None:
            return  # the client went away before sending its body
        replay = _replaying(body, receive)
        fault = self._book.take(provider.name, provider.operations_of(wire_request(scope, body)))
        if fault is None:
            await self._app(scope, replay, send)
        elif fault.kind == "latency":
            await asyncio.sleep(fault.latency)
            await self._app(scope, replay, send)
        elif fault.kind in ("http_500", "http_503"):
            status = 500 if fault.kind == "http_500" else 503
            await _respond(send, status, "text/html; charset=utf-8", _html_error(status))
        elif fault.kind == "drop":
            await _close_connection(receive)
        elif fault.kind == "truncate":
            await self._truncated(scope, replay, send, receive)
        elif fault.kind == "malformed":
            content_type = JSON_TYPE if provider.wire == "json" else XML_TYPE
            await _respond(send, 200, content_type, _malformed_body(provider.wire))
        elif fault.kind == "error_code" and fault.code is not None:
            answer = provider.error_response(fault.code)
            await _respond(send, answer.status, answer.content_type, answer.body)
        else:
            await _respond(
                send, 500, XML_TYPE, soap11_fault("Server was unable to process request.")
            )

    async def _truncated(self, scope: Scope, replay: Receive, send: Send, receive: Receive) -> None:
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        await self._app(scope, replay, capture)
        start = next(m for m in captured if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        await _close_connection(receive)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _respond(send: Send, status: int, content_type: str, body: bytes) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _close_connection(receive: Receive) -> None:
    """Closes the client's TCP connection from under the current request.

    ASGI has no "drop the connection" message, and an exception before the response would make
    the server answer 500 instead. Uvicorn's `receive` is a bound method of its request cycle,
    which holds the transport, so close that; then wait until the server has noticed, so it does
    not try to answer (and log) on a closed connection.

    Raises:
        RuntimeError: If the server does not expose its transport; the server then closes the
            connection itself because the response was not completed.
    """
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if not isinstance(transport, asyncio.BaseTransport):
        raise RuntimeError("sandbox fault: dropping the connection")
    transport.close()
    for _ in range(200):
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0.005)


def _html_error(status: int) -> bytes:
    title = "Internal Server Error" if status == 500 else "Service Unavailable"
    return (
        f"<!DOCTYPE html><html><head><title>{status} - {title}</title></head>"
        f"<body><h1>{status} - {title}</h1></body></html>"
    ).encode()


def _malformed_body(wire: str) -> bytes:
    if wire == "soap":
        # Well-formed XML would still parse; mismatched tags make sure it does not.
        return (
            b'<?xml version="1.0" encoding="utf-8"?>'
            b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            b"<soap:Body><getxmlResponse></soap:Envelope></getxmlResponse>"
        )
    return '{"Code":0,"Message":"عملیات با موفقیت انجام شد","Result":<html>}'.encode()
