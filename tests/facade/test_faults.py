"""Lost answers to sends are unknown outcomes and never retried; reads are retried."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from payamak import PayamakError, RetryPolicy, SendOutcomeUnknownError
from payamak.sandbox import Sandbox
from payamak_gen.errors import HttpStatusError, PayamakGenError, TransportError
from tests.facade.conftest import PROFILES, WIRE_OPERATIONS, Facade, make, needs, sandbox_now

# fault -> how many messages the sandbox keeps: a truncated answer comes after the work.
LOST = {"truncate": 1, "drop": 0, "http_503": 0}


@pytest.mark.parametrize("fault", sorted(LOST))
async def test_a_lost_answer_to_a_send_is_an_unknown_outcome_never_retried(
    facade: Facade, sandbox: Sandbox, fault: str
) -> None:
    needs(facade.provider, "send")
    operation = WIRE_OPERATIONS[facade.provider]["send"]
    # Armed for two calls: a retry would meet the fault again, and leave it armed otherwise.
    sandbox.admin.inject_fault(facade.provider, fault, operation=operation, count=2)

    with pytest.raises(SendOutcomeUnknownError) as caught:
        await facade.send(["09121234567", "09351234567"], "lost", reference="ref-lost")

    error = caught.value
    assert error.reference == "ref-lost"
    assert error.recipients == ("+989121234567", "+989351234567")
    assert error.outcome_unknown
    assert error.provider == facade.provider
    assert isinstance(error.__cause__, PayamakGenError)
    assert error.__cause__.outcome_unknown
    assert "ref-lost" in str(error)
    assert len(sandbox.admin.messages()) == 2 * LOST[fault]
    (armed,) = sandbox.admin.faults()
    assert armed["remaining"] == 1  # one call only: no retry


async def test_a_lost_answer_to_send_pairs_is_an_unknown_outcome(
    facade: Facade, sandbox: Sandbox
) -> None:
    needs(facade.provider, "send_pairs")
    operation = WIRE_OPERATIONS[facade.provider]["send_pairs"]
    sandbox.admin.inject_fault(facade.provider, "truncate", operation=operation, count=2)

    with pytest.raises(SendOutcomeUnknownError) as caught:
        await facade.send_pairs([("09121234567", "a")], reference="pairs-lost")

    assert (caught.value.reference, caught.value.recipients) == (
        "pairs-lost",
        ("+989121234567",),
    )
    assert len(sandbox.admin.messages()) == 1


async def test_a_refused_send_is_not_an_unknown_outcome(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send")
    sandbox.admin.set_credit("demo", 0)

    with pytest.raises(PayamakError) as caught:
        await facade.send("09121234567", "x")

    # Except where the provider's only answer is one errors.yaml calls of unknown outcome
    # (advanced_ws's -3, "send error").
    unknown = PROFILES[facade.provider].no_credit is SendOutcomeUnknownError
    assert isinstance(caught.value, SendOutcomeUnknownError) == unknown
    assert caught.value.outcome_unknown == unknown


@pytest.mark.parametrize("operation", ["credit", "status", "inbox"])
@pytest.mark.parametrize("fault", ["http_503", "drop", "truncate"])
async def test_reads_are_retried_after_a_transient_fault(
    facade: Facade, sandbox: Sandbox, operation: str, fault: str
) -> None:
    needs(facade.provider, "send", operation)
    receipt = await facade.send("09121234567", "x")
    now = sandbox_now(sandbox)
    sandbox.admin.inject_fault(
        facade.provider, fault, operation=WIRE_OPERATIONS[facade.provider][operation], count=1
    )

    if operation == "credit":
        assert (await facade.credit()).rials > 0
    elif operation == "status":
        assert len(await facade.status(receipt)) == 1
    else:
        await facade.inbox(now - timedelta(days=1), now)

    assert sandbox.admin.faults() == []  # the fault was met, then the retry went through


async def test_reads_give_up_after_the_configured_attempts(
    mode: str, provider: str, sandbox: Sandbox
) -> None:
    needs(provider, "credit")
    facade = make(mode, provider, sandbox, retry=RetryPolicy(attempts=2, base_delay=0))
    sandbox.admin.inject_fault(
        provider, "http_503", operation=WIRE_OPERATIONS[provider]["credit"], count=3
    )
    try:
        with pytest.raises(HttpStatusError):
            await facade.credit()
    finally:
        await facade.close()

    (armed,) = sandbox.admin.faults()
    assert armed["remaining"] == 1


async def test_a_refused_connection_on_a_read_is_retried_then_raised(
    mode: str, provider: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        facade = make(mode, provider, sandbox)
        facade.client.raw.base_url = f"http://127.0.0.1:{port}"
        attempts: list[int] = []
        original = facade.client.raw._send

        def counting(*args: object, **kwargs: object) -> object:
            attempts.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(facade.client.raw, "_send", counting)
        try:
            with pytest.raises(TransportError):
                await facade.credit()
        finally:
            await facade.close()

    assert len(attempts) == 3


def test_retry_delays_grow_and_stay_bounded() -> None:
    policy = RetryPolicy(attempts=5, base_delay=1.0, max_delay=3.0)

    for retry, bound in ((1, 1.0), (2, 2.0), (3, 3.0), (4, 3.0)):
        delays = [policy.delay(retry) for _ in range(200)]
        assert all(0 <= d <= bound for d in delays)
        assert max(delays) > bound / 2  # jitter spreads over the range, not a constant
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)


async def test_every_call_has_a_timeout(mode: str, provider: str, sandbox: Sandbox) -> None:
    needs(provider, "send", "credit")
    facade = make(mode, provider, sandbox, timeout=0.3)
    wire = WIRE_OPERATIONS[provider]
    sandbox.admin.inject_fault(provider, "latency", operation=wire["send"], latency=1.0)
    sandbox.admin.inject_fault(provider, "latency", operation=wire["credit"], latency=1.0)
    try:
        with pytest.raises(SendOutcomeUnknownError) as caught:
            await facade.send("09121234567", "slow", reference="slow-1")
        # A read that times out is asked again; the fault was for one call only.
        assert (await facade.credit()).rials > 0
    finally:
        await facade.close()
    # The gateway finished the send after the client gave up: why the outcome is unknown. (Also
    # waited for so that the late send cannot land in the next test's sandbox.)
    deadline = time.monotonic() + 5
    while not sandbox.admin.messages() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert len(sandbox.admin.messages()) == 1

    assert isinstance(caught.value.__cause__, TransportError)
    assert caught.value.reference == "slow-1"
