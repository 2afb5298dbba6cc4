"""Inputs are checked and normalised before any request: nothing reaches the sandbox when
one is refused, and the error names the field and the value (safely)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

import payamak
from payamak import (
    Client,
    PartialSendError,
    SendOutcomeUnknownError,
    UnsupportedOperationError,
    ValidationError,
)
from payamak._adapters._base import Adapter
from payamak._adapters.trez_rest import TrezRest
from payamak.sandbox import DEMO_LINE, Sandbox
from tests.facade.conftest import PROFILES, PROVIDERS, Facade, make, needs, request_sizes
from tests.sandbox.support import PRICE_EN


@pytest.mark.parametrize(
    ("to", "field", "value"),
    [
        (["09121234567", "0912123"], "to[1]", "'0912123'"),
        (["+1 202 555 0100"], "to[0]", "'+1 202 555 0100'"),
        (["02188776655"], "to[0]", "'02188776655'"),  # a Tehran landline
        (["09121234567", None], "to[1]", "None"),
        ([], "to", "[]"),
    ],
)
async def test_a_bad_number_is_named_and_nothing_is_sent(
    facade: Facade, sandbox: Sandbox, to: list[str], field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await facade.send(to, "x")

    assert (caught.value.field, caught.value.value) == (field, value)
    assert field in str(caught.value) and value in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert not caught.value.outcome_unknown
    assert sandbox.admin.messages() == []


async def test_repeated_numbers_are_sent_once(facade: Facade, sandbox: Sandbox) -> None:
    receipt = await facade.send(["09121234567", "+989121234567", "۹۱۲۱۲۳۴۵۶۷"], "x")

    assert receipt.accepted == ("+989121234567",)
    assert len(sandbox.admin.messages()) == 1


async def test_text_over_the_provider_limit_is_refused(facade: Facade, sandbox: Sandbox) -> None:
    text_limit = PROFILES[facade.provider].text_limit
    if text_limit is None:
        # No documented length limit (payamak_panel, ippanel_classic): nothing to check before
        # sending.
        capabilities = facade.client.capabilities
        assert (capabilities.max_characters, capabilities.max_segments) == (None, None)
        return
    unit, limit = text_limit
    # Persian: 67 characters per part once split; 670 characters is exactly 10 parts.
    fits = "س" * (limit if unit == "characters" else 67 * limit)
    await facade.send("09121234567", fits)

    with pytest.raises(ValidationError) as caught:
        await facade.send("09121234567", fits + "س")

    assert caught.value.field == "text"
    assert str(limit) in caught.value.reason
    assert caught.value.value == f"<text of {len(fits) + 1} characters>"  # not the text itself
    assert len(sandbox.admin.messages()) == 1


async def test_a_pair_text_is_checked_too(facade: Facade, sandbox: Sandbox) -> None:
    needs(facade.provider, "send_pairs")
    with pytest.raises(ValidationError) as caught:
        await facade.send_pairs([("09121234567", "ok"), ("09351234567", "  ")])

    assert caught.value.field == "pairs[1][1]"
    with pytest.raises(ValidationError) as repeated:
        await facade.send_pairs([("09121234567", "a"), ("9121234567", "b")])
    assert repeated.value.field == "pairs[1][0]"
    assert sandbox.admin.messages() == []


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        (datetime(2030, 1, 1, 12, 0), "naive"),
        (datetime.now(timezone.utc) - timedelta(minutes=5), "past"),
        ("2030-01-01T12:00:00+03:30", "expected a datetime"),
    ],
)
async def test_a_bad_schedule_is_refused(
    facade: Facade, sandbox: Sandbox, at: object, reason: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await facade.send("09121234567", "x", at=at)

    assert caught.value.field == "at"
    assert reason in caught.value.reason
    assert sandbox.admin.messages() == []


@pytest.mark.parametrize("reference", ["", " padded ", "x" * 65, "line\nbreak", 12])
async def test_a_bad_reference_is_refused(facade: Facade, reference: object) -> None:
    with pytest.raises(ValidationError) as caught:
        await facade.send("09121234567", "x", reference=reference)

    assert caught.value.field == "reference"


async def test_status_and_inbox_inputs_are_checked(facade: Facade) -> None:
    with pytest.raises(ValidationError) as caught:
        await facade.status(["12", "abc"])
    assert caught.value.field == "ids[1]"
    with pytest.raises(ValidationError):
        await facade.status()
    if facade.client.capabilities.inbox:
        with pytest.raises(ValidationError) as naive:
            await facade.inbox(datetime(2026, 1, 1))
        assert naive.value.field == "since"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_chunks_at_the_provider_limit(provider: str, sandbox: Sandbox) -> None:
    limit = PROFILES[provider].max_recipients
    # Exactly enough credit for limit + 1 one-part Latin messages: none left over shows that
    # every one was sent and charged (listing 50,001 messages through the admin API costs
    # seconds).
    sandbox.admin.set_credit("demo", (limit + 1) * PRICE_EN)
    # From 1: 09120000000 is the sandbox's blacklisted number, which the panel refuses.
    numbers = [f"0912{index:07d}" for index in range(1, limit + 2)]

    with Client(
        provider, username="demo", password="demo", line=DEMO_LINE, base_url=sandbox.base_url
    ) as client:
        receipt = client.send(numbers, "x", reference="big")
        balance = client.credit()

    if PROFILES[provider].send_per_recipient:
        assert request_sizes(sandbox) == [limit, 1]  # 101 messages: cheap to list
        assert len(receipt.message_ids) == limit + 1
    else:
        assert [len(members) for members in receipt.groups.values()] == [limit, 1]
    assert len(receipt.accepted) == limit + 1
    assert balance.rials == 0


def test_payamak_panel_send_pairs_chunks_one_text_at_its_limit(sandbox: Sandbox) -> None:
    limit = PROFILES["payamak_panel"].max_recipients
    pairs = [(f"0912{index:07d}", "same text") for index in range(1, limit + 2)]
    pairs.insert(50, ("09359999999", "another text"))

    with Client(
        "payamak_panel", username="demo", password="demo", line=DEMO_LINE, base_url=sandbox.base_url
    ) as client:
        receipt = client.send_pairs(pairs, reference="big-pairs")

    # One SendSms per text, each text's numbers in runs of the limit.
    assert request_sizes(sandbox) == [limit, 1, 1]
    assert len(receipt.message_ids) == len(receipt.accepted) == limit + 2


async def test_chunks_carry_their_own_reference(
    mode: str, provider: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs(provider, "send", "send_pairs", "status")
    facade = make(mode, provider, sandbox)
    adapter = type(facade.client._core.adapter)
    small = dataclasses.replace(adapter.capabilities, max_recipients=2)
    monkeypatch.setattr(adapter, "capabilities", small)
    numbers = ["09121234561", "09121234562", "09121234563", "09121234564", "09121234565"]
    try:
        receipt = await facade.send(numbers, "x", reference="ord")
        pairs = await facade.send_pairs([(n, "p") for n in numbers], reference="pp")
        sandbox.admin.advance(30)
        reports = await facade.status(receipt)
        by_ids = await facade.status(pairs)
    finally:
        await facade.close()

    profile = PROFILES[provider]
    assert request_sizes(sandbox) == [2, 2, 1, 2, 2, 1]
    if not profile.send_per_recipient:
        assert [len(m) for m in receipt.groups.values()] == [2, 2, 1]
    assert receipt.accepted == tuple("+98" + n[1:] for n in numbers)
    if profile.pairs_per_recipient:
        assert len(pairs.message_ids) == 5
    else:
        assert [len(m) for m in pairs.groups.values()] == [2, 2, 1]
    assert [r.state for r in reports] == ["delivered"] * 5
    assert [r.state for r in by_ids] == ["delivered"] * 5


async def test_a_refusal_after_a_chunk_went_out_is_a_partial_send(
    mode: str, provider: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    facade = make(mode, provider, sandbox)
    adapter = type(facade.client._core.adapter)
    monkeypatch.setattr(
        adapter, "capabilities", dataclasses.replace(adapter.capabilities, max_recipients=1)
    )
    first = sandbox.admin.messages()
    try:
        await facade.send("09121234560", "x")
        spent = 1_000_000 - (await facade.credit()).rials
        sandbox.admin.set_credit("demo", spent)  # enough for one more message only
        no_credit = PROFILES[provider].no_credit
        expected = (
            SendOutcomeUnknownError if no_credit is SendOutcomeUnknownError else PartialSendError
        )
        with pytest.raises(expected) as caught:
            await facade.send(["09121234561", "09121234562", "09121234563"], "x")
    finally:
        await facade.close()

    assert first == []
    error = caught.value
    assert isinstance(error, (SendOutcomeUnknownError, PartialSendError))  # as `expected` says
    assert error.__cause__ is not None
    assert error.accepted is not None
    assert error.accepted.accepted == ("+989121234561",)
    if isinstance(error, SendOutcomeUnknownError):
        # advanced_ws: no credit is -3, a send error of unknown outcome, for its chunk alone.
        assert (error.recipients, error.unsent) == (("+989121234562",), ("+989121234563",))
        return
    assert isinstance(error, PartialSendError)
    assert error.unsent == ("+989121234562", "+989121234563")
    assert not error.outcome_unknown


async def test_an_unsupported_operation_names_provider_and_operation(
    mode: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoPairs(TrezRest):
        id = "no_pairs"
        capabilities = dataclasses.replace(TrezRest.capabilities, send_pairs=False, inbox=False)

    monkeypatch.setattr(payamak._client, "ADAPTERS", {"no_pairs": NoPairs()})
    facade = make(mode, "no_pairs", sandbox)
    try:
        with pytest.raises(UnsupportedOperationError) as caught:
            await facade.send_pairs([("09121234567", "x")])
        with pytest.raises(UnsupportedOperationError, match="no_pairs does not support inbox"):
            await facade.inbox(datetime.now(timezone.utc))
        assert (await facade.credit()).rials == 1_000_000  # what it has still works
    finally:
        await facade.close()

    assert (caught.value.provider, caught.value.operation) == ("no_pairs", "send_pairs")
    assert "no_pairs does not support send_pairs" in str(caught.value)
    assert sandbox.admin.messages() == []


def test_construction_is_checked() -> None:
    with pytest.raises(
        ValidationError,
        match="unknown provider; known: advanced_ws, ippanel_classic, payamak_panel, trez_rest, "
        "trez_xml",
    ):
        Client("nope", username="u", password="p")
    with pytest.raises(ValidationError) as caught:
        Client("trez_rest", username="u", password="")
    assert caught.value.field == "password"
    with pytest.raises(ValidationError) as no_line:
        Client("trez_xml", username="u", password="p", base_url="https://127.0.0.1")
    assert no_line.value.field == "line"


def test_trez_rest_needs_a_line_to_send_only(sandbox: Sandbox) -> None:
    with Client("trez_rest", username="demo", password="demo", base_url=sandbox.base_url) as c:
        assert c.credit().rials == 1_000_000
        with pytest.raises(ValidationError) as caught:
            c.send("09121234567", "x")
    assert caught.value.field == "line"
    assert sandbox.admin.messages() == []


def test_from_env(sandbox: Sandbox) -> None:
    environ = {
        "PAYAMAK_PROVIDER": "trez_xml",
        "PAYAMAK_USERNAME": "demo",
        "PAYAMAK_PASSWORD": "demo",
        "PAYAMAK_LINE": DEMO_LINE,
        "PAYAMAK_BASE_URL": sandbox.base_url,
        "PAYAMAK_TIMEOUT": "5",
    }
    with Client.from_env(environ) as client:
        assert client.provider == "trez_xml"
        assert client.credit().rials == 1_000_000
        assert client.send("09121234567", "env").accepted == ("+989121234567",)

    with pytest.raises(ValidationError) as caught:
        Client.from_env({k: v for k, v in environ.items() if k != "PAYAMAK_PASSWORD"})
    assert caught.value.field == "PAYAMAK_PASSWORD"
    with pytest.raises(ValidationError) as bad:
        payamak.AsyncClient.from_env({**environ, "PAYAMAK_TIMEOUT": "soon"})
    assert bad.value.field == "PAYAMAK_TIMEOUT"


@pytest.mark.parametrize(
    ("operation", "default"),
    [
        ("send_pairs", lambda a: Adapter.send_pairs(a, None, [], "r")),
        ("status", lambda a: Adapter.group_status(a, "g")),
        ("status", lambda a: Adapter.message_status(a, ["1"])),
        ("credit", lambda a: Adapter.credit(a)),
        ("inbox", lambda a: Adapter.inbox_page(a, None, _NOW, _NOW, 1)),
    ],
)
def test_an_operation_an_adapter_lacks_stays_in_the_hierarchy(
    operation: str, default: Callable[[Adapter], object]
) -> None:
    adapter = TrezRest()  # the base class's default, as an adapter that does not override it

    with pytest.raises(UnsupportedOperationError) as caught:
        default(adapter)

    assert (caught.value.provider, caught.value.operation) == ("trez_rest", operation)


_NOW: datetime = datetime.now(timezone.utc)
