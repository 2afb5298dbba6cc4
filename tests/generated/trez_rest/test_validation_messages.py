"""A body that does not fit the schema is described by where and what is wrong, in a message
short enough for a log line: the pydantic errors are listed without their inputs (the body is
already shown once, as a bounded preview) and without documentation links."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen import errors
from payamak_gen.trez_rest import TrezRestClient

PRICES = "/api/smsAPI/GetPrices"


def test_validation_message_lists_locations_not_inputs(
    httpserver: HTTPServer, client: TrezRestClient
) -> None:
    body = {"Code": 0, "Message": "ok", "Result": {"Fa_Price": "x" * 500, "En_Price": 1}}
    httpserver.expect_request(PRICES).respond_with_json(body)

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.get_prices()

    message = str(caught.value)
    assert "('Result', 'Fa_Price')" in message  # where, by wire name
    assert "'input'" not in message  # pydantic's copy of the value is left out
    assert "errors.pydantic.dev" not in message
    assert message.count("x" * 100) <= 1  # the value appears at most in the bounded preview
    assert caught.value.raw == httpserver.log[0][1].get_data()  # the whole body stays available
