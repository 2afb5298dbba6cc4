"""Errors raised by the generated clients.

Every error carries the provider and operation, and none carries credentials::

    PayamakGenError
    ├── InvalidInputError         an argument the spec does not allow (also a ValueError);
    │                             raised before any I/O, so nothing was sent
    ├── TransportError            the exchange did not complete (refused, reset, cut off)
    │   └── RequestTimeout        no complete answer in time (per phase, or the overall deadline)
    ├── HttpStatusError           an HTTP status the spec does not describe (500, 503, …)
    ├── ProtocolError             the answer is not what the spec says
    │   ├── MalformedResponseError    not parseable (invalid JSON or XML, truncated, nested
    │   │                             deeper than the parser allows)
    │   ├── ResponseValidationError   parseable, but does not fit the schema (a wrong type, a
    │   │                             number that is not finite, an integer of too many digits)
    │   └── ResponseTooLargeError     larger than the client's cap (bytes, or XML markup)
    └── ApiError                  the provider answered with an error code
        ├── AuthenticationError       credentials rejected (HTTP 401 or a code)
        ├── PermissionDeniedError     the account may not do this
        ├── InvalidRequestError       the request was refused as invalid
        ├── InsufficientCreditError   not enough credit
        ├── LimitExceededError        too many recipients, parts or calls
        ├── NotFoundError             the referenced item does not exist
        ├── ServerError               the provider failed internally
        ├── PartialFailureError       some messages of a send failed
        └── SoapFaultError            a SOAP service answered with a Fault

Every error says whether the server may have carried the request out anyway, in
``outcome_unknown``. For a send that means the messages may have gone out: do not send again
blindly, reconcile first (by your own reference, such as the user group id). It is true for a
transport failure after the request left (not for a refused connection), an HTTP 5xx, an answer
that cannot be read, a partial failure, a non-retryable server error, an undocumented code, and
a server-side SOAP Fault. It is false for ``InvalidInputError``: the request was never built.

Nothing else escapes a client call: what a parser or a model raises for a hostile or broken answer
(Python's integer-size limit, recursion, pydantic) is turned into a ``ProtocolError``, and what the
request builders raise for bad arguments into ``InvalidInputError``.
"""

from typing import Any

from .catalog import ErrorKind, ResultCode, ResultCodeTable

__all__ = [
    "ApiError",
    "AuthenticationError",
    "FieldError",
    "HttpStatusError",
    "InsufficientCreditError",
    "InvalidInputError",
    "InvalidRequestError",
    "LimitExceededError",
    "MalformedResponseError",
    "NotFoundError",
    "PartialFailureError",
    "PayamakGenError",
    "PermissionDeniedError",
    "ProtocolError",
    "RequestTimeout",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "SoapFaultError",
    "TransportError",
    "api_error_for",
]

_RAW_PREVIEW = 200


def _preview(raw: bytes) -> str:
    text = raw[:_RAW_PREVIEW].decode("utf-8", errors="replace")
    return text + ("…" if len(raw) > _RAW_PREVIEW else "")


class PayamakGenError(Exception):
    """Base of every error a generated client raises.

    Attributes:
        provider: Provider id, e.g. ``trez_rest``.
        operation: The wire name of the operation, e.g. ``SendMessage``.
        outcome_unknown: Whether the server may have carried the request out despite the error
            (for a send: the messages may have gone out; reconcile before sending again).
    """

    def __init__(
        self, message: str, *, provider: str, operation: str, outcome_unknown: bool
    ) -> None:
        super().__init__(f"{provider} {operation}: {message}")
        self.provider = provider
        self.operation = operation
        self.outcome_unknown = outcome_unknown


_VALUE_PREVIEW = 40


def safe_value(value: Any, *, secret: bool) -> str:
    """How an argument is shown in an input error: its type, and for a value that is not a
    credential a short repr (long texts are cut, so an error never carries a whole message)."""
    kind = type(value).__name__
    if secret:
        return f"<{kind}, hidden>"
    try:
        text = repr(value)
    except Exception:  # a caller's object whose repr fails must not hide the input error
        return f"<{kind}>"
    if len(text) > _VALUE_PREVIEW:
        text = text[:_VALUE_PREVIEW] + "…"
    return f"{text} ({kind})"


