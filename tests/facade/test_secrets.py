"""Credentials never appear in a repr, a log record or an exception of any operation, and
sending them over plain http to another machine warns."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

import pytest

from payamak import AsyncClient, Client, InsecureTransportWarning, PayamakError
from payamak.sandbox import DEMO_LINE, Sandbox
from tests.facade.conftest import WIRE_OPERATIONS, Facade, make, needs, sandbox_now

USERNAME = "owner-7f3a"
PASSWORD = "pw-Zq81-never-shown"


def _texts(value: object) -> str:
    parts = [str(value), repr(value)]
    if isinstance(value, BaseException):
        parts.extend(map(repr, value.args))
        seen = value
        while (following := seen.__cause__ or seen.__context__) is not None:
            seen = following
            parts.extend([str(seen), repr(seen), *map(repr, seen.args)])
    return "\n".join(parts)


async def test_no_password_anywhere(
    mode: str, provider: str, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.admin.put_account(USERNAME, PASSWORD, lines=[DEMO_LINE])
    needs(provider, "send", "status", "credit")
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    facade: Facade = make(mode, provider, sandbox, username=USERNAME, password=PASSWORD)
    wrong = make(mode, provider, sandbox, username=USERNAME, password=PASSWORD + "x")
    wire = WIRE_OPERATIONS[provider]
    try:
        seen += [_texts(facade.client), _texts(facade.client.raw), _texts(wrong.client)]
        receipt = await facade.send("09121234567", "x")
        seen.append(_texts(receipt))
        if facade.client.capabilities.send_pairs:
            seen.append(_texts(await facade.send_pairs([("09121234567", "y")])))
        seen += [_texts(await facade.status(receipt)), _texts(await facade.credit())]
        if facade.client.capabilities.inbox:
            now = sandbox_now(sandbox)
            seen.append(_texts(await facade.inbox(now - timedelta(days=1), now)))
        sandbox.admin.inject_fault(provider, "truncate", operation=wire["send"])
        failures = [
            (wrong.credit, ()),
            (facade.send, ("0912", "x")),
            (facade.send, ("09121234567", "x")),  # its answer cut short (armed above)
        ]
        for call, args in failures:
            with pytest.raises(PayamakError) as caught:
                await call(*args)
            seen.append(_texts(caught.value))
        # A 503 thrice: retried, logged, raised.
        sandbox.admin.inject_fault(provider, "http_503", operation=wire["credit"], count=3)
        with pytest.raises(PayamakError) as caught:
            await facade.credit()
        seen.append(_texts(caught.value))
    finally:
        await facade.close()
        await wrong.close()

    seen += [record.getMessage() for record in caplog.records]
    seen += [repr(record.args) for record in caplog.records]
    assert any("retrying" in record.getMessage() for record in caplog.records)
    text = "\n".join(seen)
    assert PASSWORD not in text
    assert USERNAME not in text  # the username is a credential too


@pytest.mark.parametrize("factory", [Client, AsyncClient])
def test_plain_http_to_another_host_warns(factory: type[Client] | type[AsyncClient]) -> None:
    with pytest.warns(InsecureTransportWarning, match="sms.example.com") as caught:
        factory("trez_rest", username="u", password=PASSWORD, base_url="http://sms.example.com")
    assert PASSWORD not in str(caught[0].message)
    # trez_xml's real host is http only: the default warns too.
    with pytest.warns(InsecureTransportWarning, match="sms.trez.ir"):
        factory("trez_xml", username="u", password="p", line=DEMO_LINE)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        factory("trez_rest", username="u", password="p")  # https by default
        factory("trez_rest", username="u", password="p", base_url="http://127.0.0.1:9")
        factory("trez_rest", username="u", password="p", base_url="http://localhost:9")
        factory("trez_rest", username="u", password="p", base_url="http://[::1]:9")
