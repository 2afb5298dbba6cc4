"""Jalali (Solar Hijri) date-times in Tehran time, as the Iranian gateways write them.

``to_jalali`` turns a timezone-aware ``datetime`` into ``yyyy/MM/dd HH:mm:ss`` in Tehran local
time; ``from_jalali`` reads that text back into an aware ``datetime`` (tzinfo Asia/Tehran).
The calendar arithmetic is jdatetime's; the time zone is the IANA database's, through zoneinfo
(on systems without one, such as Windows, install the ``tzdata`` package).
"""

import functools
import re
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jdatetime  # type: ignore[import-untyped]

__all__ = ["TEHRAN_ZONE", "from_jalali", "tehran", "to_jalali"]

TEHRAN_ZONE: Final = "Asia/Tehran"

_JALALI: Final = re.compile(
    r"[ \t\r\n]*([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"
    r" ([0-9]{1,2}):([0-9]{2}):([0-9]{2})[ \t\r\n]*"
)


@functools.cache
def tehran() -> ZoneInfo:
    """The Asia/Tehran zone, loaded on first use.

    Raises:
        RuntimeError: the system has no time zone database (install ``tzdata``).
    """
    try:
        return ZoneInfo(TEHRAN_ZONE)
    except ZoneInfoNotFoundError as exc:
        raise RuntimeError(
            f"time zone {TEHRAN_ZONE} is not available: install the tzdata package "
            "(pip install tzdata), which supplies the IANA database where the system has none"
        ) from exc


def to_jalali(moment: datetime, *, name: str) -> str:
    """Write ``moment`` as Jalali ``yyyy/MM/dd HH:mm:ss`` in Tehran local time.

    Seconds are the finest unit the format has; microseconds are dropped.

    Args:
        moment: A timezone-aware date and time.
        name: The argument's name, for the error message.

    Raises:
        ValueError: ``moment`` is naive (it could mean any time zone).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (e.g. datetime(..., tzinfo=ZoneInfo('Asia/Tehran'))); "
            f"got the naive {moment.isoformat()!r}"
        )
    local = moment.astimezone(tehran())
    day = jdatetime.date.fromgregorian(date=local.date())
    return (
        f"{int(day.year):04d}/{int(day.month):02d}/{int(day.day):02d} "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}"
    )


def from_jalali(text: str) -> datetime:
    """Read Jalali ``yyyy/MM/dd HH:mm:ss`` (Tehran local time) into an aware ``datetime``.

    One-digit months, days and hours are accepted, as is surrounding whitespace. A local time
    that occurred twice (when Iran still had daylight saving) is read as the first.

    Raises:
        ValueError: the text is not in that format or is not a real date and time.
    """
    match = _JALALI.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a Jalali date and time (yyyy/MM/dd HH:mm:ss)")
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        gregorian = jdatetime.date(year, month, day).togregorian()
        return datetime(
            gregorian.year,
            gregorian.month,
            gregorian.day,
            hour,
            minute,
            second,
            tzinfo=tehran(),
        )
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real Jalali date and time: {exc}") from exc
