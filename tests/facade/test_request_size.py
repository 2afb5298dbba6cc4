"""Requests of a text per recipient stay within the request budget, however they are sent:
``send_pairs`` cuts them where ``send_many`` does (one estimate, ``payamak._request_size``)."""

from __future__ import annotations

import pytest

from payamak._adapters import ADAPTERS
from payamak._request_size import REQUEST_BUDGET, runs_within_budget
from payamak.sandbox import Sandbox
from tests.facade.conftest import Facade
from tests.facade.test_bulk import SENDING, number, requests

# A row's estimate: 64 bytes around the text, 6 per UTF-16 unit (a JSON \uXXXX escape).
ROW_BYTES, BYTES_PER_UNIT = 64, 6


@pytest.fixture(params=SENDING)
def provider(request: pytest.FixtureRequest) -> str:
    """The providers whose one request carries different texts (overrides conftest's)."""
    name: str = request.param
    return name


def _pairs(count: int, text: str) -> list[tuple[str, str]]:
    return [(number(i), text) for i in range(count)]


def test_a_run_closes_when_one_more_text_would_pass_the_budget() -> None:
    cost = ROW_BYTES + BYTES_PER_UNIT * 100
    fitting = REQUEST_BUDGET // cost  # the most rows whose estimate is within the budget

    runs = runs_within_budget(_pairs(fitting + 1, "x" * 100), 50_000)

    assert [len(run) for run in runs] == [fitting, 1]
    assert fitting * cost <= REQUEST_BUDGET < (fitting + 1) * cost


def test_a_run_closes_at_its_size_and_keeps_the_pairs_in_order() -> None:
    pairs = _pairs(7, "hi")

    runs = runs_within_budget(pairs, 3)

    assert runs == [pairs[0:3], pairs[3:6], pairs[6:7]]


def test_a_text_over_the_budget_on_its_own_still_goes_in_a_run_of_its_own() -> None:
    huge = "x" * (REQUEST_BUDGET // BYTES_PER_UNIT)
    pairs = [(number(0), "a"), (number(1), huge), (number(2), "b")]

    assert runs_within_budget(pairs, 50_000) == [[pairs[0]], [pairs[1]], [pairs[2]]]


def test_texts_counted_in_utf16_units_not_characters() -> None:
    # An emoji outside the BMP is two UTF-16 units: twelve \uXXXX-escaped bytes.
    cost = ROW_BYTES + BYTES_PER_UNIT * 2
    fitting = REQUEST_BUDGET // cost

    runs = runs_within_budget(_pairs(fitting + 1, "\N{GRINNING FACE}"), 10**6)

    assert [len(run) for run in runs] == [fitting, 1]


async def test_send_pairs_cuts_its_requests_at_the_budget(facade: Facade, sandbox: Sandbox) -> None:
    text = "س" * 300  # 300 UTF-16 units, 303 with the row's suffix
    per_request = min(
        REQUEST_BUDGET // (ROW_BYTES + BYTES_PER_UNIT * 303),
        ADAPTERS[facade.provider].capabilities.max_recipients,
    )
    pairs = [(number(i), f"{text}{i:03d}") for i in range(per_request + 5)]

    receipt = await facade.send_pairs(pairs, reference="budget")

    assert len(receipt.accepted) == len(pairs)
    assert sorted(map(len, requests(sandbox, facade.provider))) == [5, per_request]
    sent = {pair for request in requests(sandbox, facade.provider) for pair in request}
    assert sent == {(mobile[1:], text) for mobile, text in pairs}
