"""Builds the sandbox's ASGI application from the provider modules.

Layers, outermost first: the body size limit for declared lengths, fault injection (pure ASGI,
so it works for every provider), the provider dispatcher (case-insensitive paths, because
IIS-hosted gateways ignore path case), and a Starlette app with the admin API under `/_sandbox/`
that answers everything else.
"""

from __future__ import annotations

from starlette.applications import Starlette

from ._admin import admin_routes
from ._faults import ASGIApp, FaultMiddleware
from ._limits import (
    MAX_BODY_BYTES,
    BodyTooLargeError,
    Receive,
    Scope,
    Send,
    declared_length,
    read_body,
    send_too_large,
)
from ._services import Services
from ._wire import wire_request

__all__ = ["build_app"]


class _Dispatcher:
    """Hands provider paths to their provider and everything else to the admin app.

    A provider's body is read here, and no further than `_limits.MAX_BODY_BYTES` (HTTP 413).
    """

    def __init__(self, services: Services, fallback: ASGIApp) -> None:
        self._services = services
        self._fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        provider = (
            self._services.find_provider(str(scope.get("path", "")))
            if scope["type"] == "http"
            else None
        )
        if provider is None:
            await self._fallback(scope, receive, send)
            return
        try:
            body = await read_body(scope, receive)
        except BodyTooLargeError as exc:
            await send_too_large(send, exc.limit)
            return
        if body is None:
            return  # the client went away before sending its body
        response = await provider.handle(wire_request(scope, body))
        headers = [
            (b"content-type", response.content_type.encode()),
            (b"content-length", str(len(response.body)).encode()),
        ]
        headers.extend((k.encode(), v.encode()) for k, v in response.headers.items())
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})


class _DeclaredLengthLimit:
    """Answers 413 to any request, on any path, whose Content-Length is over the body limit.

    Outermost, so that no layer reads a byte of such a body; a body without a Content-Length
    (chunked) is bounded by whichever layer reads it (`_limits.read_body`).
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = declared_length(scope)
            if declared is not None and declared > MAX_BODY_BYTES:
                await send_too_large(send)
                return
        await self._app(scope, receive, send)


def build_app(services: Services) -> ASGIApp:
    """Builds the ASGI application serving every provider and the admin API."""
    admin = Starlette(routes=admin_routes(services))
    return _DeclaredLengthLimit(
        FaultMiddleware(_Dispatcher(services, admin), services.faults, services.find_provider)
    )
