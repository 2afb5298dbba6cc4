"""The facade's public API: exactly these names, sorted, and nothing generated in results."""

from __future__ import annotations

import dataclasses
import typing

import payamak
from payamak._models import DeliveryState
from payamak._states import FROM_CATALOG
from payamak_gen._runtime.catalog import DeliveryState as CatalogState

PUBLIC = {
    "AsyncClient",
    "AsyncFailoverClient",
    "Balance",
    "BulkSummary",
    "Capabilities",
    "Client",
    "DeliveryReport",
    "DeliveryState",
    "FailoverClient",
    "InboundMessage",
    "InsecureTransportWarning",
    "PartialSendError",
    "PayamakError",
    "RecipientOutcome",
    "RecipientStatus",
    "RetryPolicy",
    "SendOutcomeUnknownError",
    "SendReceipt",
    "UnsupportedOperationError",
    "ValidationError",
}


def test_all_is_sorted_and_complete() -> None:
    assert payamak.__all__ == sorted(payamak.__all__)
    assert set(payamak.__all__) == PUBLIC


def test_results_are_the_facades_own_frozen_models() -> None:
    for name in (
        "SendReceipt",
        "DeliveryReport",
        "InboundMessage",
        "Balance",
        "Capabilities",
        "RecipientOutcome",
        "BulkSummary",
    ):
        model: object = getattr(payamak, name)
        assert model.__module__ == "payamak._models"
        assert isinstance(model, type) and dataclasses.is_dataclass(model), model
        # typeshed's DataclassInstance protocol declares __dataclass_fields__ but not the params.
        assert model.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_every_catalog_state_has_one_facade_state() -> None:
    assert set(FROM_CATALOG) == set(typing.get_args(CatalogState))
    assert set(FROM_CATALOG.values()) | {"unknown"} == set(typing.get_args(DeliveryState))


def test_one_error_hierarchy_for_both_layers() -> None:
    from payamak_gen import errors

    assert payamak.PayamakError is errors.PayamakGenError
    # Refusals of input from either layer are caught by the runtime's class.
    assert issubclass(payamak.ValidationError, errors.InvalidInputError)
    assert payamak.InsecureTransportWarning is errors.InsecureTransportWarning