class FieldError(ValueError):
    """What request builders raise for one bad value; the client turns it into
    ``InvalidInputError`` with its provider and operation.

    Attributes:
        field: Where the value goes (a parameter name, or a path such as ``xmlrequest/message``).
        detail: What is wrong with it; never the value of a credential.
    """

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


class InvalidInputError(PayamakGenError, ValueError):
    """An argument the spec does not allow; raised before any I/O, so nothing was sent.

    Also a ``ValueError``, so code written for the builders' plain ``ValueError`` keeps working.

    Attributes:
        field: The parameter or document field the value was for (``None`` if unknown).
        value: A safe rendering of the value: its type and a short repr, never a credential.
        detail: What is wrong with it.
    """

    def __init__(
        self,
        detail: str,
        *,
        provider: str,
        operation: str,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        where = f"{field}: " if field else ""
        shown = f" (got {value})" if value is not None else ""
        super().__init__(
            f"invalid input: {where}{detail}{shown}",
            provider=provider,
            operation=operation,
            outcome_unknown=False,
        )
        self.field = field
        self.value = value
        self.detail = detail


class TransportError(PayamakGenError):
    """The HTTP exchange did not complete.

    ``outcome_unknown`` is false only when the request never left (the connection was refused
    or could not be opened in time); otherwise the server may have received and processed it.
    """

    def __init__(self, message: str, *, provider: str, operation: str, request_sent: bool) -> None:
        super().__init__(
            message, provider=provider, operation=operation, outcome_unknown=request_sent
        )


class RequestTimeout(TransportError):
    """No complete answer arrived within the timeout."""


class HttpStatusError(PayamakGenError):
    """The server answered with an HTTP status that the spec does not describe.

    Attributes:
        status_code: The HTTP status.
        raw: The response body as received.
    """

    def __init__(self, *, provider: str, operation: str, status_code: int, raw: bytes) -> None:
        super().__init__(
            f"unexpected HTTP status {status_code}: {_preview(raw)!r}",
            provider=provider,
            operation=operation,
            # A 5xx may come after the work was done (a crash while answering); a 4xx may not.
            outcome_unknown=status_code >= 500,
        )
        self.status_code = status_code
        self.raw = raw


class ProtocolError(PayamakGenError):
    """The answer does not follow the spec.

    Attributes:
        raw: The response body as received.
    """

    def __init__(self, detail: str, *, provider: str, operation: str, raw: bytes) -> None:
        # The server answered, so it handled the request; what it did cannot be read.
        super().__init__(
            f"{detail}; body: {_preview(raw)!r}",
            provider=provider,
            operation=operation,
            outcome_unknown=True,
        )
        self.detail = detail
        self.raw = raw


class MalformedResponseError(ProtocolError):
    """The body could not be parsed at all (invalid or truncated JSON or XML)."""


class ResponseValidationError(ProtocolError):
    """The body parsed but does not fit the response schema of the operation."""


class ResponseTooLargeError(ProtocolError):
    """The answer is larger than the client accepts: more bytes than ``max_response_bytes``
    (cut off while it streams in, so the rest is never read) or more XML markup than the parser
    allows (refused before a tree is built).

    Attributes:
        limit: The limit that was exceeded.
    """

    def __init__(
        self, detail: str, *, provider: str, operation: str, raw: bytes, limit: int
    ) -> None:
        super().__init__(detail, provider=provider, operation=operation, raw=raw)
        self.limit = limit


class ApiError(PayamakGenError):
    """The provider answered with an error code.

    Attributes:
        code: The provider's code (None when the error is signalled by HTTP status alone).
        kind: What the code means, the same across providers (None if undocumented).
        retryable: Whether the same request may be sent again safely.
        message_en: English description from the provider's catalog.
        message_fa: Persian description from the provider's catalog.
        server_message: The message text the server sent, if any.
        http_status: The HTTP status of the answer.
        raw: The response body as received.
        result: What the server sent beside the code, decoded (for a partial failure: which
            messages went out), or None.
    """

    def __init__(
        self,
        *,
        provider: str,
        operation: str,
        code: int | str | None,
        kind: ErrorKind | None,
        retryable: bool,
        message_en: str,
        message_fa: str,
        server_message: str | None,
        http_status: int,
        raw: bytes,
        result: Any = None,
    ) -> None:
        label = f"code {code}" if code is not None else f"HTTP {http_status}"
        persian = f" / {message_fa}" if message_fa else ""
        super().__init__(
            f"{label} ({kind or 'undocumented'}): {message_en}{persian}",
            provider=provider,
            operation=operation,
            outcome_unknown=_may_have_taken_effect(kind, retryable),
        )
        self.code = code
        self.kind = kind
        self.retryable = retryable
        self.message_en = message_en
        self.message_fa = message_fa
        self.server_message = server_message
        self.http_status = http_status
        self.raw = raw
        self.result = result


def _may_have_taken_effect(kind: ErrorKind | None, retryable: bool) -> bool:
    # A documented refusal (bad input, no credit, no permission) means nothing was done. Some
    # messages went out in a partial failure; a server error that is not safe to retry (error
    # while sending, while saving) may have sent them; an undocumented code tells nothing.
    if kind is None or kind == "partial_failure":
        return True
    return kind == "server" and not retryable


class AuthenticationError(ApiError):
    """The provider rejected the username or password."""


class PermissionDeniedError(ApiError):
    """The account is not allowed to do this (line not owned, web service or IP not allowed)."""


class InvalidRequestError(ApiError):
    """The provider refused the request as invalid (format, date, number, text, page, port)."""


class InsufficientCreditError(ApiError):
    """The account does not have enough credit."""


class LimitExceededError(ApiError):
    """A limit was exceeded (recipients per request, parts per message, sends per period)."""


class NotFoundError(ApiError):
    """The referenced item (message, group, received message) does not exist."""


class ServerError(ApiError):
    """The provider failed internally; check ``retryable`` before sending again."""


class PartialFailureError(ApiError):
    """Some messages of the send failed and others went out."""


class SoapFaultError(ApiError):
    """A SOAP service answered with a Fault instead of a result (ASP.NET: an unhandled exception).

    ``code`` is the fault code as sent (e.g. ``soap:Server``); ``kind`` is ``invalid_request``
    for a ``Client`` fault and ``server`` otherwise; ``server_message`` is the fault string.

    Attributes:
        fault_code: The ``faultcode`` text, e.g. ``soap:Server``.
        fault_string: The ``faultstring`` text.
        fault_actor: The ``faultactor`` text, if any.
        detail: The text content of ``detail``, if any.
    """

    def __init__(
        self,
        *,
        provider: str,
        operation: str,
        fault_code: str,
        fault_string: str,
        fault_actor: str | None,
        detail: str | None,
        http_status: int,
        raw: bytes,
    ) -> None:
        # SOAP 1.1 fault codes are QNames with dotted refinements: soap:Client.Auth is a Client.
        local = fault_code.rpartition(":")[2]
        kind: ErrorKind = "invalid_request" if local.split(".")[0] == "Client" else "server"
        super().__init__(
            provider=provider,
            operation=operation,
            code=fault_code,
            kind=kind,
            retryable=False,
            message_en=f"SOAP Fault: {fault_string}",
            message_fa="",
            server_message=fault_string,
            http_status=http_status,
            raw=raw,
        )
        self.fault_code = fault_code
        self.fault_string = fault_string
        self.fault_actor = fault_actor
        self.detail = detail


_CLASS_BY_KIND: dict[ErrorKind, type[ApiError]] = {
    "authentication": AuthenticationError,
    "permission": PermissionDeniedError,
    "invalid_request": InvalidRequestError,
    "insufficient_credit": InsufficientCreditError,
    "limit_exceeded": LimitExceededError,
    "not_found": NotFoundError,
    "server": ServerError,
    "partial_failure": PartialFailureError,
}


def api_error_for(
    *,
    provider: str,
    operation: str,
    code: int | str,
    table: ResultCodeTable,
    server_message: str | None,
    http_status: int,
    raw: bytes,
    result: Any = None,
) -> ApiError:
    """Build the typed error for a non-success result code, using the provider's catalog."""
    entry: ResultCode | None = table.get(code)
    if entry is None:
        return ApiError(
            provider=provider,
            operation=operation,
            code=code,
            kind=None,
            retryable=False,
            message_en=f"Undocumented result code {code!r}",
            message_fa="",
            server_message=server_message,
            http_status=http_status,
            raw=raw,
            result=result,
        )
    error_class = _CLASS_BY_KIND.get(entry.kind, ApiError)
    return error_class(
        provider=provider,
        operation=operation,
        code=entry.code,
        kind=entry.kind,
        retryable=entry.retryable,
        message_en=entry.en,
        message_fa=entry.fa,
        server_message=server_message,
        http_status=http_status,
        raw=raw,
        result=result,
    )
