"""Every example of the manual parses into the generated models and serialises back to
equivalent JSON with the wire names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from payamak_gen._runtime.model import WireModel
from payamak_gen.trez_rest import models
from tests.generated.trez_rest.support import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def _model_for(path: Path) -> type[WireModel]:
    operation, direction, _ = path.name.split(".")
    name = f"{operation}{'Request' if direction == 'request' else 'Response'}"
    model: object = getattr(models, name, None)
    if model is None:  # operations without input take EmptyRequest
        assert direction == "request"
        return models.EmptyRequest
    assert isinstance(model, type) and issubclass(model, WireModel), model
    return model


def _equivalent(sent: Any, original: Any) -> bool:
    """JSON equality, except that the manual's numeric strings ("1") equal numbers (1)."""
    # Callers pass decoded JSON, so the containers are dicts and lists.
    if isinstance(sent, dict) and isinstance(original, dict):
        return sent.keys() == original.keys() and all(
            _equivalent(sent[k], original[k]) for k in sent
        )
    if isinstance(sent, list) and isinstance(original, list):
        return len(sent) == len(original) and all(map(_equivalent, sent, original))
    numbers = (int, float)
    if isinstance(sent, bool) or isinstance(original, bool):
        return sent is original
    if isinstance(sent, numbers) and isinstance(original, numbers):
        return sent == original  # JSON has one number type: 129249 and 129249.0 are the same
    if isinstance(sent, numbers) and isinstance(original, str):
        return float(original) == sent
    if isinstance(sent, str) and isinstance(original, numbers):
        return sent == str(original)
    return bool(sent == original) and type(sent) is type(original)


def test_there_is_an_example_per_operation_and_direction() -> None:
    operations = {path.name.split(".")[0] for path in EXAMPLE_FILES}
    assert len(operations) == 13
    assert len(EXAMPLE_FILES) == 26


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_round_trips(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    model = _model_for(path)

    parsed = model.model_validate(original)
    serialised = json.loads(parsed.model_dump_json(exclude_none=True))

    assert _equivalent(serialised, original), (serialised, original)
    assert model.model_validate(serialised) == parsed


def test_models_accept_snake_case_and_wire_names_alike() -> None:
    by_name = models.GetGroupMessageIdRequest(group_id="16")
    by_alias = models.GetGroupMessageIdRequest.model_validate({"groupId": "16"})

    assert by_name == by_alias
    assert by_name.model_dump() == {"groupId": "16"}


def test_equivalence_helper_is_strict_where_it_must_be() -> None:
    assert not _equivalent({"Page": 2}, {"Page": "1"})
    assert not _equivalent({"A": 1}, {"B": 1})
    assert not _equivalent([1, 2], [1])
    assert not _equivalent(True, 1)
    assert not _equivalent("x", 1)
