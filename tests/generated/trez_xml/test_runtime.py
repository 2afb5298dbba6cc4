"""The runtime pieces trez_xml stands on: Jalali date-times in Tehran time, XML escaping, strict
parsing and value conversions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from payamak_gen._runtime import jalali
from payamak_gen._runtime.jalali import from_jalali, to_jalali
from payamak_gen._runtime.xml import (
    DocumentError,
    XmlRejected,
    collapse,
    escape_attribute,
    escape_text,
    parse,
    parse_text,
    to_bool,
    to_int,
)

TEHRAN = ZoneInfo("Asia/Tehran")


# ------------------------------------------------------------------------- Jalali


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2024, 3, 20, 0, 0, tzinfo=TEHRAN), "1403/01/01 00:00:00"),
        (datetime(2024, 3, 19, 20, 30, tzinfo=timezone.utc), "1403/01/01 00:00:00"),
        (datetime(2025, 3, 20, 23, 59, 59, 999999, tzinfo=TEHRAN), "1403/12/30 23:59:59"),
        (datetime(2015, 9, 17, 15, 50, 36, tzinfo=timezone.utc), "1394/06/26 20:20:36"),
        (
            datetime(2015, 3, 21, 20, 20, 20, tzinfo=timezone(timedelta(hours=3, minutes=30))),
            "1394/01/01 20:20:20",
        ),
    ],
    ids=["nowruz-1403-tehran", "nowruz-1403-utc", "leap-esfand-30", "dst-2015", "fixed-offset"],
)
def test_to_jalali(moment: datetime, text: str) -> None:
    assert to_jalali(moment, name="when") == text


def test_from_jalali_gives_an_aware_tehran_datetime() -> None:
    moment = from_jalali("1403/01/01 00:00:00")

    assert moment == datetime(2024, 3, 20, tzinfo=TEHRAN)
    assert moment.utcoffset() == timedelta(hours=3, minutes=30)
    assert moment.tzinfo is not None and str(moment.tzinfo) == "Asia/Tehran"


def test_from_jalali_accepts_one_digit_fields_and_whitespace() -> None:
    assert from_jalali(" 1403/1/1 0:00:00\n") == datetime(2024, 3, 20, tzinfo=TEHRAN)


@pytest.mark.parametrize(
    "text",
    [
        "1403-01-01 00:00:00",
        "1402/12/30 00:00:00",
        "1403/13/01 00:00:00",
        "1403/01/01 24:00:00",
        "1403/01/01",
        "",
        "۱۴۰۳/۰۱/۰۱ ۰۰:۰۰:۰۰",
    ],
)
def test_from_jalali_refuses_what_is_not_a_jalali_date_time(text: str) -> None:
    with pytest.raises(ValueError, match="Jalali"):
        from_jalali(text)


def test_round_trip_over_the_daylight_saving_years() -> None:
    # Every 7 h 13 min from 2020 to 2024: Iran still had daylight saving until 2022.
    moment = datetime(2020, 1, 1, tzinfo=timezone.utc)
    checked = 0
    while moment.year < 2024:
        local = moment.astimezone(TEHRAN)
        if not local.fold:  # the repeated hour of an autumn change reads back as its first
            assert from_jalali(to_jalali(moment, name="m")) == moment
            checked += 1
        moment += timedelta(hours=7, minutes=13)
    assert checked > 4000


def test_naive_datetime_is_refused_naming_argument_and_value() -> None:
    with pytest.raises(ValueError, match=r"send_at must be timezone-aware.*'2024-03-20T10:00:00'"):
        to_jalali(datetime(2024, 3, 20, 10, 0), name="send_at")


def test_missing_time_zone_database_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(key: str) -> ZoneInfo:
        raise ZoneInfoNotFoundError(key)

    jalali.tehran.cache_clear()
    monkeypatch.setattr(jalali, "ZoneInfo", missing)
    try:
        with pytest.raises(RuntimeError, match="pip install tzdata"):
            to_jalali(datetime.now(timezone.utc), name="now")
    finally:
        monkeypatch.undo()
        jalali.tehran.cache_clear()
    assert to_jalali(datetime(2024, 3, 20, tzinfo=TEHRAN), name="m") == "1403/01/01 00:00:00"


# ------------------------------------------------------------------------- XML


def test_escaping() -> None:
    assert escape_text("a&b<c>d\"e'f\r\n\t", "w") == "a&amp;b&lt;c&gt;d\"e'f&#13;\n\t"
    assert escape_attribute("a&b<c>d\"e'f\r\n\t", "w") == "a&amp;b&lt;c&gt;d&quot;e'f&#13;&#10;&#9;"
    assert escape_text("سلام", "w") == "سلام"


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x1f", "\ufffe", "\ud800"])
def test_characters_xml_cannot_carry_are_refused(bad: str) -> None:
    for escape in (escape_text, escape_attribute):
        with pytest.raises(ValueError, match=f"where: contains U\\+{ord(bad):04X}"):
            escape(f"ok{bad}", "where")


@pytest.mark.parametrize(
    ("text", "value"), [("0", 0), (" 42\n", 42), ("+7", 7), ("-7", -7), ("000123", 123)]
)
def test_to_int(text: str, value: int) -> None:
    assert to_int(text, "w") == value


@pytest.mark.parametrize("text", ["", " ", "1.0", "1e3", "1_000", "٤٢", "0x10", "12a"])
def test_to_int_refuses_what_int_would_guess(text: str) -> None:
    with pytest.raises(DocumentError, match="not an integer"):
        to_int(text, "w")


def test_to_bool_and_collapse() -> None:
    assert [to_bool(v, "w") for v in ("true", " 1 ", "false", "0")] == [True, True, False, False]
    with pytest.raises(DocumentError):
        to_bool("True", "w")
    assert collapse("  a \t b\r\n c  ") == "a b c"


@pytest.mark.parametrize(
    "content",
    [
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>',
        "<!DOCTYPE x><x/>".encode("utf-16"),
        b"<x>",
        b"<x></y>",
        b"",
    ],
    ids=["xxe", "external-dtd", "utf16-doctype", "truncated", "mismatched", "empty"],
)
def test_parse_refuses(content: bytes) -> None:
    with pytest.raises(XmlRejected):
        parse(content)


def test_parse_text_ignores_the_declared_encoding_and_a_bom() -> None:
    root = parse_text('\ufeff<?xml version="1.0" encoding="windows-1256"?><x>سلام</x>')

    assert root.text == "سلام"
    with pytest.raises(XmlRejected, match="DOCTYPE"):
        parse_text("<!DOCTYPE x><x/>")
