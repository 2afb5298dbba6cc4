"""ippanel_classic: the IPPanel / FarazSMS "op" web service (`POST /services.jspd`, form bodies).

The operations, their fields, which fields are JSON text, and the shape of each answer come from
`specs/ippanel_classic/openapi.yaml` (read by `.._form.FormContract`: forms posted urlencoded or
multipart are decoded and validated against the operation's own schema); codes and their texts
come from `errors.yaml`. Answers are `[code, data]`, data that the spec marks as JSON text is
sent as JSON text, checkmessage answers its object, delivery of an unknown bulk id `null`.

Behaviour the manual leaves open, chosen here (tests pin it):

- Wrong credentials: `[962, text]`; for delivery, the plain text "the username or password is
  incorrect" the manual lists among its errors. An account not enabled for the web service: 963;
  a client address outside the account's allowed ones: 2.
- A field that fails its schema answers the code the spec gives it (`x-payamak-invalid-code`,
  from the manual's table: 1 the text, 4 the recipients, 3 the sender, 303–316 newuser's
  fields). A form with no known `op`, or a field with no code (a bulk id that is not a number,
  a `time` of the right shape that is no date, such as February 30th): HTTP 400 with a text
  naming the field.
- The sender line must be the account's (3); recipients must be Iranian mobiles (4), at most
  `MAX_RECIPIENTS` (98); texts of more than `MAX_PARTS` parts are 6; credit short of the send 5.
  A `time` in the past sends now. The bulk id is the id of the send's first message.
- Phone books, jobs and postal codes are the same fixed tables for every account (`BOOKS`,
  `JOBS`, `POSTAL_AREAS`); a postal code's numbers are made from its digits, so counts and
  sends agree. Codes 7, 99, 302 and 305 (and the family's 970–972, 992, 1006) are reachable
  only through the `error_code` fault.
- An unknown bulk id (or another account's) answers `null` to checkmessage too, as to delivery.
- Delivery statuses: the unified state's first code in errors.yaml; `failed` and `filtered`
  (which the manual has no word for) are `failed` and `discarded`. checkmessage: statusMessage
  Active while any message waits, Interacting while any is at the operator, Finish after,
  Cancel for a filtered text; validMessage cancel for a filtered text, else approve.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .._config import AccountConfig
from .._delivery import state_at
from .._form import FormContract, FormError, parse_form
from .._specs import ErrorCatalog, load_yaml
from .._store import Account, Line
from .._text import core_mobile
from .._wire import WireRequest, WireResponse, json_response
from . import Fail, ProviderContext, WireKind
from .trez_rest import MAX_PARTS, MAX_RECIPIENTS
from .trez_xml import TEHRAN

__all__ = ["BOOKS", "JOBS", "PATH", "POSTAL_AREAS", "IppanelClassic", "create"]

NAME = "ippanel_classic"
PATH = "/services.jspd"
WRONG_CREDENTIALS = b"the username or password is incorrect"
# Fixed tables every account sees: id → (title, numbers).
BOOKS: Mapping[int, tuple[str, tuple[str, ...]]] = {
    1: ("دوستان", ("09121111111", "09122222222")),
    2: ("customers", ("09351111111", "09352222222", "09353333333")),
}
# Job id → (title, {specialisation id: (title, numbers)}).
JOBS: Mapping[int, tuple[str, Mapping[int, tuple[str, tuple[str, ...]]]]] = {
    1: (
        "پزشک",
        {11: ("دندانپزشک", ("09131111111", "09132222222")), 12: ("جراح", ("09133333333",))},
    ),
    2: ("وکیل", {21: ("وکیل پایه یک", ("09141111111",))}),
}
POSTAL_AREAS: Mapping[int, str] = {1: "تجریش", 2: "ونک", 3: "نارمک"}
ACCESS_LEVELS: Mapping[int, str] = {1: "پایه", 2: "نقره ای", 3: "طلایی"}
_STATUS_FALLBACK = {"failed": "failed", "filtered": "discarded"}
_USERNAME = re.compile(r"[A-Za-z0-9_.]+")
_DIGITS = re.compile(r"[0-9]+")


class _Unreadable(Exception):
    """A field that fits its schema but cannot be read, and has no code: HTTP 400."""


@dataclass(frozen=True)
class _Bare:
    """An answer that is not `[code, data]`: checkmessage's object, or delivery's `null`."""

    value: Any


class IppanelClassic:
    """The ippanel_classic gateway.

    Args:
        context: Shared state and clock.
        contract: The dispatched form of `/services.jspd`, from the spec.
        catalog: The parsed `errors.yaml`.
    """

    name = NAME
    wire: WireKind = "form"
    display_paths: Sequence[str] = (PATH,)

    def __init__(
        self, context: ProviderContext, contract: FormContract, catalog: ErrorCatalog
    ) -> None:
        self._store = context.store
        self._clock = context.clock
        self._contract = contract
        self._catalog = catalog
        handlers: dict[str, Callable[[Account, dict[str, Any]], Any]] = {
            "send": self._send,
            "sendsociol": self._send_social,
            "credit": lambda account, _: account.credit_rials,
            "delivery": self._delivery,
            "checkmessage": self._check_message,
            "booklist": lambda *_: _items({i: t for i, (t, _) in BOOKS.items()}),
            "booksend": self._book_send,
            "inboxlist": self._inbox,
            "accesslist": lambda *_: _items(ACCESS_LEVELS),
            "newuser": self._new_user,
            "postalcodearea": lambda *_: _items(POSTAL_AREAS),
            "postalcodecount": lambda _, form: len(_postal_numbers(form)),
            "postalcodesend": self._postal_send,
            "jobslist": lambda *_: _items({i: t for i, (t, _) in JOBS.items()}),
            "jobstrenlist": self._trends,
            "jobscount": lambda _, form: len(_job_numbers(form)),
            "jobssend": self._jobs_send,
        }
        self._handlers = handlers
        self.operations: Sequence[str] = tuple(contract.operations)

    # -- Provider protocol -------------------------------------------------------------------

    def matches(self, path: str) -> bool:
        """Serves `/services.jspd` in any case."""
        return path.lower() == PATH

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        """The operation the form's `op` names, when it is one."""
        try:
            op = parse_form(request.headers.get("content-type", ""), request.body).get("op", "")
        except FormError:
            return ()
        return (op,) if op in self._contract.operations else ()

    def unimplemented(self) -> list[str]:
        """Operations in the spec that the sandbox has no handler for (a test keeps this empty)."""
        return [op for op in self.operations if op not in self._handlers]

    async def handle(self, request: WireRequest) -> WireResponse:
        """Answers one form post."""
        if request.method != "POST":
            return WireResponse(405, b"POST only", "text/plain; charset=utf-8", {"allow": "POST"})
        try:
            fields = parse_form(request.headers.get("content-type", ""), request.body)
        except FormError as exc:
            return _bad_request(str(exc))
        op = fields.get(self._contract.dispatch, "")
        if op not in self._handlers:
            return _bad_request(f"op {op[:40]!r} is not an operation")
        account = self._store.authenticate(fields.get("uname", ""), fields.get("pass", ""))
        try:
            if account is None:
                if op == "delivery":
                    return WireResponse(200, WRONG_CREDENTIALS, "text/plain; charset=utf-8")
                raise Fail(962)
            if not account.api_enabled:
                raise Fail(963)
            if account.allowed_ips and request.client_host not in account.allowed_ips:
                raise Fail(2)
            form = self._contract.decode(op, fields)
            errors = self._contract.errors(op, form)
            if errors:
                # The first failing field decides, by the code the spec gives it.
                field = str(errors[0].path[0]) if errors[0].path else ""
                code = self._contract.invalid_code(op, field)
                if code is None:
                    return _bad_request(f"{op}: {field or 'the form'}: {errors[0].message[:80]}")
                raise Fail(code)
            data = self._handlers[op](account, form)
        except Fail as fail:
            return self.error_response(fail.code)
        except _Unreadable as exc:
            return _bad_request(str(exc))
        if isinstance(data, _Bare):
            return json_response(data.value)
        return json_response([0, data])

    def error_response(self, code: int, operations: tuple[str, ...] = ()) -> WireResponse:
        """`[code, text]`, the text of errors.yaml (Persian where it has it)."""
        return json_response([code, self._catalog.texts.get(code, str(code))])

    # -- sending -----------------------------------------------------------------------------

    def _line(self, account: Account, number: str) -> Line:
        line = self._store.find_line(number.strip())
        if line is None or line.username != account.username:
            raise Fail(3)
        return line

    def _send_to(
        self, account: Account, form: dict[str, Any], mobiles: Sequence[str], send_at: float = 0
    ) -> int:
        """Sends the form's text from its line to `mobiles`; the bulk id."""
        line = self._line(account, str(form["from"]))
        if not mobiles:
            raise Fail(4)
        if len(mobiles) > MAX_RECIPIENTS:
            raise Fail(98)
        if any(core_mobile(m) is None for m in mobiles):
            raise Fail(4)
        parts, price = account.cost(str(form["message"]))
        if parts > MAX_PARTS:
            raise Fail(6)
        group = self._store.send_text(
            provider=NAME,
            username=account.username,
            line=line.number,
            text=str(form["message"]),
            parts=parts,
            price=price,
            mobiles=list(mobiles),
            user_group_id=str(uuid.uuid4()),
            send_at=max(send_at, self._clock.now()),
        )
        if group is None:
            raise Fail(5)
        return self._store.messages(username=account.username, group_id=group.id)[0].id

    def _send(self, account: Account, form: dict[str, Any]) -> int:
        send_at = 0.0
        if form.get("time"):
            text = str(form["time"])
            try:
                when = datetime.fromisoformat(text if " " in text else f"{text} 00:00:00")
            except ValueError:
                # The spec's pattern lets through digits that name no day or hour (2026-02-30).
                raise _Unreadable(f"send: time: {text!r} is not a date and time") from None
            send_at = when.replace(tzinfo=TEHRAN).timestamp()
        return self._send_to(account, form, list(form["to"]), send_at)

    def _send_social(self, account: Account, form: dict[str, Any]) -> str:
        bulk = self._send_to(account, form, list(form["to"]))
        return f"{form['type']} {bulk}"

    def _book_send(self, account: Account, form: dict[str, Any]) -> int:
        if any(book not in BOOKS for book in form["bookid"]):
            raise Fail(4)
        mobiles = [m for book in form["bookid"] for m in BOOKS[book][1]]
        return self._send_to(account, form, mobiles)

    def _postal_send(self, account: Account, form: dict[str, Any]) -> int:
        return self._send_to(account, form, _postal_numbers(form))

    def _jobs_send(self, account: Account, form: dict[str, Any]) -> int:
        return self._send_to(account, form, _job_numbers(form))

    # -- reading -----------------------------------------------------------------------------

    def _group(self, account: Account, bulk_id: int) -> list[Any]:
        first = self._store.messages(username=account.username, provider=NAME, ids=[bulk_id])
        if not first or first[0].group_id is None:
            return []
        return self._store.messages(username=account.username, group_id=first[0].group_id)

    def _delivery(self, account: Account, form: dict[str, Any]) -> Any:
        messages = self._group(account, int(form["uinqid"]))
        if not messages:
            return _Bare(None)
        now = self._clock.now()
        entries = []
        for m in messages:
            state = state_at(m.fate, m.send_at, now)
            status = _STATUS_FALLBACK.get(state) or self._catalog.delivery_codes.get(state, "")
            entries.append(f"+98{core_mobile(m.mobile) or m.mobile}:{status}")
        return json.dumps(entries)

    def _check_message(self, account: Account, form: dict[str, Any]) -> Any:
        messages = self._group(account, int(form["messageid"]))
        if not messages:
            return _Bare(None)
        now = self._clock.now()
        states = {state_at(m.fate, m.send_at, now) for m in messages}
        if "filtered" in states:
            return _Bare({"statusMessage": "Cancel", "validMessage": "cancel"})
        status = "Active" if "queued" in states else "Interacting" if "sent" in states else "Finish"
        return _Bare({"statusMessage": status, "validMessage": "approve"})

    def _inbox(self, account: Account, _: dict[str, Any]) -> str:
        return json.dumps(
            [
                {
                    "number": m.mobile,
                    "to": m.line,
                    "message": m.text,
                    "time": datetime.fromtimestamp(m.received_at, TEHRAN).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                }
                for m in self._store.inbound(username=account.username)
            ],
            ensure_ascii=False,
        )

    def _trends(self, _: Account, form: dict[str, Any]) -> str:
        job = JOBS.get(int(form["jobsid"]))
        return _items({} if job is None else {i: t for i, (t, _) in job[1].items()})

    # -- accounts ----------------------------------------------------------------------------

    def _new_user(self, account: Account, form: dict[str, Any]) -> int:
        name = str(form["user-name"]).strip()
        checks = (
            (not name, 303),
            (_USERNAME.fullmatch(name) is None, 301),
            (self._store.account(name) is not None, 304),
            (not str(form["national-id"]).strip(), 306),
            (not _digits(form["national-id"], 10), 307),
            (not str(form["certificate-id"]).strip(), 309),
            (not _digits(form["certificate-id"]), 308),
            (not str(form["email"]).strip(), 310),
            (not str(form["tell"]).strip(), 311),
            (not _digits(form["tell"]), 312),
            (not str(form["address"]).strip(), 313),
            (not str(form["mobile"]).strip(), 314),
            (core_mobile(str(form["mobile"])) is None, 315),
            (int(form["access-id"]) not in ACCESS_LEVELS, 316),
        )
        for failed, code in checks:
            if failed:
                raise Fail(code)
        self._store.put_account(
            AccountConfig(
                username=name,
                password=str(form["user-pass"]),
                credit_rials=0,
                price_fa=account.price_fa,
                price_en=account.price_en,
                parent=account.username,
            )
        )
        return len(self._store.accounts())


