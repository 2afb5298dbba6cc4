"""Every documented code of every provider reaches the right facade exception, and the
hierarchy is one: ``payamak.PayamakError`` is the generated layer's base class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import payamak
from payamak import PayamakError, SendOutcomeUnknownError, ValidationError
from payamak.sandbox import Sandbox
from payamak_gen import errors
from tests.contract.providers import result_codes
from tests.facade.conftest import PROFILES, PROVIDERS, WIRE_OPERATIONS, make

# kind -> class, written out from the README's tree (not read from the code under test).
BY_KIND: dict[str, type[errors.ApiError]] = {
    "authentication": errors.AuthenticationError,
    "permission": errors.PermissionDeniedError,
    "invalid_request": errors.InvalidRequestError,
    "insufficient_credit": errors.InsufficientCreditError,
    "limit_exceeded": errors.LimitExceededError,
    "not_found": errors.NotFoundError,
    "server": errors.ServerError,
    "partial_failure": errors.PartialFailureError,
}

# Codes the error_code fault can answer: numbers. A code that is a whole answer instead
# (ippanel_classic's "null", the literal null body of an unknown bulk id) is reached through the
# facade by test_ippanel_classic.py.
CASES = [
    pytest.param(provider, entry, id=f"{provider}-{entry['code']}")
    for provider in PROVIDERS
    for entry in result_codes(provider)
    if entry["kind"] != "ok" and isinstance(entry["code"], int)
]


# payamak_panel's reads carry no result code (GetCredit answers a number, or a SOAP Fault):
# the codes of its table answer sends only.
READ_CASES = [case for case in CASES if case.values[0] != "payamak_panel"]

# errors.yaml's unified delivery states -> the facade's, written out from the README (not read
# from payamak._states).
STATE = {
    "pending": "queued",
    "queued": "queued",
    "sent": "at_operator",
    "delivered": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "rejected": "blacklisted",
    "filtered": "filtered",
}


_SPECS = Path(__file__).resolve().parents[2] / "specs"


def _delivery_codes(provider: str) -> list[dict[str, Any]]:
    document = yaml.safe_load((_SPECS / provider / "errors.yaml").read_text(encoding="utf-8"))
    codes: list[dict[str, Any]] = document["delivery_codes"]
    return codes


def _may_have_sent(entry: dict[str, Any]) -> bool:
    # errors.yaml: a partial failure sent some; a server error not safe to retry may have.
    return entry["kind"] == "partial_failure" or (
        entry["kind"] == "server" and not entry["retryable"]
    )


@pytest.mark.parametrize(("provider", "entry"), CASES)
async def test_a_code_answering_a_send(
    mode: str, provider: str, entry: dict[str, Any], sandbox: Sandbox
) -> None:
    sandbox.admin.inject_fault(
        provider, "error_code", operation=WIRE_OPERATIONS[provider]["send"], code=entry["code"]
    )
    facade = make(mode, provider, sandbox)
    try:
        with pytest.raises(PayamakError) as caught:
            await facade.send("09121234567", "x", reference="r-1")
    finally:
        await facade.close()

    error = caught.value
    api_error = error.__cause__ if isinstance(error, SendOutcomeUnknownError) else error
    assert isinstance(error, SendOutcomeUnknownError) == _may_have_sent(entry)
    assert type(api_error) is BY_KIND[entry["kind"]]
    assert isinstance(api_error, errors.ApiError)
    assert str(api_error.code) == str(entry["code"])
    assert api_error.provider == provider
    assert sandbox.admin.faults() == []  # met once: sends are never retried


@pytest.mark.parametrize(("provider", "entry"), READ_CASES)
async def test_a_code_answering_a_read(
    mode: str, provider: str, entry: dict[str, Any], sandbox: Sandbox
) -> None:
    sandbox.admin.inject_fault(
        provider, "error_code", operation=WIRE_OPERATIONS[provider]["credit"], code=entry["code"]
    )
    facade = make(mode, provider, sandbox)
    try:
        if entry["retryable"]:
            # The catalog says asking again may work: the retry meets no fault.
            assert (await facade.credit()).rials == 1_000_000
        else:
            with pytest.raises(BY_KIND[entry["kind"]]) as caught:
                await facade.credit()
            assert str(caught.value.code) == str(entry["code"])
    finally:
        await facade.close()


async def test_a_wrong_password_is_an_authentication_error(
    mode: str, provider: str, sandbox: Sandbox
) -> None:
    facade = make(mode, provider, sandbox, password="not-the-password")
    try:
        if provider == "payamak_panel":
            # GetCredit has no result code: the panel throws, and ASP.NET answers a Fault
            # carrying code 0's text. Not retried: a Fault is no transient failure.
            with pytest.raises(errors.SoapFaultError) as fault:
                await facade.credit()
            assert fault.value.server_message == "نام کاربری و رمز اشتباه"
        else:
            with pytest.raises(errors.AuthenticationError):
                await facade.credit()
        with pytest.raises(errors.AuthenticationError):
            await facade.send("09121234567", "x")
    finally:
        await facade.close()
    assert sandbox.admin.messages() == []


async def test_no_credit_is_insufficient_credit(mode: str, provider: str, sandbox: Sandbox) -> None:
    sandbox.admin.set_credit("demo", 0)
    facade = make(mode, provider, sandbox)
    try:
        # advanced_ws has no code of its own for it: -3, a send error of unknown outcome.
        with pytest.raises(PROFILES[provider].no_credit):
            await facade.send("09121234567", "x")
    finally:
        await facade.close()


def test_one_hierarchy() -> None:
    assert payamak.PayamakError is errors.PayamakGenError
    for name in (
        "ValidationError",
        "UnsupportedOperationError",
        "SendOutcomeUnknownError",
        "PartialSendError",
    ):
        assert issubclass(getattr(payamak, name), errors.PayamakGenError)
    assert issubclass(ValidationError, ValueError)
    # The tree is drawn where users look for it.
    doc = payamak._errors.__doc__ or ""
    for name in ("ValidationError", "SendOutcomeUnknownError", "TransportError", "ApiError"):
        assert name in doc


@pytest.mark.parametrize(
    "entry", _delivery_codes("payamak_panel"), ids=lambda entry: str(entry["code"])
)
async def test_every_payamak_panel_delivery_code_reaches_its_state(
    mode: str, entry: dict[str, Any], sandbox: Sandbox
) -> None:
    facade = make(mode, "payamak_panel", sandbox)
    try:
        receipt = await facade.send("09121234567", "x")
        sandbox.admin.inject_fault(
            "payamak_panel", "error_code", operation="GetDelivery", code=entry["code"]
        )
        (report,) = await facade.status(receipt)
    finally:
        await facade.close()

    assert (report.code, report.state, report.final) == (
        entry["code"],
        STATE[entry["state"]],
        entry["final"],
    )
    assert report.description == entry["en"].strip()
    assert report.recipient == "+989121234567"


async def test_an_undocumented_payamak_panel_delivery_code_keeps_its_value(
    mode: str, sandbox: Sandbox
) -> None:
    facade = make(mode, "payamak_panel", sandbox)
    try:
        receipt = await facade.send("09121234567", "x")
        sandbox.admin.inject_fault("payamak_panel", "error_code", operation="GetDelivery", code=77)
        (report,) = await facade.status(receipt)
    finally:
        await facade.close()

    # errors.yaml: unknown_delivery_state is pending.
    assert (report.code, report.state, report.final) == (77, "queued", False)
