"""payamak_panel: the "post/*.asmx" SMS panel, two ASMX services on the shared panel state.

`/post/send.asmx` and `/post/IncomingMessages.asmx` (path case ignored, as IIS does; `?wsdl`
serves `specs/payamak_panel/*.wsdl` with the request's host). Every request is checked against its
WSDL's own types (`WsdlContract`); the response element and its children are named from the WSDL
(each operation's output parts); codes and their texts come from `errors.yaml`.

Behaviour (provider note `providers/payamak_panel.md`; what the note leaves open is chosen here):

- SendSms / ScheduleSms answer a result code: 0 wrong user or password, 5 a line that is not
  the account's, 7 a filtered word, 2 credit short of the whole send, 1 sent, with one recId per
  recipient and one status byte each (0 sent, 1 not sent: a blacklisted number).
- Operations without a result code (credit, lists, counts) answer a wrong password with the SOAP
  Fault ASP.NET sends for an exception, carrying code 0's text.
- GetDelivery maps the message's unified state to the first code of that state in `errors.yaml`;
  an unknown recId is 100 (unknown). UpdateDelivery: 0 unknown id, 100 within
  `UPDATE_INTERVAL_SECONDS` of the group's last update, else 1.
- GetNewMessagesList returns the line's unread received messages and marks them read (they are
  no longer new); the IsRead/IsNotRead lists do not change them. Sent messages carry no read flag
  on the panel: the sandbox lists them all as not read. `Sender` has no leading 0, as real
  servers send it.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from lxml import etree

from .._delivery import state_at
from .._soap import (
    SoapOperation,
    SoapRequestError,
    WsdlContract,
    fault_response,
    parse_request,
    soap11_envelope,
    soap_action,
    wsdl_response,
    xml_response,
)
from .._specs import ErrorCatalog, spec_path
from .._store import Account, Inbound, Message
from .._text import core_mobile
from .._wire import WireRequest, WireResponse
from . import Fail, ProviderContext, WireKind
from .trez_rest import MAX_PARTS, MAX_RECIPIENTS
from .trez_xml import TEHRAN

__all__ = ["DISPLAY_PATHS", "SERVICES", "UPDATE_INTERVAL_SECONDS", "PayamakPanel", "create"]

NAME = "payamak_panel"
# Path (lower case) → its WSDL file under specs/payamak_panel/.
SERVICES = {"/post/send.asmx": "send.wsdl", "/post/incomingmessages.asmx": "incoming.wsdl"}
DISPLAY_PATHS = ("/post/send.asmx", "/post/IncomingMessages.asmx")
# What an ASMX endpoint serves: the help page and WSDL (GET, HEAD) and calls (POST).
_METHODS = ("GET", "HEAD", "POST")
UPDATE_INTERVAL_SECONDS = 60.0
_SENT, _NOT_SENT = b"\x00", b"\x01"


@dataclass(frozen=True)
class _Call:
    """One validated request: its operation and its input children by local name."""

    operation: SoapOperation
    element: etree._Element

    def text(self, name: str) -> str:
        child = self.element.find(f"{{*}}{name}")
        return "" if child is None or child.text is None else child.text

    def items(self, name: str) -> list[str]:
        """The items of an ArrayOfX child (`<to><string>…`), in order."""
        child = self.element.find(f"{{*}}{name}")
        return [] if child is None else [item.text or "" for item in child]


class PayamakPanel:
    """The payamak_panel gateway.

    Args:
        context: Shared state and clock.
        contracts: Path (lower case) → the WSDL contract of the service there.
        catalog: The parsed `errors.yaml`.
    """

    name = NAME
    wire: WireKind = "soap"
    display_paths: Sequence[str] = DISPLAY_PATHS

    def __init__(
        self, context: ProviderContext, contracts: dict[str, WsdlContract], catalog: ErrorCatalog
    ) -> None:
        self._store = context.store
        self._clock = context.clock
        self._contracts = contracts
        self._catalog = catalog
        self._updated: dict[str, float] = {}
        self._handlers: dict[str, Callable[[_Call], list[str]]] = {
            "SendSms": self._send_sms,
            "ScheduleSms": self._send_sms,
            "GetCredit": self._credit,
            "GetDelivery": self._delivery,
            "UpdateDelivery": self._update_delivery,
            "GetInboxCount": self._inbox_count,
            "GetNewMessagesList": self._new_messages,
            "GetReceiveSMSIsNotReadList": self._received(read=False),
            "GetReceiveSMSIsReadList": self._received(read=True),
            "GetSentSMSIsNotReadList": self._sent_list(read=False),
            "GetSentSMSIsReadList": self._sent_list(read=True),
            "GetUserNumbersList": self._numbers,
            "UpdateMessagesIsRead": self._mark(read=True),
            "UpdateMessagesIsNotRead": self._mark(read=False),
        }
        self.operations: Sequence[str] = tuple(
            name for contract in contracts.values() for name in contract.operations
        )
        self._send = contracts["/post/send.asmx"].operations["SendSms"]

    # -- Provider protocol -------------------------------------------------------------------

    def matches(self, path: str) -> bool:
        """Serves both .asmx paths in any case (IIS ignores path case)."""
        return path.lower() in self._contracts

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        """The operation the Body's element names, when it is one of this path's."""
        if request.method in ("GET", "HEAD"):
            return ()
        try:
            _, name = parse_request(request.body)
        except SoapRequestError:
            return ()
        return (name,) if name in self._contracts[request.path.lower()].operations else ()

    async def handle(self, request: WireRequest) -> WireResponse:
        """Answers one request: the WSDL, the help page, or an operation."""
        contract = self._contracts[request.path.lower()]
        if request.method not in _METHODS:
            # RFC 9110 15.5.6: a 405 must say which methods the resource does take.
            return WireResponse(
                405,
                b"The HTTP verb used to access this page is not allowed.",
                "text/plain; charset=utf-8",
                {"allow": ", ".join(_METHODS)},
            )
        if request.method in ("GET", "HEAD"):
            if request.has_query_flag("wsdl"):
                return wsdl_response(spec_path(NAME, SERVICES[request.path.lower()]), request)
            names = escape(", ".join(contract.operations))
            page = f"<html><body><p>The following operations are supported: {names}.</p>"
            return WireResponse(200, f"{page}</body></html>".encode(), "text/html; charset=utf-8")
        try:
            element, _ = parse_request(request.body)
            operation = contract.operation(soap_action(request), element)
        except SoapRequestError as exc:
            return fault_response(str(exc), "soap:Client")
        call = _Call(operation, element)
        try:
            children = self._handlers[operation.name](call)
        except Fail as fail:
            if operation.name in ("SendSms", "ScheduleSms"):
                return self._answer(operation, [str(fail.code)])
            # No result code to carry it: ASP.NET turns the service's exception into a Fault.
            return fault_response(self._catalog.texts.get(fail.code, str(fail.code)))
        except ValueError as exc:  # what .NET's parsers say of an unreadable value
            return fault_response(f"Server was unable to process request. ---> {exc}")
        return self._answer(operation, children)

    def error_response(self, code: int) -> WireResponse:
        """A SendSms answer carrying result code `code` (the `error_code` fault)."""
        return self._answer(self._send, [str(code)])

    # -- answers -----------------------------------------------------------------------------

    def _answer(self, operation: SoapOperation, children: list[str]) -> WireResponse:
        """The operation's response element, its children named by the WSDL (output parts, in
        order); `children` holds the serialised content of the first ones."""
        output = etree.QName(operation.output)
        body = "".join(
            f"<{etree.QName(part).localname}>{content}</{etree.QName(part).localname}>"
            for part, content in zip(operation.output_parts, children, strict=False)
        )
        response = f'<{output.localname} xmlns="{output.namespace}">{body}</{output.localname}>'
        return xml_response(soap11_envelope(response))

    # -- send.asmx ---------------------------------------------------------------------------

    def _account(self, call: _Call) -> Account:
        account = self._store.authenticate(call.text("username"), call.text("password"))
        if account is None or not account.api_enabled:
            raise Fail(0)
        return account

    def _send_sms(self, call: _Call) -> list[str]:
        account = self._account(call)
        line = self._store.find_line(call.text("from").strip())
        if line is None or line.username != account.username:
            raise Fail(5)
        mobiles = [m.strip() for m in call.items("to")]
        text = call.text("text")
        if not mobiles or len(mobiles) > MAX_RECIPIENTS or not text:
            raise Fail(11)
        if self._store.is_filtered(text):
            raise Fail(7)
        parts, price = account.cost(text)
        if parts > MAX_PARTS:
            raise Fail(11)
        now = self._clock.now()
        send_at = now
        if call.operation.name == "ScheduleSms":
            when = datetime.fromisoformat(call.text("scheduleDateTime"))
            send_at = max(now, when.replace(tzinfo=when.tzinfo or TEHRAN).timestamp())
        group = self._store.send_text(
            provider=NAME,
            username=account.username,
            line=line.number,
            text=text,
            parts=parts,
            price=price,
            mobiles=mobiles,
            user_group_id=str(uuid.uuid4()),
            send_at=send_at,
        )
        if group is None:
            raise Fail(2)
        if call.operation.name == "ScheduleSms":
            return ["1"]
        sent = self._store.messages(username=account.username, group_id=group.id)
        status = b"".join(_NOT_SENT if m.fate == "rejected" else _SENT for m in sent)
        return [
            "1",
            "".join(f"<long>{m.id}</long>" for m in sent),
            base64.b64encode(status).decode(),
        ]

    def _credit(self, call: _Call) -> list[str]:
        return [str(self._account(call).credit_rials)]

    def _message(self, call: _Call) -> Message | None:
        found = self._store.messages(provider=NAME, ids=[int(call.text("recId"))])
        return found[0] if found else None

    def _delivery(self, call: _Call) -> list[str]:
        message = self._message(call)
        if message is None:
            return ["100"]
        state = state_at(message.fate, message.send_at, self._clock.now())
        return [self._catalog.delivery_codes.get(state, "100")]

    def _update_delivery(self, call: _Call) -> list[str]:
        message = self._message(call)
        if message is None:
            return ["0"]
        # One recId updates its whole group (manual), so the interval is kept per group.
        key = message.group_id or str(message.id)
        now = self._clock.now()
        if now - self._updated.get(key, -UPDATE_INTERVAL_SECONDS) < UPDATE_INTERVAL_SECONDS:
            return ["100"]
        self._updated[key] = now
        return ["1"]

    def _inbox_count(self, call: _Call) -> list[str]:
        account = self._account(call)
        read = call.text("isRead").strip() in ("true", "1")
        inbox = self._store.inbound(username=account.username)
        return [str(sum(1 for m in inbox if m.is_read == read))]

    # -- IncomingMessages.asmx ---------------------------------------------------------------

    def _inbox(self, call: _Call) -> tuple[Account, list[Inbound]]:
        account = self._account(call)
        line = call.text("from").strip() or None
        return account, self._store.inbound(username=account.username, line=line)

    def _new_messages(self, call: _Call) -> list[str]:
        _, inbox = self._inbox(call)
        new = [m for m in inbox if not m.is_read]
        self._store.mark_read(m.id for m in new)
        return ["".join(_received_xml(m) for m in new)]

    def _received(self, *, read: bool) -> Callable[[_Call], list[str]]:
        def handler(call: _Call) -> list[str]:
            _, inbox = self._inbox(call)
            return ["".join(_received_xml(m) for m in inbox if m.is_read == read)]

        return handler

    def _sent_list(self, *, read: bool) -> Callable[[_Call], list[str]]:
        def handler(call: _Call) -> list[str]:
            account = self._account(call)
            line = call.text("from").strip()
            sent = self._store.messages(username=account.username, provider=NAME)
            rows = [] if read else [m for m in sent if not line or m.line == line]
            return ["".join(_sent_xml(m) for m in rows)]

        return handler

    def _numbers(self, call: _Call) -> list[str]:
        lines = self._store.lines_of(self._account(call).username)
        return ["".join(f"<string>{escape(line.number)}</string>" for line in lines)]

    def _mark(self, *, read: bool) -> Callable[[_Call], list[str]]:
        def handler(call: _Call) -> list[str]:
            account = self._account(call)
            own = {m.id for m in self._store.inbound(username=account.username)}
            ids = [i for i in (int(v) for v in call.items("msgIds")) if i in own]
            self._store.mark_read(ids, read=read)
            return [str(len(ids))]

        return handler


def _date(stamp: float) -> str:
    """A .NET DateTime as ASMX writes it: Tehran local time, no zone."""
    return datetime.fromtimestamp(stamp, TEHRAN).replace(tzinfo=None, microsecond=0).isoformat()


def _message_xml(
    msg_id: int, kind: int, body: str, date: float, sender: str, receiver: str, parts: int
) -> str:
    return (
        f"<Message><MsgID>{msg_id}</MsgID><MsgType>{kind}</MsgType><Body>{escape(body)}</Body>"
        f"<SendDate>{_date(date)}</SendDate><Sender>{escape(sender)}</Sender>"
        f"<Receiver>{escape(receiver)}</Receiver><Parts>{parts}</Parts>"
    )


def _received_xml(m: Inbound) -> str:
    # Real servers send the sender's mobile without its leading 0 (provider note).
    sender = core_mobile(m.mobile) or m.mobile
    head = _message_xml(m.id, 1, m.text, m.received_at, sender, m.line, 1)
    return f"{head}<IsRead>{str(m.is_read).lower()}</IsRead></Message>"


def _sent_xml(m: Message) -> str:
    head = _message_xml(m.id, 2, m.text, m.send_at, m.line, m.mobile, m.parts)
    return f"{head}<IsRead>false</IsRead></Message>"


def create(context: ProviderContext) -> PayamakPanel:
    """Builds the provider from `specs/payamak_panel/` (both WSDLs and `errors.yaml`)."""
    contracts = {path: WsdlContract(spec_path(NAME, wsdl)) for path, wsdl in SERVICES.items()}
    return PayamakPanel(context, contracts, ErrorCatalog.load(NAME))
