"""Trez "XML web service" (`POST /XmlForSMS.asmx`, SOAP 1.1 `getxml`, an XML document inside).

Two layers, each checked against its own spec: the SOAP envelope against `xmlforsms.wsdl` (operation
`getxml`, one string part `xmlString`), and the `xmlrequest` document carried as that string
against `xmlapi.xsd`. The answer is the `xmlresponse` document as the text of `getxmlResult`.
Behaviour follows the provider note (providers/trez_xml.md); result texts come from `errors.yaml`.
The panel is the one trez_rest serves: same accounts, lines, credit, messages and inbox.

Where the gateway's behaviour is not documented, the sandbox chooses as follows (tests pin it):

- Envelope: SOAP 1.1 only. Routed on SOAPAction (quoted or not); without one, on the Body's
  element. Type annotations (`xsi:type`, SOAP encoding) are ignored; anything else the WSDL does not
  describe, a DOCTYPE, or XML that does not parse is a `soap:Client` Fault with HTTP 500.
- The inner document is checked in this order: 400 (no or empty `xmlString`, or another root
  element), 499 (not well-formed, or any DOCTYPE: refused before anything is expanded), 401-404 and
  421-424 (the common tags, in that order), then the XSD (`SCHEMA_CODES` maps a bad value to the
  tag's own code; a structural violation such as an unknown or repeated tag is 499), then 462 (also
  for an account whose web service is disabled or whose allowed IPs exclude the caller: the
  service has no code of its own for those), 463 (the account has no line at all), 464 (the number
  is not one of the account's lines; `98` + a `3000…` line is accepted), then the action's own tags
  in code order (each missing tag's 40x code, then its 42x/43x "empty" code), then what the
  values mean.
- "Empty" means nothing but whitespace. `dodate` may be empty (send now), so 426 never happens;
  whitespace around a date is ignored (`<dodate> </dodate>`, as the vendor's sample writes an empty
  date, is "now"): see `_collapse_format_whitespace`.
- Bounds: a method other than GET, HEAD or POST is HTTP 405 with `Allow`; a body over
  `_limits.MAX_BODY_BYTES` is HTTP 413; an envelope of more than 1,000 elements is a
  `soap:Client` Fault; an inner document of more than `MAX_RECIPIENTS` recipients
  is 468 and one flooded with other elements 499, each refused while it is being parsed; a
  status type 1 of more than `MAX_RECIPIENTS` ids is 468 too.
- sendmessage: a `body` with no content at all is 429; a body with content but no `recipient` is
  410; a recipient without a usable Iranian mobile number (or, in types 1 and 2, without text) is
  430. More than `MAX_RECIPIENTS` recipients, or a text over 640 characters or `MAX_PARTS` parts,
  is 468. `usergroupid` must not repeat any group of the account, whichever API sent it (470).
  A Jalali `dodate` (Tehran time) in the past sends now. Types 1 and 2 ignore the values of
  `dodate` and `message`. Type 2 needs both ports, on a line that allows ports, else 471.
- A filtered word makes the whole send filtered and free (status type 0 answers `status="3"`); a
  blacklisted number reports 27. Per-number codes come from `trez_rest.delivery_code`.
- status type 0: `usergroupid` must be a `groupmid` of the account (either API's), else 470;
  `status="2"` while the send time has not come, else `status="1"` with each number without its
  leading 0. status type 1: ids that are not the account's messages are left out of the answer.
- recivemessage: the request's line only, oldest first (as the manual's example lists them), 50
  per page. No message in the period: 490; a page past the last: 433.
- issubuser: `true` when the named account's `parent` (sandbox config) is the caller, else `false`.
- Errors: an `xmlresponse` with the echoes the request carried, `code`, and `message` holding the
  code's text from `errors.yaml` (the XSD's optional description; otherwise the shape of
  `examples/error.response.xml`).
- Faults: `operations` holds `getxml`, which matches every call, and each action (`sendmessage`,
  `credit`, ...), which matches the calls of that action; `error_code` answers the error document.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from xml.sax.saxutils import escape

import jdatetime  # type: ignore[import-untyped]
from lxml import etree

from .._delivery import state_at
from .._soap import (
    DoctypeError,
    ElementLimitError,
    SoapRequestError,
    WsdlContract,
    fault_response,
    parse_request,
    safe_parse,
    soap11_envelope,
    soap_action,
    wsdl_response,
    xml_response,
)
from .._specs import ErrorCatalog, spec_path
from .._store import Account, Line
from .._text import core_mobile
from .._wire import WireRequest, WireResponse
from . import Fail, ProviderContext, WireKind
from .trez_rest import MAX_PARTS, MAX_RECIPIENTS, PAGE_SIZE, delivery_code

__all__ = ["PATH", "SCHEMA_CODES", "TEHRAN", "TrezXml", "create", "format_jalali", "parse_jalali"]

NAME = "trez_xml"
PATH = "/XmlForSMS.asmx"
# What an ASMX endpoint serves: the help page and WSDL (GET, HEAD) and calls (POST).
_METHODS = ("GET", "HEAD", "POST")
_XS = "{http://www.w3.org/2001/XMLSchema}"
_JALALI_FORMAT = "%Y/%m/%d %H:%M:%S"
_ATTRIBUTE = re.compile(r"attribute '([^']+)'")
_INT64_MAX = 2**63 - 1
# Elements a getxml envelope may have: it carries one string (Envelope, Body, getxml, xmlString),
# and the headers some toolkits add (addressing, security) are a few dozen at most. A flood of
# elements stops here after microseconds, not after the 200,000 a SOAP array may need.
_MAX_ENVELOPE_ELEMENTS = 1_000
# Elements an inner document may have: the recipients plus every other tag the XSD knows, each
# once (xmlrequest, its 13 children, body), with room to spare.
_MAX_INNER_ELEMENTS = MAX_RECIPIENTS + 64
# Reads the spec's own XSD. Inner documents from callers go through `safe_parse`, as UTF-8
# whatever their declaration says: the text has already been decoded with the envelope, as .NET's
# XmlDocument.LoadXml(string) treats it.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
    encoding="utf-8",
)

# The tags every action needs: (tag, code when missing, code when empty), checked in this order.
_COMMON_TAGS = (
    ("username", 401, 421),
    ("password", 402, 422),
    ("number", 403, 423),
    ("action", 404, 424),
)

# What a value the XSD refuses means, per (element, attribute): (code when the value is empty,
# code when it is there but invalid). Any other schema violation (an unknown, repeated or
# misplaced tag or attribute, text where only elements belong) is 499, wrong XML format.
SCHEMA_CODES: Mapping[tuple[str, str | None], tuple[int, int]] = {
    ("number", None): (423, 464),
    ("action", None): (424, 461),
    ("type", None): (425, 467),
    ("dodate", None): (469, 469),  # empty is valid (send now): only a bad format reaches here
    ("message", None): (468, 468),  # over 640 characters
    ("startdate", None): (431, 469),
    ("enddate", None): (432, 469),
    ("recipient", None): (468, 468),  # a per-number text over 640 characters
    ("recipient", "mobile"): (430, 430),
    ("recipient", "doreid"): (434, 434),
    ("body", "page"): (433, 433),
    ("body", "reciveport"): (471, 471),
    ("body", "sendport"): (471, 471),
}
# libxml2's error types for a value that breaks its simple type (the others are structural).
_VALUE_ERRORS = frozenset(
    f"SCHEMAV_CVC_{name}"
    for name in (
        "DATATYPE_VALID_1_2_1",
        "PATTERN_VALID",
        "ENUMERATION_VALID",
        "LENGTH_VALID",
        "MINLENGTH_VALID",
        "MAXLENGTH_VALID",
        "MININCLUSIVE_VALID",
        "MAXINCLUSIVE_VALID",
        "MINEXCLUSIVE_VALID",
        "MAXEXCLUSIVE_VALID",
        "TOTALDIGITS_VALID",
    )
)


# The sandbox converts Jalali dates itself rather than with the generated runtime's helpers, so
# that a conversion mistake there cannot be hidden by the same mistake here.
def _tehran() -> tzinfo:
    try:
        return zoneinfo.ZoneInfo("Asia/Tehran")
    except zoneinfo.ZoneInfoNotFoundError:
        # No tz database (Windows without tzdata): Iran has kept +03:30 all year since 2022.
        return timezone(timedelta(hours=3, minutes=30), "IRST")


TEHRAN = _tehran()


def parse_jalali(text: str) -> float:
    """Reads a Jalali `yyyy/MM/dd HH:mm:ss` Tehran time as unix seconds.

    Raises:
        ValueError: If the text is not in that format or names no real date.
    """
    # Whitespace collapsed as the XSD reads the value (see `_collapse_format_whitespace`).
    local = jdatetime.datetime.strptime(" ".join(text.split()), _JALALI_FORMAT).togregorian()
    return float(local.replace(tzinfo=TEHRAN).timestamp())


def format_jalali(stamp: float) -> str:
    """Writes unix seconds as a Jalali `yyyy/MM/dd HH:mm:ss` Tehran time."""
    local = datetime.fromtimestamp(stamp, TEHRAN)
    return str(jdatetime.datetime.fromgregorian(datetime=local).strftime(_JALALI_FORMAT))


@dataclass(frozen=True)
class _Call:
    """One inner request, with its caller authenticated and its line checked."""

    doc: etree._Element
    account: Account
    line: Line


class TrezXml:
    """The trez_xml gateway.

    Args:
        context: Shared state and clock.
        contract: The SOAP layer, from `xmlforsms.wsdl` (one operation, one string part).
        schema: The inner documents' schema, from `xmlapi.xsd`.
        actions: The actions the schema allows (its `Action` enumeration).
        catalog: The parsed `errors.yaml`.
    """

    name = NAME
    wire: WireKind = "soap"
    display_paths: Sequence[str] = (PATH,)

    def __init__(
        self,
        context: ProviderContext,
        contract: WsdlContract,
        schema: etree.XMLSchema,
        actions: Sequence[str],
        catalog: ErrorCatalog,
    ) -> None:
        self._store = context.store
        self._clock = context.clock
        self._contract = contract
        self._schema = schema
        self._catalog = catalog
        (self._operation,) = contract.operations.values()
        (self._part,) = self._operation.input_parts
        output = etree.QName(self._operation.output)
        (result,) = (etree.QName(part).localname for part in self._operation.output_parts)
        self._result_open = f'<{output.localname} xmlns="{output.namespace}"><{result}>'
        self._result_close = f"</{result}></{output.localname}>"
        self._handlers: dict[str, Callable[[_Call], str]] = {
            "sendmessage": self._send_message,
            "credit": self._credit,
            "status": self._status,
            "recivemessage": self._receive_messages,
            "issubuser": self._is_sub_user,
        }
        self.actions: tuple[str, ...] = tuple(actions)
        self.operations: Sequence[str] = (self._operation.name, *self.actions)

    # -- Provider protocol -------------------------------------------------------------------

    def matches(self, path: str) -> bool:
        """Serves `/XmlForSMS.asmx` in any case (IIS ignores path case)."""
        return path.lower() == PATH.lower()

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        """`getxml` and, when the inner document names a known one, its action."""
        if request.method in ("GET", "HEAD"):
            return ()
        try:
            operation, _ = parse_request(request.body, _MAX_ENVELOPE_ELEMENTS)
            action = _text(_parse_inner(operation.findtext(self._part)).find("action")).strip()
        except (SoapRequestError, Fail):
            return (self._operation.name,)
        if action in self.actions:
            return (self._operation.name, action)
        return (self._operation.name,)

    async def handle(self, request: WireRequest) -> WireResponse:
        """Answers one request: the WSDL, the service's help page, or a getxml call."""
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
                return wsdl_response(spec_path(NAME, "xmlforsms.wsdl"), request)
            page = _help_page(request.path, tuple(self._contract.operations))
            return WireResponse(200, page, "text/html; charset=utf-8")
        try:
            operation, _ = parse_request(request.body, _MAX_ENVELOPE_ELEMENTS)
            self._contract.operation(soap_action(request), operation)
        except SoapRequestError as exc:
            return fault_response(str(exc), "soap:Client")
        part = operation.find(self._part)
        text = None if part is None else part.text
        return self._envelope(self.answer(text, request.client_host))

    def error_response(self, code: int) -> WireResponse:
        """A getxml answer whose document carries result code `code` and nothing else."""
        return self._envelope(self._document({}, code=code))

    def unimplemented(self) -> list[str]:
        """Actions in the schema that have no handler (a test keeps this empty)."""
        return [action for action in self.actions if action not in self._handlers]

    # -- the inner document ------------------------------------------------------------------

    def answer(self, text: str | None, client_host: str | None = None) -> str:
        """Runs one `xmlrequest` document and returns the `xmlresponse` document.

        Args:
            text: The text of `xmlString`, or None when the element is missing.
            client_host: The caller's address, for accounts limited to some addresses.
        """
        echoes: dict[str, str] = {}
        try:
            doc = _parse_inner(text)
            echoes = self._echoes(doc)
            for tag, missing, empty in _COMMON_TAGS:
                _required(doc, tag, missing, empty)
            self._validate(doc)
            call = self._authorise(doc, client_host)
            body = self._handlers[_text(doc.find("action")).strip()](call)
        except Fail as fail:
            return self._document(echoes, code=fail.code)
        return self._document(echoes, body=body)

    def _echoes(self, doc: etree._Element) -> dict[str, str]:
        echoes: dict[str, str] = {}
        for tag in ("username", "number", "action", "usergroupid"):
            node = doc.find(tag)
            if node is None:
                continue
            value = _text(node)
            if tag == "action":
                value = value.strip()
                if value not in self.actions:
                    continue  # the response's action has the same enumeration: echo valid ones
            echoes[tag] = value
        return echoes

    def _document(
        self, echoes: Mapping[str, str], *, code: int | None = None, body: str = ""
    ) -> str:
        parts = ['<?xml version="1.0" encoding="UTF-8"?><xmlresponse>']
        parts.extend(_element(tag, value) for tag, value in echoes.items())
        if code is not None:
            parts.append(_element("code", str(code)))
            text = self._catalog.texts.get(code)
            if text is not None:
                parts.append(_element("message", text))
        else:
            parts.append(body)
        parts.append("</xmlresponse>")
        return "".join(parts)

    def _envelope(self, document: str) -> WireResponse:
        return xml_response(
            soap11_envelope(f"{self._result_open}{escape(document)}{self._result_close}")
        )

    def _validate(self, doc: etree._Element) -> None:
        if not self._schema.validate(doc):
            errors = list(self._schema.error_log)
            raise Fail(_code_for_schema_error(doc, errors[0]) if errors else 499)

    def _authorise(self, doc: etree._Element, client_host: str | None) -> _Call:
        username = _text(doc.find("username")).strip()
        account = self._store.authenticate(username, _text(doc.find("password")))
        if account is None or not account.api_enabled:
            raise Fail(462)
        if account.allowed_ips and client_host not in account.allowed_ips:
            raise Fail(462)
        line = self._store.find_line(_text(doc.find("number")).strip())
        if line is None or line.username != account.username:
            raise Fail(464 if self._store.lines_of(account.username) else 463)
        return _Call(doc, account, line)

    # -- sendmessage -------------------------------------------------------------------------

    def _send_message(self, call: _Call) -> str:
        doc = call.doc
        kind = _integer(_required(doc, "type", 405, 425))
        dodate = doc.find("dodate")
        if dodate is None:
            raise Fail(406)
        if doc.find("message") is None:
            raise Fail(407)
        text = _required(doc, "message", 407, 427) if kind == 0 else ""
        user_group_id = _required(doc, "usergroupid", 408, 428)
        body = _recipient_body(doc)
        ports = _ports(body, call.line) if kind == 2 else None
        recipients = body.findall("recipient")
        if len(recipients) > MAX_RECIPIENTS:
            raise Fail(468)
        mobiles = [_mobile(recipient) for recipient in recipients]

        def unique() -> None:
            # Inside the send's transaction, so two concurrent sends cannot both pass.
            if self._store.latest_group_for(call.account.username, user_group_id) is not None:
                raise Fail(470)

        if kind == 0:
            parts, price = self._cost(call.account, text)
            group = self._store.send_text(
                provider=NAME,
                username=call.account.username,
                line=call.line.number,
                text=text,
                parts=parts,
                price=price,
                mobiles=mobiles,
                user_group_id=user_group_id,
                send_at=self._send_time(_text(dodate)),
                check=unique,
            )
            if group is None:
                raise Fail(465)
            return f"<body>{_element('groupmid', group.id)}</body>"
        return self._send_pairs(call, recipients, mobiles, user_group_id, ports, unique)

    def _send_pairs(
        self,
        call: _Call,
        recipients: Sequence[etree._Element],
        mobiles: Sequence[str],
        user_group_id: str,
        ports: tuple[int, int] | None,
        unique: Callable[[], None],
    ) -> str:
        """Types 1 and 2: one text per number, each with the caller's doreid."""
        blacklist = self._store.blacklisted()
        refs: list[str] = []
        items = []
        for recipient, mobile in zip(recipients, mobiles, strict=True):
            ref = recipient.get("doreid")
            if ref is None:
                raise Fail(414)
            text = _text(recipient)
            if not text.strip():
                raise Fail(430)
            parts, price = self._cost(call.account, text)
            refs.append(ref.strip())
            items.append(
                self._store.new_message(
                    mobile,
                    text,
                    parts=parts,
                    price=price,
                    blacklist=blacklist,
                    user_ref=ref.strip(),
                    ports=ports,
                )
            )
        group = self._store.new_group(
            provider=NAME,
            username=call.account.username,
            line=call.line.number,
            user_group_id=user_group_id,
            send_at=self._clock.now(),
        )
        kind = "corresponding" if ports is None else "port"
        ids = self._store.send_group(group, kind=kind, items=items, check=unique)
        if ids is None:
            raise Fail(465)
        rows = "".join(
            _element("recipient", str(message_id), mobile=mobile, doreid=ref)
            for message_id, mobile, ref in zip(ids, mobiles, refs, strict=True)
        )
        if ports is None:
            return _parent("body", rows)
        return _parent("body", rows, reciveport=str(ports[1]), sendport=str(ports[0]))

    def _cost(self, account: Account, text: str) -> tuple[int, int]:
        parts, price = account.cost(text)
        if parts > MAX_PARTS:
            raise Fail(468)
        return parts, price

    def _send_time(self, dodate: str) -> float:
        now = self._clock.now()
        if not dodate.strip():
            return now
        try:
            return max(parse_jalali(dodate), now)
        except ValueError:
            raise Fail(469) from None

    # -- the other actions -------------------------------------------------------------------

    def _credit(self, call: _Call) -> str:
        return _element("body", str(call.account.credit_rials))

    def _status(self, call: _Call) -> str:
        kind = _integer(_required(call.doc, "type", 405, 425))
        if kind == 0:
            return self._group_status(call)
        if kind == 1:
            return self._message_status(call)
        raise Fail(467)

    def _group_status(self, call: _Call) -> str:
        group_id = _required(call.doc, "usergroupid", 408, 428)
        group = self._store.group(call.account.username, group_id)
        if group is None:
            raise Fail(470)
        codes = self._catalog.group_codes
        if group.filtered:
            return _parent("body", "", status=codes["filtered"])
        now = self._clock.now()
        if now < group.send_at:
            return _parent("body", "", status=codes["queued"])
        rows = "".join(
            _element(
                "recipient",
                delivery_code(self._catalog, state_at(m.fate, m.send_at, now)),
                mobile=core_mobile(m.mobile) or m.mobile,  # the real server drops the leading 0
            )
            for m in self._store.messages(username=call.account.username, group_id=group.id)
        )
        return _parent("body", rows, status=codes["sent"])

    def _message_status(self, call: _Call) -> str:
        refs: list[str] = []
        asked = _recipient_body(call.doc).findall("recipient")
        if len(asked) > MAX_RECIPIENTS:
            raise Fail(468)  # as many as one send can make, as for trez_rest's messageId
        for recipient in asked:
            ref = recipient.get("doreid")
            if ref is None:
                raise Fail(414)
            refs.append(ref.strip())
        found = {
            m.id: m
            for m in self._store.messages(
                username=call.account.username, ids=[_integer(ref) for ref in refs]
            )
        }
        now = self._clock.now()
        rows = "".join(
            _element(
                "recipient",
                delivery_code(self._catalog, state_at(found[i].fate, found[i].send_at, now)),
                doreid=ref,
            )
            for ref, i in ((ref, _integer(ref)) for ref in refs)
            if i in found
        )
        return _parent("body", rows)

    def _receive_messages(self, call: _Call) -> str:
        start_text = _required(call.doc, "startdate", 411, 431)
        end_text = _required(call.doc, "enddate", 412, 432)
        body = call.doc.find("body")
        if body is None:
            raise Fail(409)
        page_text = body.get("page")
        if page_text is None:
            raise Fail(413)
        page = _integer(page_text)  # the schema has made sure it is a positive integer
        try:
            start, end = parse_jalali(start_text), parse_jalali(end_text)
        except ValueError:
            raise Fail(469) from None
        inbox = self._store.inbound(
            username=call.account.username, line=call.line.number, start=start, end=end
        )
        if not inbox:
            raise Fail(490)
        total = math.ceil(len(inbox) / PAGE_SIZE)
        if page > total:
            raise Fail(433)
        rows = "".join(
            _element("recipient", m.text, mobile=m.mobile, date=format_jalali(m.received_at))
            for m in inbox[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        )
        return _parent("body", rows, page=str(page), totalpage=str(total))

    def _is_sub_user(self, call: _Call) -> str:
        name = _required(call.doc, "issubuser", 415, 435)
        other = self._store.account(name)
        is_sub_user = other is not None and other.parent == call.account.username
        return _element("body", "true" if is_sub_user else "false")


# -- helpers ---------------------------------------------------------------------------------


def _parse_inner(text: str | None) -> etree._Element:
    """Parses the `xmlrequest` document safely: no DTD, no entity expansion, no network."""
    if text is None or not text.strip():
        raise Fail(400)
    try:
        root = safe_parse(
            text.strip().encode("utf-8"),
            max_elements=_MAX_INNER_ELEMENTS,
            encoding="utf-8",
            remove_pis=True,
        )
    except ElementLimitError as exc:
        # Only recipients may repeat: too many of them is the message count error, any other
        # flood of elements is no document of this service.
        raise Fail(468 if exc.tag == "recipient" else 499) from None
    except (DoctypeError, etree.XMLSyntaxError):
        raise Fail(499) from None
    if root.tag != "xmlrequest":
        raise Fail(400)
    return root


def _code_for_schema_error(doc: etree._Element, error: etree._LogEntry) -> int:
    """Maps the XSD's first complaint to a result code (see `SCHEMA_CODES`)."""
    if error.type_name not in _VALUE_ERRORS or not error.path:
        return 499
    found = doc.xpath(error.path)
    node = found[0] if isinstance(found, list) and found else None
    if not isinstance(node, etree._Element):
        return 499
    match = _ATTRIBUTE.search(error.message)
    attribute = match.group(1) if match else None
    codes = SCHEMA_CODES.get((etree.QName(node).localname, attribute))
    if codes is None:
        return 499
    value = node.get(attribute, "") if attribute else _text(node)
    return codes[1] if value.strip() else codes[0]


def _integer(text: str) -> int:
    """Reads an integer the XSD has accepted.

    The XSD's integer types allow a sign and any number of leading zeros, and `xs:positiveInteger`
    any number of digits, but int() refuses text of more than 4300 digits. Only a page can be wider
    than 64 bits, and such a page is past the last one whatever it is, so it reads as `_INT64_MAX`.
    """
    text = text.strip()
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text.removeprefix("+"))
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(_INT64_MAX)):
        return _INT64_MAX
    return int(sign + digits)


