"""A real HTTP server on 127.0.0.1 (pytest-httpserver) and clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen.trez_xml import AsyncTrezXmlClient, TrezXmlClient
from tests.generated.trez_xml.support import NUMBER, PASSWORD, USERNAME


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[TrezXmlClient]:
    base_url = httpserver.url_for("/")
    with TrezXmlClient(USERNAME, PASSWORD, NUMBER, base_url=base_url, timeout=5) as c:
        yield c


@pytest.fixture
async def async_client(httpserver: HTTPServer) -> AsyncIterator[AsyncTrezXmlClient]:
    base_url = httpserver.url_for("/")
    async with AsyncTrezXmlClient(USERNAME, PASSWORD, NUMBER, base_url=base_url, timeout=5) as c:
        yield c
