"""Failover moves a send to the next provider only when the refusal proves nothing was sent."""

from __future__ import annotations

import inspect
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from payamak import (
    AsyncFailoverClient,
    SendOutcomeUnknownError,
    ValidationError,
)
from payamak.sandbox import Sandbox
from payamak_gen.errors import InsufficientCreditError, InvalidRequestError
from tests.facade.conftest import failover_of, make


@pytest.fixture
def closed_port() -> Iterator[str]:
    with socket.socket() as probe:  # bound, never listening: connections are refused
        probe.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{probe.getsockname()[1]}"


async def _await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def _failover(mode: str, sandbox: Sandbox, **first: Any) -> Any:
    clients = [make(mode, "trez_rest", sandbox, **first), make(mode, "trez_xml", sandbox)]
    inner = [facade.client for facade in clients]
    return failover_of(mode, inner)


async def _close(failover: Any) -> None:
    await _await(
        failover.aclose() if isinstance(failover, AsyncFailoverClient) else failover.close()
    )


def _providers(sandbox: Sandbox) -> list[str]:
    return [message["provider"] for message in sandbox.admin.messages()]


@pytest.mark.parametrize("code", [3003, 2001, 2002])  # no credit, line not the user's, no API
async def test_a_refusal_that_proves_nothing_was_sent_moves_on(
    mode: str, sandbox: Sandbox, code: int
) -> None:
    sandbox.admin.inject_fault("trez_rest", "error_code", operation="SendMessage", code=code)
    failover = await _failover(mode, sandbox)
    try:
        receipt = await _await(failover.send("09121234567", "x"))
        sandbox.admin.advance(30)
        reports = await _await(failover.status(receipt))
    finally:
        await _close(failover)

    assert receipt.provider == "trez_xml"
    assert _providers(sandbox) == ["trez_xml"]
    assert [(r.provider, r.state) for r in reports] == [("trez_xml", "delivered")]


async def test_a_refused_connection_or_password_moves_on(
    mode: str, sandbox: Sandbox, closed_port: str
) -> None:
    for first in ({"password": "wrong"}, {"username": "nobody"}):
        failover = await _failover(mode, sandbox, **first)
        try:
            receipt = await _await(failover.send_pairs([("09121234567", "x")]))
        finally:
            await _close(failover)
        assert receipt.provider == "trez_xml"
    failover = await _failover(mode, sandbox)
    failover.clients[0].raw.base_url = closed_port
    try:
        receipt = await _await(failover.send("09121234567", "x"))
    finally:
        await _close(failover)
    assert receipt.provider == "trez_xml"
    assert _providers(sandbox) == ["trez_xml"] * 3


@pytest.mark.parametrize("fault", ["truncate", "drop", "http_503"])
async def test_never_after_an_unknown_outcome(mode: str, sandbox: Sandbox, fault: str) -> None:
    sandbox.admin.inject_fault("trez_rest", fault, operation="SendMessage")
    failover = await _failover(mode, sandbox)
    try:
        with pytest.raises(SendOutcomeUnknownError):
            await _await(failover.send("09121234567", "x"))
    finally:
        await _close(failover)

    assert "trez_xml" not in _providers(sandbox)


async def test_never_for_a_refusal_of_the_input(mode: str, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_rest", "error_code", operation="SendMessage", code=1003)
    failover = await _failover(mode, sandbox)
    try:
        with pytest.raises(InvalidRequestError):
            await _await(failover.send("09121234567", "x"))
        with pytest.raises(ValidationError):
            await _await(failover.send("0912", "x"))
    finally:
        await _close(failover)

    assert _providers(sandbox) == []


async def test_when_every_provider_refuses_the_last_refusal_is_raised(
    mode: str, sandbox: Sandbox
) -> None:
    sandbox.admin.set_credit("demo", 0)
    failover = await _failover(mode, sandbox)
    try:
        with pytest.raises(InsufficientCreditError) as caught:
            await _await(failover.send("09121234567", "x"))
    finally:
        await _close(failover)

    assert caught.value.provider == "trez_xml"
    assert _providers(sandbox) == []


async def _chain(mode: str, sandbox: Sandbox, providers: list[str]) -> Any:
    inner = [make(mode, provider, sandbox).client for provider in providers]
    return failover_of(mode, inner)


# payamak_panel SendSms codes that prove nothing went out: wrong password, no credit, a line
# not allowed, a user not active (errors.yaml kinds authentication, insufficient_credit,
# permission).
@pytest.mark.parametrize("code", [0, 2, 5, 10])
async def test_a_payamak_panel_refusal_moves_on(mode: str, sandbox: Sandbox, code: int) -> None:
    sandbox.admin.inject_fault("payamak_panel", "error_code", operation="SendSms", code=code)
    failover = await _chain(mode, sandbox, ["payamak_panel", "trez_rest"])
    try:
        receipt = await _await(failover.send_pairs([("09121234567", "x")]))
    finally:
        await _close(failover)

    assert receipt.provider == "trez_rest"
    assert _providers(sandbox) == ["trez_rest"]


@pytest.mark.parametrize(("fault", "code"), [("drop", None), ("truncate", None), ("error_code", 6)])
async def test_never_after_an_unknown_payamak_panel_outcome(
    mode: str, sandbox: Sandbox, fault: str, code: int | None
) -> None:
    # 6: "queued, or the system is being updated": errors.yaml's outcome unknown.
    sandbox.admin.inject_fault("payamak_panel", fault, operation="SendSms", code=code)
    failover = await _chain(mode, sandbox, ["payamak_panel", "trez_rest"])
    try:
        with pytest.raises(SendOutcomeUnknownError) as caught:
            await _await(failover.send("09121234567", "x", reference="panel-1"))
    finally:
        await _close(failover)

    assert (caught.value.provider, caught.value.reference) == ("payamak_panel", "panel-1")
    assert "trez_rest" not in _providers(sandbox)


async def test_never_for_a_payamak_panel_refusal_of_the_text(mode: str, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("payamak_panel", "error_code", operation="SendSms", code=7)
    failover = await _chain(mode, sandbox, ["payamak_panel", "trez_xml"])
    try:
        with pytest.raises(InvalidRequestError):
            await _await(failover.send("09121234567", "x"))
    finally:
        await _close(failover)

    assert _providers(sandbox) == []


async def test_payamak_panel_takes_over_and_reports_status(mode: str, sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_rest", "error_code", operation="SendMessage", code=3003)
    failover = await _chain(mode, sandbox, ["trez_rest", "payamak_panel"])
    try:
        receipt = await _await(failover.send(["09121234567", "09351234567"], "x"))
        sandbox.admin.advance(30)
        reports = await _await(failover.status(receipt))
    finally:
        await _close(failover)

    assert receipt.provider == "payamak_panel"
    assert _providers(sandbox) == ["payamak_panel"] * 2
    assert [(r.provider, r.recipient, r.state) for r in reports] == [
        ("payamak_panel", "+989121234567", "delivered"),
        ("payamak_panel", "+989351234567", "delivered"),
    ]