def _text(node: etree._Element | None) -> str:
    return "" if node is None else node.text or ""


def _required(doc: etree._Element, tag: str, missing: int, empty: int) -> str:
    """The stripped text of a child that must be there and not be empty."""
    node = doc.find(tag)
    if node is None:
        raise Fail(missing)
    text = _text(node).strip()
    if not text:
        raise Fail(empty)
    return text


def _recipient_body(doc: etree._Element) -> etree._Element:
    """The `body` of an action that lists recipients: 409 missing, 429 empty, 410 none listed."""
    body = doc.find("body")
    if body is None:
        raise Fail(409)
    if not body.attrib and len(body) == 0 and not _text(body).strip():
        raise Fail(429)
    if body.find("recipient") is None:
        raise Fail(410)
    return body


def _mobile(recipient: etree._Element) -> str:
    mobile = (recipient.get("mobile") or "").strip()
    if core_mobile(mobile) is None:
        raise Fail(430)
    return mobile


def _ports(body: etree._Element, line: Line) -> tuple[int, int]:
    """(sendport, reciveport) of a type-2 send; the schema has checked they are 1000-9999."""
    send, receive = body.get("sendport"), body.get("reciveport")
    if send is None or receive is None or not line.ports_allowed:
        raise Fail(471)
    return _integer(send), _integer(receive)


