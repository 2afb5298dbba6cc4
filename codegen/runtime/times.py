"""Times as the wire carries them, as the timezone-aware ``datetime`` every client speaks.

``UnixTime`` is the type of every model field the spec marks ``x-payamak-encoding:
unix-seconds``: it accepts an aware ``datetime``, or what the wire sends (whole seconds since the
Unix epoch, as a number or a numeric string), holds an aware ``datetime`` (UTC when it came from
the wire), and serialises as whole seconds.
"""

from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

__all__ = ["UnixTime", "to_unix_seconds"]


def to_unix_seconds(value: datetime) -> int:
    """``value`` as whole seconds since the Unix epoch (sub-second parts are dropped).

    Raises:
        ValueError: ``value`` is naive: which instant it means would be a guess.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a time must be timezone-aware, got {value.isoformat()}")
    return int(value.timestamp())


def _from_wire(value: Any) -> datetime:
    if isinstance(value, datetime):
        to_unix_seconds(value)  # refuses a naive value
        return value
    # bool is an int subclass; true/false is not a time.
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc)
    if isinstance(value, str) and value.strip().isdigit():
        return datetime.fromtimestamp(int(value), timezone.utc)
    raise ValueError(f"expected an aware datetime or unix seconds, got {value!r}")


UnixTime = Annotated[
    datetime,
    BeforeValidator(_from_wire),
    PlainSerializer(to_unix_seconds, return_type=int),
]
"""An aware ``datetime`` that travels as unix seconds."""
