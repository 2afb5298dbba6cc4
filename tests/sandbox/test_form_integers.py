"""Integer fields of a form (ippanel_classic's ids, ``format: int64`` in the spec) are read as
numbers only within 64 bits: beyond, the sandbox answers HTTP 400 naming the value, never a 500
from its store."""

from __future__ import annotations

import httpx
import pytest

from payamak.sandbox import DEMO_PASSWORD, DEMO_USERNAME, Sandbox

PATH = "/services.jspd"
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def _delivery(sandbox: Sandbox, bulk_id: str) -> httpx.Response:
    form = {"uname": DEMO_USERNAME, "pass": DEMO_PASSWORD, "op": "delivery", "uinqid": bulk_id}
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as http:
        return http.post(PATH, data=form)


@pytest.mark.parametrize("bulk_id", [INT64_MAX, INT64_MIN, 0, 10**18])
def test_an_id_within_64_bits_is_read_as_a_number(sandbox: Sandbox, bulk_id: int) -> None:
    response = _delivery(sandbox, str(bulk_id))

    assert (response.status_code, response.content) == (200, b"null")  # no such bulk


@pytest.mark.parametrize(
    "text", [str(INT64_MAX + 1), str(INT64_MIN - 1), "-33478942727797120166415725657933742080"]
)
def test_an_id_beyond_64_bits_is_refused_naming_it(sandbox: Sandbox, text: str) -> None:
    response = _delivery(sandbox, text)

    assert response.status_code == 400
    assert "uinqid" in response.text
    assert text in response.text
