"""Wire encodings of SOAP results (``urn:payamak:encoding``, specs/README.md) turned into the
Python types every provider shares, so that a caller sees one type per concept whatever the wire."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Final

from pydantic import BeforeValidator

__all__ = ["Rials", "rials_from_double", "rials_from_wire", "sent_flags"]

# A decimal number as text: what PHP panels send money as ("12500", "12500.5").
_DECIMAL: Final = re.compile(r"[ \t]*-?[0-9]{1,30}(?:\.[0-9]{1,30})?[ \t]*")


def rials_from_double(value: float) -> int:
    """Money sent as an ``xs:double`` of rials, as an ``int`` of rials (the type every provider's
    credit has). A fraction of a rial cannot be spent, so it is rounded to the nearest rial.

    Raises:
        ValueError: NaN or an infinity, which no balance is.
    """
    if not math.isfinite(value):
        raise ValueError(f"{value!r:.60} is not an amount of money")
    return round(value)


def sent_flags(value: bytes | None) -> list[bool]:
    """One byte per recipient, 0 for sent and anything else for not sent (.NET's ``ref byte[]
    status``), as one bool per recipient, True where sent. Absent is no recipients."""
    return [byte == 0 for byte in value or b""]


def rials_from_wire(value: Any) -> int:
    """Money as a JSON number or a decimal number as text, in rials, as an ``int`` of rials
    (``x-payamak-encoding: rials`` in OpenAPI).

    Raises:
        ValueError: a bool, a value of another type, text that is not a decimal number, NaN
            or an infinity.
    """
    # bool is an int subclass; true/false is not money.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return rials_from_double(value)
    if isinstance(value, str) and _DECIMAL.fullmatch(value) is not None:
        return rials_from_double(float(value))
    raise ValueError(f"expected an amount of rials, got {value!r:.60}")


Rials = Annotated[int, BeforeValidator(rials_from_wire)]
"""An ``int`` of rials, from a number or a number as text."""
