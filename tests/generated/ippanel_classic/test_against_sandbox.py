"""The generated ippanel_classic clients against the sandbox, sync and async: every one of the
seventeen operations, each result read back against the sandbox's own state (messages sent and
charged, delivery moving with the sandbox clock, the inbox, a new account that can log in)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import pytest

from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from payamak_gen import errors
from payamak_gen.ippanel_classic import AsyncIppanelClassicClient, IppanelClassicClient

T = TypeVar("T")
MOBILE = "09121234567"


async def _done(value: T | Awaitable[T]) -> T:
    """A sync client's result, or an async client's once awaited: one test body for both."""
    if inspect.isawaitable(value):
        return await value
    return value


def _client(mode: str, sandbox: Sandbox, password: str = DEMO_PASSWORD) -> Any:
    factory = AsyncIppanelClassicClient if mode == "async" else IppanelClassicClient
    return factory(DEMO_USERNAME, password, base_url=sandbox.base_url)


async def _close(client: Any) -> None:
    if isinstance(client, IppanelClassicClient):
        client.close()
    else:
        await client.aclose()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_sends_status_and_credit(mode: str, sandbox: Sandbox) -> None:
    client = _client(mode, sandbox)
    try:
        before = await _done(client.get_credit())
        bulk = await _done(
            client.send(sender=DEMO_LINE, message="سلام", to=[MOBILE, "09351234567"])
        )
        sent = sandbox.admin.messages(provider="ippanel_classic")
        assert bulk == sent[0]["id"]
        assert await _done(client.get_credit()) == before - sum(m["price"] for m in sent)
        report = await _done(client.delivery(bulk_id=bulk))
        assert [(r.number, r.state) for r in report] == [
            ("+989121234567", "queued"),
            ("+989351234567", "queued"),
        ]
        sandbox.admin.advance(30)
        report = await _done(client.delivery(bulk_id=bulk))
        assert {r.state for r in report} == {"delivered"}
        check = await _done(client.check_message(bulk_id=bulk))
        assert (check.status.code, check.approval.code) == ("Finish", "approve")
        with pytest.raises(errors.NotFoundError):
            await _done(client.delivery(bulk_id=1))
        with pytest.raises(errors.NotFoundError):
            await _done(client.check_message(bulk_id=1))
        social = await _done(
            client.send_social(sender=DEMO_LINE, message="m", to=[MOBILE], network="viber")
        )
        assert social.startswith("viber ")
    finally:
        await _close(client)


async def test_a_scheduled_send_waits_for_its_time(mode: str, sandbox: Sandbox) -> None:
    client = _client(mode, sandbox)
    try:
        now = datetime.fromtimestamp(sandbox.admin.now(), timezone.utc)
        bulk = await _done(
            client.send(
                sender=DEMO_LINE, message="m", to=[MOBILE], send_at=now + timedelta(hours=2)
            )
        )
        sandbox.admin.advance(3600)
        assert [r.state for r in await _done(client.delivery(bulk_id=bulk))] == ["queued"]
        sandbox.admin.advance(3600 + 30)
        assert [r.state for r in await _done(client.delivery(bulk_id=bulk))] == ["delivered"]
    finally:
        await _close(client)


async def test_lists_and_list_sends(mode: str, sandbox: Sandbox) -> None:
    client = _client(mode, sandbox)
    try:
        books = await _done(client.book_list())
        book_bulk = await _done(
            client.book_send(sender=DEMO_LINE, message="m", book_ids=[b.id for b in books])
        )
        jobs = await _done(client.jobs_list())
        trends = await _done(client.jobs_trend_list(job_id=jobs[0].id))
        ids = [t.id for t in trends]
        count = await _done(client.jobs_count(trend_ids=ids))
        jobs_bulk = await _done(
            client.jobs_send(sender=DEMO_LINE, message="m", trend_ids=ids, job_id=jobs[0].id)
        )
        areas = await _done(client.postal_code_area())
        postal = {"operator": "mtn", "gender": 0, "postalcode": "1591634311"}
        postal_count = await _done(client.postal_code_count(**postal))
        postal_bulk = await _done(client.postal_code_send(sender=DEMO_LINE, message="m", **postal))
        sent = sandbox.admin.messages(provider="ippanel_classic")
        by_group: dict[str | None, int] = {}
        for message in sent:
            by_group[message["group_id"]] = by_group.get(message["group_id"], 0) + 1
        firsts = {m["group_id"]: m["id"] for m in reversed(sent)}
        sizes = {firsts[group]: size for group, size in by_group.items()}
        assert sizes == {book_bulk: 5, jobs_bulk: count, postal_bulk: postal_count}
        assert len(areas) == 3
        assert [m["mobile"][:4] for m in sent if m["id"] >= postal_bulk] == ["0935"] * postal_count
    finally:
        await _close(client)


async def test_inbox_and_new_user(mode: str, sandbox: Sandbox) -> None:
    client = _client(mode, sandbox)
    try:
        sandbox.admin.inject_inbound(DEMO_LINE, MOBILE, "ممنون", username=DEMO_USERNAME)
        now = datetime.fromtimestamp(sandbox.admin.now(), timezone.utc)
        inbox = await _done(client.inbox_list())
        newest = inbox[-1]
        assert (newest.number, newest.to, newest.message) == (MOBILE, DEMO_LINE, "ممنون")
        assert abs((newest.time - now).total_seconds()) < 1
        levels = await _done(client.access_list())
        await _done(
            client.new_user(
                user_name=f"sub_{mode}",
                user_pass="pw",
                name="n",
                company="c",
                national_id="0012345678",
                certificate_id="1",
                access_id=levels[-1].id,
                tell="02112345678",
                mobile="09121111111",
                postalcode="1",
                email="a@b.c",
                address="x",
            )
        )
        assert any(a["username"] == f"sub_{mode}" for a in sandbox.admin.accounts())
        with pytest.raises(errors.InvalidRequestError) as caught:
            await _done(
                client.new_user(
                    user_name=f"sub_{mode}",
                    user_pass="pw",
                    name="n",
                    company="c",
                    national_id="0012345678",
                    certificate_id="1",
                    access_id=levels[-1].id,
                    tell="02112345678",
                    mobile="09121111111",
                    postalcode="1",
                    email="a@b.c",
                    address="x",
                )
            )
        assert caught.value.code == 304
    finally:
        await _close(client)


async def test_wrong_password(mode: str, sandbox: Sandbox) -> None:
    client = _client(mode, sandbox, password="wrong")
    try:
        with pytest.raises(errors.AuthenticationError) as on_credit:
            await _done(client.get_credit())
        with pytest.raises(errors.AuthenticationError) as on_delivery:
            await _done(client.delivery(bulk_id=1))  # answered as plain text
        assert on_credit.value.code == on_delivery.value.code == 962
    finally:
        await _close(client)


def test_every_operation_is_exercised_here() -> None:
    module = inspect.getmodule(test_every_operation_is_exercised_here)
    assert module is not None
    source = inspect.getsource(module)
    methods = [
        name
        for name, value in vars(IppanelClassicClient).items()
        if callable(value) and not name.startswith("_")
    ]
    assert len(methods) == 17
    assert [m for m in methods if f"client.{m}(" not in source] == []
