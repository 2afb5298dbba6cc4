"""Sans-IO actions of trez_xml: each is an ``xmlrequest`` document carried, as text,
by the one SOAP operation ``getxml``, and answered by an ``xmlresponse`` document.

Per action, ``build_<action>(account, …)`` returns the request document (a
``documents.Xmlrequest``) and ``parse_<action>(response)`` turns getxml's HTTP answer into the
action's result. ``request(document)`` serialises a document into the getxml HTTP request, and
``read_response(response)`` unwraps the answer into its ``documents.Xmlresponse``, raising the
typed error of a result code (``errors.RESULT_CODES``) on the way.

Date-time inputs must be timezone-aware and are written as Jalali ``yyyy/MM/dd HH:mm:ss`` in
Tehran time; Jalali dates in answers come back as aware ``datetime`` values.

Hand-written (codegen/layers/trez_xml/, vendored verbatim into the generated package): the
actions are documents tunnelled through getxml, which the generator does not yet derive from the
XSD. It imports the generated siblings by their absolute names so that it type-checks here too.
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final, TypeVar

from lxml import etree

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen._runtime.errors import (
    ApiError,
    MalformedResponseError,
    ResponseValidationError,
    api_error_for,
)
from payamak_gen._runtime.http import HttpRequest, HttpResponse
from payamak_gen._runtime.jalali import from_jalali, to_jalali
from payamak_gen._runtime.soap import SoapOperation
from payamak_gen._runtime.xml import DocumentError, XmlRejected, parse_text, to_bool, to_int
from payamak_gen.trez_xml import codec, documents, operations
from payamak_gen.trez_xml.errors import DELIVERY_CODES, GROUP_STATUS_CODES, RESULT_CODES
from payamak_gen.trez_xml.results import (
    GroupStatus,
    MessageStatus,
    PeerMessage,
    ReceivedMessage,
    ReceivedPage,
    RecipientStatus,
    SentMessage,
)

__all__ = [
    "OPERATION",
    "Account",
    "build_get_credit",
    "build_group_status",
    "build_is_sub_user",
    "build_message_status",
    "build_received_messages",
    "build_send_message",
    "build_send_peer_to_peer",
    "build_send_to_port",
    "operation_of",
    "parse_get_credit",
    "parse_group_status",
    "parse_is_sub_user",
    "parse_message_status",
    "parse_received_messages",
    "parse_send_message",
    "parse_send_peer_to_peer",
    "parse_send_to_port",
    "read_response",
    "request",
]

OPERATION: Final = operations.GETXML.name
"""The SOAP operation every action goes through (errors report the action instead)."""

# Errors name the action a document asks for (sendmessage, credit…), as the generic Tunnel
# binding does; on the wire every action is the same getxml operation.
_ACTION_OPERATIONS: Final = {
    action: replace(operations.GETXML, name=action.value) for action in documents.Action
}


def operation_of(action: documents.Action | None) -> SoapOperation:
    """The ``SoapOperation`` errors of ``action`` report (getxml's own when it is unknown)."""
    return operations.GETXML if action is None else _ACTION_OPERATIONS[action]


# Real clients send two quote characters as the text of each recipient of a status query.
_STATUS_QUERY_TEXT: Final = '""'
_CODE_DIGITS: Final = re.compile(r"[0-9]+")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Account:
    """The credentials and line every request document carries.

    Attributes:
        username: Panel user name.
        password: Panel password (left out of the repr).
        number: The account's dedicated line, digits; a line starting with 3000 is sent with the
            98 prefix (9830008632 for 30008632), as the vendor's sample pages say.
    """

    username: str
    password: str = field(repr=False)
    number: str


def _document(account: Account, action: documents.Action) -> documents.Xmlrequest:
    return documents.Xmlrequest(
        username=account.username,
        password=account.password,
        number=account.number,
        action=action,
    )


def _sequence(values: Sequence[T], name: str) -> Sequence[T]:
    # A str is a Sequence[str]: one number passed as a string would become one per digit.
    if isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of values, not one string")
    return values


def _non_empty(values: Sequence[T], name: str) -> Sequence[T]:
    if not _sequence(values, name):
        raise ValueError(f"{name} must not be empty")
    return values


def request(document: documents.Xmlrequest) -> HttpRequest:
    """Serialise a request document and wrap it in the getxml SOAP request.

    Raises:
        ValueError: a value breaks the schema (length, pattern, range) or holds a character XML
            cannot carry.
    """
    return operations.build_getxml(xml_string=codec.dump_xmlrequest(document))


def build_send_message(
    account: Account,
    *,
    mobiles: Sequence[str],
    message: str,
    user_group_id: str,
    send_at: datetime | None = None,
) -> documents.Xmlrequest:
    """sendmessage type 0: one text to one or many numbers, now or at ``send_at``.

    Raises:
        ValueError: no mobiles, or ``send_at`` is naive.
    """
    recipients = [documents.RequestRecipient(mobile=m) for m in _non_empty(mobiles, "mobiles")]
    document = _document(account, documents.Action.SENDMESSAGE)
    document.type_value = 0
    document.dodate = "" if send_at is None else to_jalali(send_at, name="send_at")
    document.message = message
    document.usergroupid = user_group_id
    document.body = documents.RequestBody(recipient=recipients)
    return document


def _peer_document(
    account: Account,
    messages: Sequence[PeerMessage],
    user_group_id: str,
    ports: tuple[int, int] | None,
) -> documents.Xmlrequest:
    # Peer-to-peer sends carry dodate and message present but empty: the texts are per number.
    recipients = [
        documents.RequestRecipient(mobile=m.mobile, doreid=m.doreid, value=m.text)
        for m in _non_empty(messages, "messages")
    ]
    document = _document(account, documents.Action.SENDMESSAGE)
    document.type_value = 1 if ports is None else 2
    document.dodate = ""
    document.message = ""
    document.usergroupid = user_group_id
    document.body = documents.RequestBody(recipient=recipients)
    if ports is not None:
        document.body.reciveport, document.body.sendport = ports
    return document


def build_send_peer_to_peer(
    account: Account, *, messages: Sequence[PeerMessage], user_group_id: str
) -> documents.Xmlrequest:
    """sendmessage type 1: a different text per number.

    Raises:
        ValueError: no messages.
    """
    return _peer_document(account, messages, user_group_id, None)


def build_send_to_port(
    account: Account,
    *,
    messages: Sequence[PeerMessage],
    user_group_id: str,
    receive_port: int,
    send_port: int,
) -> documents.Xmlrequest:
    """sendmessage type 2: a text per number, to an application port (lines starting with 3000).

    Raises:
        ValueError: no messages (ports outside 1000-9999 fail when the document is written).
    """
    return _peer_document(account, messages, user_group_id, (receive_port, send_port))


def build_get_credit(account: Account) -> documents.Xmlrequest:
    """credit: the balance (no type and no body, as real clients send it)."""
    return _document(account, documents.Action.CREDIT)


def build_group_status(
    account: Account, *, group_id: str, mobiles: Sequence[str] = ()
) -> documents.Xmlrequest:
    """status type 0: the status of a group send, by the ``groupmid`` the send returned.

    With ``mobiles``, the request also carries ``<body status="1">`` and one recipient per number
    with the text ``""``, which is what real clients send; without, it is the manual's form.
    """
    document = _document(account, documents.Action.STATUS)
    document.type_value = 0
    document.usergroupid = group_id
    if _sequence(mobiles, "mobiles"):
        document.body = documents.RequestBody(
            status=1,
            recipient=[
                documents.RequestRecipient(mobile=m, value=_STATUS_QUERY_TEXT) for m in mobiles
            ],
        )
    return document


def build_message_status(account: Account, *, message_ids: Sequence[int]) -> documents.Xmlrequest:
    """status type 1: the status of peer-to-peer messages, by the ids their send returned.

    Raises:
        ValueError: no ids.
    """
    document = _document(account, documents.Action.STATUS)
    document.type_value = 1
    document.body = documents.RequestBody(
        recipient=[
            documents.RequestRecipient(doreid=i) for i in _non_empty(message_ids, "message_ids")
        ]
    )
    return document


def build_received_messages(
    account: Account, *, start: datetime, end: datetime, page: int = 1
) -> documents.Xmlrequest:
    """recivemessage: inbound messages received between ``start`` and ``end``, 50 per page.

    Raises:
        ValueError: a naive date-time, ``start`` after ``end``, or a page below 1.
    """
    start_text = to_jalali(start, name="start")
    end_text = to_jalali(end, name="end")
    if start > end:
        raise ValueError(f"start ({start.isoformat()}) is after end ({end.isoformat()})")
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")
    document = _document(account, documents.Action.RECIVEMESSAGE)
    document.startdate = start_text
    document.enddate = end_text
    document.body = documents.RequestBody(page=page)
    return document


def build_is_sub_user(account: Account, *, name: str) -> documents.Xmlrequest:
    """issubuser: whether ``name`` is a sub-user of this (reseller) account."""
    document = _document(account, documents.Action.ISSUBUSER)
    document.issubuser = name
    return document


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _error(
    root: etree._Element, code: etree._Element, response: HttpResponse, operation: SoapOperation
) -> ApiError | ResponseValidationError:
    # The error shape is unverified (specs/trez_xml/DEPARTURES.md #23): the code is the first
    # number inside <code>, the description whatever text <message> or <code> carries besides.
    text = _text(code).strip()
    digits = _CODE_DIGITS.search(text)
    if digits is None:
        return operations.SERVICE.invalid(
            operation, response, f"xmlresponse/code {text!r} holds no result code"
        )
    message = root.find("message")
    server_message = _text(message).strip() if message is not None else text
    return api_error_for(
        provider=operations.PROVIDER,
        operation=operation.name,
        code=int(digits.group()),
        table=RESULT_CODES,
        server_message=server_message if server_message != digits.group() else None,
        http_status=response.status_code,
        raw=response.content,
    )


@contextmanager
def _reading(response: HttpResponse, action: documents.Action | None) -> Iterator[None]:
    """Turn a value that does not fit the action into ``ResponseValidationError``."""
    try:
        yield
    except ValueError as exc:  # DocumentError, and from_jalali's ValueError
        raise operations.SERVICE.invalid(
            operation_of(action), response, f"getxmlResult: {exc}"
        ) from exc


def read_response(
    response: HttpResponse, action: documents.Action | None = None
) -> documents.Xmlresponse:
    """Unwrap getxml's answer into the ``xmlresponse`` document it carries.

    Args:
        response: getxml's HTTP answer.
        action: The action the request asked for, which errors name (``getxml`` if None).

    Raises:
        ApiError: the document carries a result code (a subclass per kind, from
            ``errors.RESULT_CODES``).
        MalformedResponseError: the envelope or the document is not acceptable XML.
        ResponseValidationError: either does not fit its schema.
        SoapFaultError, HttpStatusError, AuthenticationError: as ``operations.parse_getxml``.
    """
    operation = operation_of(action)
    envelope = operations.SERVICE.parse(operation, response, codec.read_getxml_response)
    if envelope.getxml_result is None:
        raise operations.SERVICE.invalid(operation, response, "getxmlResponse has no getxmlResult")
    try:
        root = parse_text(envelope.getxml_result)
    except XmlRejected as exc:
        raise MalformedResponseError(
            f"getxmlResult: {exc}",
            provider=operations.PROVIDER,
            operation=operation.name,
            raw=response.content,
        ) from exc
    # The code is looked for before the document is read, so that an error answer in a shape
    # the schema does not foresee still raises its typed error.
    code = root.find("code") if root.tag == "xmlresponse" else None
    if code is not None:
        raise _error(root, code, response, operation)
    with _reading(response, action):
        return codec.read_xmlresponse(root)


def _body(document: documents.Xmlresponse) -> documents.ResponseBody:
    if document.body is None:
        raise DocumentError("xmlresponse has no body")
    return document.body


def _body_text(document: documents.Xmlresponse) -> str:
    parts = _body(document).content
    if not all(isinstance(part, str) for part in parts):
        raise DocumentError("xmlresponse/body: expected text only, found elements")
    return "".join(str(part) for part in parts)


def _recipients(document: documents.Xmlresponse) -> list[documents.ResponseRecipient]:
    recipients: list[documents.ResponseRecipient] = []
    for part in _body(document).content:
        if not isinstance(part, documents.ResponseRecipient):
            raise DocumentError(f"xmlresponse/body: expected recipient elements, found {part!r}")
        recipients.append(part)
    return recipients


def _required(value: T | None, where: str) -> T:
    if value is None:
        raise DocumentError(f"{where} is missing")
    return value


def _delivery(recipient: documents.ResponseRecipient) -> tuple[int, StatusCode]:
    code = to_int(recipient.value, "recipient")
    return code, DELIVERY_CODES.lookup(code)


def parse_send_message(response: HttpResponse) -> str:
    """The ``groupmid`` (a GUID) of the send; pass it to ``build_group_status``."""
    document = read_response(response, documents.Action.SENDMESSAGE)
    with _reading(response, documents.Action.SENDMESSAGE):
        content = _body(document).content
        if len(content) != 1 or not isinstance(content[0], documents.GroupMessageId):
            raise DocumentError("xmlresponse/body: expected exactly one groupmid")
        group_id = content[0].value.strip()
        if not group_id:
            raise DocumentError("xmlresponse/body/groupmid is empty")
        return group_id


def _sent(response: HttpResponse) -> list[SentMessage]:
    document = read_response(response, documents.Action.SENDMESSAGE)
    with _reading(response, documents.Action.SENDMESSAGE):
        return [
            SentMessage(message_id=to_int(r.value, "recipient"), mobile=r.mobile, doreid=r.doreid)
            for r in _recipients(document)
        ]


def parse_send_peer_to_peer(response: HttpResponse) -> list[SentMessage]:
    """One ``SentMessage`` per message, with the server's id for each."""
    return _sent(response)


def parse_send_to_port(response: HttpResponse) -> list[SentMessage]:
    """One ``SentMessage`` per message, with the server's id for each."""
    return _sent(response)


def parse_get_credit(response: HttpResponse) -> int:
    """The balance in rials."""
    document = read_response(response, documents.Action.CREDIT)
    with _reading(response, documents.Action.CREDIT):
        return to_int(_body_text(document), "xmlresponse/body")


def parse_group_status(response: HttpResponse) -> GroupStatus:
    """The group's status and, once sent, each number's delivery code."""
    document = read_response(response, documents.Action.STATUS)
    with _reading(response, documents.Action.STATUS):
        code = _required(_body(document).status, "xmlresponse/body@status")
        recipients = tuple(
            RecipientStatus(_required(r.mobile, "recipient@mobile"), *_delivery(r))
            for r in _recipients(document)
        )
        return GroupStatus(code=code, status=GROUP_STATUS_CODES.lookup(code), recipients=recipients)


def parse_message_status(response: HttpResponse) -> list[MessageStatus]:
    """Each message's delivery code."""
    document = read_response(response, documents.Action.STATUS)
    with _reading(response, documents.Action.STATUS):
        return [
            MessageStatus(_required(r.doreid, "recipient@doreid"), *_delivery(r))
            for r in _recipients(document)
        ]


def parse_received_messages(response: HttpResponse) -> ReceivedPage:
    """One page of inbound messages (an empty period is result code 490, ``NotFoundError``)."""
    document = read_response(response, documents.Action.RECIVEMESSAGE)
    with _reading(response, documents.Action.RECIVEMESSAGE):
        body = _body(document)
        return ReceivedPage(
            page=_required(body.page, "xmlresponse/body@page"),
            total_pages=_required(body.totalpage, "xmlresponse/body@totalpage"),
            messages=tuple(
                ReceivedMessage(
                    mobile=_required(r.mobile, "recipient@mobile"),
                    text=r.value,
                    received_at=None if r.date is None else from_jalali(r.date),
                )
                for r in _recipients(document)
            ),
        )


def parse_is_sub_user(response: HttpResponse) -> bool:
    """Whether the user is a sub-user (``true``/``false``; .NET's ``True``/``False`` too)."""
    document = read_response(response, documents.Action.ISSUBUSER)
    with _reading(response, documents.Action.ISSUBUSER):
        return to_bool(_body_text(document).strip().lower(), "xmlresponse/body")
