"""Segment counts against hand-computed cases (TS 23.038 alphabets, TS 23.040 concatenation)."""

from __future__ import annotations

import pytest

from payamak._segments import SegmentCount, count_segments

# Hand-computed: (text, encoding, units, segments).
CASES = [
    ("", "gsm7", 0, 0),
    ("a" * 160, "gsm7", 160, 1),
    ("a" * 161, "gsm7", 161, 2),  # 153 + 8
    ("a" * 306, "gsm7", 306, 2),  # 153 * 2
    ("a" * 307, "gsm7", 307, 3),
    ("€" * 80, "gsm7", 160, 1),  # escape + euro, 2 septets each
    ("€" * 81, "gsm7", 162, 2),
    # 152 plain septets then a 2-septet character: the pair may not straddle, so part 1
    # carries 152 and the euro opens part 2 (306 septets would fit two parts otherwise).
    ("a" * 152 + "€" + "a" * 152, "gsm7", 306, 3),
    ("سلام", "ucs2", 4, 1),
    ("س" * 70, "ucs2", 70, 1),
    ("س" * 71, "ucs2", 71, 2),  # 67 + 4
    ("س" * 134, "ucs2", 134, 2),
    ("س" * 135, "ucs2", 135, 3),
    ("code 1234 کد", "ucs2", 12, 1),  # one Persian letter makes the whole text UCS-2
    ("😀" * 35, "ucs2", 70, 1),  # surrogate pairs: 2 units each
    # 66 units then an emoji: the pair may not straddle, so it opens part 2.
    ("a" * 66 + "😀" + "س" * 66, "ucs2", 134, 3),
    ("Ç£$@\n", "gsm7", 5, 1),
    ("`", "ucs2", 1, 1),  # backtick is not in the GSM alphabet
]


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), CASES)
def test_segment_count(text: str, encoding: str, units: int, segments: int) -> None:
    count = count_segments(text)

    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)


def test_per_segment_capacity_follows_concatenation() -> None:
    assert count_segments("a").per_segment == 160
    assert count_segments("a" * 200).per_segment == 153
    assert count_segments("س").per_segment == 70
    assert count_segments("س" * 100) == SegmentCount("ucs2", 100, 2, 67)
