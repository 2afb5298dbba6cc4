"""Iranian mobile numbers: every usual written form accepted, everything else named and refused."""

from __future__ import annotations

import pytest

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
        parse_mobile(value)  # type: ignore[arg-type]


def test_a_huge_value_is_refused_without_being_echoed_whole() -> None:
    with pytest.raises(InvalidMobileError) as caught:
        parse_mobile("0" * 1_000_000)

    assert caught.value.reason == "too long to be a phone number"
    assert len(str(caught.value)) < 200


def test_an_invalid_mobile_is_a_value_error() -> None:
    assert issubclass(InvalidMobileError, ValueError)


def _same_both_ways(prefix: str, heads: range) -> None:
    # Plain forms skip libphonenumber's general parser (bulk sends read 100,000 numbers); the
    # same number written with a space goes through it, and must come out the same: the number,
    # or the same reason. Ranges are cut at up to five digits after the 9, hence two endings.
    for head in heads:
        for tail in ("00000", "99999"):
            plain = f"{prefix}9{head:04d}{tail}"
            spaced = f"{prefix} 9{head:04d}{tail}" if prefix else f"9{head:04d} {tail}"
            results = []
            for written in (plain, spaced):
                try:
                    results.append(parse_mobile(written).e164)
                except InvalidMobileError as error:
                    results.append(error.reason)
            assert results[0] == results[1], plain


@pytest.mark.parametrize("block", range(4))
def test_plain_numbers_agree_with_the_general_parser_on_every_range(block: int) -> None:
    _same_both_ways("0", range(block * 2500, (block + 1) * 2500))


@pytest.mark.parametrize("prefix", ["", "98", "+98", "0098"])
def test_every_plain_prefix_agrees_with_the_general_parser(prefix: str) -> None:
    _same_both_ways(prefix, range(0, 10_000, 7))
