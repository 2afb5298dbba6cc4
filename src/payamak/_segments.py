"""How many SMS parts a text costs, as the network counts them (3GPP TS 23.038 and 23.040).

A text that uses only the GSM 7-bit default alphabet travels as septets: 160 in one message, or
153 per part once it needs several (a concatenation header takes 7). Characters of the
alphabet's extension table (``€``, ``[``, ``{``, ``|``, …) cost two septets, an escape and the
character, and the pair is never split across parts. Any other character (every Persian letter
among them) puts the whole text in UCS-2: 70 UTF-16 code units in one message, 67 per part, and
a surrogate pair (an emoji) is never split either. Gateways bill per part, so this is also the
price multiplier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SegmentCount", "count_segments"]

# The GSM 7-bit default alphabet (TS 23.038, 6.2.1), in code order; "\x1b" is the escape.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Its extension table (6.2.1.1): each costs the escape plus itself.
_GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

_SINGLE = {"gsm7": 160, "ucs2": 70}
_PER_PART = {"gsm7": 153, "ucs2": 67}


@dataclass(frozen=True, slots=True)
class SegmentCount:
    """The cost of one text.

    Attributes:
        encoding: ``gsm7`` or ``ucs2``.
        units: Septets (gsm7) or UTF-16 code units (ucs2) the text takes.
        segments: Parts the network sends (0 for an empty text).
        per_segment: Units one part can carry at this count (160/153 or 70/67).
    """

    encoding: Literal["gsm7", "ucs2"]
    units: int
    segments: int
    per_segment: int


def _gsm7_widths(text: str) -> list[int] | None:
    widths = []
    for char in text:
        if char in _GSM7_BASIC and char != "\x1b":
            widths.append(1)
        elif char in _GSM7_EXTENSION:
            widths.append(2)
        else:
            return None
    return widths


def _ucs2_widths(text: str) -> list[int]:
    # Characters outside the Basic Multilingual Plane take a surrogate pair.
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _parts(widths: list[int], capacity: int) -> int:
    """Parts needed when no character may straddle two parts."""
    parts, used = 1, 0
    for width in widths:
        if used + width > capacity:
            parts, used = parts + 1, 0
        used += width
    return parts


def count_segments(text: str) -> SegmentCount:
    """Count the parts ``text`` is sent in.

    Args:
        text: The message as the recipient will read it.
    """
    gsm7 = _gsm7_widths(text)
    encoding: Literal["gsm7", "ucs2"] = "gsm7" if gsm7 is not None else "ucs2"
    widths = gsm7 if gsm7 is not None else _ucs2_widths(text)
    units = sum(widths)
    if units == 0:
        return SegmentCount(encoding, 0, 0, _SINGLE[encoding])
    if units <= _SINGLE[encoding]:
        return SegmentCount(encoding, units, 1, _SINGLE[encoding])
    per_part = _PER_PART[encoding]
    return SegmentCount(encoding, units, _parts(widths, per_part), per_part)
