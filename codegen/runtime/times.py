"""Times as the wire carries them, from the timezone-aware ``datetime`` every client takes."""

from datetime import datetime

__all__ = ["to_unix_seconds"]


def to_unix_seconds(value: datetime, *, name: str) -> int:
    """``value`` as whole seconds since the Unix epoch (sub-second parts are dropped).

    Args:
        value: A timezone-aware date-time.
        name: The argument's name, for the error message.

    Raises:
        ValueError: ``value`` is naive: which instant it means would be a guess.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")
    return int(value.timestamp())
