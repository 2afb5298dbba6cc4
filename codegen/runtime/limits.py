"""Limits on list inputs that a spec states with marks (``urn:payamak:max-distinct``,
``urn:payamak:same-length``; specs/README.md): generated ``build_*`` functions check them, so a
request the server would refuse with a result code is refused before it is sent."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["max_distinct", "same_length"]


def max_distinct(wire_name: str, values: Sequence[object], limit: int) -> None:
    """Refuse more than ``limit`` distinct values (a repeated value counts once, as the
    server drops the extras).

    Raises:
        ValueError: naming the input, how many distinct values it has, and the limit.
    """
    distinct = len(dict.fromkeys(values))
    if distinct > limit:
        raise ValueError(
            f"{wire_name} holds {distinct} distinct values; at most {limit} are allowed "
            "in one request (split it into several)"
        )


def same_length(
    wire_name: str, values: Sequence[object], other_name: str, other: Sequence[object]
) -> None:
    """Refuse two lists that must pair item by item but differ in length.

    Raises:
        ValueError: naming both inputs and their lengths.
    """
    if len(values) != len(other):
        raise ValueError(
            f"{wire_name} has {len(values)} items but {other_name} has {len(other)}; "
            "they pair item by item, so they must have as many"
        )
