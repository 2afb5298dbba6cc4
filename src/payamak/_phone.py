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
# The forms most lists hold (``09121234567``, ``+989121234567``, ``00989121234567``,
# ``989121234567``, ``9121234567``), in ASCII digits. For these the national number is plain to
# see, so libphonenumber's parser and type walk (~0.1 ms a number: seconds for a bulk list) are
# skipped: the number is matched against libphonenumber's own patterns for Iran, as its type
# check does (a mobile is a number of the mobile pattern and of no other type's). Anything else,
# and any plain number that fails, takes the full parser, which says why.
_PLAIN_FORM = re.compile(r"(?:\+98|0098|98|0)?(9[0-9]{9})")


def _type_patterns() -> tuple[re.Pattern[str], re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """libphonenumber's patterns for Iran: every number, mobiles, and each other type."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("IR")
    assert metadata is not None  # shipped with phonenumbers for every region

    def pattern(desc: phonenumbers.PhoneNumberDesc | None) -> re.Pattern[str] | None:
        text = desc.national_number_pattern if desc is not None else None
        return re.compile(text) if text else None

    general, mobile = pattern(metadata.general_desc), pattern(metadata.mobile)
    assert general is not None and mobile is not None
    others = (
        metadata.premium_rate,
        metadata.toll_free,
        metadata.shared_cost,
        metadata.voip,
        metadata.personal_number,
        metadata.pager,
        metadata.uan,
        metadata.voicemail,
        metadata.fixed_line,
    )
    return general, mobile, tuple(p for p in map(pattern, others) if p is not None)


_GENERAL, _MOBILE, _OTHER_TYPES = _type_patterns()


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
    text = value.translate(_INVISIBLE).strip()
    plain = _PLAIN_FORM.fullmatch(text)
    if plain is not None and _is_mobile(plain.group(1)):
        return IranMobile(plain.group(1))
    return _parse_full(value, text)


def _is_mobile(national: str) -> bool:
    return (
        _GENERAL.fullmatch(national) is not None
        and _MOBILE.fullmatch(national) is not None
        and not any(other.fullmatch(national) for other in _OTHER_TYPES)
    )


def _parse_full(value: str, text: str) -> IranMobile:
    """libphonenumber's parse and checks, for any form; ``text`` is ``value`` cleaned."""
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
