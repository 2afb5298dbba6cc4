"""The admin API and its helper."""

from __future__ import annotations

from dataclasses import fields
from typing import get_args, get_type_hints, is_typeddict

import httpx
import pytest

import payamak.sandbox as sandbox_package
from payamak.sandbox import Sandbox, SandboxAdmin, SandboxAdminError, SentMessage
from payamak.sandbox._store import Message
from tests.sandbox.support import CREDIT, LINE, MOBILE, OTHER_LINE, Rest, send_body


def test_info_lists_providers_and_their_paths(sandbox_admin: SandboxAdmin) -> None:
    info = sandbox_admin.info()
    (trez,) = [p for p in info["providers"] if p["name"] == "trez_rest"]
    assert trez["paths"] == ["/api/smsAPI/{Method}"]
    assert "SendMessage" in trez["operations"]
    assert info["frozen_clock"] is True


def test_messages_filter_by_provider_mobile_and_user(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    rest.ok("SendMessage", send_body(Mobiles=[MOBILE, "09127654321"]))
    assert len(sandbox_admin.messages()) == 2
    assert len(sandbox_admin.messages(provider="trez_rest", username="demo")) == 2
    assert [m["mobile"] for m in sandbox_admin.messages(mobile="+989127654321")] == ["09127654321"]
    assert sandbox_admin.messages(provider="trez_xml") == []
    assert sandbox_admin.messages(username="other") == []


def test_messages_carry_every_stored_field_and_match_the_typed_view(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    rest.ok("SendMessage", send_body())
    (message,) = sandbox_admin.messages()
    stored = {f.name for f in fields(Message)}
    assert set(message) == stored - {"fate"} | {"state"}
    assert set(message) == set(SentMessage.__annotations__)


def test_inbound_injection(rest: Rest, sandbox: Sandbox, sandbox_admin: SandboxAdmin) -> None:
    created = sandbox_admin.inject_inbound(LINE, "9351112222", "hi there", provider="trez_rest")
    assert created["username"] == "demo" and created["mobile"] == "09351112222"
    listed = httpx.get(f"{sandbox.base_url}/_sandbox/inbound", params={"line": LINE}).json()
    assert listed["inbound"][-1]["text"] == "hi there"
    with pytest.raises(SandboxAdminError) as unknown:
        sandbox_admin.inject_inbound("123", MOBILE, "x")
    assert unknown.value.status == 404
    with pytest.raises(SandboxAdminError) as not_theirs:
        sandbox_admin.inject_inbound(OTHER_LINE, MOBILE, "x", username="demo")
    assert not_theirs.value.status == 400


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", '"nan"', '"inf"'])
def test_non_finite_numbers_are_400_naming_the_value(
    sandbox: Sandbox, sandbox_admin: SandboxAdmin, raw: str
) -> None:
    # The JSON parser reads NaN and Infinity, and float() reads "nan": the clock used to take them.
    before = sandbox_admin.now()
    for path, body in (
        ("advance", f'{{"seconds": {raw}}}'),
        ("faults", f'{{"provider": "trez_rest", "kind": "latency", "latency": {raw}}}'),
        (
            "inbound",
            f'{{"line": "{LINE}", "mobile": "{MOBILE}", "text": "x", "received_at": {raw}}}',
        ),
    ):
        response = httpx.post(
            f"{sandbox.base_url}/_sandbox/{path}",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400, (path, response.text)
        error = response.json()["error"]
        assert "must be a finite number" in error
        assert "nan" in error or "inf" in error
    assert sandbox_admin.now() == before
    assert sandbox_admin.faults() == []


def test_inbound_received_at_zero_is_the_epoch(sandbox_admin: SandboxAdmin) -> None:
    created = sandbox_admin.inject_inbound(LINE, MOBILE, "from 1970", received_at=0)
    assert created["received_at"] == 0


def test_advance_moves_the_clock_forward_only(sandbox_admin: SandboxAdmin) -> None:
    before = sandbox_admin.now()
    assert sandbox_admin.advance(90) == pytest.approx(before + 90)
    with pytest.raises(SandboxAdminError):
        sandbox_admin.advance(-1)


def test_set_credit(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    assert sandbox_admin.set_credit("demo", 1234) == 1234
    assert rest.credit() == 1234
    assert sandbox_admin.credit("demo") == 1234
    with pytest.raises(SandboxAdminError) as unknown:
        sandbox_admin.set_credit("nobody", 1)
    assert unknown.value.status == 404
    with pytest.raises(SandboxAdminError):
        sandbox_admin.set_credit("demo", -1)


def test_reset_restores_everything(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    start = sandbox_admin.now()
    rest.ok("SendMessage", send_body())
    sandbox_admin.put_account("temp", "pw")
    sandbox_admin.inject_fault("trez_rest", "http_500", operation="GetPrices")
    sandbox_admin.advance(1000)
    sandbox_admin.reset()
    assert sandbox_admin.messages() == []
    assert sandbox_admin.faults() == []
    assert "temp" not in [a["username"] for a in sandbox_admin.accounts()]
    assert sandbox_admin.now() < start + 1000
    assert rest.credit() == CREDIT
    # Ids start again above 2000 after a reset.
    assert rest.ok("SendAutoCode", {"Mobile": MOBILE, "Footer": ""}) == 2001


def test_accounts_never_show_passwords(sandbox: Sandbox, sandbox_admin: SandboxAdmin) -> None:
    secret = "Zq8-distinctive-passphrase"
    sandbox_admin.put_account("keeper", secret)
    raw = httpx.get(f"{sandbox.base_url}/_sandbox/accounts").text
    assert "password" not in raw
    assert secret not in raw and "keeper" in raw  # not under another key either
    demo = next(a for a in sandbox_admin.accounts() if a["username"] == "demo")
    assert demo["credit_rials"] == CREDIT
    assert (demo["price_fa"], demo["price_en"]) == (112, 275)
    assert demo["lines"] == [
        {"number": "30001234567890", "ports": True},
        {"number": "50002910001080", "ports": False},
    ]


def test_put_account_creates_a_working_account(
    sandbox: Sandbox, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.put_account("acme", "pw", credit_rials=999, lines=["50001111"], price_en=100)
    with httpx.Client(base_url=sandbox.base_url, auth=("acme", "pw")) as http:
        body = send_body(PhoneNumber="50001111")
        assert http.post("/api/smsAPI/SendMessage", json=body).json()["Code"] == 0
        assert http.post("/api/smsAPI/GetCredit").json()["Result"] == 899


def test_bad_admin_requests_are_400(sandbox: Sandbox) -> None:
    base = f"{sandbox.base_url}/_sandbox"
    assert httpx.post(f"{base}/advance", content=b"{nope").status_code == 400
    assert httpx.post(f"{base}/advance", json=[1]).status_code == 400
    assert httpx.post(f"{base}/credit", json={"username": "demo"}).status_code == 400
    # int() of an infinite number and an integer past SQLite's 64 bits: both were HTTP 500.
    infinite = b'{"username": "demo", "rials": 1e400}'
    assert httpx.post(f"{base}/credit", content=infinite).status_code == 400
    huge = {"username": "demo", "rials": 10**30}
    assert httpx.post(f"{base}/credit", json=huge).status_code == 400
    assert httpx.post(f"{base}/accounts", json={"username": "x"}).status_code == 400
    assert httpx.get(f"{base}/nothing").status_code == 404


def test_admin_client_ignores_proxy_settings(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy that refuses every connection: the admin client must talk to the sandbox directly.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with SandboxAdmin(sandbox.base_url) as admin:
        assert admin.info()["frozen_clock"] is True


def _typed_dicts(hint: object) -> set[type]:
    """The TypedDicts a type hint names, with those their fields name, at any depth."""
    found: set[type] = set()
    if isinstance(hint, type) and is_typeddict(hint):
        found.add(hint)
        for field_hint in get_type_hints(hint).values():
            found |= _typed_dicts(field_hint)
    for argument in get_args(hint):
        found |= _typed_dicts(argument)
    return found


def test_every_shape_the_admin_client_returns_is_exported() -> None:
    returned: set[type] = set()
    for name, method in vars(SandboxAdmin).items():
        if callable(method) and not name.startswith("_"):
            returned |= _typed_dicts(get_type_hints(method).get("return"))
    assert {t.__name__ for t in returned} == {
        "AccountInfo",
        "FaultInfo",
        "InboundInfo",
        "LineInfo",
        "SentMessage",
    }
    for shape in returned:
        assert shape.__name__ in sandbox_package.__all__
        assert getattr(sandbox_package, shape.__name__) is shape
