"""trez_rest code 5004 answering ``send_pairs`` ("some messages failed; the others were sent"):
what the answer's ``Result`` list accounts for is known, and only the rest is unknown."""

from __future__ import annotations

import inspect
import json

import pytest
from pytest_httpserver import HTTPServer

import payamak
from payamak import SendOutcomeUnknownError
from payamak import _operations as ops
from payamak.sandbox import DEMO_LINE, Sandbox
from payamak_gen.errors import PartialFailureError
from tests.facade.conftest import make


async def test_a_5004_that_lists_every_recipient_is_a_receipt(mode: str, sandbox: Sandbox) -> None:
    facade = make(mode, "trez_rest", sandbox)
    # The sandbox answers 5004 with its list when a mobile is not one; the facade never sends
    # such a number, so the operation is driven below its validation, with one it would refuse.
    pairs = [("+989121234567", "ok"), ("+98123", "bad"), ("+989351234567", "ok too")]
    op = ops.send_pairs(facade.client._core.adapter, DEMO_LINE, pairs, "partial-1")
    try:
        result = facade.client._run(op)
        receipt = await result if inspect.isawaitable(result) else result
    finally:
        await facade.close()

    assert receipt.accepted == ("+989121234567", "+989351234567")
    assert receipt.rejected == ("+98123",)
    assert set(receipt.message_ids) == {"+989121234567", "+989351234567"}
    sent = {m["mobile"]: str(m["id"]) for m in sandbox.admin.messages()}
    assert sent == {
        "09121234567": receipt.message_ids["+989121234567"],
        "09351234567": receipt.message_ids["+989351234567"],
    }


async def test_a_5004_without_its_list_leaves_every_recipient_unknown(
    mode: str, sandbox: Sandbox
) -> None:
    sandbox.admin.inject_fault(
        "trez_rest", "error_code", operation="SendCorrespondingMessage", code=5004, count=2
    )
    facade = make(mode, "trez_rest", sandbox)
    try:
        with pytest.raises(SendOutcomeUnknownError) as caught:
            await facade.send_pairs(
                [("09121234567", "a"), ("09351234567", "b")], reference="p-5004"
            )
    finally:
        await facade.close()

    assert caught.value.recipients == ("+989121234567", "+989351234567")
    assert caught.value.reference == "p-5004"
    assert caught.value.accepted is None
    assert isinstance(caught.value.__cause__, PartialFailureError)
    (armed,) = sandbox.admin.faults()
    assert armed["remaining"] == 1  # never retried


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_5004_that_lists_some_recipients_leaves_only_the_others_unknown(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = {
        "Code": 5004,
        "Message": "برخی پیام ها در هنگام ارسال با خطا مواجه شده اند",
        "Result": [
            {"Id": 0, "Mobile": "09121234567", "Result": 7001},
            {"Id": 1, "Mobile": "09351234567", "Result": 0},
        ],
    }
    httpserver.expect_oneshot_request(
        "/api/smsAPI/SendCorrespondingMessage", method="POST"
    ).respond_with_data(json.dumps(answer), content_type="application/json")
    factory = payamak.AsyncClient if mode == "async" else payamak.Client
    client = factory(
        "trez_rest",
        username="u",
        password="p",
        line=DEMO_LINE,
        base_url=httpserver.url_for("/").rstrip("/"),
    )
    try:
        with pytest.raises(SendOutcomeUnknownError) as caught:
            result = client.send_pairs(
                [("09121234567", "a"), ("09351234567", "b"), ("09901234567", "c")],
                reference="p-some",
            )
            if mode == "async":
                assert inspect.isawaitable(result)
                await result
    finally:
        if isinstance(client, payamak.AsyncClient):
            await client.aclose()
        else:
            client.close()

    error = caught.value
    assert error.recipients == ("+989901234567",)  # the list leaves it out
    assert error.accepted is not None
    assert error.accepted.accepted == ("+989121234567",)
    assert error.accepted.rejected == ("+989351234567",)
    assert dict(error.accepted.message_ids) == {"+989121234567": "7001"}
    assert isinstance(error.__cause__, PartialFailureError)  # the answer, for its raw body
    assert error.__cause__.code == 5004
    assert len(httpserver.log) == 1