def _element(tag: str, text: str = "", **attributes: str) -> str:
    return _parent(tag, escape(text), **attributes)


def _parent(tag: str, content: str, **attributes: str) -> str:
    """An element around already serialised content."""
    attrs = "".join(
        f' {name}="{escape(value, {chr(34): "&quot;"})}"' for name, value in attributes.items()
    )
    return f"<{tag}{attrs}>{content}</{tag}>"


def _help_page(path: str, operations: Sequence[str]) -> bytes:
    """What an ASMX service shows a browser: its operations and a link to the WSDL."""
    return (
        "<html><head><title>XmlForSMS Web Service</title></head><body><h1>XmlForSMS</h1>"
        f"<p>The following operations are supported: {escape(', '.join(operations))}.</p>"
        f'<p><a href="{escape(path)}?WSDL">Service Description</a></p></body></html>'
    ).encode()


def _collapse_format_whitespace(xsd: etree._ElementTree) -> None:
    """Makes the schema ignore whitespace around values whose type is a text format.

    A simple type that restricts `xs:string` by a pattern is a format (the Jalali dates), not
    free text: surrounding spaces cannot mean anything in it, .NET's own date parsing skips them,
    and the vendor's XML sample writes an empty date as `<dodate> </dodate>`. Such a type gets
    `xs:whiteSpace collapse`, as if it were based on `xs:token`, before the schema is compiled;
    free text (`message`, `password`) keeps every space. This changes the sandbox's copy of the
    schema only; the spec should say the same (`xs:token`-based date types).
    """
    for restriction in xsd.iterfind(f"{_XS}simpleType/{_XS}restriction"):
        prefix, _, local = str(restriction.get("base", "")).rpartition(":")
        if (restriction.nsmap.get(prefix or None), local) != (_XS[1:-1], "string"):
            continue
        pattern = restriction.find(f"{_XS}pattern")
        if pattern is None or restriction.find(f"{_XS}whiteSpace") is not None:
            continue
        # Facets go after the restriction's annotation; their order among themselves is free.
        pattern.addprevious(etree.Element(f"{_XS}whiteSpace", value="collapse"))


def create(context: ProviderContext) -> TrezXml:
    """Builds the provider from `specs/trez_xml/` (WSDL, XSD and `errors.yaml`)."""
    xsd = etree.parse(str(spec_path(NAME, "xmlapi.xsd")), _PARSER)
    _collapse_format_whitespace(xsd)
    actions = [
        str(item.get("value"))
        for item in xsd.iterfind(
            f"{_XS}simpleType[@name='Action']/{_XS}restriction/{_XS}enumeration"
        )
    ]
    return TrezXml(
        context,
        WsdlContract(spec_path(NAME, "xmlforsms.wsdl")),
        etree.XMLSchema(xsd),
        actions,
        ErrorCatalog.load(NAME),
    )
