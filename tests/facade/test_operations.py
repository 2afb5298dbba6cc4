"""Every facade operation against the sandbox, per provider, through Client and AsyncClient."""

from __future__ import annotations

import dataclasses
import inspect
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import payamak
from payamak import (
    AsyncClient,
    Client,
    PayamakError,
    SendOutcomeUnknownError,
    UnsupportedOperationError,
)
from payamak._adapters import ADAPTERS
from payamak.sandbox import DEMO_BLACKLISTED, DEMO_FILTERED_WORD, DEMO_LINE, Sandbox
from payamak_gen.errors import ApiError
from tests.facade.conftest import PROFILES, Facade, needs, sandbox_now

OPERATIONS = ("send", "send_pairs", "schedule", "status", "credit", "inbox")


async def test_send_then_status_follows_delivery(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send", "status")
    profile = PROFILES[facade.provider]
    receipt = await facade.send(
        ["۰۹۱۲ ۱۲۳ ۴۵۶۷", "+98 (935) 123-4567", DEMO_BLACKLISTED, "09121234999"], "سلام"
    )

    assert isinstance(receipt, payamak.SendReceipt)
    assert receipt.provider == facade.provider
    everyone = ("+989121234567", "+989351234567", "+989120000000", "+989121234999")
    if profile.refuses_blacklisted:
        # The panel says per recipient whether it went out: not to a blacklisted number.
        assert receipt.accepted == ("+989121234567", "+989351234567", "+989121234999")
        assert receipt.rejected == ("+989120000000",)
    else:
        assert receipt.accepted == everyone
        assert receipt.rejected == ()
    if profile.send_per_recipient:
        assert receipt.group_ids == ()
        assert set(receipt.message_ids) == set(everyone)  # each id, to ask its status
    else:
        assert len(receipt.group_ids) == 1
    assert receipt.reference.isdigit()  # generated: the providers' examples are numeric
    # What reached the sandbox is each number in the provider's form, once.
    assert sorted(m["mobile"][-10:] for m in sandbox.admin.messages()) == sorted(
        n[-10:] for n in everyone
    )

    now = {r.recipient: r.state for r in await facade.status(receipt)}
    assert now["+989121234567"] == now["+989351234567"] == "queued"

    sandbox.admin.advance(30)
    later = {r.recipient: r for r in await facade.status(receipt)}
    assert {k: r.state for k, r in later.items()} == {
        "+989121234567": "delivered",
        "+989351234567": "delivered",
        "+989120000000": "blacklisted",
        "+989121234999": "failed",
    }
    assert later["+989121234567"].code is not None
    assert later["+989121234567"].final
    assert all(isinstance(r, payamak.DeliveryReport) for r in later.values())
    if profile.send_per_recipient:
        assert {r.message_id for r in later.values()} == set(receipt.message_ids.values())
    else:
        assert {r.group_id for r in later.values()} == set(receipt.group_ids)


async def test_status_by_group_id_alone(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send", "status")
    receipt = await facade.send("09121234567", "hello")
    sandbox.admin.advance(30)
    if not PROFILES[facade.provider].status_by_group:
        with pytest.raises(UnsupportedOperationError, match="does not support status by group"):
            await facade.status(group_id="2001")
        return

    (report,) = await facade.status(group_id=receipt.group_ids[0])

    assert (report.recipient, report.state) == ("+989121234567", "delivered")


async def test_a_filtered_text_reports_filtered(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send", "status")
    filtered = PROFILES[facade.provider].filtered
    if isinstance(filtered, int):
        # Refused at once, instead of reported later (payamak_panel: SendSms code 7;
        # advanced_ws: -3, a send error whose outcome errors.yaml calls unknown).
        with pytest.raises(PayamakError) as caught:
            await facade.send(["09121234567"], f"a {DEMO_FILTERED_WORD} b")
        error = caught.value
        api_error = error.__cause__ if isinstance(error, SendOutcomeUnknownError) else error
        assert isinstance(api_error, ApiError)
        assert api_error.code == filtered
        assert sandbox.admin.messages() == []
        return
    receipt = await facade.send(["09121234567", "09351234567"], f"a {DEMO_FILTERED_WORD} b")
    sandbox.admin.advance(30)

    reports = await facade.status(receipt)

    assert [(r.recipient, r.state) for r in reports] == [
        ("+989121234567", filtered),
        ("+989351234567", filtered),
    ]


async def test_scheduled_send_waits_queued(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send", "schedule", "status")
    at = sandbox_now(sandbox) + timedelta(hours=2)

    receipt = await facade.send("09121234567", "later", at=at, reference="order-77")
    sandbox.admin.advance(60)

    assert receipt.reference == "order-77"
    assert {r.state for r in await facade.status(receipt)} == {"queued"}
    sandbox.admin.advance(3 * 3600)
    assert {r.state for r in await facade.status(receipt)} == {"delivered"}


async def test_send_pairs_and_status_by_receipt_and_ids(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send_pairs", "status")
    profile = PROFILES[facade.provider]
    receipt = await facade.send_pairs(
        [("09121234567", "سفارش ۱۲"), ("9351234567", "order 13")], reference="pairs-1"
    )

    assert receipt.accepted == ("+989121234567", "+989351234567")
    if profile.pairs_per_recipient:
        assert set(receipt.message_ids) == set(receipt.accepted)
    else:
        # One request per text, each a group of its own.
        assert list(receipt.groups.values()) == [("+989121234567",), ("+989351234567",)]
    texts = {m["mobile"][-10:]: m["text"] for m in sandbox.admin.messages()}
    assert texts == {"9121234567": "سفارش ۱۲", "9351234567": "order 13"}

    sandbox.admin.advance(30)
    by_receipt = await facade.status(receipt)
    assert [(r.recipient, r.state) for r in by_receipt] == [
        ("+989121234567", "delivered"),
        ("+989351234567", "delivered"),
    ]
    if not profile.pairs_per_recipient:
        return
    ids = list(receipt.message_ids.values())
    by_ids = await facade.status(ids)
    assert [(r.message_id, r.state, r.recipient) for r in by_ids] == [
        (ids[0], "delivered", None),
        (ids[1], "delivered", None),
    ]


async def test_status_of_an_id_the_provider_does_not_list_is_unknown(facade: Facade) -> None:
    needs(facade.provider, "status")
    profile = PROFILES[facade.provider]
    if not profile.status_by_id:
        with pytest.raises(UnsupportedOperationError, match="does not support status by message"):
            await facade.status("999999")
        return

    if isinstance(profile.unknown_id, type):
        # advanced_ws: an id that is not the account's makes the request -3.
        with pytest.raises(profile.unknown_id):
            await facade.status("999999")
        return

    (report,) = await facade.status("999999")

    assert (report.state, report.code, report.final) == profile.unknown_id
    assert report.message_id == "999999"


async def test_credit_is_whole_rials_and_pays_for_sends(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send", "credit")
    before = await facade.credit()
    await facade.send(["09121234567", "09351234567"], "x")
    after = await facade.credit()

    assert before == payamak.Balance(facade.provider, 1_000_000)
    spent = sum(m["price"] for m in sandbox.admin.messages())
    assert spent > 0
    assert after.rials == before.rials - spent


async def test_inbox_pages_by_itself(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "inbox")
    start = sandbox_now(sandbox)
    for index in range(120):  # three pages of 50
        sandbox.admin.inject_inbound(DEMO_LINE, "09121234567", f"message {index}", username="demo")
        sandbox.admin.advance(1)
    end = sandbox_now(sandbox)

    messages = await facade.inbox(start, end)

    assert len(messages) == 120
    assert {m.text for m in messages} == {f"message {i}" for i in range(120)}
    assert {m.sender for m in messages} == {"+989121234567"}
    assert all(isinstance(m, payamak.InboundMessage) for m in messages)
    assert all(m.received_at is not None and m.received_at.tzinfo for m in messages)


async def test_an_open_inbox_window_includes_the_current_second(
    facade: Facade, sandbox: Sandbox
) -> None:
    """With no ``until`` the window ends now; the wires carry whole seconds, so a message
    received earlier within this very second is still listed."""
    needs(facade.provider, "inbox")
    # Early in a second, so that the request below leaves within the same second.
    while not 0.05 < time.time() % 1 < 0.3:
        time.sleep(0.01)
    received = time.time()
    sandbox.admin.inject_inbound(
        DEMO_LINE, "09121234567", "just now", username="demo", received_at=received
    )

    messages = await facade.inbox(datetime.fromtimestamp(received - 60, timezone.utc))

    assert [m.text for m in messages if m.text == "just now"] == ["just now"]


async def test_an_empty_inbox_is_no_messages(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "inbox")
    now = sandbox_now(sandbox)

    assert await facade.inbox(now + timedelta(days=1), now + timedelta(days=2)) == []


async def test_capabilities_and_raw(facade: Facade) -> None:
    capabilities = facade.client.capabilities

    assert isinstance(capabilities, payamak.Capabilities)
    assert capabilities.send
    assert capabilities.max_recipients == PROFILES[facade.provider].max_recipients
    sync, asynchronous = PROFILES[facade.provider].raw
    assert isinstance(facade.client.raw, asynchronous if facade.mode == "async" else sync)
    with pytest.raises(dataclasses.FrozenInstanceError):
        capabilities.send = False  # type: ignore[misc]  # a frozen field: the runtime is tested


def test_every_registered_provider_has_a_profile() -> None:
    # A provider joins the suite by its registration and one entry of conftest.PROFILES.
    assert sorted(PROFILES) == sorted(ADAPTERS)


async def test_an_operation_the_provider_lacks_raises_naming_it(
    facade: Facade, sandbox: Sandbox
) -> None:
    capabilities = facade.client.capabilities
    now = sandbox_now(sandbox)
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "send": lambda: facade.send("09121234567", "x"),
        "schedule": lambda: facade.send("09121234567", "x", at=now + timedelta(hours=1)),
        "send_pairs": lambda: facade.send_pairs([("09121234567", "x")]),
        "status": lambda: facade.status(group_id="1"),
        "credit": lambda: facade.credit(),
        "inbox": lambda: facade.inbox(now - timedelta(days=1), now),
    }
    lacking = [name for name in OPERATIONS if not getattr(capabilities, name)]
    if not lacking:
        pytest.skip(f"{facade.provider} supports every facade operation")
    for name in lacking:
        with pytest.raises(UnsupportedOperationError) as caught:
            await calls[name]()
        assert caught.value.provider == facade.provider
        assert f"{facade.provider} does not support {name}" in str(caught.value)
    assert sandbox.admin.messages() == []


def test_client_and_async_client_have_the_same_methods() -> None:
    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            name: inspect.signature(member)
            for name, member in vars(cls).items()
            if not name.startswith("_") and callable(member)
        }

    sync, asynchronous = public(Client), public(AsyncClient)
    # close / aclose differ by design (httpx's names).
    sync.pop("close")
    asynchronous.pop("aclose")
    assert sync.keys() == asynchronous.keys()
    for name, signature in sync.items():
        assert signature.parameters.keys() == asynchronous[name].parameters.keys(), name
    for name in ("send", "send_pairs", "status", "credit"):
        assert inspect.iscoroutinefunction(getattr(AsyncClient, name))
        assert not inspect.iscoroutinefunction(getattr(Client, name))


async def test_results_are_frozen(facade: Facade) -> None:
    needs(facade.provider, "send")
    receipt = await facade.send("09121234567", "x")
    assert isinstance(receipt, payamak.SendReceipt)

    # Each write is refused by the type checker as by the runtime: the runtime is under test.
    with pytest.raises(dataclasses.FrozenInstanceError):
        receipt.reference = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        receipt.groups["x"] = ()  # type: ignore[index]
