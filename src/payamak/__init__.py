"""payamak: a typed Python SDK for Iranian SMS gateways.

``Client`` / ``AsyncClient`` is one safe client over every provider; the generated clients
(``payamak_gen``) are the lower layer, reachable as ``client.raw``.
"""

from ._client import AsyncClient, Client, InsecureTransportWarning
from ._errors import (
    PartialSendError,
    PayamakError,
    SendOutcomeUnknownError,
    UnsupportedOperationError,
    ValidationError,
)
from ._failover import AsyncFailoverClient, FailoverClient
from ._models import (
    Balance,
    BulkSummary,
    Capabilities,
    DeliveryReport,
    DeliveryState,
    InboundMessage,
    RecipientOutcome,
    RecipientStatus,
    SendReceipt,
)
from ._retry import RetryPolicy

__all__ = [
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
]
