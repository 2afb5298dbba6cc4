"""The generated clients against the sandbox's faults: an answer lost after the send went out
is reported as an unknown outcome, never as a plain failure that invites a second send."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from payamak_gen import errors
from payamak_gen.trez_rest import TrezRestClient
from payamak_gen.trez_xml import TrezXmlClient

MOBILE = "09121234567"


def _send_rest(sandbox: Sandbox) -> str:
    with TrezRestClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=sandbox.base_url) as client:
        return client.send_message(
            phone_number=DEMO_LINE,
            message="code 1234",
            mobiles=[MOBILE],
            user_group_id="order-1",
            send_at=datetime.now(timezone.utc),
        )


def test_truncated_answer_after_a_send_is_an_unknown_outcome(sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_rest", "truncate", operation="SendMessage")

    with pytest.raises(errors.TransportError) as caught:
        _send_rest(sandbox)

    assert caught.value.outcome_unknown
    # And rightly so: the sandbox did send (and charge) the message.
    assert [m["mobile"] for m in sandbox.admin.messages(provider="trez_rest")] == [MOBILE]


@pytest.mark.parametrize("kind", ["drop", "http_503", "malformed"])
def test_lost_or_unreadable_answer_to_a_send_is_an_unknown_outcome(
    sandbox: Sandbox, kind: str
) -> None:
    sandbox.admin.inject_fault("trez_rest", kind, operation="SendMessage")

    with pytest.raises(errors.PayamakGenError) as caught:
        _send_rest(sandbox)

    assert not isinstance(caught.value, errors.ApiError)
    assert caught.value.outcome_unknown


def test_documented_refusal_is_a_known_outcome(sandbox: Sandbox) -> None:
    sandbox.admin.set_credit(DEMO_USERNAME, 0)

    with pytest.raises(errors.InsufficientCreditError) as caught:
        _send_rest(sandbox)

    assert not caught.value.outcome_unknown
    assert sandbox.admin.messages() == []


def test_soap_server_fault_is_an_unknown_outcome(sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_xml", "soap_fault", operation="sendmessage")

    with (
        TrezXmlClient(DEMO_USERNAME, DEMO_PASSWORD, DEMO_LINE, base_url=sandbox.base_url) as c,
        pytest.raises(errors.SoapFaultError) as caught,
    ):
        c.send_message(mobiles=[MOBILE], message="code 1234", user_group_id="order-2")

    assert caught.value.kind == "server"
    assert caught.value.outcome_unknown
