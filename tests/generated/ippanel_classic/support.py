"""Constants and a recording answerer shared by the ippanel_classic client tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

USERNAME = "demo-user"
# Characters a form must escape (&, =, +, space) and Persian: the encoding is checked exactly.
PASSWORD = "s3cret&=+ پسورد"
PATH = "/services.jspd"
FORM_TYPE = "application/x-www-form-urlencoded"


def form_bytes(pairs: list[tuple[str, str]]) -> bytes:
    """The urlencoded body a client must send for ``pairs`` (credentials and op first), written
    out by hand (quote_plus rules, UTF-8), not with the function the runtime uses."""
    every = [("uname", USERNAME), ("pass", PASSWORD), *pairs]
    return "&".join(
        f"{quote(k, safe='').replace('%20', '+')}={quote(v, safe='').replace('%20', '+')}"
        for k, v in every
    ).encode("ascii")


@dataclass
class Recorder:
    """What the server was sent: each body and its content type."""

    bodies: list[bytes] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)


def answer(
    httpserver: HTTPServer,
    body: bytes | str,
    *,
    content_type: str = "application/json",
    status: int = 200,
) -> Recorder:
    """Answer the next POST to /services.jspd with ``body``, recording what it was sent."""
    seen = Recorder()

    def handler(request: Request) -> Response:
        seen.bodies.append(request.get_data())
        seen.content_types.append(request.headers.get("Content-Type", ""))
        return Response(body, status=status, content_type=content_type)

    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_handler(handler)
    return seen
