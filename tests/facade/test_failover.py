"""Failover moves a send to the next provider only when the refusal proves nothing was sent."""

from __future__ import annotations

import inspect
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from payamak import (
    AsyncFailoverClient,
    FailoverClient,
    SendOutcomeUnknownError,
    ValidationError,
)
from payamak.sandbox import Sandbox
from payamak_gen.errors import InsufficientCreditError, InvalidRequestError
from tests.facade.conftest import make


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
    return AsyncFailoverClient(inner) if mode == "async" else FailoverClient(inner)  # type: ignore[arg-type]


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
