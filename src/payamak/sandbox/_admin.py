"""The admin API under `/_sandbox/`: look at and steer the sandbox from tests.

=========  ======================  ==============================================================
method     path                    does
=========  ======================  ==============================================================
GET        /_sandbox/              health and info: providers with their paths, clock
GET        /_sandbox/messages      sent messages; filters `provider`, `mobile`, `username`
POST       /_sandbox/inbound       inject an inbound message {line, mobile, text, username?,
                                   provider?, received_at?}
GET        /_sandbox/inbound       inbound messages; filters `username` (default demo), `line`
POST       /_sandbox/advance       move the clock on {seconds}
GET        /_sandbox/clock         the clock {now, frozen}
POST       /_sandbox/credit        set an account's credit {username, rials}
POST       /_sandbox/reset         back to the initial state; faults cleared, clock reset
POST       /_sandbox/faults        arm a fault {provider, operation="*", kind, count=1, latency=0,
                                   code (for kind error_code)}
GET        /_sandbox/faults        armed faults
DELETE     /_sandbox/faults        disarm every fault
GET        /_sandbox/accounts      accounts with credit, prices, lines, parent (no passwords)
POST       /_sandbox/accounts      create or replace an account (the config file's account shape)
=========  ======================  ==============================================================

Errors are `{"error": "..."}` with status 400 (bad input), 404 (unknown account or provider) or
413 (a body over `_limits.MAX_BODY_BYTES`).
Seconds and times must be finite: the JSON parser reads `NaN` and `Infinity`, and so does `float`
from the strings "nan" and "inf".
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._config import DEMO_USERNAME, SandboxConfig
from ._delivery import state_at
from ._faults import FAULT_KINDS
from ._limits import BodyTooLargeError, read_body
from ._store import Message

if TYPE_CHECKING:
    from ._services import Services

__all__ = ["PREFIX", "admin_routes"]

PREFIX = "/_sandbox"

Endpoint = Callable[[Request], Awaitable[Response]]


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json(request: Request) -> dict[str, Any]:
    try:
        raw = await read_body(request.scope, request.receive)
    except BodyTooLargeError as exc:
        raise _BadRequest(str(exc), 413) from None
    if raw is None:
        raise _BadRequest("the client went away before sending its body")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _BadRequest(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _BadRequest("body must be a JSON object")
    return data


def _finite(value: Any, name: str) -> float:
    """Reads a number that must be finite, or refuses the request naming the value."""
    number = float(value)
    if not math.isfinite(number):
        raise _BadRequest(f"{name} must be a finite number, not {value!r}")
    return number


# Every stored field but the fate (so a new one shows up by itself). The fate is where delivery
# will end; a caller sees only where it is now, as on a real panel.
_SHOWN_FIELDS = tuple(field.name for field in fields(Message) if field.name != "fate")


def _message_dict(message: Message, now: float) -> dict[str, Any]:
    """A message as the admin API lists it: its stored fields, with the fate turned into the state.

    Not ``dataclasses.asdict``: its deep copy of every value costs seconds over the 50,000
    messages of one large send, and every field here is a scalar.
    """
    data = {name: getattr(message, name) for name in _SHOWN_FIELDS}
    data["state"] = state_at(message.fate, message.send_at, now)
    return data


def admin_routes(services: Services) -> list[Route]:
    """Returns the admin API's routes bound to one sandbox's services."""

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                response: Response = await handler(request)
            except _BadRequest as exc:
                return _error(str(exc), exc.status)
            # OverflowError: int() of an infinite number, or an integer too big for SQLite.
            except (KeyError, TypeError, ValueError, OverflowError) as exc:
                return _error(f"bad request: {exc!r}")
            return response

        return endpoint

    async def info(request: Request) -> Response:
        return JSONResponse(
            {
                "providers": [
                    {
                        "name": p.name,
                        "paths": list(p.display_paths),
                        "operations": list(p.operations),
                    }
                    for p in services.providers
                ],
                "now": services.clock.now(),
                "frozen_clock": services.clock.frozen,
            }
        )

    async def messages(request: Request) -> Response:
        q = request.query_params
        found = services.store.messages(
            provider=q.get("provider") or None,
            mobile=q.get("mobile") or None,
            username=q.get("username") or None,
        )
        now = services.clock.now()
        return JSONResponse({"messages": [_message_dict(m, now) for m in found]})

    async def add_inbound(request: Request) -> Response:
        data = await _json(request)
        provider = data.get("provider")
        if provider is not None and services.provider(str(provider)) is None:
            raise _BadRequest(f"unknown provider {provider!r}", 404)
        line = services.store.line(str(data["line"]))
        if line is None:
            raise _BadRequest(f"unknown line {data['line']!r}", 404)
        username = str(data.get("username") or line.username)
        if username != line.username:
            raise _BadRequest(f"line {line.number} belongs to another account")
        given = data.get("received_at")
        # `is None`, not falsiness: 0 is a real time (the epoch), not "now".
        received_at = services.clock.now() if given is None else _finite(given, "received_at")
        item = services.store.add_inbound(
            username, line.number, str(data["mobile"]), str(data["text"]), received_at
        )
        return JSONResponse(
            {
                "id": item.id,
                "username": item.username,
                "line": item.line,
                "mobile": item.mobile,
                "text": item.text,
                "received_at": item.received_at,
            }
        )

    async def list_inbound(request: Request) -> Response:
        q = request.query_params
        items = services.store.inbound(
            username=q.get("username") or DEMO_USERNAME, line=q.get("line") or None
        )
        return JSONResponse(
            {
                "inbound": [
                    {
                        "id": i.id,
                        "line": i.line,
                        "mobile": i.mobile,
                        "text": i.text,
                        "received_at": i.received_at,
                        "is_read": i.is_read,
                    }
                    for i in items
                ]
            }
        )

    async def advance(request: Request) -> Response:
        data = await _json(request)
        now = services.advance(_finite(data["seconds"], "seconds"))
        return JSONResponse({"now": now})

    async def clock(request: Request) -> Response:
        return JSONResponse({"now": services.clock.now(), "frozen": services.clock.frozen})

    async def credit(request: Request) -> Response:
        data = await _json(request)
        username, rials = str(data["username"]), int(data["rials"])
        if rials < 0:
            raise _BadRequest("credit cannot be negative")
        if not services.store.set_credit(username, rials):
            raise _BadRequest(f"unknown account {username!r}", 404)
        return JSONResponse({"username": username, "credit_rials": rials})

    async def reset(request: Request) -> Response:
        services.reset()
        return JSONResponse({"reset": True})

    async def arm_fault(request: Request) -> Response:
        data = await _json(request)
        name = str(data["provider"])
        provider = services.provider(name)
        if provider is None:
            raise _BadRequest(f"unknown provider {name!r}", 404)
        kind = str(data["kind"])
        if kind not in FAULT_KINDS:
            raise _BadRequest(f"unknown fault kind {kind!r}; expected one of {list(FAULT_KINDS)}")
        if kind == "soap_fault" and provider.wire != "soap":
            raise _BadRequest(f"{name} does not speak SOAP; soap_fault does not apply")
        operation = str(data.get("operation") or "*")
        known = {op.lower() for op in provider.operations}
        if operation != "*" and operation.lower() not in known:
            raise _BadRequest(f"{name} has no operation {operation!r}", 404)
        code = data.get("code")
        fault = services.faults.arm(
            name,
            operation,
            kind,
            count=int(data.get("count", 1)),
            latency=_finite(data.get("latency", 0.0), "latency"),
            code=None if code is None else int(code),
        )
        return JSONResponse(fault.as_dict())

    async def list_faults(request: Request) -> Response:
        return JSONResponse({"faults": [f.as_dict() for f in services.faults.list()]})

    async def clear_faults(request: Request) -> Response:
        services.faults.clear()
        return JSONResponse({"faults": []})

    async def accounts(request: Request) -> Response:
        return JSONResponse(
            {
                "accounts": [
                    {
                        "username": a.username,
                        "credit_rials": a.credit_rials,
                        "price_fa": a.price_fa,
                        "price_en": a.price_en,
                        "api_enabled": a.api_enabled,
                        "allowed_ips": list(a.allowed_ips),
                        "lines": [
                            {"number": ln.number, "ports": ln.ports_allowed}
                            for ln in services.store.lines_of(a.username)
                        ],
                        "parent": a.parent,
                    }
                    for a in services.store.accounts()
                ]
            }
        )

    async def put_account(request: Request) -> Response:
        data = await _json(request)
        try:
            config = SandboxConfig.from_mapping({"include_demo": False, "accounts": [data]})
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None
        (account,) = config.accounts
        services.store.put_account(account)
        return JSONResponse({"username": account.username, "credit_rials": account.credit_rials})

    endpoints: dict[str, dict[str, Endpoint]] = {
        f"{PREFIX}/": {"GET": info},
        f"{PREFIX}/messages": {"GET": messages},
        f"{PREFIX}/inbound": {"GET": list_inbound, "POST": add_inbound},
        f"{PREFIX}/advance": {"POST": advance},
        f"{PREFIX}/clock": {"GET": clock},
        f"{PREFIX}/credit": {"POST": credit},
        f"{PREFIX}/reset": {"POST": reset},
        f"{PREFIX}/faults": {"GET": list_faults, "POST": arm_fault, "DELETE": clear_faults},
        f"{PREFIX}/accounts": {"GET": accounts, "POST": put_account},
    }
    # One route per path, whatever its methods: Starlette's 405 names the methods of the first
    # route whose path matched, so two routes on one path would give an `Allow` missing some.
    return [
        Route(path, guarded(_by_method(handlers)), methods=list(handlers))
        for path, handlers in endpoints.items()
    ]


def _by_method(handlers: Mapping[str, Endpoint]) -> Endpoint:
    """One endpoint that hands each request to the handler of its method (HEAD to GET's)."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return endpoint
