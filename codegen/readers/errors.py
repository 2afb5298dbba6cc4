"""Loads specs/<provider>/errors.yaml, checked against specs/errors.schema.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from .._yaml import load_yaml

SCHEMA_FILE = "specs/errors.schema.json"


@dataclass(frozen=True)
class Catalog:
    """The entries of one errors.yaml, with defaults filled in for the templates."""

    result_codes: list[dict[str, Any]]
    group_status_codes: list[dict[str, Any]] = field(default_factory=list)
    delivery_codes: list[dict[str, Any]] = field(default_factory=list)
    unknown_delivery_state: str = "pending"


def _status_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"final": False, "retryable": False, **entry} for entry in entries]


def load_catalog(root: Path, errors_file: str) -> Catalog:
    """Load and validate one provider's error catalog."""
    schema = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    data = load_yaml(root / errors_file)
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        raise SystemExit(f"{errors_file}: does not fit {SCHEMA_FILE}: {exc.message}") from exc
    return Catalog(
        result_codes=data["result_codes"],
        group_status_codes=_status_entries(data.get("group_status_codes", [])),
        delivery_codes=_status_entries(data.get("delivery_codes", [])),
        unknown_delivery_state=data.get("unknown_delivery_state", "pending"),
    )
