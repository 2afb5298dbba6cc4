"""An httpx transport for many concurrent requests that keeps httpcore's connection pools small
and never lets requests queue inside them.

Why: httpcore 1.0.9's `AsyncConnectionPool` runs a full assignment pass every time a request
enters, a response is closed, or a request has to retry, and each pass costs connections x
(connections + queued requests): it counts the idle connections once per idle connection, and
asks each one whether its socket has become readable (a poll() and a getpeername() through
anyio). It also hands a connection that comes free to every queued request at once; all but the
first fail with `ConnectionNotAvailable`, go back to the queue and each run another pass. With
200 requests gathered on one 50-connection pool that is 1,000-4,500 passes of ~2,500 steps: 2-7 s
of CPU in the client against 0.2 s of work in the sandbox, and as the sandbox serves from a thread
of the test's own process, that CPU also holds the GIL away from the server.
(encode/httpcore#1035 describes both defects; no release fixes them yet.)

So the connections are spread over pools of at most `PER_POOL`, which makes each pass ~25 times
cheaper at 50 connections, and a request waits at a gate (a semaphore with one place per
connection) until a pool has a connection free for it, so no pool ever queues. The server still
sees as many requests in flight as there are connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from types import TracebackType

import httpx

__all__ = ["PER_POOL", "GatedTransport"]

PER_POOL = 10


@dataclass
class _Pool:
    transport: httpx.AsyncHTTPTransport
    size: int
    in_flight: int = 0


class GatedTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, `max_connections` connections in all, in pools of `PER_POOL`.

    A request holds its place from the moment it enters a pool until its response is closed
    (that is when the pool takes the connection back), or until it fails. Waiting for a place
    is bounded by the client's pool timeout, as waiting for a connection is in httpx.

    Args:
        max_connections: How many connections, and so how many requests in flight, in all.
    """

    def __init__(self, max_connections: int) -> None:
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        sizes = [PER_POOL] * (max_connections // PER_POOL)
        if max_connections % PER_POOL:
            sizes.append(max_connections % PER_POOL)
        self.pools = [
            _Pool(
                httpx.AsyncHTTPTransport(
                    limits=httpx.Limits(max_connections=size, max_keepalive_connections=size)
                ),
                size,
            )
            for size in sizes
        ]
        self._gate = asyncio.Semaphore(max_connections)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # The wait at the gate is the wait for a connection that httpx's pool timeout bounds.
        timeout = request.extensions.get("timeout", {}).get("pool")
        try:
            await asyncio.wait_for(self._gate.acquire(), timeout)
        except asyncio.TimeoutError:
            raise httpx.PoolTimeout("no connection came free in time", request=request) from None
        # Past the gate, at least one pool has a connection free: the least busy one.
        pool = min(self.pools, key=lambda p: p.in_flight / p.size)
        assert pool.in_flight < pool.size
        pool.in_flight += 1

        def release() -> None:
            pool.in_flight -= 1
            self._gate.release()

        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            release()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _ReleasingStream(response.stream, release)
        return response

    async def __aenter__(self) -> GatedTransport:
        for pool in self.pools:
            await pool.transport.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for pool in self.pools:
            await pool.transport.aclose()


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that gives the request's place back when it is closed (once)."""

    def __init__(self, stream: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()
