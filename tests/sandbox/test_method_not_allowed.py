"""Issue 12, item 7: every 405 says in `Allow` which methods the resource does take (RFC 9110
15.5.6), and those methods are indeed taken there."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from payamak.sandbox import Sandbox
from tests.sandbox.support import DEMO_AUTH

# Every path the sandbox serves, with the methods it serves there.
SERVED = {
    "/api/smsAPI/GetCredit": {"POST"},
    "/api/smsapi/sendmessage": {"POST"},  # IIS ignores the path's case, so does the sandbox
    "/XmlForSMS.asmx": {"GET", "HEAD", "POST"},
    "/post/send.asmx": {"GET", "HEAD", "POST"},
    "/post/IncomingMessages.asmx": {"GET", "HEAD", "POST"},
    "/_sandbox/": {"GET", "HEAD"},
    "/_sandbox/messages": {"GET", "HEAD"},
    "/_sandbox/inbound": {"GET", "HEAD", "POST"},
    "/_sandbox/advance": {"POST"},
    "/_sandbox/clock": {"GET", "HEAD"},
    "/_sandbox/credit": {"POST"},
    "/_sandbox/reset": {"POST"},
    "/_sandbox/faults": {"GET", "HEAD", "POST", "DELETE"},
    "/_sandbox/accounts": {"GET", "HEAD", "POST"},
}
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, auth=DEMO_AUTH, timeout=10) as client:
        yield client


@pytest.mark.parametrize("path", sorted(SERVED))
def test_a_405_lists_exactly_the_methods_served_there(http: httpx.Client, path: str) -> None:
    for method in METHODS:
        response = http.request(method, path)
        if method in SERVED[path]:
            assert response.status_code != 405, (method, path)
            continue
        assert response.status_code == 405, (method, path, response.status_code)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert allowed == SERVED[path], (method, path)
