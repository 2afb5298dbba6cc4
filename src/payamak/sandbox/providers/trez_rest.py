"""Trez / RayganSMS REST (`POST /api/smsAPI/{Method}`, JSON, HTTP Basic).

Behaviour follows the provider note (providers/trez_rest.md) and `specs/trez_rest/`; requests are
validated against `openapi.yaml` and result texts come from `errors.yaml`. Where the gateway's
behaviour is not documented, the sandbox chooses as follows (and tests pin it):

- Bad or missing Basic credentials: HTTP 401 with ASP.NET's `{"Message": ...}` body, no envelope.
- A method other than POST: HTTP 405 with `Allow: POST`. A body over `_limits.MAX_BODY_BYTES`:
  HTTP 413 (the gateway has no code for it). A body of more JSON values than any request holds
  (`_limits.MAX_JSON_VALUES`), or a `Mobiles` / `RecipientsMessage` / `MobilesList` /
  `messageId` of more than 50,000 items: 2005, before the items are checked.
- Unparseable JSON (also a number too long to read or nesting too deep to parse): 1001. A schema
  violation: 1004, except on a date field (1003), `Page` (2008), a port (2007) or `PhoneNumber`
  (1002), judged from the first `_openapi.MAX_ERRORS` violations in the schema's field order.
  Empty text, an empty recipient list or a number that is not an Iranian mobile: 1004.
- As ASP.NET's binder does: numeric text is read where the spec wants an integer, and a JSON
  integer where it wants a string is read as its text (the vendor's PHP sample sends recipient
  `Id`s as integers).
- Ids are read as 1 to 18 ASCII digits (a recipient's `Id` may have a minus sign); anything else is
  1004. ReceiveMessages dates past .NET's last `DateTime` (9999-12-31 23:59:59 UTC): 1003.
- A sender line that exists nowhere: 1002; one owned by another account: 2001. Ports need a line
  that allows them (the demo's `3000…` line) and values 1–65535, else 2007.
- `SendDateInTimeStamp` negative: 1003; more than 365 days ahead (milliseconds, say): 2004; in the
  past: sent now.
- A text with a filtered word is accepted but not charged and never sent: the group's StatusCode
  is "3" with an empty MessagesListState; a per-recipient message reports Status "16".
- SendCorrespondingMessage / SendMessageToPort with some invalid mobiles send the valid ones and
  answer 5004 (some messages failed), listing the invalid ones with Result 0.
- Message ids start at 2001, so SendAutoCode / SendCode answer the message id, which is "a number
  above 2000". CheckSendCode is true for the code of the latest SendAutoCode to that mobile, or for
  any number in the latest SendCode text to it.
- ReceiveMessages returns 50 messages per page, newest first; a page beyond the last is 2008
  (page 1 of an empty inbox is an empty page).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .._delivery import state_at
from .._limits import json_values_at_most
from .._openapi import OpenApiDocument, SchemaError
from .._specs import ErrorCatalog, load_yaml
from .._store import Account, Line, NewMessage
from .._text import ascii_digits, core_mobile
from .._wire import WireRequest, WireResponse, json_response
from . import Fail, ProviderContext, WireKind

__all__ = [
    "MAX_PARTS",
    "MAX_RECIPIENTS",
    "MAX_UNIX_SECONDS",
    "PAGE_SIZE",
    "TrezRest",
    "create",
    "delivery_code",
]

NAME = "trez_rest"
MAX_RECIPIENTS = 50_000
MAX_PARTS = 10
PAGE_SIZE = 50
MAX_SCHEDULE_AHEAD = 365 * 24 * 3600
# .NET's DateTime.MaxValue (9999-12-31 23:59:59 UTC) in unix seconds: the ASP.NET gateway cannot
# turn a later timestamp into a date (and a 20-digit one would overflow SQLite's integers).
MAX_UNIX_SECONDS = 253_402_300_799
_PREFIX = "/api/smsapi/"
_SUCCESS_FA = "عملیات با موفقیت انجام شد"
_NO_INPUT = frozenset({"GetCredit", "GetPrices"})
_EMPTY_BODIES: tuple[object, ...] = (None, {}, [], "")
_DATE_FIELDS = frozenset({"SendDateInTimeStamp", "StartDate", "EndDate"})
_PORT_FIELDS = frozenset({"recievePortNumber", "sendPortNumber"})
_DIGIT_RUN = re.compile(r"\d+")
# The lists the 50,000 limit (2005) applies to: recipients, and the message ids asked about (as
# many as one send can make). Each status costs a database row and an answer entry on the event
# loop, so the ids are bounded like the sends they come from.
_LIMITED_LISTS = frozenset({"Mobiles", "RecipientsMessage", "MobilesList", "messageId"})
# Bodies larger than this are parsed and validated in a worker thread (see `handle`); smaller ones
# take well under a millisecond, less than handing them to a thread would.
_PARSE_ON_LOOP_BYTES = 64 * 1024
# ASCII digits only (str.isdigit() also takes "²", which int() refuses), and at most 18 of them so
# that every id fits SQLite's 64-bit INTEGER.
_MESSAGE_ID = re.compile(r"[0-9]{1,18}")
_CALLER_ID = re.compile(r"-?[0-9]{1,18}")

Body = dict[str, Any]


class TrezRest:
    """The trez_rest gateway.

    Args:
        context: Shared state and clock.
        spec: The parsed `openapi.yaml`.
        catalog: The parsed `errors.yaml`.
    """

    name = NAME
    wire: WireKind = "json"
    display_paths: Sequence[str] = ("/api/smsAPI/{Method}",)

    def __init__(
        self, context: ProviderContext, spec: Mapping[str, Any], catalog: Mapping[str, Any]
    ) -> None:
        self._store = context.store
        self._clock = context.clock
        self._spec = OpenApiDocument(spec)
        self._catalog = ErrorCatalog(catalog)
        self._texts = dict(self._catalog.texts)
        self._texts.setdefault(0, _SUCCESS_FA)
        self._group_codes = self._catalog.group_codes
        handlers: dict[str, Callable[[Account, Body], Any]] = {
            "SendMessage": self._send_message,
            "SendAutoCode": self._send_auto_code,
            "CheckSendCode": self._check_send_code,
            "SendCode": self._send_code,
            "SendCorrespondingMessage": self._send_corresponding,
            "SendMessageToPort": self._send_to_port,
            "GroupMessageStatus": self._group_status,
            "CorrespondingMessageStatus": self._corresponding_status,
            "GetGroupMessageId": self._get_group_message_id,
            "ReceiveMessages": self._receive_messages,
            "GetCredit": self._get_credit,
            "GetPrices": self._get_prices,
            "ShowWhiteList": self._show_white_list,
        }
        self._handlers = handlers
        # Wire method name (lower-cased) -> operationId, from the spec: it decides what exists.
        self._methods = {
            op.path.rstrip("/").rsplit("/", 1)[-1].lower(): op.operation_id
            for op in self._spec.operations()
            if op.path.lower().startswith(_PREFIX)
        }
        self.operations: Sequence[str] = tuple(self._methods.values())

    # -- Provider protocol -------------------------------------------------------------------

    def matches(self, path: str) -> bool:
        """Serves everything under `/api/smsAPI/`, in any case (IIS ignores path case)."""
        return path.lower().startswith(_PREFIX)

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        """The method named by the path, if it exists."""
        method = self._method_of(request.path)
        return () if method is None else (method,)

    def unimplemented(self) -> list[str]:
        """Operations in the spec that the sandbox has no handler for (a test keeps this empty)."""
        return [op for op in self.operations if op not in self._handlers]

    async def handle(self, request: WireRequest) -> WireResponse:
        """Answers one REST call."""
        method = self._method_of(request.path)
        if method is None:
            uri = request.path
            return json_response(
                {"Message": f"No HTTP resource was found that matches the request URI '{uri}'."},
                404,
            )
        if request.method != "POST":
            verb = request.method
            answer = json_response(
                {"Message": f"The requested resource does not support http method '{verb}'."},
                405,
            )
            # RFC 9110 15.5.6: a 405 must say which methods the resource does take.
            return replace(answer, headers={"allow": "POST"})
        account = self._authenticate(request)
        if account is None:
            return WireResponse(
                401,
                b'{"Message":"Authorization has been denied for this request."}',
                headers={"www-authenticate": 'Basic realm="smsAPI"'},
            )
        handler = self._handlers.get(method)
        try:
            if not account.api_enabled:
                raise Fail(2002)
            if account.allowed_ips and request.client_host not in account.allowed_ips:
                raise Fail(2003)
            if handler is None:
                raise Fail(5001)
            if len(request.body) > _PARSE_ON_LOOP_BYTES:
                # Parsing and validating a large body takes long enough (a second for 50,000
                # recipients) to stall every other client; jsonschema is pure Python, so a
                # thread shares the interpreter with the event loop instead of blocking it.
                body = await asyncio.to_thread(self._parse, method, request.body)
            else:
                body = self._parse(method, request.body)
            result = handler(account, body)
        except _PartialFailure as partial:
            return self._envelope(partial.code, partial.result)
        except Fail as fail:
            return self._envelope(fail.code, None)
        return self._envelope(0, result)

    def error_response(self, code: int, operations: tuple[str, ...] = ()) -> WireResponse:
        """The envelope with result code `code`, its Persian text and a null Result."""
        return self._envelope(code, None)

    # -- plumbing ----------------------------------------------------------------------------

    def _method_of(self, path: str) -> str | None:
        lowered = path.lower()
        if not lowered.startswith(_PREFIX):
            return None
        return self._methods.get(lowered[len(_PREFIX) :].strip("/"))

    def _envelope(self, code: int, result: Any) -> WireResponse:
        return json_response(
            {"Code": code, "Message": self._texts.get(code, str(code)), "Result": result}
        )

    def _authenticate(self, request: WireRequest) -> Account | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic" or not token:
            return None
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, sep, password = decoded.partition(":")
        if not sep:
            return None
        return self._store.authenticate(username, password)

    def _parse(self, method: str, raw: bytes) -> Body:
        """Reads and checks a request body; runs on the event loop or, for a large one, off it.

        Bounded whatever the body holds: a body of more JSON values than any real request has is
        refused before it is parsed, a recipient list over the limit before its items are
        checked, and at most `MAX_ERRORS` schema violations are built.
        """
        if not json_values_at_most(raw):
            raise Fail(2005)  # more values than 50,000 recipients can take: too many recipients
        try:
            text = raw.decode("utf-8-sig")
            data: Any = json.loads(text) if text.strip() else None
        except (ValueError, RecursionError):
            # ValueError covers JSONDecodeError, bad UTF-8 and a number of more than 4300 digits
            # (Python's int() limit); RecursionError is nesting deeper than the parser goes.
            raise Fail(1001) from None
        if method in _NO_INPUT and data in _EMPTY_BODIES:
            # Real clients send nothing, {}, [] or "" to the no-input methods; all mean "no input".
            data = {}
        if not isinstance(data, dict):
            raise Fail(1004)
        for name in _LIMITED_LISTS & data.keys():
            # Before the schema: a list the gateway refuses by its length alone (2005) need not
            # have its items checked one by one first.
            if isinstance(data[name], list) and len(data[name]) > MAX_RECIPIENTS:
                raise Fail(2005)
        data = self._spec.coerce(method, data)
        errors = self._spec.errors(method, data)
        if errors:
            raise Fail(_code_for_schema_errors(errors))
        return dict(data)

    def _line(self, account: Account, number: Any) -> Line:
        digits = ascii_digits(str(number).strip())
        if not digits.isascii() or not digits.isdigit():
            raise Fail(1002)
        line = self._store.find_line(digits)
        if line is None:
            raise Fail(1002)
        if line.username != account.username:
            raise Fail(2001)
        return line

    def _send_time(self, value: Any) -> float:
        now = self._clock.now()
        if value is None:
            return now
        stamp = int(value)
        if stamp < 0:
            raise Fail(1003)
        if stamp > now + MAX_SCHEDULE_AHEAD:
            raise Fail(2004)
        return max(float(stamp), now)

    def _price(self, account: Account, text: str) -> tuple[int, int]:
        """Returns (parts, rials per recipient) for a text, or fails with 1004 / 2006."""
        if not text.strip():
            raise Fail(1004)
        parts, price = account.cost(text)
        if parts > MAX_PARTS:
            raise Fail(2006)
        return parts, price

    def _code(self, state: str) -> str:
        return delivery_code(self._catalog, state)

    # -- sending -----------------------------------------------------------------------------

    def _send_message(self, account: Account, body: Body) -> str:
        line = self._line(account, body["PhoneNumber"])
        text = str(body["Message"])
        parts, unit_price = self._price(account, text)
        mobiles = list(body["Mobiles"])
        if not mobiles:
            raise Fail(1004)
        if any(core_mobile(str(m)) is None for m in mobiles):
            raise Fail(1004)
        group = self._store.send_text(
            provider=NAME,
            username=account.username,
            line=line.number,
            text=text,
            parts=parts,
            price=unit_price,
            mobiles=[str(m) for m in mobiles],
            user_group_id=str(body.get("UserGroupID", "")),
            send_at=self._send_time(body.get("SendDateInTimeStamp")),
        )
        if group is None:
            raise Fail(3003)
        return group.id

    def _send_single(
        self, account: Account, mobile: Any, text: str, kind: str, code: str | None
    ) -> int:
        if core_mobile(str(mobile)) is None:
            raise Fail(1004)
        parts, price = self._price(account, text)
        lines = sorted(self._store.lines_of(account.username), key=lambda ln: ln.ports_allowed)
        line = lines[0].number if lines else ""
        item = self._store.new_message(
            str(mobile),
            text,
            parts=parts,
            price=price,
            blacklist=self._store.blacklisted(),
            code=code,
        )
        with self._store.transaction():
            if not self._store.charge(account.username, item.price):
                raise Fail(3003)
            (message_id,) = self._store.add_messages(
                provider=NAME,
                kind=kind,
                username=account.username,
                line=line,
                send_at=self._clock.now(),
                items=[item],
            )
        return message_id

    def _send_auto_code(self, account: Account, body: Body) -> int:
        code = f"{10_000 + secrets.randbelow(90_000)}"
        footer = str(body.get("Footer") or "").strip()
        text = f"کد تایید شما: {code}" + (f"\n{footer}" if footer else "")
        return self._send_single(account, body["Mobile"], text, "autocode", code)

    def _send_code(self, account: Account, body: Body) -> int:
        return self._send_single(account, body["Mobile"], str(body["Message"]), "code", None)

    def _check_send_code(self, account: Account, body: Body) -> bool:
        mobile = str(body["Mobile"])
        if core_mobile(mobile) is None:
            raise Fail(1004)
        given = ascii_digits(str(body["Code"]).strip())
        last = self._store.last_code_message(account.username, mobile, ("autocode", "code"))
        if last is None or not given:
            return False
        if last.kind == "autocode":
            return last.code == given
        return given in _DIGIT_RUN.findall(ascii_digits(last.text))

    def _send_corresponding(self, account: Account, body: Body) -> list[dict[str, Any]]:
        return self._send_per_recipient(account, body, None)

    def _send_to_port(self, account: Account, body: Body) -> list[dict[str, Any]]:
        ports = (int(body["sendPortNumber"]), int(body["recievePortNumber"]))
        return self._send_per_recipient(account, body, ports)

    def _send_per_recipient(
        self, account: Account, body: Body, ports: tuple[int, int] | None
    ) -> list[dict[str, Any]]:
        line = self._line(account, body["PhoneNumber"])
        if ports is not None and (
            not line.ports_allowed or not all(0 < port <= 65_535 for port in ports)
        ):
            raise Fail(2007)
        recipients = list(body["RecipientsMessage"])
        if not recipients:
            raise Fail(1004)
        blacklist = self._store.blacklisted()
        items: list[NewMessage] = []
        slots: list[
            tuple[int, str, int | None]
        ] = []  # (caller's Id, Mobile as sent, index in items)
        for entry in recipients:
            ref = str(entry["Id"]).strip()
            if not _CALLER_ID.fullmatch(ref):
                raise Fail(1004)  # the result's Id is an int: the server must parse it
            text = str(entry["Message"])
            parts, price = self._price(account, text)
            mobile = str(entry["Mobile"])
            if core_mobile(mobile) is None:
                slots.append((int(ref), mobile, None))
                continue
            slots.append((int(ref), mobile, len(items)))
            items.append(
                self._store.new_message(
                    mobile,
                    text,
                    parts=parts,
                    price=price,
                    blacklist=blacklist,
                    user_ref=ref,
                    ports=ports,
                )
            )
        if not items:
            raise Fail(1004)
        group = self._store.new_group(
            provider=NAME,
            username=account.username,
            line=line.number,
            user_group_id=str(body.get("UserGroupID", "")),
            send_at=self._clock.now(),
        )
        ids = self._store.send_group(group, kind="port" if ports else "corresponding", items=items)
        if ids is None:
            raise Fail(3003)
        result = [
            {"Id": ref, "Mobile": mobile, "Result": 0 if index is None else ids[index]}
            for ref, mobile, index in slots
        ]
        if len(items) < len(slots):
            raise _PartialFailure(result)
        return result

    # -- status and reading ------------------------------------------------------------------

    def _group_status(self, account: Account, body: Body) -> dict[str, Any]:
        group = self._store.group(account.username, str(body["GroupMessageId"]).strip())
        if group is None:
            raise Fail(3002)
        if group.filtered:
            return {"StatusCode": self._group_codes.get("filtered", "3"), "MessagesListState": []}
        now = self._clock.now()
        state = "queued" if now < group.send_at else "sent"
        rows = [
            {
                "Mobile": core_mobile(m.mobile) or m.mobile,
                "Status": self._code(state_at(m.fate, m.send_at, now)),
            }
            for m in self._store.messages(username=account.username, group_id=group.id)
        ]
        return {"StatusCode": self._group_codes.get(state, "1"), "MessagesListState": rows}

    def _corresponding_status(self, account: Account, body: Body) -> list[dict[str, str]]:
        wanted: list[tuple[str, int]] = []
        for raw in body["messageId"]:
            text = str(raw).strip()
            if not _MESSAGE_ID.fullmatch(text):
                raise Fail(1004)
            wanted.append((text, int(text)))
        found = {
            m.id: m
            for m in self._store.messages(username=account.username, ids=[i for _, i in wanted])
        }
        now = self._clock.now()
        return [
            {"MsgId": text, "Status": self._code(state_at(found[i].fate, found[i].send_at, now))}
            for text, i in wanted
            if i in found
        ]

    def _get_group_message_id(self, account: Account, body: Body) -> str:
        group = self._store.latest_group_for(account.username, str(body["groupId"]).strip())
        if group is None:
            raise Fail(3002)
        return group.id

    def _receive_messages(self, account: Account, body: Body) -> dict[str, Any]:
        line = self._line(account, body["PhoneNumber"])
        start, end, page = int(body["StartDate"]), int(body["EndDate"]), int(body["Page"])
        if not 0 <= start <= end <= MAX_UNIX_SECONDS:
            raise Fail(1003)
        if page < 1:
            raise Fail(2008)
        inbox = self._store.inbound(
            username=account.username, line=line.number, start=start, end=end
        )
        inbox.reverse()  # newest first, as the manual's example lists them
        total = math.ceil(len(inbox) / PAGE_SIZE)
        if page > max(total, 1):
            raise Fail(2008)
        chunk = inbox[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return {
            "Page": page,
            "TotalPage": total,
            "ReceivedMsgs": [
                {
                    "Mobile": "98" + (core_mobile(m.mobile) or m.mobile),
                    "Date": int(m.received_at),
                    "MsgBody": m.text,
                }
                for m in chunk
            ],
        }

    def _get_credit(self, account: Account, body: Body) -> int:
        current = self._store.account(account.username)
        return 0 if current is None else current.credit_rials

    def _get_prices(self, account: Account, body: Body) -> dict[str, int]:
        return {"Fa_Price": account.price_fa, "En_Price": account.price_en}

    def _show_white_list(self, account: Account, body: Body) -> list[int]:
        numbers = list(body["MobilesList"])
        cores = [core_mobile(str(n)) for n in numbers]
        if any(core is None for core in cores):
            raise Fail(1004)
        blacklist = self._store.blacklisted()
        return [int(core) for core in cores if core is not None and core not in blacklist]


class _PartialFailure(Fail):
    """5004: some recipients' messages went out; the result still lists every recipient."""

    def __init__(self, result: list[dict[str, Any]]) -> None:
        super().__init__(5004)
        self.result = result


def delivery_code(catalog: ErrorCatalog, state: str) -> str:
    """Trez's per-message code for a unified delivery state (shared by both Trez APIs).

    A filtered text never reaches the operator, so it reports as failed; a state with no code of
    its own (queued) gets "0", which Trez documents as "still being processed".
    """
    if state == "filtered":
        state = "failed"
    return catalog.delivery_codes.get(state, "0")


def _code_for_schema_errors(errors: Sequence[SchemaError]) -> int:
    """Picks the result code the gateway gives for a body that breaks the schema."""
    fields: set[str] = set()
    for error in errors:
        if error.keyword == "required":
            continue  # a missing field is "invalid parameters", whichever it is
        if error.path and isinstance(error.path[0], str):
            fields.add(error.path[0])
    if fields & {"PhoneNumber"}:
        return 1002
    if fields & _DATE_FIELDS:
        return 1003
    if fields & _PORT_FIELDS:
        return 2007
    if "Page" in fields:
        return 2008
    return 1004


def create(context: ProviderContext) -> TrezRest:
    """Builds the provider from `specs/trez_rest/openapi.yaml` and `errors.yaml`."""
    return TrezRest(context, load_yaml(NAME, "openapi.yaml"), load_yaml(NAME, "errors.yaml"))
