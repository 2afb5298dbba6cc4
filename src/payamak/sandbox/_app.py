"""Builds the sandbox's ASGI application from the provider modules.

Layers, outermost first: the body size limit for declared lengths, fault injection (pure ASGI,
so it works for every provider), the provider dispatcher (case-insensitive paths, because
IIS-hosted gateways ignore path case), and a Starlette app with the admin API under `/_sandbox/`
that answers everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette

from ._admin import admin_routes
from ._clock import Clock
from ._config import SandboxConfig
from ._faults import ASGIApp, FaultBook, FaultMiddleware
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
from ._store import Store
from ._wire import wire_request
from .providers import PROVIDER_MODULES, Provider, ProviderContext, load_providers

__all__ = ["Services", "build_app", "create_services"]


@dataclass(frozen=True)
class Services:
    """Everything one running sandbox holds.

    Attributes:
        config: The initial state that `reset` returns to.
        clock: The sandbox clock; move it with `advance` below, which keeps it with the state.
        store: The panel state.
        faults: The armed faults.
        providers: The gateways served, in matching order.
    """

    config: SandboxConfig
    clock: Clock
    store: Store
    faults: FaultBook
    providers: Sequence[Provider]

    def find_provider(self, path: str) -> Provider | None:
        """Returns the provider serving `path`, if any."""
        for provider in self.providers:
            if provider.matches(path):
                return provider
        return None

    def provider(self, name: str) -> Provider | None:
        """Returns a provider by id."""
        return next((p for p in self.providers if p.name == name), None)

    def advance(self, seconds: float) -> float:
        """Moves the clock on and returns the new now (see `Clock.advance`).

        The offset is kept with the state, so that a sandbox restarted on the same state file
        does not move time, and with it every message's delivery state, backwards.
        """
        now = self.clock.advance(seconds)
        self.store.save_clock_offset(self.clock.offset)
        return now

    def reset(self) -> None:
        """Returns the state, the clock and the faults to how they were at start."""
        self.clock.reset()
        self.faults.clear()
        self.store.reset()  # drops the kept clock offset with the rest of the state


def create_services(
    config: SandboxConfig | None = None,
    *,
    state_path: str | Path | None = None,
    providers: Sequence[str] = PROVIDER_MODULES,
) -> Services:
    """Creates the state, clock, fault book and providers of one sandbox.

    Args:
        config: Initial accounts and lists; the demo config when None.
        state_path: SQLite file that keeps the state across restarts; memory only when None.
        providers: Provider module names to serve.
    """
    config = config or SandboxConfig()
    clock = Clock(frozen=config.frozen_clock)
    store = Store(config, clock, state_path)
    try:
        # Picks up where an earlier run on the same state file left the clock (0 on a new state).
        clock.advance(store.clock_offset())
        loaded = load_providers(ProviderContext(store=store, clock=clock), providers)
    except BaseException:
        store.close()  # a missing provider or spec must not leave the state file open
        raise
    return Services(config, clock, store, FaultBook(), tuple(loaded))


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
