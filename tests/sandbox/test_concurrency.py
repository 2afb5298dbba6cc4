"""Concurrent sends neither double-charge, lose a message nor hand out a duplicate id."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from payamak.sandbox import SandboxAdmin
from tests.sandbox.support import CREDIT, PRICE_EN, send_body

SEND = "/api/smsAPI/SendMessage"
PER_CALL = "/api/smsAPI/SendCorrespondingMessage"


async def _send_all(http: httpx.AsyncClient, path: str, bodies: list[Any]) -> list[dict[str, Any]]:
    responses = await asyncio.gather(*(http.post(path, json=body) for body in bodies))
    assert all(r.status_code == 200 for r in responses)
    return [r.json() for r in responses]


async def test_200_concurrent_sends_are_counted_exactly(
    async_http: httpx.AsyncClient, sandbox_admin: SandboxAdmin
) -> None:
    bodies = [send_body(Mobiles=[f"0912{n:07d}"], UserGroupID=str(n)) for n in range(200)]
    envelopes = await _send_all(async_http, SEND, bodies)
    assert [e["Code"] for e in envelopes] == [0] * 200
    assert len({e["Result"] for e in envelopes}) == 200
    credit = (await async_http.post("/api/smsAPI/GetCredit")).json()["Result"]
    assert credit == CREDIT - 200 * PRICE_EN
    sent = sandbox_admin.messages()
    assert len(sent) == 200
    assert len({m["id"] for m in sent}) == 200
    assert sorted(m["mobile"] for m in sent) == sorted(b["Mobiles"][0] for b in bodies)


async def test_concurrent_sends_past_the_credit_never_overdraw(
    async_http: httpx.AsyncClient, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.set_credit("demo", 150 * PRICE_EN)
    envelopes = await _send_all(async_http, SEND, [send_body() for _ in range(200)])
    codes = [e["Code"] for e in envelopes]
    assert (codes.count(0), codes.count(3003)) == (150, 50)
    assert sandbox_admin.credit("demo") == 0
    assert len(sandbox_admin.messages()) == 150


async def test_concurrent_per_recipient_sends_get_unique_ids(
    async_http: httpx.AsyncClient, sandbox_admin: SandboxAdmin
) -> None:
    body = {
        "PhoneNumber": "50002910001080",
        "UserGroupID": "g",
        "RecipientsMessage": [
            {"Id": str(i), "Message": f"text {i}", "Mobile": f"0912000{i:04d}"} for i in range(5)
        ],
    }
    envelopes = await _send_all(async_http, PER_CALL, [body] * 100)
    ids = [item["Result"] for e in envelopes for item in e["Result"]]
    assert len(ids) == len(set(ids)) == 500
    assert sorted(ids) == [m["id"] for m in sandbox_admin.messages()]
