"""Fixtures for the sandbox tests: raw HTTP clients on the payamak.testing plugin's sandbox
(the plugin is enabled in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from payamak.sandbox import Sandbox
from tests.sandbox.pool import GatedTransport
from tests.sandbox.support import DEMO_AUTH, Rest


@pytest.fixture
def rest(sandbox: Sandbox) -> Iterator[Rest]:
    """A raw httpx client for trez_rest, logged in as the demo account, on a reset sandbox."""
    with httpx.Client(base_url=sandbox.base_url, auth=DEMO_AUTH, timeout=10) as client:
        yield Rest(client)


@pytest.fixture
async def async_http(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An async httpx client on the reset sandbox, logged in as the demo account.

    50 connections; requests past those wait at the gate rather than in httpcore's pool, whose
    queue stalls (see tests/sandbox/pool.py).
    """
    async with httpx.AsyncClient(
        base_url=sandbox.base_url, auth=DEMO_AUTH, timeout=30, transport=GatedTransport(50)
    ) as client:
        yield client