def _items(table: Mapping[int, str]) -> str:
    """A list of `{id, title}` as JSON text (double-encoded, as the panel sends lists)."""
    return json.dumps([{"id": i, "title": t} for i, t in table.items()], ensure_ascii=False)


def _digits(value: Any, length: int | None = None) -> bool:
    text = str(value).strip()
    return _DIGITS.fullmatch(text) is not None and (length is None or len(text) == length)


def _postal_numbers(form: Mapping[str, Any]) -> list[str]:
    """The numbers of a postal code: one to five, made from its digits, MCI (0912…) or Irancell
    (0935…); men (gender 1) have the odd ones and women (2) the even ones."""
    digits = re.sub(r"[^0-9]", "", str(form["postalcode"]))[-7:].rjust(7, "0")
    prefix = "0912" if form["type"] == "tci" else "0935"
    numbers = [f"{prefix}{(int(digits) + i) % 10_000_000:07d}" for i in range(int(digits) % 5 + 1)]
    gender = int(form["gender"])
    return [n for n in numbers if gender == 0 or int(n[-1]) % 2 == gender % 2]


def _job_numbers(form: Mapping[str, Any]) -> list[str]:
    """The numbers of some specialisations (of `jobsid`'s job when the form names one)."""
    trends: dict[int, tuple[str, ...]] = {}
    for job_id, (_, job_trends) in JOBS.items():
        if "jobsid" not in form or int(form["jobsid"]) == job_id:
            trends.update({i: numbers for i, (_, numbers) in job_trends.items()})
    return [n for trend in form["trendid"] for n in trends.get(trend, ())]


def _bad_request(detail: str) -> WireResponse:
    return WireResponse(400, detail.encode(), "text/plain; charset=utf-8")


def create(context: ProviderContext) -> IppanelClassic:
    """Builds the provider from `specs/ippanel_classic/` (`openapi.yaml` and `errors.yaml`)."""
    contract = FormContract(load_yaml(NAME, "openapi.yaml"), PATH)
    return IppanelClassic(context, contract, ErrorCatalog.load(NAME))
