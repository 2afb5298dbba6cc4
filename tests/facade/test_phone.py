"""Iranian mobile numbers: every usual written form accepted, everything else named and refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payamak import _phone
from payamak._phone import InvalidMobileError, IranMobile, parse_mobile

ACCEPTED = [
    "09121234567",
    "9121234567",
    "989121234567",
    "+989121234567",
    "00989121234567",
    "+98 912 123 4567",
    "0912-123-4567",
    "(0912) 123 4567",
    "0912.123.4567",
    "+98 (0) 912 123 4567",
    "۰۹۱۲۱۲۳۴۵۶۷",  # Persian digits
    "٠٩١٢١٢٣٤٥٦٧",  # Arabic-Indic digits
    "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
    "\u200e09121234567\u200f",  # bidi marks left by copying from a Persian document
    " 09121234567 ",
]


@pytest.mark.parametrize("written", ACCEPTED)
def test_every_usual_form_is_the_same_number(written: str) -> None:
    number = parse_mobile(written)

    assert number == IranMobile("9121234567")
    assert (number.local, number.international, number.e164) == (
        "09121234567",
        "989121234567",
        "+989121234567",
    )


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("0912123456", "no such Iranian number (wrong length or range)"),
        ("091212345678", "no such Iranian number (wrong length or range)"),
        ("02188776655", "a landline or service number, not a mobile"),
        ("+14155550100", "a number of country +1, not +98"),
        ("abc", "The string supplied did not seem to be a phone number."),
        ("", "The string supplied did not seem to be a phone number."),
    ],
)
def test_refusals_name_the_value_and_the_reason(written: str, reason: str) -> None:
    with pytest.raises(InvalidMobileError) as caught:
        parse_mobile(written)

    assert (caught.value.value, caught.value.reason) == (written, reason)
    assert str(caught.value) == f"{written!r} is not an Iranian mobile number: {reason}"


@pytest.mark.parametrize("value", [9121234567, None, b"09121234567"])
def test_only_text_is_read(value: object) -> None:
    with pytest.raises(InvalidMobileError, match="expected text"):
        # Values that are not text, on purpose: the runtime refusal is under test.
        parse_mobile(value)  # type: ignore[arg-type]


def test_a_huge_value_is_refused_without_being_echoed_whole() -> None:
    with pytest.raises(InvalidMobileError) as caught:
        parse_mobile("0" * 1_000_000)

    assert caught.value.reason == "too long to be a phone number"
    assert len(str(caught.value)) < 200


def test_an_invalid_mobile_is_a_value_error() -> None:
    assert issubclass(InvalidMobileError, ValueError)


# -- the fast path for plain forms gives the full parser's answer -------------------------------


def _full(written: str) -> str | None:
    """libphonenumber's own answer, through the full parser: the number, or None if refused."""
    try:
        return _phone._parse_full(written, written).national_number
    except InvalidMobileError:
        return None


def _fast(written: str) -> str | None:
    try:
        return parse_mobile(written).national_number
    except InvalidMobileError:
        return None


def test_every_five_digit_prefix_gets_the_full_parsers_answer() -> None:
    # Iran's mobile ranges are told apart within the first five digits; the suffix varies so
    # that the patterns of other types (fixed lines at 94…, UAN at 96…) are met at full length.
    for prefix in range(90_000, 100_000):
        written = f"0{prefix}{prefix * 7919 % 100_000:05d}"
        assert _fast(written) == _full(written), written


@given(st.from_regex(r"(\+98|0098|98|0)?9[0-9]{9}", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_any_plain_form_gets_the_full_parsers_answer(written: str) -> None:
    assert _fast(written) == _full(written)
