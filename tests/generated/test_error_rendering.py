"""What an error shows of what it was given, at the exact bounds the runtime promises: a body
preview of 200 bytes, a value preview of 40 characters, hidden values, numbers the JSON decoder
refuses, and an undocumented code that keeps what the server sent beside it.

Expectations are written out by hand here (not read from the runtime's constants), so that a
changed bound fails. Every answer comes from a real loopback server (pytest-httpserver)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen import errors
from payamak_gen._runtime.catalog import ResultCodeTable
from payamak_gen._runtime.json_api import JsonEnvelope
from payamak_gen.trez_rest import TrezRestClient

JSON = "application/json"
CREDIT = "/api/smsAPI/GetCredit"


def _client(server: HTTPServer) -> TrezRestClient:
    return TrezRestClient("demo-user", "s3cret", base_url=server.url_for("/"))


def _credit_error(server: HTTPServer, body: bytes, status: int = 200) -> errors.PayamakGenError:
    server.expect_request(CREDIT).respond_with_data(body, status=status, content_type=JSON)
    with _client(server) as client, pytest.raises(errors.PayamakGenError) as caught:
        client.get_credit()
    return caught.value


# -- the body preview: 200 bytes, then an ellipsis ----------------------------------------------


def test_a_body_of_200_bytes_is_shown_whole(httpserver: HTTPServer) -> None:
    error = _credit_error(httpserver, b"a" * 200, status=418)

    assert isinstance(error, errors.HttpStatusError)
    assert str(error) == f"trez_rest GetCredit: unexpected HTTP status 418: {'a' * 200!r}"


def test_a_body_of_201_bytes_is_cut_after_200(httpserver: HTTPServer) -> None:
    error = _credit_error(httpserver, b"a" * 200 + b"b", status=418)

    assert str(error) == f"trez_rest GetCredit: unexpected HTTP status 418: {'a' * 200 + '…'!r}"
    assert isinstance(error, errors.HttpStatusError) and error.raw == b"a" * 200 + b"b"


def test_a_malformed_body_is_previewed_too(httpserver: HTTPServer) -> None:
    error = _credit_error(httpserver, b"{" + b"x" * 300)

    assert isinstance(error, errors.MalformedResponseError)
    assert str(error).endswith(f"; body: {'{' + 'x' * 199 + '…'!r}")


# -- the value preview: 40 characters of repr, then an ellipsis; some values hidden ------------


def _refused(httpserver: HTTPServer, **kwargs: Any) -> errors.InvalidInputError:
    with _client(httpserver) as client, pytest.raises(errors.InvalidInputError) as caught:
        client.send_code(**kwargs)
    assert httpserver.log == []  # refused before anything was sent
    return caught.value


def test_a_value_whose_repr_is_40_characters_is_shown_whole(httpserver: HTTPServer) -> None:
    value = ["x" * 36]  # repr: ['xxx…'] is 40 characters
    assert len(repr(value)) == 40

    error = _refused(httpserver, mobile=value, message="hi")

    assert error.value == f"{value!r} (list)"
    assert str(error).endswith(f" (got {value!r} (list))")


def test_a_value_whose_repr_is_41_characters_is_cut_after_40(httpserver: HTTPServer) -> None:
    value = ["x" * 37]

    error = _refused(httpserver, mobile=value, message="hi")

    assert error.value == f"{repr(value)[:40]}… (list)"


class _Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("repr failed")


def test_a_value_whose_repr_fails_is_shown_by_its_type(httpserver: HTTPServer) -> None:
    error = _refused(httpserver, mobile=_Unprintable(), message="hi")

    assert (error.field, error.value) == ("mobile", "<_Unprintable>")


def test_a_mapping_value_is_hidden_as_it_may_carry_credentials(httpserver: HTTPServer) -> None:
    with _client(httpserver) as client, pytest.raises(errors.InvalidInputError) as caught:
        client.send_corresponding_message(
            phone_number="50002910001080",
            user_group_id="1",
            # A mapping where records belong, on purpose: the runtime check is under test.
            recipients_message=[{"password": "s3cret"}],  # type: ignore[list-item]
        )

    assert caught.value.value == "<dict, hidden>"
    assert "s3cret" not in str(caught.value)
    assert httpserver.log == []


def test_an_input_error_without_a_value_says_nothing_of_one() -> None:
    error = errors.InvalidInputError(
        "is required", provider="trez_rest", operation="SendCode", field="mobile"
    )

    assert str(error) == "trez_rest SendCode: invalid input: mobile: is required"
    assert error.value is None


# -- numbers the decoder refuses before any model sees them -------------------------------------


def test_an_integer_of_64_digits_is_read(httpserver: HTTPServer) -> None:
    digits = "9" * 64
    httpserver.expect_request(CREDIT).respond_with_data(
        f'{{"Code":0,"Message":"ok","Result":{digits}}}', content_type=JSON
    )
    with _client(httpserver) as client:
        assert client.get_credit() == int(digits)


@pytest.mark.parametrize("sign", ["", "-"])
def test_an_integer_of_65_digits_is_refused_by_the_decoder(
    httpserver: HTTPServer, sign: str
) -> None:
    error = _credit_error(
        httpserver, f'{{"Code":0,"Message":"","Result":{sign}{"9" * 65}}}'.encode()
    )

    assert isinstance(error, errors.ResponseValidationError)
    assert error.detail == f"an integer of {len(sign) + 65} characters"


@pytest.mark.parametrize("literal", ["1e999", "-1e999", "1" + "0" * 30 + ".5e999"])
def test_a_float_beyond_range_is_refused_by_the_decoder(
    httpserver: HTTPServer, literal: str
) -> None:
    error = _credit_error(httpserver, f'{{"Code":0,"Message":"","Result":{literal}}}'.encode())

    assert isinstance(error, errors.ResponseValidationError)
    assert error.detail == f"{literal[:20]!r} is not a finite number"


@pytest.mark.parametrize("name", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_constant_is_refused_by_the_decoder(httpserver: HTTPServer, name: str) -> None:
    error = _credit_error(httpserver, f'{{"Code":0,"Message":"","Result":{name}}}'.encode())

    assert isinstance(error, errors.ResponseValidationError)
    assert error.detail == f"{name} is not a finite number"


def test_a_decimal_that_is_finite_reaches_the_model(httpserver: HTTPServer) -> None:
    # The decoder passes finite floats on; the model, which wants an integer, is what refuses.
    error = _credit_error(httpserver, b'{"Code":0,"Message":"","Result":1.5}')

    assert isinstance(error, errors.ResponseValidationError)
    assert error.detail.startswith("body does not fit GetCreditResponse")


# -- an undocumented code keeps what came beside it ---------------------------------------------


def test_an_undocumented_code_keeps_the_result_and_server_message(httpserver: HTTPServer) -> None:
    error = _credit_error(httpserver, b'{"Code":7777,"Message":"new code","Result":[1,2]}')

    assert type(error) is errors.ApiError
    assert (error.code, error.kind, error.retryable) == (7777, None, False)
    assert (error.result, error.server_message, error.http_status) == ([1, 2], "new code", 200)
    assert error.outcome_unknown is True


def test_the_result_envelope_is_immutable() -> None:
    envelope = JsonEnvelope(
        provider="trez_rest",
        code_field="Code",
        message_field="Message",
        result_field="Result",
        success_code=0,
        result_codes=ResultCodeTable(()),
        auth_failure_fa="",
    )

    with pytest.raises(FrozenInstanceError):
        # A write to a frozen field, on purpose: the runtime refusal is under test.
        envelope.code_field = "Status"  # type: ignore[misc]
