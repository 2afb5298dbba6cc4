"""Fixtures of the facade suite: every test runs per provider, and through both ``Client`` and
``AsyncClient`` (the ``facade`` fixture gives one awaitable surface over either), against the
sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import pytest

from payamak import AsyncClient, Client, RetryPolicy
from payamak._adapters import ADAPTERS
from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox

PROVIDERS = sorted(ADAPTERS)
# No waiting between read attempts: the tests count attempts, not seconds.
NO_WAIT = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)


class Facade:
    """``Client`` or ``AsyncClient`` behind one async surface, so a test is written once.

    Attributes:
        client: The client under test.
        mode: ``sync`` or ``async``.
    """

    def __init__(self, client: Client | AsyncClient) -> None:
        self.client = client
        self.mode = "async" if isinstance(client, AsyncClient) else "sync"
        self.provider = client.provider

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, name)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    async def send(self, *args: Any, **kwargs: Any) -> Any:
        return await self._call("send", *args, **kwargs)

    async def send_pairs(self, *args: Any, **kwargs: Any) -> Any:
        return await self._call("send_pairs", *args, **kwargs)

    async def status(self, *args: Any, **kwargs: Any) -> Any:
        return await self._call("status", *args, **kwargs)

    async def credit(self) -> Any:
        return await self._call("credit")

    async def inbox(self, *args: Any, **kwargs: Any) -> list[Any]:
        messages = self.client.inbox(*args, **kwargs)
        if isinstance(self.client, AsyncClient):
            return [message async for message in messages]  # type: ignore[union-attr]
        return list(messages)  # type: ignore[arg-type]

    async def close(self) -> None:
        if isinstance(self.client, AsyncClient):
            await self.client.aclose()
        else:
            self.client.close()


def make(
    mode: str,
    provider: str,
    sandbox: Sandbox,
    *,
    username: str = DEMO_USERNAME,
    password: str = DEMO_PASSWORD,
    retry: RetryPolicy = NO_WAIT,
    line: str | None = DEMO_LINE,
    timeout: float = 10.0,
) -> Facade:
    """A facade client of ``provider`` on the sandbox."""
    factory = AsyncClient if mode == "async" else Client
    return Facade(
        factory(
            provider,
            username=username,
            password=password,
            line=line,
            base_url=sandbox.base_url,
            retry=retry,
            timeout=timeout,
        )
    )


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
async def facade(mode: str, provider: str, sandbox: Sandbox) -> AsyncIterator[Facade]:
    """A client of ``provider`` on the freshly reset sandbox, sync or async."""
    client = make(mode, provider, sandbox)
    yield client
    await client.close()


def sandbox_now(sandbox: Sandbox) -> datetime:
    """The sandbox's (frozen) clock as an aware datetime."""
    return datetime.fromtimestamp(sandbox.admin.now(), timezone.utc)


WIRE_OPERATIONS: dict[str, dict[str, str]] = {
    "payamak_panel": {
        "send": "SendSms",
        "send_pairs": "SendSms",
        "status": "GetDelivery",
        "credit": "GetCredit",
        # The inbox's first page (the unread list; the read list is the second).
        "inbox": "GetReceiveSMSIsNotReadList",
    },
    "trez_rest": {
        "send": "SendMessage",
        "send_pairs": "SendCorrespondingMessage",
        "status": "GroupMessageStatus",
        "credit": "GetCredit",
        "inbox": "ReceiveMessages",
    },
    "trez_xml": {
        "send": "sendmessage",
        "send_pairs": "sendmessage",
        "status": "status",
        "credit": "credit",
        "inbox": "recivemessage",
    },
}
"""The sandbox's operation name of each facade operation (written out, to arm faults)."""

PER_RECIPIENT = frozenset({"payamak_panel"})
"""Providers whose sends answer per recipient (an id each, no group id): their receipts fill
``message_ids`` and their status is asked id by id."""


def request_sizes(sandbox: Sandbox) -> list[int]:
    """How many messages each send request stored, in order: the sandbox files every request's
    messages under one group of its own, whatever the provider calls it."""
    sizes: dict[object, int] = {}
    for message in sandbox.admin.messages():
        sizes[message["group_id"]] = sizes.get(message["group_id"], 0) + 1
    return list(sizes.values())
