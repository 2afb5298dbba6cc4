"""Every answer of ippanel_classic that is not a success, over HTTP on 127.0.0.1: each code of
errors.yaml to its typed error, an undocumented code, the literal ``null``, the plain-text answer
to wrong credentials, checkmessage's errors, and answers of the wrong shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from payamak_gen.errors import (
    ApiError,
    AuthenticationError,
    InsufficientCreditError,
    InvalidRequestError,
    LimitExceededError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    ResponseValidationError,
    ServerError,
)
from payamak_gen.ippanel_classic import AsyncIppanelClassicClient, IppanelClassicClient
from payamak_gen.ippanel_classic.errors import DELIVERY_CODES, GROUP_STATUS_CODES, RESULT_CODES
from tests.generated.ippanel_classic.support import PASSWORD, answer

ERRORS = yaml.safe_load(
    (Path(__file__).resolve().parents[3] / "specs/ippanel_classic/errors.yaml").read_text("utf-8")
)
CLASS_BY_KIND = {
    "invalid_request": InvalidRequestError,
    "authentication": AuthenticationError,
    "permission": PermissionDeniedError,
    "insufficient_credit": InsufficientCreditError,
    "limit_exceeded": LimitExceededError,
    "not_found": NotFoundError,
    "server": ServerError,
}
ARRAY_CODES = [
    c for c in ERRORS["result_codes"] if c["kind"] != "ok" and isinstance(c["code"], int)
]


def test_the_generated_tables_hold_every_code_of_errors_yaml() -> None:
    assert [c.code for c in RESULT_CODES] == [c["code"] for c in ERRORS["result_codes"]]
    assert [c.code for c in DELIVERY_CODES] == [c["code"] for c in ERRORS["delivery_codes"]]
    assert [c.code for c in GROUP_STATUS_CODES] == [c["code"] for c in ERRORS["group_status_codes"]]


@pytest.mark.parametrize("entry", ARRAY_CODES, ids=[str(c["code"]) for c in ARRAY_CODES])
def test_each_code_raises_its_typed_error(
    client: IppanelClassicClient, httpserver: HTTPServer, entry: dict[str, object]
) -> None:
    answer(httpserver, json.dumps([entry["code"], entry["fa"]], ensure_ascii=False))
    with pytest.raises(ApiError) as caught:
        client.send(sender="5000", message="m", to=["09121111111"])
    error = caught.value
    assert type(error) is CLASS_BY_KIND[str(entry["kind"])]
    assert (error.code, error.kind, error.operation) == (entry["code"], entry["kind"], "send")
    assert error.message_en == entry["en"]
    assert error.result == entry["fa"]
    assert PASSWORD not in f"{error!s}{error!r}"


@pytest.mark.parametrize("code", [1234, "555"], ids=["unlisted", "unlisted-as-text"])
async def test_an_undocumented_code_is_an_api_error_with_its_raw_code(
    async_client: AsyncIppanelClassicClient, httpserver: HTTPServer, code: object
) -> None:
    answer(httpserver, json.dumps([code, None]))
    with pytest.raises(ApiError) as caught:
        await async_client.get_credit()
    assert type(caught.value) is ApiError
    assert (caught.value.code, caught.value.kind) == (int(str(code)), None)


@pytest.mark.parametrize("body", ["null", " null\n"], ids=["null", "padded"])
def test_the_literal_null_is_an_unknown_bulk_id(
    client: IppanelClassicClient, httpserver: HTTPServer, body: str
) -> None:
    answer(httpserver, body)
    with pytest.raises(NotFoundError) as caught:
        client.delivery(bulk_id=1)
    assert (caught.value.code, caught.value.operation) == ("null", "delivery")
    assert caught.value.message_fa == "کد بالک ارسالی اشتباه است"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("the username or password is incorrect", "text/html; charset=UTF-8"),
        ("the username or password is incorrect\n", "text/plain"),
        ('"the username or password is incorrect"', "application/json"),
    ],
    ids=["html", "plain", "json-string"],
)
async def test_the_plain_text_wrong_credentials_answer_is_code_962(
    async_client: AsyncIppanelClassicClient, httpserver: HTTPServer, body: str, content_type: str
) -> None:
    answer(httpserver, body, content_type=content_type)
    with pytest.raises(AuthenticationError) as caught:
        await async_client.delivery(bulk_id=1)
    assert caught.value.code == 962
    assert PASSWORD not in f"{caught.value!s}{caught.value!r}"


def test_checkmessage_reads_an_error_array_as_an_error(
    client: IppanelClassicClient, httpserver: HTTPServer
) -> None:
    # checkmessage's success is an object; its failures are still [code, data].
    answer(httpserver, "[962, null]")
    with pytest.raises(AuthenticationError):
        client.check_message(bulk_id=1)


def test_an_unlisted_status_keeps_its_raw_value(
    client: IppanelClassicClient, httpserver: HTTPServer
) -> None:
    answer(httpserver, json.dumps([0, json.dumps(["+98912:queuedsomewhere"])]))
    (entry,) = client.delivery(bulk_id=1)
    assert (entry.number, entry.status.code, entry.state) == (
        "+98912",
        "queuedsomewhere",
        "pending",
    )


@pytest.mark.parametrize(
    ("method", "body", "error", "message"),
    [
        ("send", "<html>oops</html>", MalformedResponseError, "not valid JSON"),
        ("send", '{"code": 0}', ResponseValidationError, r"not a \[code, data\] array"),
        ("send", "[0]", ResponseValidationError, r"not a \[code, data\] array"),
        ("send", "[0, 1.5]", ResponseValidationError, "does not fit the result"),
        ("get_credit", '[0, "lots"]', ResponseValidationError, "does not fit the result"),
        ("delivery", '[0, ["+98912:send"]]', ResponseValidationError, "not JSON text"),
        ("delivery", '[0, "[\\"no colon\\"]"]', ResponseValidationError, "does not fit"),
        ("check_message", '{"statusMessage": "Finish"}', ResponseValidationError, "does not fit"),
        ("book_list", '[0, "[{\\"id\\": 1}]"]', ResponseValidationError, "does not fit"),
    ],
    ids=[
        "html",
        "object",
        "short-array",
        "fraction",
        "credit-text",
        "not-json-text",
        "no-colon",
        "partial-object",
        "book-without-title",
    ],
)
def test_answers_of_another_shape(
    client: IppanelClassicClient,
    httpserver: HTTPServer,
    method: str,
    body: str,
    error: type[Exception],
    message: str,
) -> None:
    answer(httpserver, body)
    calls: dict[str, dict[str, object]] = {
        "send": {"sender": "5000", "message": "m", "to": ["0912"]},
        "get_credit": {},
        "delivery": {"bulk_id": 1},
        "check_message": {"bulk_id": 1},
        "book_list": {},
    }
    kwargs = calls[method]
    with pytest.raises(error, match=message):
        getattr(client, method)(**kwargs)
