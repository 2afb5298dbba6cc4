"""SMS text accounting and phone-number normalisation shared by every provider.

Iranian gateways charge per segment: a text that fits the GSM 03.38 alphabet is billed at the
Latin price, anything else (Persian, emoji) is sent as UCS-2 and billed at the Persian price.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Segments", "ascii_digits", "core_mobile", "count_segments", "local_mobile"]

# GSM 03.38 basic character set; the extension table below costs two septets per character.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

_LATIN_SINGLE, _LATIN_PART = 160, 153
_UNICODE_SINGLE, _UNICODE_PART = 70, 67

Encoding = Literal["gsm7", "ucs2"]


@dataclass(frozen=True)
class Segments:
    """How a text is sent and billed.

    Attributes:
        encoding: `gsm7` (billed at the Latin price) or `ucs2` (billed at the Persian price).
        units: Septets for GSM-7, UTF-16 code units for UCS-2.
        parts: Number of SMS segments the text needs.
    """

    encoding: Encoding
    units: int
    parts: int


def count_segments(text: str) -> Segments:
    """Counts the segments a text needs, the way operators bill it.

    Args:
        text: The message text.

    Returns:
        The encoding, length in encoding units and segment count (0 for an empty text).
    """
    if all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        return Segments("gsm7", units, _parts(units, _LATIN_SINGLE, _LATIN_PART))
    # UTF-16 code units, because characters outside the BMP (emoji) take two.
    units = len(text.encode("utf-16-le")) // 2
    return Segments("ucs2", units, _parts(units, _UNICODE_SINGLE, _UNICODE_PART))


def _parts(units: int, single: int, per_part: int) -> int:
    if units == 0:
        return 0
    if units <= single:
        return 1
    return math.ceil(units / per_part)


_MOBILE = re.compile(r"^(?:\+?98|0098|0)?(9\d{9})$")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Returns `text` with Persian and Arabic-Indic digits turned into ASCII ones.

    Iranian users type numbers (lines, mobiles, codes) on Persian keyboards; the gateways read
    those digits as the ASCII ones.
    """
    return text.translate(_DIGITS)


def core_mobile(raw: str) -> str | None:
    """Returns the ten-digit core of an Iranian mobile number (`9121234567`), or None.

    Accepts `09…`, `9…`, `989…`, `+989…`, `00989…` and Persian or Arabic-Indic digits, because
    real clients send all of these and the gateways accept them.
    """
    cleaned = ascii_digits(raw.strip()).replace(" ", "").replace("-", "")
    match = _MOBILE.match(cleaned)
    return match.group(1) if match else None


def local_mobile(raw: str) -> str | None:
    """Returns the number in the local form `09121234567`, or None when it is not a mobile."""
    core = core_mobile(raw)
    return None if core is None else "0" + core
