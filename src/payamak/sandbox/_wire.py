"""The small request/response pair that provider modules speak.

Provider handlers see a fully read request and return bytes; the ASGI plumbing lives in `_app`.
This keeps providers free of framework details and keeps the hot path (a send) cheap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

__all__ = ["JSON_TYPE", "XML_TYPE", "WireRequest", "WireResponse", "json_response", "wire_request"]

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


@dataclass(frozen=True)
class WireRequest:
    """An HTTP request as a provider sees it.

    Attributes:
        method: HTTP method, upper case.
        path: The URL path as sent (original case).
        query_string: The raw query string, without `?`.
        headers: Header names lower-cased; repeated headers joined with ", ".
        body: The whole request body.
        client_host: The caller's IP address, if known.
    """

    method: str
    path: str
    query_string: str
    # Out of the repr: headers carry Basic credentials and bodies carry passwords (trez_xml).
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    client_host: str | None = None

    @property
    def query(self) -> dict[str, list[str]]:
        """The query string parsed; keys keep their case, `?wsdl` gives `{"wsdl": [""]}`."""
        return parse_qs(self.query_string, keep_blank_values=True)

    def has_query_flag(self, name: str) -> bool:
        """Whether the query has `name` as a key, case-insensitively (IIS serves `?WSDL` too)."""
        wanted = name.lower()
        return any(key.lower() == wanted for key in self.query)


@dataclass(frozen=True)
class WireResponse:
    """An HTTP response from a provider.

    Attributes:
        status: HTTP status code.
        body: The response body.
        content_type: The Content-Type header value.
        headers: Extra headers.
    """

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)


def json_response(payload: Any, status: int = 200) -> WireResponse:
    """Serialises `payload` as compact UTF-8 JSON, Persian unescaped as the gateways send it."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return WireResponse(status, body)


def wire_request(scope: Mapping[str, Any], body: bytes) -> WireRequest:
    """Builds a `WireRequest` from an ASGI HTTP scope and the fully read body."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers") or ():
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    client = scope.get("client")
    return WireRequest(
        method=str(scope.get("method", "GET")).upper(),
        path=str(scope.get("path", "/")),
        query_string=bytes(scope.get("query_string") or b"").decode("latin-1"),
        headers=headers,
        body=body,
        client_host=str(client[0]) if client else None,
    )
