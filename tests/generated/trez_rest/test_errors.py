"""How the trez_rest client fails: each failure is a distinct typed error, and none leaks
credentials."""

from __future__ import annotations

import base64
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from payamak_gen import errors
from payamak_gen.trez_rest import AsyncTrezRestClient, TrezRestClient
from tests.generated.support import assert_matches_catalog, assert_no_secrets
from tests.generated.trez_rest.support import PASSWORD, USERNAME
from tests.spec_tables import result_codes

CREDIT = "/api/smsAPI/GetCredit"


def _assert_no_credentials(error: BaseException) -> None:
    encoded = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert_no_secrets(error, PASSWORD, encoded)


def test_http_401_is_an_authentication_error(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    httpserver.expect_request(CREDIT).respond_with_data("Unauthorized", status=401)

    with pytest.raises(errors.AuthenticationError) as caught:
        client.get_credit()

    assert caught.value.http_status == 401
    assert not caught.value.outcome_unknown
    assert caught.value.code is None
    assert caught.value.kind == "authentication"
    assert caught.value.raw == b"Unauthorized"
    assert caught.value.message_fa
    _assert_no_credentials(caught.value)


@pytest.mark.parametrize(
    "entry",
    [e for e in result_codes("trez_rest") if e["kind"] != "ok"],
    ids=lambda e: str(e["code"]),
)
def test_every_error_code_maps_to_its_typed_error(
    httpserver: HTTPServer, client: TrezRestClient, entry: dict[str, Any]
) -> None:
    body = {"Code": entry["code"], "Message": "پیام سرور", "Result": None}
    httpserver.expect_request(CREDIT).respond_with_json(body)

    with pytest.raises(errors.ApiError) as caught:
        client.get_credit()

    error = caught.value
    assert_matches_catalog(error, entry)
    assert error.server_message == "پیام سرور"
    # Written out, not derived: these are the codes after which messages may have gone out.
    assert error.outcome_unknown == (entry["code"] in {3001, 5001, 5002, 5003, 5004})
    assert error.raw == httpserver.log[0][1].get_data()
    assert (error.provider, error.operation) == ("trez_rest", "GetCredit")
    _assert_no_credentials(error)


def test_undocumented_code_is_a_plain_api_error(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    httpserver.expect_request(CREDIT).respond_with_json({"Code": 7777, "Message": "?"})

    with pytest.raises(errors.ApiError) as caught:
        client.get_credit()

    assert type(caught.value) is errors.ApiError
    assert caught.value.code == 7777
    assert caught.value.kind is None
    assert caught.value.outcome_unknown  # an unknown code says nothing about what was done


def test_error_code_as_a_numeric_string_is_understood(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    httpserver.expect_request(CREDIT).respond_with_json({"Code": "3003", "Message": "x"})

    with pytest.raises(errors.InsufficientCreditError):
        client.get_credit()


@pytest.mark.parametrize("status", [500, 502, 503, 404])
def test_unexpected_http_status(
    httpserver: HTTPServer, client: TrezRestClient, status: int
) -> None:
    httpserver.expect_request(CREDIT).respond_with_data("<html>oops</html>", status=status)

    with pytest.raises(errors.HttpStatusError) as caught:
        client.get_credit()

    assert caught.value.status_code == status
    assert caught.value.raw == b"<html>oops</html>"
    assert caught.value.outcome_unknown == (status >= 500)


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b'{"Code": 0, "Message": "ok", "Result": 12', b"\xff\xfe"],
    ids=["empty", "text", "truncated", "not-utf8"],
)
def test_malformed_json(httpserver: HTTPServer, client: TrezRestClient, body: bytes) -> None:
    httpserver.expect_request(CREDIT).respond_with_data(body, content_type="application/json")

    with pytest.raises(errors.MalformedResponseError) as caught:
        client.get_credit()

    assert caught.value.raw == body
    assert caught.value.outcome_unknown


@pytest.mark.parametrize(
    "body",
    [
        {"Code": 0, "Message": "ok", "Result": "a lot"},
        {"Code": 0, "Message": "ok"},
        {"Message": "no code", "Result": 1},
        {"Code": True, "Message": "bool is not a code", "Result": 1},
        [0, "ok", 1],
    ],
    ids=["wrong-type", "no-result", "no-code", "bool-code", "array"],
)
def test_body_that_does_not_fit_the_schema(
    httpserver: HTTPServer, client: TrezRestClient, body: object
) -> None:
    httpserver.expect_request(CREDIT).respond_with_json(body)

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.get_credit()

    assert caught.value.raw == httpserver.log[0][1].get_data()
    assert caught.value.outcome_unknown


def test_numbers_as_strings_and_strings_as_numbers_are_accepted(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    ok = {"Code": "0", "Message": "ok"}
    httpserver.expect_request(CREDIT).respond_with_json({**ok, "Result": "129249"})
    httpserver.expect_request("/api/smsAPI/GroupMessageStatus").respond_with_json(
        {**ok, "Result": {"StatusCode": 1, "MessagesListState": [{"Mobile": 9121, "Status": 8}]}}
    )
    httpserver.expect_request("/api/smsAPI/ReceiveMessages").respond_with_json(
        {
            **ok,
            "Result": {
                "Page": "1",
                "TotalPage": "2",
                "ReceivedMsgs": [{"Mobile": "98912", "Date": "1613388346", "MsgBody": "x"}],
            },
        }
    )
    httpserver.expect_request("/api/smsAPI/ShowWhiteList").respond_with_json(
        {**ok, "Result": ["9112170848", 9333152378]}
    )

    assert client.get_credit() == 129249
    status = client.group_message_status(group_message_id="1")
    inbox = client.receive_messages(
        phone_number="5000",
        start=datetime.fromtimestamp(1, timezone.utc),
        end=datetime.fromtimestamp(2, timezone.utc),
        page=1,
    )
    white = client.show_white_list(mobiles_list=["09112170848", "09333152378"])

    group, delivery = status.status_code, status.messages_list_state[0].status
    assert (group.code, group.state, delivery.code, delivery.state) == (1, "sent", 8, "sent")
    assert status.messages_list_state[0].mobile == "9121"
    received_at = datetime.fromtimestamp(1613388346, timezone.utc)
    assert (inbox.page, inbox.total_page, inbox.received_msgs[0].date) == (1, 2, received_at)
    assert white == [9112170848, 9333152378]


@contextmanager
def _held_answer(httpserver: HTTPServer, body: str) -> Iterator[None]:
    """Serves GetCredit with its answer held back until the block ends (where the client times out).

    The answer is then let go and waited for: a request still running after its test would be
    logged in the next test's `httpserver.log` (the server is the session's, cleared between tests)
    and would hold up that test's requests (it answers one at a time).
    """
    release = threading.Event()

    def held(request: Request) -> Response:
        release.wait(10)
        return Response(body, content_type="application/json")

    httpserver.expect_request(CREDIT).respond_with_handler(held)
    try:
        yield
    finally:
        release.set()
        deadline = time.monotonic() + 10
        while not httpserver.log and time.monotonic() < deadline:
            time.sleep(0.005)
    assert len(httpserver.log) == 1  # the held request has finished, and it was the only one


def test_timeout_is_a_request_timeout(httpserver: HTTPServer) -> None:
    with (
        _held_answer(httpserver, '{"Code":0,"Message":"ok","Result":1}'),
        TrezRestClient(USERNAME, PASSWORD, base_url=httpserver.url_for("/"), timeout=0.2) as c,
        pytest.raises(errors.RequestTimeout) as caught,
    ):
        c.get_credit()

    assert isinstance(caught.value, errors.TransportError)
    assert caught.value.operation == "GetCredit"
    assert caught.value.outcome_unknown  # the server got the request and may have acted


async def test_async_timeout_is_a_request_timeout(httpserver: HTTPServer) -> None:
    with _held_answer(httpserver, "{}"):
        async with AsyncTrezRestClient(
            USERNAME, PASSWORD, base_url=httpserver.url_for("/"), timeout=0.2
        ) as c:
            with pytest.raises(errors.RequestTimeout):
                await c.get_credit()


def test_connection_refused_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port once the probe socket is closed.
    with (
        TrezRestClient(USERNAME, PASSWORD, base_url=f"http://127.0.0.1:{port}") as c,
        pytest.raises(errors.TransportError) as caught,
    ):
        c.get_credit()
    assert not isinstance(caught.value, errors.RequestTimeout)
    assert not caught.value.outcome_unknown  # the request never left


def test_credentials_stay_out_of_repr_and_logs(
    httpserver: HTTPServer, client: TrezRestClient, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request(CREDIT).respond_with_json({"Code": 0, "Message": "", "Result": 5})
    caplog.set_level(logging.DEBUG)

    client.get_credit()

    encoded = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    for text in (repr(client), caplog.text):
        assert PASSWORD not in text
        assert encoded not in text
    assert caplog.text  # httpx and httpcore did log the exchange


@pytest.mark.parametrize("bad", ["raygansms.com", "ftp://x", "", "http://"])
def test_bad_base_url_is_refused_by_value(bad: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        TrezRestClient(USERNAME, PASSWORD, base_url=bad)
    assert repr(bad) in str(caught.value)


def test_injected_http_client_is_used_and_left_open(httpserver: HTTPServer) -> None:
    import httpx

    httpserver.expect_request(CREDIT).respond_with_json({"Code": 0, "Message": "", "Result": 5})
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]}) as http:
        with TrezRestClient(
            USERNAME, PASSWORD, base_url=httpserver.url_for("/"), http_client=http
        ) as c:
            assert c.get_credit() == 5
        assert not http.is_closed
    assert seen == [httpserver.url_for(CREDIT)]


def test_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="must not contain credentials") as caught:
        TrezRestClient(USERNAME, PASSWORD, base_url="https://user:hunter2@raygansms.com")
    assert "hunter2" not in str(caught.value)


