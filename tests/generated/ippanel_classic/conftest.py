"""A real HTTP server on 127.0.0.1 (pytest-httpserver) that records each form it is sent, and
ippanel_classic clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen.ippanel_classic import AsyncIppanelClassicClient, IppanelClassicClient
from tests.generated.ippanel_classic.support import PASSWORD, USERNAME


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[IppanelClassicClient]:
    with IppanelClassicClient(USERNAME, PASSWORD, base_url=httpserver.url_for("/"), timeout=5) as c:
        yield c


@pytest.fixture
async def async_client(httpserver: HTTPServer) -> AsyncIterator[AsyncIppanelClassicClient]:
    async with AsyncIppanelClassicClient(
        USERNAME, PASSWORD, base_url=httpserver.url_for("/"), timeout=5
    ) as c:
        yield c
