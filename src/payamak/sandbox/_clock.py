"""The sandbox's notion of "now".

Delivery progress, schedules and inbound dates all read this clock instead of `time.time()`, so a
test can freeze it and move it on with `advance()` and see exactly the same states on every run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["Clock"]


class Clock:
    """A wall clock that can be frozen and moved forward.

    Args:
        frozen: When true, time stands still except through `advance()`; when false, time runs
            with the wall clock plus every `advance()` added so far.
        source: The underlying time source in unix seconds (injectable for tests of the clock).
    """

    def __init__(self, *, frozen: bool = False, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._frozen = frozen
        self._offset = 0.0
        self._frozen_at = source()

    @property
    def frozen(self) -> bool:
        """Whether time only moves through `advance()`."""
        return self._frozen

    @property
    def offset(self) -> float:
        """Seconds added by `advance()` since creation or the last `reset()`."""
        return self._offset

    def now(self) -> float:
        """Returns the current sandbox time in unix seconds."""
        if self._frozen:
            return self._frozen_at + self._offset
        return self._source() + self._offset

    def advance(self, seconds: float) -> float:
        """Moves time forward and returns the new now.

        Args:
            seconds: How far to move; negative values are refused because delivery states
                only move forward on a real panel.

        Raises:
            ValueError: If `seconds` is negative, NaN or infinite.
        """
        if not math.isfinite(seconds):
            raise ValueError(f"the sandbox clock moves by finite seconds, not {seconds}")
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self._offset += seconds
        return self.now()

    def reset(self) -> None:
        """Drops every `advance()` and, when frozen, re-freezes at the wall clock's now."""
        self._offset = 0.0
        self._frozen_at = self._source()