def test_partial_failure_keeps_what_went_out(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    sent = [
        {"Id": 1, "Mobile": "09121234567", "Result": 2001},
        {"Id": 2, "Mobile": "0912", "Result": 0},
    ]
    httpserver.expect_request("/api/smsAPI/SendCorrespondingMessage").respond_with_json(
        {"Code": 5004, "Message": "برخی پیام ها ارسال نشدند", "Result": sent}
    )

    with pytest.raises(errors.PartialFailureError) as caught:
        client.send_corresponding_message(
            phone_number="50002910001080", user_group_id="g", recipients_message=[]
        )

    assert caught.value.result == sent
    assert caught.value.outcome_unknown


@pytest.mark.parametrize("status", [True, 8.5, None], ids=["bool", "float", "null"])
def test_a_status_that_is_no_code_is_a_validation_error(
    httpserver: HTTPServer, client: TrezRestClient, status: object
) -> None:
    httpserver.expect_request("/api/smsAPI/GroupMessageStatus").respond_with_json(
        {
            "Code": 0,
            "Message": "ok",
            "Result": {
                "StatusCode": 1,
                "MessagesListState": [{"Mobile": "9121", "Status": status}],
            },
        }
    )
    with pytest.raises(errors.ResponseValidationError, match="Status"):
        client.group_message_status(group_message_id="1")


def test_an_undocumented_status_keeps_its_code(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    httpserver.expect_request("/api/smsAPI/GroupMessageStatus").respond_with_json(
        {
            "Code": 0,
            "Message": "ok",
            "Result": {"StatusCode": "1", "MessagesListState": [{"Mobile": "9121", "Status": "0"}]},
        }
    )
    (recipient,) = client.group_message_status(group_message_id="1").messages_list_state
    assert (recipient.status.code, recipient.status.state) == ("0", "pending")
