"""The form binding's runtime (``_runtime/form_api``) at its exact edges: what a form carries
(wire names, JSON text for lists, UTF-8 not ``\\u`` escapes, ``true``/``false``, JSON-mode dates),
which whole bodies stand for a code (2xx only, at most 512 bytes, quoted or not), and what a
result that does not fit says. Expectations are written out here; answers come from a loopback
server (pytest-httpserver) through the generated ippanel_classic client."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import pydantic
import pytest
from pytest_httpserver import HTTPServer

from payamak_gen import errors
from payamak_gen._runtime.form_api import ArrayEnvelope, form_request
from payamak_gen.ippanel_classic import IppanelClassicClient
from payamak_gen.ippanel_classic.operations import ENVELOPE

PATH = "/services.jspd"
JSON = "application/json"


class _Body(pydantic.BaseModel):
    op: str
    to: list[str] = pydantic.Field(alias="To")
    flash: bool
    at: datetime
    note: str | None = None


def _form(body: pydantic.BaseModel, *json_fields: str) -> list[tuple[str, str]]:
    request = form_request("POST", PATH, body, json_fields=json_fields)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    return parse_qsl(request.content.decode("ascii"), keep_blank_values=True)


def test_a_form_carries_wire_names_json_lists_booleans_and_json_mode_dates() -> None:
    body = _Body(
        op="send",
        To=["09121234567", "سلام"],
        flash=False,
        at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    )

    assert _form(body, "To") == [
        ("op", "send"),
        ("To", '["09121234567","سلام"]'),  # UTF-8 in the JSON text, no \u escapes or spaces
        ("flash", "false"),
        ("at", "2026-01-02T03:04:05Z"),
    ]  # and the absent note is left out


def test_true_is_written_true() -> None:
    body = _Body(op="send", To=[], flash=True, at=datetime(2026, 1, 1, tzinfo=timezone.utc))

    assert ("flash", "true") in _form(body, "To")


def test_an_envelope_needs_no_answers_and_is_immutable() -> None:
    envelope = ArrayEnvelope(
        provider="p",
        code_index=0,
        result_index=1,
        success_code=0,
        result_codes=ENVELOPE.result_codes,
        auth_failure_fa="",
    )

    assert dict(envelope.answers) == {}
    with pytest.raises(FrozenInstanceError):
        # A write to a frozen field, on purpose: the runtime refusal is under test.
        envelope.success_code = 1  # type: ignore[misc]


# -- whole bodies that stand for a code ---------------------------------------------------------


def _credit(server: HTTPServer, body: bytes, status: int = 200) -> BaseException:
    server.expect_request(PATH, method="POST").respond_with_data(
        body, status=status, content_type=JSON
    )
    with (
        IppanelClassicClient("u", "p", base_url=server.url_for("/")) as client,
        pytest.raises(errors.PayamakGenError) as caught,
    ):
        client.get_credit()
    return caught.value


@pytest.mark.parametrize("body", [b"null", b' "null" ', b" " * 508 + b"null"])
def test_a_short_answer_body_stands_for_its_code(httpserver: HTTPServer, body: bytes) -> None:
    error = _credit(httpserver, body)

    assert isinstance(error, errors.ApiError) and error.code == "null"


def test_a_body_over_512_bytes_is_never_an_answer(httpserver: HTTPServer) -> None:
    # 513 bytes: read as JSON instead, where null is no [code, data] array.
    error = _credit(httpserver, b" " * 509 + b"null")

    assert isinstance(error, errors.ResponseValidationError)
    assert error.detail == "body is not a [code, data] array"


@pytest.mark.parametrize("status", [300, 500])
def test_an_answer_body_outside_2xx_is_an_http_status_error(
    httpserver: HTTPServer, status: int
) -> None:
    error = _credit(httpserver, b"null", status=status)

    assert isinstance(error, errors.HttpStatusError) and error.status_code == status


def test_a_result_that_does_not_fit_is_described_within_bounds(httpserver: HTTPServer) -> None:
    error = _credit(httpserver, b'[0, {"k": "' + b"x" * 5000 + b'"}]')

    assert isinstance(error, errors.ResponseValidationError)
    assert error.detail.startswith("data does not fit the result: 1 error(s): ")
    assert "x" * 61 not in error.detail  # the value is shown cut short, never whole
    assert "'input'" not in error.detail  # pydantic's copy of the input is left out
    assert "errors.pydantic.dev" not in error.detail  # and so are its documentation links
