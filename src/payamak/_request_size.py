"""How big a request of texts per recipient may grow: one estimate for every way of sending.

A per-recipient send carries each recipient's text, so its size grows with the texts, not only
with the count of recipients. ``send_many`` and ``send_pairs`` both cut their requests with this
estimate, so neither can build a request a gateway would refuse for its size.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["REQUEST_BUDGET", "row_cost", "runs_within_budget"]

REQUEST_BUDGET = 1_000_000
"""Estimated bytes of the texts of one per-recipient request (a quarter of ASP.NET's default
request limit, as the estimate below is an upper bound only for typical texts)."""
# Per row: the number, the id and the field names around the text; then the text as its worst
# common encoding writes it (a JSON \\uXXXX escape per UTF-16 unit).
_ROW_BYTES = 64
_BYTES_PER_UNIT = 6


def row_cost(text: str) -> int:
    """Estimated bytes one recipient with ``text`` adds to a per-recipient request."""
    return _ROW_BYTES + _BYTES_PER_UNIT * (len(text.encode("utf-16-le")) // 2)


def runs_within_budget(pairs: Sequence[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    """``(number, text)`` pairs in consecutive runs of at most ``size`` pairs and
    ``REQUEST_BUDGET`` estimated bytes (a run holds at least one pair, however long its text)."""
    runs: list[list[tuple[str, str]]] = []
    run: list[tuple[str, str]] = []
    cost = 0
    for pair in pairs:
        pair_cost = row_cost(pair[1])
        if run and (len(run) == size or cost + pair_cost > REQUEST_BUDGET):
            runs.append(run)
            run, cost = [], 0
        run.append(pair)
        cost += pair_cost
    if run:
        runs.append(run)
    return runs
