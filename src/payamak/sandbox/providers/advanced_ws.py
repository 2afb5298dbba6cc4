"""advanced_ws: the "Advanced web service" (GetCredit, SendSMS, SendMultipleSMS, GetStatus, GetMsg)
on the shared panel state, over the inferred SOAP binding of `specs/advanced_ws/service.wsdl`.

Served at the path of the WSDL's address (`/advanced/server.php`; `?wsdl` serves the WSDL with the
request's host). Every request is checked against the WSDL's own types; the response element and
its children (`ErrCode`, `result`) are named from it, the list limits are its marks
(`urn:payamak:max-distinct` → -2, `urn:payamak:same-length` → -4), and codes, texts and
delivery codes come from `errors.yaml`.

Behaviour (what the manual leaves open is chosen here, as DEPARTURES.md says):

- -1 for an unknown user, a wrong password or an account without API access; -5 for a sender
  line that is not the account's.
- SendSMS: repeated numbers are dropped (kept once, first place first); more distinct numbers than
  the mark allows is -2; an empty list or text, a number that is no mobile, a filtered word, a
  text of more than 10 parts or credit short of the whole send is -3 (whose description a list
  `result` cannot carry). One id per distinct number.
- SendMultipleSMS: lists of different lengths are -4; credit short of the whole batch is -3 for
  the request; otherwise one entry per pair: 0 and the message id, or -3 and the reason (a number
  that is no mobile, an empty text or one of more than 10 parts, a filtered word), nothing
  stored for those. No limit of its own on the pairs: the XML element cap bounds the work.
- GetStatus: one status per id, from the message's unified state at the sandbox clock (`queued`
  is "being sent", 1); an id that is not one of the account's messages makes the request -3.
- GetMsg: the account's last 50 unread received messages, oldest first; they are marked read.
- A failure answers `ErrCode` with `result` only where `result` is text (GetCredit), as the WSDL
  documents; other operations' failures carry no `result`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from .._store import Account, Line, NewMessage
from .._text import local_mobile
from .._wire import WireRequest, WireResponse
from . import Fail, ProviderContext, WireKind
from .trez_rest import MAX_PARTS

__all__ = ["INBOX_SIZE", "WSDL", "AdvancedWs", "create"]

NAME = "advanced_ws"
WSDL = "service.wsdl"
INBOX_SIZE = 50  # "the last 50 unread messages" (manual)
_METHODS = ("GET", "HEAD", "POST")
# The unified state errors.yaml has no status code of its own for ("filtered" never arises:
# a filtered text is refused with -3).
_STATE_ALIAS = {"queued": "pending"}


@dataclass(frozen=True)
class _Call:
    """One validated request: its operation and its input children by local name."""

    operation: SoapOperation
    element: etree._Element

    def text(self, name: str) -> str:
        child = self.element.find(name)
        return "" if child is None or child.text is None else child.text

    def items(self, name: str) -> list[str]:
        child = self.element.find(name)
        return [] if child is None else [(item.text or "").strip() for item in child]

    def mark(self, name: str, mark: str) -> str | None:
        return self.operation.input_marks.get(name, {}).get(mark)


class AdvancedWs:
    """The advanced_ws gateway.

    Args:
        context: Shared state and clock.
        contract: The WSDL's contract.
        catalog: The parsed `errors.yaml`.
    """

    name = NAME
    wire: WireKind = "soap"

    def __init__(
        self, context: ProviderContext, contract: WsdlContract, catalog: ErrorCatalog
    ) -> None:
        self._store = context.store
        self._clock = context.clock
        self._contract = contract
        self._catalog = catalog
        self.display_paths: Sequence[str] = contract.paths
        self._paths = {path.lower() for path in contract.paths}
        self.operations: Sequence[str] = tuple(contract.operations)
        self._handlers: dict[str, Callable[[_Call], str]] = {
            "GetCredit": self._credit,
            "SendSMS": self._send,
            "SendMultipleSMS": self._send_multiple,
            "GetStatus": self._status,
            "GetMsg": self._inbox,
        }

    # -- Provider protocol -------------------------------------------------------------------

    def matches(self, path: str) -> bool:
        """Serves the WSDL's address path (in any case, as the other SOAP services do)."""
        return path.lower() in self._paths

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        """The operation the Body's element names, when it is one of this service's."""
        if request.method != "POST":
            return ()
        try:
            _, name = parse_request(request.body)
        except SoapRequestError:
            return ()
        return (name,) if name in self._contract.operations else ()

    async def handle(self, request: WireRequest) -> WireResponse:
        """Answers one request: the WSDL, a short page, or an operation."""
        if request.method not in _METHODS:
            return WireResponse(
                405,
                b"Method Not Allowed",
                "text/plain; charset=utf-8",
                {"allow": ", ".join(_METHODS)},
            )
        if request.method in ("GET", "HEAD"):
            if request.has_query_flag("wsdl"):
                return wsdl_response(spec_path(NAME, WSDL), request)
            names = escape(", ".join(self._contract.operations))
            return WireResponse(
                200,
                f"<html><body><p>{names}</p></body></html>".encode(),
                "text/html; charset=utf-8",
            )
        try:
            element, _ = parse_request(request.body)
            operation = self._contract.operation(soap_action(request), element)
        except SoapRequestError as exc:
            return fault_response(str(exc), "soap:Client")
        call = _Call(operation, element)
        try:
            result = self._handlers[operation.name](call)
        except Fail as fail:
            return self._answer(operation, fail.code, None)
        return self._answer(operation, 0, result)

    def error_response(self, code: int, operations: tuple[str, ...] = ()) -> WireResponse:
        """An answer carrying `code` (the `error_code` fault) in the shape of the operation
        asked: a status code (1 to 6, disjoint from the result codes) of GetStatus as its one
        status, any other code as the `ErrCode`."""
        name = operations[0] if operations else "GetCredit"
        operation = self._contract.operations[name]
        if name == "GetStatus" and code > 0:
            return self._answer(operation, 0, f"<item>{code}</item>")
        return self._answer(operation, code, None)

    # -- answers -----------------------------------------------------------------------------

    def _answer(self, operation: SoapOperation, code: int, result: str | None) -> WireResponse:
        """The response element: `ErrCode`, then `result` (serialised content) when given.

        A failure's description (the code's text in errors.yaml) is sent as `result` only where
        `result` is text (GetCredit): a list's `result` cannot carry it (the WSDL's
        documentation)."""
        code_name, result_name = (etree.QName(p).localname for p in operation.output_parts)
        if code != 0:
            text = self._catalog.texts.get(code, str(code))
            result = escape(text) if operation.name == "GetCredit" else None
        output = etree.QName(operation.output)
        body = f"<{code_name}>{code}</{code_name}>"
        if result is not None:
            body += f"<{result_name}>{result}</{result_name}>"
        local = output.localname
        element = f'<ns1:{local} xmlns:ns1="{output.namespace}">{body}</ns1:{local}>'
        return xml_response(soap11_envelope(element))

    # -- operations --------------------------------------------------------------------------

    def _account(self, call: _Call) -> Account:
        account = self._store.authenticate(call.text("user"), call.text("pass"))
        if account is None or not account.api_enabled:
            raise Fail(-1)
        return account

    def _line(self, call: _Call, account: Account) -> Line:
        line = self._store.find_line(call.text("fromNum").strip())
        if line is None or line.username != account.username:
            raise Fail(-5)
        return line

    def _credit(self, call: _Call) -> str:
        return str(self._account(call).credit_rials)

    def _send(self, call: _Call) -> str:
        account = self._account(call)
        line = self._line(call, account)
        # The server drops repeated numbers (manual): one message per distinct number.
        mobiles = list(dict.fromkeys(m for m in call.items("toNum") if m))
        limit = call.mark("toNum", "max-distinct")
        if limit is not None and len(mobiles) > int(limit):
            raise Fail(-2)
        text = call.text("messageContent")
        if not mobiles or not text.strip():
            raise Fail(-3)
        if any(local_mobile(m) is None for m in mobiles):
            raise Fail(-3)
        if self._store.is_filtered(text):
            raise Fail(-3)
        parts, price = account.cost(text)
        if parts > MAX_PARTS:
            raise Fail(-3)
        group = self._store.send_text(
            provider=NAME,
            username=account.username,
            line=line.number,
            text=text,
            parts=parts,
            price=price,
            mobiles=mobiles,
            user_group_id="",
            send_at=self._clock.now(),
        )
        if group is None:
            raise Fail(-3)
        sent = self._store.messages(group_id=group.id)
        return "".join(f"<item>{m.id}</item>" for m in sent)

    def _send_multiple(self, call: _Call) -> str:
        account = self._account(call)
        line = self._line(call, account)
        mobiles, texts = call.items("toNums"), call.items("messageContents")
        other = call.mark("messageContents", "same-length")
        if other is not None and len(call.items(other)) != len(texts):
            raise Fail(-4)
        blacklist = self._store.blacklisted()
        outcomes: list[str | NewMessage] = []
        for mobile, text in zip(mobiles, texts, strict=True):
            parts, price = account.cost(text)
            if local_mobile(mobile) is None:
                outcomes.append("شماره گیرنده نامعتبر است")
            elif not text.strip() or parts > MAX_PARTS:
                outcomes.append("متن پیام خالی یا طولانی است")
            elif self._store.is_filtered(text):
                outcomes.append("متن پیام حاوی کلمات فیلتر شده است")
            else:
                outcomes.append(
                    self._store.new_message(
                        mobile, text, parts=parts, price=price, blacklist=blacklist
                    )
                )
        group = self._store.new_group(
            provider=NAME,
            username=account.username,
            line=line.number,
            user_group_id="",
            send_at=self._clock.now(),
        )
        items = [o for o in outcomes if isinstance(o, NewMessage)]
        ids = self._store.send_group(group, kind="corresponding", items=items)
        if ids is None:
            raise Fail(-3)
        made = iter(ids)
        return "".join(
            f"<item><ErrCode>0</ErrCode><result>{next(made)}</result></item>"
            if isinstance(o, NewMessage)
            else f"<item><ErrCode>-3</ErrCode><result>{escape(o)}</result></item>"
            for o in outcomes
        )

    def _status(self, call: _Call) -> str:
        account = self._account(call)
        raw = call.items("unique_ids")
        if not all(value.isdigit() for value in raw):
            raise Fail(-3)
        found = {
            m.id: m
            for m in self._store.messages(
                username=account.username, provider=NAME, ids=[int(v) for v in raw]
            )
        }
        now = self._clock.now()
        codes = []
        for value in raw:
            message = found.get(int(value))
            if message is None:
                raise Fail(-3)
            state: str = state_at(message.fate, message.send_at, now)
            codes.append(self._catalog.delivery_codes[_STATE_ALIAS.get(state, state)])
        return "".join(f"<item>{code}</item>" for code in codes)

    def _inbox(self, call: _Call) -> str:
        account = self._account(call)
        unread = self._store.inbound(username=account.username, unread_only=True)[-INBOX_SIZE:]
        self._store.mark_read(m.id for m in unread)
        return "".join(
            f"<item><from>{escape(m.mobile)}</from><to>{escape(m.line)}</to>"
            f"<msg>{escape(m.text)}</msg><time>{int(m.received_at)}</time></item>"
            for m in unread
        )


def create(context: ProviderContext) -> AdvancedWs:
    """Builds the provider from `specs/advanced_ws/` (the WSDL and `errors.yaml`)."""
    return AdvancedWs(context, WsdlContract(spec_path(NAME, WSDL)), ErrorCatalog.load(NAME))
