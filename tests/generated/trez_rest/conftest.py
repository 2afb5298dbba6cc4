"""A real HTTP server on 127.0.0.1 (pytest-httpserver) and clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen.trez_rest import AsyncTrezRestClient, TrezRestClient
from tests.generated.trez_rest.support import PASSWORD, USERNAME


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[TrezRestClient]:
    with TrezRestClient(USERNAME, PASSWORD, base_url=httpserver.url_for("/"), timeout=5) as c:
        yield c


@pytest.fixture
async def async_client(httpserver: HTTPServer) -> AsyncIterator[AsyncTrezRestClient]:
    async with AsyncTrezRestClient(
        USERNAME, PASSWORD, base_url=httpserver.url_for("/"), timeout=5
    ) as c:
        yield c
