"""Wire encodings of SOAP results (``urn:payamak:encoding``, specs/README.md) turned into the
Python types every provider shares, so that a caller sees one type per concept whatever the wire."""

from __future__ import annotations

import math

__all__ = ["rials_from_double", "sent_flags"]


def rials_from_double(value: float) -> int:
    """Money sent as an ``xs:double`` of rials, as an ``int`` of rials (the type every provider's
    credit has). A fraction of a rial cannot be spent, so it is rounded to the nearest rial.

    Raises:
        ValueError: NaN or an infinity, which no balance is.
    """
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not an amount of money")
    return round(value)


def sent_flags(value: bytes | None) -> list[bool]:
    """One byte per recipient, 0 for sent and anything else for not sent (.NET's ``ref byte[]
    status``), as one bool per recipient, True where sent. Absent is no recipients."""
    return [byte == 0 for byte in value or b""]
