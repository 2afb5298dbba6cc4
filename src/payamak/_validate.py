"""Checks and normal forms of the facade's inputs, before anything reaches the network."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timezone

from ._errors import ValidationError
from ._models import Capabilities
from ._phone import InvalidMobileError, parse_mobile
from ._segments import count_segments

__all__ = ["chunks", "mobile", "new_reference", "recipients", "reference", "schedule", "text"]

# Long enough for any id a caller keeps; references travel in XML and JSON as text.
_MAX_REFERENCE = 64


def mobile(value: object, field: str, *, provider: str, operation: str) -> str:
    """One recipient, as E.164; refused with its field and the reason."""
    try:
        return parse_mobile(value).e164  # type: ignore[arg-type]  # checked by parse_mobile
    except InvalidMobileError as error:
        raise ValidationError(
            field, value, error.reason, provider=provider, operation=operation
        ) from None


def recipients(to: str | Iterable[str], *, provider: str, operation: str) -> list[str]:
    """One number or several, as E.164 without repeats (first occurrence kept)."""
    values = [to] if isinstance(to, str) else list(to)
    if not values:
        raise ValidationError("to", to, "no recipient", provider=provider, operation=operation)
    numbers = [
        mobile(value, f"to[{index}]", provider=provider, operation=operation)
        for index, value in enumerate(values)
    ]
    return list(dict.fromkeys(numbers))


def text(value: object, field: str, limits: Capabilities, *, provider: str, operation: str) -> str:
    """A message text within the provider's length and part limits."""

    def refuse(reason: str) -> ValidationError:
        return ValidationError(field, value, reason, provider=provider, operation=operation)

    if not isinstance(value, str):
        raise refuse(f"expected text, got {type(value).__name__}")
    if not value.strip():
        raise refuse("the text is empty")
    if limits.max_characters is not None and len(value) > limits.max_characters:
        raise refuse(f"{len(value)} characters; {provider} takes at most {limits.max_characters}")
    if limits.max_segments is not None:
        count = count_segments(value)
        if count.segments > limits.max_segments:
            raise refuse(
                f"{count.segments} SMS parts ({count.encoding}); "
                f"{provider} takes at most {limits.max_segments}"
            )
    return value


def schedule(at: object, *, provider: str, operation: str) -> datetime | None:
    """A send time: None (now) or a timezone-aware time not in the past."""
    if at is None:
        return None

    def refuse(reason: str) -> ValidationError:
        return ValidationError("at", at, reason, provider=provider, operation=operation)

    if not isinstance(at, datetime):
        raise refuse(f"expected a datetime, got {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        # A naive time means different instants on the caller's and the gateway's machines.
        raise refuse("naive datetime: give a timezone (e.g. datetime.now(timezone.utc))")
    if at < datetime.now(timezone.utc):
        raise refuse("in the past; pass at=None to send now")
    return at


def new_reference() -> str:
    """A fresh reference: 18 random digits (the providers' examples use numeric ids)."""
    return str(10**17 + secrets.randbelow(9 * 10**17))


def reference(value: object, *, provider: str, operation: str) -> str:
    """The caller's reference, or a new one."""
    if value is None:
        return new_reference()

    def refuse(reason: str) -> ValidationError:
        return ValidationError("reference", value, reason, provider=provider, operation=operation)

    if not isinstance(value, str):
        raise refuse(f"expected text, got {type(value).__name__}")
    if not value or len(value) > _MAX_REFERENCE:
        raise refuse(f"must be 1 to {_MAX_REFERENCE} characters")
    if not value.isprintable() or value != value.strip():
        raise refuse("must be printable, without surrounding spaces")
    return value


def chunks(items: list[str], size: int) -> list[list[str]]:
    """``items`` in consecutive runs of at most ``size``."""
    return [items[start : start + size] for start in range(0, len(items), size)]
