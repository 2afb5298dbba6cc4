"""The code tables of ``specs/<provider>/errors.yaml``, read as any language would read them.

Tests take their expectations from here, never from the generated ``errors`` modules, so that a
flipped kind, state or retryability in generated code fails them instead of being copied into
the expectation.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from payamak_gen._runtime.catalog import StatusCode

__all__ = ["SPECS", "expected_status", "result_codes", "status_codes"]

SPECS = Path(__file__).resolve().parents[1] / "specs"


@cache
def _document(provider: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(
        (SPECS / provider / "errors.yaml").read_text(encoding="utf-8")
    )
    return document


def result_codes(provider: str) -> list[dict[str, Any]]:
    """The provider's ``result_codes`` entries (code, kind, retryable, en, fa)."""
    codes: list[dict[str, Any]] = _document(provider)["result_codes"]
    return codes


def status_codes(provider: str, table: str) -> list[dict[str, Any]]:
    """The entries of a status table (``delivery_codes``, ``group_status_codes``, …)."""
    codes: list[dict[str, Any]] = _document(provider)[table]
    return codes


def expected_status(provider: str, table: str, code: int | str) -> StatusCode:
    """What reading ``code`` from ``table`` must give, per the spec: its entry (``retryable``
    false unless stated), or for a code the spec does not list the raw code in the provider's
    ``unknown_delivery_state``, not final."""
    for entry in status_codes(provider, table):
        if str(entry["code"]) == str(code):
            return StatusCode(
                code=entry["code"],
                state=entry["state"],
                final=entry["final"],
                retryable=entry.get("retryable", False),
                en=entry["en"],
                fa=entry["fa"],
            )
    return StatusCode(
        code=code,
        state=_document(provider)["unknown_delivery_state"],
        final=False,
        retryable=False,
        en=f"Undocumented status code {code!r}",
        fa="",
    )
