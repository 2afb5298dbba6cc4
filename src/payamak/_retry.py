"""When and how long to wait before reading again.

Only reads (credit, status, inbox) go through here: reading twice changes nothing on the
server. Sends are never retried, because a lost answer does not say whether the messages went
out. Delays grow exponentially with "full jitter" (a random wait up to the bound), so that many
clients failing together do not come back together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from payamak_gen.errors import (
    ApiError,
    HttpStatusError,
    MalformedResponseError,
    PayamakGenError,
    TransportError,
)

__all__ = ["RetryPolicy", "is_transient"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How reads are retried.

    Attributes:
        attempts: Tries in all, the first included (1 means never retry).
        base_delay: Bound of the first wait, in seconds; it doubles with each retry.
        max_delay: Bound of any wait, in seconds.
    """

    attempts: int = 3
    base_delay: float = 0.25
    max_delay: float = 4.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays must not be negative")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (from 1)."""
        bound = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        # Not for secrets: only spreads the retries of many clients apart.
        return random.uniform(0, bound)


def is_transient(error: PayamakGenError) -> bool:
    """Whether reading again may succeed: transport failures, 5xx and 429 answers, a
    truncated body, and the codes the provider's catalog marks retryable."""
    if isinstance(error, TransportError | MalformedResponseError):
        return True
    if isinstance(error, HttpStatusError):
        return error.status_code >= 500 or error.status_code == 429
    return isinstance(error, ApiError) and error.retryable
