"""The facade's delivery states, from the catalog's unified states (errors.yaml).

Every provider's status codes already carry a unified state in its ``errors.yaml`` (read by the
generated catalog); this one table turns that state into the facade's vocabulary, so no
provider needs code of its own here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from payamak_gen._runtime.catalog import DeliveryState as CatalogState
from payamak_gen._runtime.catalog import StatusCode

from ._models import DeliveryState

__all__ = ["FROM_CATALOG", "unified"]

FROM_CATALOG: Final[MappingProxyType[CatalogState, DeliveryState]] = MappingProxyType(
    {
        # "Still being processed" (the code providers give before the operator has it).
        "pending": "queued",
        "queued": "queued",
        "sent": "at_operator",
        "delivered": "delivered",
        "undelivered": "failed",
        "failed": "failed",
        # errors.schema.json: "the number cannot receive (blacklist, invalid)".
        "rejected": "blacklisted",
        "filtered": "filtered",
    }
)


def unified(status: StatusCode) -> DeliveryState:
    """The facade state of a catalog entry."""
    return FROM_CATALOG[status.state]
