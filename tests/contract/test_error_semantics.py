"""Every provider's result codes reach the caller as the documented errors, sync and async.

Each documented code is made to come back by the sandbox's ``error_code`` fault (the gateway's
own error answer), and the error is checked against ``specs/<provider>/errors.yaml`` read
directly and against the contract written out below, never against the generated tables: a
flipped kind or retryability in the generated code fails here.
"""

from __future__ import annotations

from typing import Any

import pytest

from payamak.sandbox import Sandbox
from payamak_gen import errors
from tests.contract.providers import DEMO, PROVIDERS, ProviderContract, result_codes

# The contract of README's "Errors": one class per kind.
CLASS_BY_KIND: dict[str, type[errors.ApiError]] = {
    "invalid_request": errors.InvalidRequestError,
    "authentication": errors.AuthenticationError,
    "permission": errors.PermissionDeniedError,
    "insufficient_credit": errors.InsufficientCreditError,
    "limit_exceeded": errors.LimitExceededError,
    "not_found": errors.NotFoundError,
    "server": errors.ServerError,
    "partial_failure": errors.PartialFailureError,
}


def outcome_unknown_for(entry: dict[str, Any]) -> bool:
    """README: the outcome is unknown after a partial failure and a non-retryable server error
    (the server may have done part or all of the work); documented refusals are known."""
    return entry["kind"] == "partial_failure" or (
        entry["kind"] == "server" and not entry["retryable"]
    )


# Codes the error_code fault can answer: numbers. A code that is a whole answer instead
# (ippanel_classic's "null", the literal null body) is reached by the provider's own tests
# (tests/sandbox/test_ippanel_classic.py, tests/generated/ippanel_classic/).
CODES = [
    pytest.param(contract, entry, id=f"{contract.id}-{entry['code']}")
    for contract in PROVIDERS
    for entry in result_codes(contract.id)
    if entry["kind"] != "ok" and isinstance(entry["code"], int)
]


def _check(error: errors.ApiError, contract: ProviderContract, entry: dict[str, Any]) -> None:
    assert type(error) is CLASS_BY_KIND[entry["kind"]]
    assert (error.code, error.kind, error.retryable) == (
        entry["code"],
        entry["kind"],
        entry["retryable"],
    )
    assert (error.message_en, error.message_fa) == (entry["en"], entry["fa"])
    assert error.outcome_unknown is outcome_unknown_for(entry)
    assert (error.provider, error.operation) == (contract.id, contract.coded_operation)
    assert error.raw  # the answer as received, for the caller's logs
    persian = f" / {entry['fa']}" if entry["fa"] else ""
    assert str(error) == (
        f"{contract.id} {contract.coded_operation}: "
        f"code {entry['code']} ({entry['kind']}): {entry['en']}{persian}"
    )
    assert DEMO[1] not in f"{error} {error!r} {error.args}"


@pytest.mark.parametrize(("contract", "entry"), CODES)
def test_documented_code_sync(
    sandbox: Sandbox, contract: ProviderContract, entry: dict[str, Any]
) -> None:
    sandbox.admin.inject_fault(contract.id, "error_code", code=entry["code"])

    with (
        contract.client(sandbox.base_url, *DEMO) as client,
        pytest.raises(errors.ApiError) as caught,
    ):
        contract.coded(client)

    _check(caught.value, contract, entry)


@pytest.mark.parametrize(("contract", "entry"), CODES)
async def test_documented_code_async(
    sandbox: Sandbox, contract: ProviderContract, entry: dict[str, Any]
) -> None:
    sandbox.admin.inject_fault(contract.id, "error_code", code=entry["code"])

    async with contract.async_client(sandbox.base_url, *DEMO) as client:
        with pytest.raises(errors.ApiError) as caught:
            await contract.coded(client)

    _check(caught.value, contract, entry)


def test_every_kind_of_the_specs_has_its_class() -> None:
    kinds = {entry["kind"] for c in PROVIDERS for entry in result_codes(c.id)} - {"ok"}

    assert kinds <= set(CLASS_BY_KIND)


def test_an_undocumented_code_is_an_unknown_outcome_never_retryable(
    sandbox: Sandbox, provider: ProviderContract
) -> None:
    documented = {entry["code"] for entry in result_codes(provider.id)}
    code = 7777
    assert code not in documented
    sandbox.admin.inject_fault(provider.id, "error_code", code=code)

    with (
        provider.client(sandbox.base_url, *DEMO) as client,
        pytest.raises(errors.ApiError) as caught,
    ):
        provider.coded(client)

    error = caught.value
    assert type(error) is errors.ApiError
    assert (error.code, error.kind, error.retryable) == (code, None, False)
    assert error.outcome_unknown  # an unknown code says nothing about what was done
    assert (error.provider, error.operation) == (provider.id, provider.coded_operation)
    assert error.raw
    # Nothing from a catalog to show: the code, said to be undocumented, and no Persian part.
    assert (error.message_en, error.message_fa) == (f"Undocumented result code {code!r}", "")
    assert str(error) == (
        f"{provider.id} {provider.coded_operation}: "
        f"code {code} (undocumented): Undocumented result code {code!r}"
    )
