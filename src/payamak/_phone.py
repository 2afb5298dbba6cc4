"""Iranian mobile numbers, in every form people write them, to the forms gateways want.

People and spreadsheets write one number as ``09121234567``, ``+98 912 123 4567``,
``0098-912-1234567``, ``989121234567``, bare ``9121234567`` or in Persian or Arabic-Indic digits
(``۰۹۱۲۱۲۳۴۵۶۷``), with spaces, dashes, dots or parentheses. The gateways each want one form,
and answer anything else with a generic code (or, worse, send to the wrong number). Parsing is
Google's libphonenumber (``phonenumbers``): it knows every digit script, the trunk ``0``, the
``00`` prefix and which ranges are mobile, and its metadata follows new operator ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

__all__ = ["InvalidMobileError", "IranMobile", "parse_mobile"]

_IRAN = 98
# Marks that bidirectional text leaves in numbers copied from Persian documents; libphonenumber
# takes them for letters.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
# Longer than any written form of a number, with room for separators: bounds the work done on
# whatever a caller passes in.
_MAX_LENGTH = 64
# The forms nearly every list is written in (ASCII digits, no separators): their ten national
# digits are read without libphonenumber's general parser, which is most of its cost (bulk
# sends validate 100,000 numbers); libphonenumber still decides whether the range is mobile.
_PLAIN = re.compile(r"(?:\+98|0098|98|0)?(9[0-9]{9})")


class InvalidMobileError(ValueError):
    """A value that is not an Iranian mobile number.

    Attributes:
        value: The value as given.
        reason: Why it was refused.
    """

    def __init__(self, value: object, reason: str) -> None:
        super().__init__(f"{value!r} is not an Iranian mobile number: {reason}")
        self.value = value
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IranMobile:
    """One Iranian mobile number.

    Attributes:
        national_number: The ten digits after +98, e.g. ``9121234567``.
    """

    national_number: str

    @property
    def e164(self) -> str:
        """``+989121234567``."""
        return f"+{_IRAN}{self.national_number}"

    @property
    def local(self) -> str:
        """``09121234567``: with the trunk 0, as most Iranian gateways want it."""
        return f"0{self.national_number}"

    @property
    def international(self) -> str:
        """``989121234567``: country code without ``+``, as some gateways want it."""
        return f"{_IRAN}{self.national_number}"

    def __str__(self) -> str:
        return self.e164


def parse_mobile(value: str) -> IranMobile:
    """Read an Iranian mobile number written in any usual form.

    Args:
        value: The number as text (a number given as ``int`` has lost its form; pass text).

    Raises:
        InvalidMobileError: ``value`` is not text, not a number, not Iranian, or not a mobile
            number; the error names the value and the reason.
    """
    if not isinstance(value, str):
        raise InvalidMobileError(value, f"expected text, got {type(value).__name__}")
    if len(value) > _MAX_LENGTH:
        raise InvalidMobileError(value[:_MAX_LENGTH] + "…", "too long to be a phone number")
    plain = _PLAIN.fullmatch(value)
    if plain is not None:
        national = plain.group(1)
        candidate = phonenumbers.PhoneNumber(country_code=_IRAN, national_number=int(national))
        if phonenumbers.number_type(candidate) == phonenumbers.PhoneNumberType.MOBILE:
            return IranMobile(national)
        # Not a mobile range: the general path below gives the precise reason.
    text = value.translate(_INVISIBLE).strip()
    try:
        number = phonenumbers.parse(text, "IR")
    except phonenumbers.NumberParseException as error:
        raise InvalidMobileError(value, str(error._msg)) from None
    if number.country_code != _IRAN:
        raise InvalidMobileError(value, f"a number of country +{number.country_code}, not +98")
    if not phonenumbers.is_valid_number(number):
        raise InvalidMobileError(value, "no such Iranian number (wrong length or range)")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise InvalidMobileError(value, "a landline or service number, not a mobile")
    return IranMobile(str(number.national_number))
