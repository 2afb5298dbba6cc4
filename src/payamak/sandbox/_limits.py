"""How much work one request may cost the sandbox, and the body reader that holds to it.

The sandbox serves every client from one event loop, so a single request that is parsed or
validated for seconds, or that costs a gigabyte, stalls everyone else. Each limit below is sized
from the largest request a real client legitimately sends, with headroom; this docstring is where
they are documented (the provider modules say which code each one answers with).

`MAX_BODY_BYTES` (8 MiB). The largest legitimate requests are one text to the 50,000-recipient
maximum: trez_xml `sendmessage` type 0 with every recipient written as the manual does
(`<recipient mobile="+989121234567"> </recipient>`, one per indented line) and a 640-character
Persian text is 3.7 MB once escaped into the SOAP envelope; trez_rest `SendMessage` with the same
50,000 numbers, pretty-printed, with a ten-part Persian text as `\\uXXXX` escapes, is 1.2 MB. The
limit gives those twice their size. It also holds 250,000 message ids of 18 digits (5.2 MB) for
CorrespondingMessageStatus. What it does not hold is 50,000 per-recipient texts at once (about
23 MB for one-part Persian texts escaped as PHP and Python write JSON): such batches must be
split, as they must for the real ASP.NET gateway, whose request limit is smaller still by default.

`MAX_JSON_VALUES` (300,000). A JSON parser turns 8 MiB into up to 2.8 million objects (`[{},{},…]`,
about 200 MB and a second of parsing that no thread can share, since the parser holds the GIL).
The largest legitimate JSON requests hold 200,000 values (50,000 per-recipient objects of three
fields) or 250,000 (the ids above); `json_values_at_most` counts a body's values before it is
parsed, in a few milliseconds, so a body with more is refused without being parsed.

`MAX_XML_ELEMENTS` (200,000) is the default bound on the elements of an XML document the sandbox
parses: a SOAP operation taking 50,000 recipients as an array needs 50,000 elements, while 8 MiB
of `<a/>` would be two million nodes, built and refused as they are read. Providers pass less
where they can: a trez_xml envelope may have 1,000 elements (it carries one string), its inner
document 50,000 recipients and 64 other elements.

Elsewhere, for the same reason: a JSON schema check builds at most `_openapi.MAX_ERRORS` errors;
trez_rest refuses a list of more than 50,000 recipients or ids (2005) before checking its items
and checks bodies over 64 KiB in a worker thread (jsonschema is pure Python, so the event loop
keeps its turns); trez_xml refuses more than 50,000 recipients (468) while it parses them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_JSON_VALUES",
    "MAX_XML_ELEMENTS",
    "BodyTooLargeError",
    "Message",
    "Receive",
    "Scope",
    "Send",
    "declared_length",
    "json_values_at_most",
    "read_body",
    "send_too_large",
]

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_JSON_VALUES = 300_000
MAX_XML_ELEMENTS = 200_000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# A JSON string token, written so that the regex engine runs through the text in one loop rather
# than one alternation per character.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class BodyTooLargeError(Exception):
    """A request body is larger than the limit (it has been read no further than that)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body larger than {limit} bytes")
        self.limit = limit


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, or None when it has none or one that is no number."""
    for name, value in scope.get("headers") or ():
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else None
    return None


async def read_body(scope: Scope, receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """Reads a request body, stopping as soon as it is known to be larger than `limit`.

    A declared Content-Length over the limit is refused before a byte of the body is read; a
    chunked body is read piece by piece and refused at the first piece that crosses the limit.
    Either way no more than `limit` bytes are ever held.

    Returns:
        The body, or None if the client went away before sending all of it.

    Raises:
        BodyTooLargeError: If the body is larger than `limit`.
    """
    declared = declared_length(scope)
    if declared is not None and declared > limit:
        raise BodyTooLargeError(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def send_too_large(send: Send, limit: int = MAX_BODY_BYTES) -> None:
    """Answers HTTP 413 naming the limit, and closes the connection.

    Closing is what bounds the work: kept open, the server would go on reading and dropping the
    rest of the body, 200 MB of it or an endless stream. A client still sending then gets a
    reset on its next write, after this answer has arrived; HTTP clients read it (httpx reads the
    answer when a write fails, curl sends `Expect: 100-continue` and gets it before the body).
    """
    body = f"Request body too large: the sandbox accepts at most {limit} bytes.".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def json_values_at_most(document: bytes, limit: int = MAX_JSON_VALUES) -> bool:
    """Whether a JSON document holds at most `limit` values, counted without parsing it.

    Every value but the document itself is either the first item of an array or object or follows
    a comma, so the values number at most 1 + commas + brackets + braces outside strings. Strings
    are cut out first (their text may hold any of those characters); a document with more than
    twice `limit` strings (an object's keys are strings too) has too many values whatever else it
    holds. The count is exact when no array or object is empty (each empty one adds one), and may
    be too high for a document that is not valid JSON, which the parser then refuses anyway.
    """
    stripped, strings = _JSON_STRING.subn(b"", document, count=2 * limit + 1)
    if strings > 2 * limit:
        return False
    structural = stripped.count(b",") + stripped.count(b"[") + stripped.count(b"{")
    return structural + 1 <= limit
