"""A send whose answer is lost or unreadable is an unknown outcome, for every provider.

Each fault of the sandbox is armed on the send, and the error must say which provider and
operation failed and that the messages may have gone out (so the caller reconciles instead of
sending again); the same fault on a read says the same, and a refused connection, where no
request ever left, is a known outcome.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from payamak.sandbox import Sandbox
from payamak_gen import errors
from tests.contract.providers import DEMO, ProviderContract

MOBILE = "09121234567"

# fault -> the error class the README's tree gives it (SOAP providers answer a Fault themselves).
FAULTS: dict[str, type[errors.PayamakGenError]] = {
    "drop": errors.TransportError,
    "truncate": errors.TransportError,
    "http_500": errors.HttpStatusError,
    "http_503": errors.HttpStatusError,
    "malformed": errors.MalformedResponseError,
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_lost_answer_to_a_send_is_an_unknown_outcome(
    sandbox: Sandbox, provider: ProviderContract, fault: str
) -> None:
    sandbox.admin.inject_fault(provider.id, fault)

    with (
        provider.client(sandbox.base_url, *DEMO) as client,
        pytest.raises(errors.PayamakGenError) as caught,
    ):
        provider.send(client, MOBILE, f"fault-{fault}")

    error = caught.value
    assert isinstance(error, FAULTS[fault])
    assert error.outcome_unknown
    assert (error.provider, error.operation) == (provider.id, provider.send_operation)
    assert DEMO[1] not in f"{error} {error!r} {error.args}"
    sent = sandbox.admin.messages(provider=provider.id)
    # Only a truncated answer comes after the work was done; the others stop it before.
    assert len(sent) == (1 if fault == "truncate" else 0)


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_the_same_fault_on_an_async_read_names_the_read(
    sandbox: Sandbox, provider: ProviderContract, fault: str
) -> None:
    sandbox.admin.inject_fault(provider.id, fault)

    async with provider.async_client(sandbox.base_url, *DEMO) as client:
        with pytest.raises(FAULTS[fault]) as caught:
            await provider.read(client)

    assert (caught.value.provider, caught.value.operation) == (
        provider.id,
        provider.read_operation,
    )
    assert caught.value.outcome_unknown


def test_a_refused_connection_is_a_known_outcome(provider: ProviderContract) -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
        with provider.client(url, *DEMO) as client, pytest.raises(errors.TransportError) as caught:
            provider.send(client, MOBILE, "refused")

    assert not caught.value.outcome_unknown  # nothing left: sending again is safe
    assert (caught.value.provider, caught.value.operation) == (
        provider.id,
        provider.send_operation,
    )


def test_sync_and_async_send_alike(sandbox: Sandbox, provider: ProviderContract) -> None:
    with provider.client(sandbox.base_url, *DEMO) as client:
        sync_result = provider.send(client, MOBILE, "parity-sync")

    async def send_async() -> object:
        async with provider.async_client(sandbox.base_url, *DEMO) as client:
            return await provider.send(client, MOBILE, "parity-async")

    async_result = asyncio.run(send_async())

    assert type(sync_result) is type(async_result)
    sent = sandbox.admin.messages(provider=provider.id)
    assert [m["mobile"] for m in sent] == [MOBILE, MOBILE]
