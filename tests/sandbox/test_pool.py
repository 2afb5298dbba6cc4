"""The gated transport of the `async_http` fixture (tests/sandbox/pool.py): requests past its
connections wait at the gate, and every request gives its place back, whether it fails, is read
or is streamed and closed."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from payamak.sandbox import Sandbox, SandboxAdmin
from tests.sandbox.pool import PER_POOL, GatedTransport
from tests.sandbox.support import DEMO_AUTH

CREDIT = "/api/smsAPI/GetCredit"


def client(sandbox: Sandbox, transport: GatedTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=sandbox.base_url, auth=DEMO_AUTH, timeout=5, transport=transport
    )


@pytest.mark.parametrize(
    ("connections", "sizes"), [(1, [1]), (PER_POOL, [PER_POOL]), (25, [10, 10, 5]), (50, [10] * 5)]
)
def test_connections_are_split_into_pools_of_at_most_ten(
    connections: int, sizes: list[int]
) -> None:
    assert [pool.size for pool in GatedTransport(connections).pools] == sizes


def test_no_connection_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        GatedTransport(0)


async def test_requests_in_flight_fill_every_pool_and_no_more(
    sandbox: Sandbox, sandbox_admin: SandboxAdmin
) -> None:
    # 30 calls on 25 connections, the first 25 held for 2 s: 25 are let in, 5 wait at the gate.
    sandbox_admin.inject_fault("trez_rest", "latency", operation="GetCredit", count=25, latency=2)
    transport = GatedTransport(25)
    async with client(sandbox, transport) as http:
        calls = [asyncio.ensure_future(http.post(CREDIT)) for _ in range(30)]
        # Until every place is taken (polled, not slept: a loaded machine starts them late),
        # well before the held answers come back.
        deadline = time.monotonic() + 1.5
        while sum(p.in_flight for p in transport.pools) < 25 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

        assert [pool.in_flight for pool in transport.pools] == [10, 10, 5]
        assert not any(call.done() for call in calls)
        responses = await asyncio.gather(*calls)

    assert [r.json()["Code"] for r in responses] == [0] * 30
    assert [pool.in_flight for pool in transport.pools] == [0, 0, 0]


async def test_a_failed_request_gives_its_place_back(sandbox: Sandbox) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    # Nothing listens on that port now: each call fails to connect.
    transport = GatedTransport(1)
    async with client(sandbox, transport) as http:
        for _ in range(3):
            with pytest.raises(httpx.ConnectError):
                await http.post(f"{closed}{CREDIT}")
        # With a place lost, this would wait at the gate until the pool timeout.
        response = await http.post(CREDIT)
    assert response.json()["Code"] == 0


async def test_waiting_for_a_place_ends_with_the_pool_timeout(sandbox: Sandbox) -> None:
    transport = GatedTransport(1)
    async with client(sandbox, transport) as http, http.stream("POST", CREDIT) as streamed:
        with pytest.raises(httpx.PoolTimeout):
            await http.post(CREDIT, timeout=httpx.Timeout(5, pool=0.2))
        await streamed.aread()
    assert streamed.json()["Code"] == 0


async def test_a_streamed_response_holds_its_place_until_it_is_closed(sandbox: Sandbox) -> None:
    transport = GatedTransport(1)
    async with client(sandbox, transport) as http:
        async with http.stream("POST", CREDIT) as streamed:
            assert transport.pools[0].in_flight == 1  # held while the body is open
            waiting = asyncio.ensure_future(http.post(CREDIT))
            await asyncio.sleep(0.2)
            assert not waiting.done()  # the only place is the open stream's
            await streamed.aread()
        response = await waiting
    assert (streamed.json()["Code"], response.json()["Code"]) == (0, 0)
    assert transport.pools[0].in_flight == 0
