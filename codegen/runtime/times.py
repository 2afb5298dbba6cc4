"""Times as the wire carries them, as the timezone-aware ``datetime`` every client speaks.

``UnixTime`` is the type of every model field the spec marks ``x-payamak-encoding:
unix-seconds``: it accepts an aware ``datetime``, or what the wire sends (whole seconds since the
Unix epoch, as a number or a numeric string), holds an aware ``datetime`` (UTC when it came from
the wire), and serialises as whole seconds.

``TehranTime`` is the type of fields marked ``x-payamak-encoding: tehran-time``: Gregorian
``Y-m-d H:i:s`` (or ``Y-m-d``, midnight) in Tehran local time, as PHP panels write dates.
"""

import re
from datetime import datetime, timezone
from typing import Annotated, Any, Final

from pydantic import BeforeValidator, PlainSerializer

from .jalali import tehran

__all__ = [
    "TehranTime",
    "UnixTime",
    "from_tehran_text",
    "from_unix_seconds",
    "to_tehran_text",
    "to_unix_seconds",
]

_TEHRAN_TEXT: Final = re.compile(
    r"[ \t\r\n]*([0-9]{4})-([0-9]{2})-([0-9]{2})(?: ([0-9]{2}):([0-9]{2}):([0-9]{2}))?[ \t\r\n]*"
)


def to_unix_seconds(value: datetime) -> int:
    """``value`` as whole seconds since the Unix epoch (sub-second parts are dropped).

    Raises:
        ValueError: ``value`` is naive: which instant it means would be a guess.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a time must be timezone-aware, got {value.isoformat()}")
    return int(value.timestamp())


def from_unix_seconds(value: int) -> datetime:
    """Whole seconds since the Unix epoch (an ``xs:long`` a SOAP reader parsed) as an aware
    ``datetime`` in UTC.

    Raises:
        ValueError: a number of seconds no ``datetime`` can hold.
    """
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError) as error:
        raise ValueError(f"{value!r} is not a time in unix seconds") from error


def _from_wire(value: Any) -> datetime:
    if isinstance(value, datetime):
        to_unix_seconds(value)  # refuses a naive value
        return value
    # bool is an int subclass; true/false is not a time.
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc)
    if isinstance(value, str) and value.strip().isdigit():
        return datetime.fromtimestamp(int(value), timezone.utc)
    raise ValueError(f"expected an aware datetime or unix seconds, got {value!r:.60}")


UnixTime = Annotated[
    datetime,
    BeforeValidator(_from_wire),
    PlainSerializer(to_unix_seconds, return_type=int),
]
"""An aware ``datetime`` that travels as unix seconds."""


def to_tehran_text(value: datetime) -> str:
    """``value`` as Gregorian ``Y-m-d H:i:s`` in Tehran local time (sub-second parts dropped).

    Raises:
        ValueError: ``value`` is naive: which instant it means would be a guess.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a time must be timezone-aware, got {value.isoformat()}")
    return value.astimezone(tehran()).strftime("%Y-%m-%d %H:%M:%S")


def from_tehran_text(text: str) -> datetime:
    """Gregorian ``Y-m-d H:i:s`` or ``Y-m-d`` (midnight) in Tehran local time, as an aware
    ``datetime``.

    Raises:
        ValueError: the text is not one of the two forms, or not a real date.
    """
    match = _TEHRAN_TEXT.fullmatch(text)
    if match is None:
        raise ValueError(f"expected Y-m-d or Y-m-d H:i:s, got {text[:40]!r}")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=tehran())


def _from_tehran_wire(value: Any) -> datetime:
    if isinstance(value, datetime):
        to_tehran_text(value)  # refuses a naive value
        return value
    if isinstance(value, str):
        return from_tehran_text(value)
    raise ValueError(f"expected an aware datetime or Y-m-d H:i:s text, got {value!r:.60}")


TehranTime = Annotated[
    datetime,
    BeforeValidator(_from_tehran_wire),
    PlainSerializer(to_tehran_text, return_type=str),
]
"""An aware ``datetime`` that travels as Gregorian Tehran text."""
