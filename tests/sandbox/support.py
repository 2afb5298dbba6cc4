"""Helpers shared by the sandbox tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

DEMO_AUTH = ("demo", "demo")
LINE = "50002910001080"
PORT_LINE = "30001234567890"
OTHER_LINE = "50002910002020"
BLACKLISTED = "09120000000"
FILTERED_WORD = "filtered-word"
MOBILE = "09121234567"
SUCCESS_FA = "عملیات با موفقیت انجام شد"
CREDIT = 1_000_000
PRICE_FA = 112
PRICE_EN = 275


@dataclass
class Rest:
    """Calls trez_rest methods over raw HTTP and returns the parsed envelope."""

    http: httpx.Client

    def post(self, method: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        """Posts `body` as JSON (or nothing when None) to /api/smsAPI/<method>."""
        if body is None:
            return self.http.post(f"/api/smsAPI/{method}", **kwargs)
        return self.http.post(f"/api/smsAPI/{method}", json=body, **kwargs)

    def call(self, method: str, body: Any = None, **kwargs: Any) -> dict[str, Any]:
        """Posts and returns the envelope, checking it is HTTP 200 JSON with the three keys."""
        response = self.post(method, body, **kwargs)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/json")
        envelope: dict[str, Any] = response.json()
        assert set(envelope) == {"Code", "Message", "Result"}, envelope
        return envelope

    def ok(self, method: str, body: Any = None) -> Any:
        """Calls, asserts Code 0 with the success text, and returns Result."""
        envelope = self.call(method, body)
        assert envelope["Code"] == 0, envelope
        assert envelope["Message"] == SUCCESS_FA
        return envelope["Result"]

    def code(self, method: str, body: Any = None, **kwargs: Any) -> int:
        """Calls and returns the envelope's Code (asserting Result is null on errors)."""
        envelope = self.call(method, body, **kwargs)
        code: int = envelope["Code"]
        if code not in (0, 5004):
            assert envelope["Result"] is None, envelope
        return code

    def credit(self) -> int:
        """The demo account's credit, read through GetCredit."""
        credit: int = self.ok("GetCredit")
        return credit


def send_body(**overrides: Any) -> dict[str, Any]:
    """A valid SendMessage body, with fields replaced as given."""
    body: dict[str, Any] = {
        "PhoneNumber": LINE,
        "Message": "hello",
        "Mobiles": [MOBILE],
        "UserGroupID": "13",
        "SendDateInTimeStamp": 0,
    }
    body.update(overrides)
    return body


def corresponding_body(**overrides: Any) -> dict[str, Any]:
    """A valid SendCorrespondingMessage body, with fields replaced as given."""
    body: dict[str, Any] = {
        "PhoneNumber": LINE,
        "UserGroupID": "14",
        "RecipientsMessage": [
            {"Id": "1", "Message": "کاربراول", "Mobile": "09112170848"},
            {"Id": "2", "Message": "second user", "Mobile": "09116662206"},
        ],
    }
    body.update(overrides)
    return body


def port_body(**overrides: Any) -> dict[str, Any]:
    """A valid SendMessageToPort body (on the demo's port-capable line)."""
    body = corresponding_body(PhoneNumber=PORT_LINE)
    body.update({"recievePortNumber": 2000, "sendPortNumber": 4000})
    body.update(overrides)
    return body
