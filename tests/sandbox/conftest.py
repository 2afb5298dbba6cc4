"""Fixtures for the sandbox tests: the payamak.testing plugin's fixtures and raw HTTP clients.

The plugin's fixtures are imported rather than enabled with `pytest_plugins`, which pytest only
allows in the root conftest (and there is none to put it in).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from payamak.sandbox import Sandbox
from payamak.testing import sandbox, sandbox_admin, sandbox_server
from tests.sandbox.support import DEMO_AUTH, Rest

__all__ = ["async_http", "rest", "sandbox", "sandbox_admin", "sandbox_server"]


@pytest.fixture
def rest(sandbox: Sandbox) -> Iterator[Rest]:
    """A raw httpx client for trez_rest, logged in as the demo account, on a reset sandbox."""
    with httpx.Client(base_url=sandbox.base_url, auth=DEMO_AUTH, timeout=10) as client:
        yield Rest(client)


@pytest.fixture
async def async_http(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An async httpx client on the reset sandbox, logged in as the demo account."""
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    async with httpx.AsyncClient(
        base_url=sandbox.base_url, auth=DEMO_AUTH, timeout=30, limits=limits
    ) as client:
        yield client
