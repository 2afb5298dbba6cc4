"""Fixtures of the facade suite: every test runs per provider, and through both ``Client`` and
``AsyncClient`` (the ``facade`` fixture gives one awaitable surface over either), against the
sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest

from payamak import (
    AsyncClient,
    AsyncFailoverClient,
    Client,
    FailoverClient,
    RetryPolicy,
    SendOutcomeUnknownError,
)
from payamak._adapters import ADAPTERS
from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from payamak_gen.advanced_ws import AdvancedWsClient, AsyncAdvancedWsClient
from payamak_gen.errors import InsufficientCreditError, ServerError
from payamak_gen.ippanel_classic import AsyncIppanelClassicClient, IppanelClassicClient
from payamak_gen.payamak_panel import AsyncPayamakPanelClient, PayamakPanelClient
from payamak_gen.trez_rest import AsyncTrezRestClient, TrezRestClient
from payamak_gen.trez_xml import AsyncTrezXmlClient, TrezXmlClient

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
        if isinstance(self.client, AsyncClient):
            return [message async for message in self.client.inbox(*args, **kwargs)]
        return list(self.client.inbox(*args, **kwargs))

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


def failover_of(
    mode: str, clients: Sequence[Client | AsyncClient]
) -> FailoverClient | AsyncFailoverClient:
    """A failover client of ``mode`` over ``clients``, each of which is of that mode."""
    if mode == "async":
        async_clients = [client for client in clients if isinstance(client, AsyncClient)]
        assert len(async_clients) == len(clients), clients
        return AsyncFailoverClient(async_clients)
    sync_clients = [client for client in clients if isinstance(client, Client)]
    assert len(sync_clients) == len(clients), clients
    return FailoverClient(sync_clients)


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


@dataclass(frozen=True)
class Profile:
    """What the facade suite expects of one provider, written out from its provider note and
    adapter docstring (not read from the adapter under test). A provider joins the suite with
    its adapter's registration and one entry of ``PROFILES``; tests of an operation it lacks
    are skipped by its ``capabilities``.

    Attributes:
        wire: The sandbox's operation name of each facade operation (to arm faults).
        raw: The generated client classes ``client.raw`` is, sync and async.
        max_recipients: Recipients per request.
        text_limit: ``(unit, limit)`` the facade checks before sending, if any.
        send_per_recipient: A send answers per recipient (message ids, no group id).
        pairs_per_recipient: ``send_pairs`` answers per recipient (message ids).
        status_by_group: ``status(group_id=...)`` works.
        status_by_id: ``status(ids)`` works.
        refuses_blacklisted: The send itself refuses the sandbox's blacklisted number (it is
            in ``rejected``), rather than reporting it later.
        filtered: How a filtered text shows: the send's refusal code, or the state it is
            reported in.
        unknown_id: ``(state, code, final)`` of an id the provider does not know, or the
            error class asking for it raises.
        no_credit: The error class a send raises when the account has no credit.
    """

    wire: Mapping[str, str]
    raw: tuple[type, type]
    max_recipients: int
    text_limit: tuple[str, int] | None = None
    send_per_recipient: bool = False
    pairs_per_recipient: bool = True
    status_by_group: bool = True
    status_by_id: bool = True
    refuses_blacklisted: bool = False
    filtered: int | str = "filtered"
    unknown_id: tuple[str, int | None, bool] | type[Exception] = ("unknown", None, False)
    no_credit: type[Exception] = InsufficientCreditError


PROFILES: dict[str, Profile] = {
    "advanced_ws": Profile(
        wire={
            "send": "SendSMS",
            "send_pairs": "SendMultipleSMS",
            "status": "GetStatus",
            "credit": "GetCredit",
            "inbox": "GetMsg",
        },
        raw=(AdvancedWsClient, AsyncAdvancedWsClient),
        max_recipients=60,  # errors.yaml -2: "more than 60 numbers in one request"
        send_per_recipient=True,  # an id per distinct number, no group id
        status_by_group=False,
        # -3, "send error" (a server error, outcome unknown), for a filtered word, no credit and
        # a status asked of an id that is not the account's alike.
        filtered=-3,
        unknown_id=ServerError,
        no_credit=SendOutcomeUnknownError,
    ),
    "ippanel_classic": Profile(
        wire={
            "send": "send",
            "send_pairs": "send",
            "status": "delivery",
            "credit": "credit",
            "inbox": "inboxlist",
        },
        raw=(IppanelClassicClient, AsyncIppanelClassicClient),
        max_recipients=100,  # the facade's choice: the manual gives none (adapter docstring)
        pairs_per_recipient=False,  # a bulk id per text, no per-number ids
        status_by_id=False,
        # delivery's "discarded" (blacklisted) is the family's word for a filtered text too.
        filtered="blacklisted",
    ),
    "payamak_panel": Profile(
        wire={
            "send": "SendSms",
            "send_pairs": "SendSms",
            "status": "GetDelivery",
            "credit": "GetCredit",
            # The inbox's first page (the unread list; the read list is the second).
            "inbox": "GetReceiveSMSIsNotReadList",
        },
        raw=(PayamakPanelClient, AsyncPayamakPanelClient),
        max_recipients=100,  # the vendor family's 100 per SendSMS
        send_per_recipient=True,
        status_by_group=False,
        refuses_blacklisted=True,
        filtered=7,  # SendSms refuses it at once instead of reporting it later
        # GetDelivery answers every id with a code: 100, "unknown", which errors.yaml files
        # under pending (queued), not final.
        unknown_id=("queued", 100, False),
    ),
    "trez_rest": Profile(
        wire={
            "send": "SendMessage",
            "send_pairs": "SendCorrespondingMessage",
            "status": "GroupMessageStatus",
            "credit": "GetCredit",
            "inbox": "ReceiveMessages",
        },
        raw=(TrezRestClient, AsyncTrezRestClient),
        max_recipients=50_000,
        text_limit=("parts", 10),
    ),
    "trez_xml": Profile(
        wire={
            "send": "sendmessage",
            "send_pairs": "sendmessage",
            "status": "status",
            "credit": "credit",
            "inbox": "recivemessage",
        },
        raw=(TrezXmlClient, AsyncTrezXmlClient),
        max_recipients=50_000,
        text_limit=("characters", 640),
    ),
}
"""Per provider, what the suite expects of it."""

WIRE_OPERATIONS: dict[str, Mapping[str, str]] = {name: p.wire for name, p in PROFILES.items()}
"""The sandbox's operation name of each facade operation (written out, to arm faults)."""

PER_RECIPIENT = frozenset(name for name, p in PROFILES.items() if p.send_per_recipient)
"""Providers whose sends answer per recipient (an id each, no group id): their receipts fill
``message_ids`` and their status is asked id by id."""


def needs(provider: str, *operations: str) -> None:
    """Skips the test unless the provider's ``capabilities`` claim every one of ``operations``
    (a test that the missing ones raise ``UnsupportedOperationError`` is in test_operations)."""
    capabilities = ADAPTERS[provider].capabilities
    missing = [op for op in operations if not getattr(capabilities, op)]
    if missing:
        pytest.skip(f"{provider} does not support {', '.join(missing)}")


def request_sizes(sandbox: Sandbox) -> list[int]:
    """How many messages each send request stored, in order: the sandbox files every request's
    messages under one group of its own, whatever the provider calls it."""
    sizes: dict[object, int] = {}
    for message in sandbox.admin.messages():
        sizes[message["group_id"]] = sizes.get(message["group_id"], 0) + 1
    return list(sizes.values())
