"""The one error hierarchy of payamak, for the facade and the generated layer alike.

``PayamakError`` *is* ``payamak_gen.errors.PayamakGenError`` (the same class, re-exported), so
``except payamak.PayamakError`` catches everything either layer raises. The facade adds four
errors of its own below it::

    PayamakError (= payamak_gen.errors.PayamakGenError)
    ├── InvalidInputError         an argument refused before any I/O (also a ValueError)
    │   └── ValidationError       the facade's: names the argument as written, and why
    ├── UnsupportedOperationError the provider has no such operation
    ├── SendOutcomeUnknownError   a send's answer was lost: the messages may have gone out
    ├── PartialSendError          a chunked send stopped after some chunks were accepted
    ├── TransportError            the exchange did not complete
    │   └── RequestTimeout
    ├── HttpStatusError           an HTTP status the spec does not describe (500, 503, …)
    ├── ProtocolError             the answer does not follow the spec
    │   ├── MalformedResponseError
    │   ├── ResponseValidationError
    │   └── ResponseTooLargeError
    └── ApiError                  the provider answered with an error code (``code``, ``kind``)
        ├── AuthenticationError       wrong username or password
        ├── PermissionDeniedError     bad sender line, web service or IP not allowed
        ├── InvalidRequestError       bad recipient, bad date, content refused
        ├── InsufficientCreditError   not enough credit
        ├── LimitExceededError        rate or size limits
        ├── NotFoundError, ServerError, PartialFailureError
        └── SoapFaultError

Every error carries ``provider`` and ``operation``; none carries credentials.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from payamak_gen.errors import InvalidInputError, PayamakGenError

if TYPE_CHECKING:
    from ._models import SendReceipt

__all__ = [
    "PartialSendError",
    "PayamakError",
    "SendOutcomeUnknownError",
    "UnsupportedOperationError",
    "ValidationError",
    "safe_repr",
]

PayamakError = PayamakGenError
"""Base of every error payamak raises (the generated layer's base class itself)."""

# A value echoed in an error is cut short: it may be a whole message text or a pasted file.
_PREVIEW = 40


def safe_repr(value: object) -> str:
    """A short rendering of a refused value, never longer than a number or a name."""
    if isinstance(value, str) and len(value) > _PREVIEW:
        return f"<text of {len(value)} characters>"
    text = repr(value)
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "…"


class ValidationError(InvalidInputError):
    """An input was refused before anything was sent.

    The generated clients' own input error, refined: the facade names the argument as the
    caller wrote it and says why in words, so one ``except`` catches both layers' refusals.

    Attributes:
        field: The argument at fault, e.g. ``to[2]``, ``text``, ``at``.
        value: A short, safe rendering of the refused value (texts by their length only).
        reason: Why it was refused.
    """

    def __init__(self, field: str, value: object, reason: str, *, provider: str, operation: str):
        super().__init__(
            reason, provider=provider, operation=operation, field=field, value=safe_repr(value)
        )
        self.field: str = field
        self.value: str = safe_repr(value)
        self.reason = reason


class UnsupportedOperationError(PayamakGenError):
    """The provider does not offer this operation (see ``Client.capabilities``)."""

    def __init__(self, *, provider: str, operation: str) -> None:
        super().__init__(
            f"{provider} does not support {operation}",
            provider=provider,
            operation=operation,
            outcome_unknown=False,
        )


class SendOutcomeUnknownError(PayamakGenError):
    """A send whose answer was lost: the messages may or may not have gone out.

    Never retried automatically. Reconcile by ``reference`` (the provider's user group id)
    before sending again. The generated layer's error is the ``__cause__``.

    Attributes:
        reference: The reference the lost request carried.
        recipients: The recipients whose outcome is unknown (E.164): the whole lost request, or
            those an answer per recipient did not account for.
        accepted: What the send is known to have had accepted, if anything: earlier chunks,
            and the recipients of this request its answer did account for.
        unsent: Recipients of later chunks, never attempted.
    """

    def __init__(
        self,
        *,
        provider: str,
        operation: str,
        reference: str,
        recipients: Sequence[str],
        accepted: SendReceipt | None = None,
        unsent: Sequence[str] = (),
    ) -> None:
        self.reference = reference
        self.recipients = tuple(recipients)
        self.accepted = accepted
        self.unsent = tuple(unsent)
        super().__init__(
            f"the answer to send {reference!r} ({len(self.recipients)} recipient(s)) was lost; "
            "the messages may have gone out: reconcile by this reference, do not resend blindly",
            provider=provider,
            operation=operation,
            outcome_unknown=True,
        )


class PartialSendError(PayamakGenError):
    """A send in several chunks was refused after earlier chunks had been accepted.

    The refusal (``__cause__``) proves its own chunk was not sent; the earlier chunks were.

    Attributes:
        accepted: The receipt of the chunks that went out.
        unsent: Recipients of the refused chunk and of every later one.
    """

    def __init__(
        self, *, provider: str, operation: str, accepted: SendReceipt, unsent: Sequence[str]
    ) -> None:
        self.accepted = accepted
        self.unsent = tuple(unsent)
        super().__init__(
            f"{len(accepted.accepted)} recipient(s) accepted, then a chunk was refused; "
            f"{len(self.unsent)} recipient(s) not sent",
            provider=provider,
            operation=operation,
            outcome_unknown=False,
        )
