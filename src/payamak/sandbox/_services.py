"""What one running sandbox holds (state, clock, faults, providers), and how it is made.

The ASGI application (`_app`) and the admin API (`_admin`) both work on these services; neither
builds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ._clock import Clock
from ._config import SandboxConfig
from ._faults import FaultBook
from ._store import Store
from .providers import PROVIDER_MODULES, Provider, ProviderContext, load_providers

__all__ = ["Services", "create_services"]


@dataclass(frozen=True)
class Services:
    """Everything one running sandbox holds.

    Attributes:
        config: The initial state that `reset` returns to.
        clock: The sandbox clock; move it with `advance` below, which keeps it with the state.
        store: The panel state.
        faults: The armed faults.
        providers: The gateways served, in matching order.
    """

    config: SandboxConfig
    clock: Clock
    store: Store
    faults: FaultBook
    providers: Sequence[Provider]

    def find_provider(self, path: str) -> Provider | None:
        """Returns the provider serving `path`, if any."""
        for provider in self.providers:
            if provider.matches(path):
                return provider
        return None

    def provider(self, name: str) -> Provider | None:
        """Returns a provider by id."""
        return next((p for p in self.providers if p.name == name), None)

    def advance(self, seconds: float) -> float:
        """Moves the clock on and returns the new now (see `Clock.advance`).

        The offset is kept with the state, so that a sandbox restarted on the same state file
        does not move time, and with it every message's delivery state, backwards.
        """
        now = self.clock.advance(seconds)
        self.store.save_clock_offset(self.clock.offset)
        return now

    def reset(self) -> None:
        """Returns the state, the clock and the faults to how they were at start."""
        self.clock.reset()
        self.faults.clear()
        self.store.reset()  # drops the kept clock offset with the rest of the state


def create_services(
    config: SandboxConfig | None = None,
    *,
    state_path: str | Path | None = None,
    providers: Sequence[str] = PROVIDER_MODULES,
) -> Services:
    """Creates the state, clock, fault book and providers of one sandbox.

    Args:
        config: Initial accounts and lists; the demo config when None.
        state_path: SQLite file that keeps the state across restarts; memory only when None.
        providers: Provider module names to serve.
    """
    config = config or SandboxConfig()
    clock = Clock(frozen=config.frozen_clock)
    store = Store(config, clock, state_path)
    try:
        # Picks up where an earlier run on the same state file left the clock (0 on a new state).
        clock.advance(store.clock_offset())
        loaded = load_providers(ProviderContext(store=store, clock=clock), providers)
    except BaseException:
        store.close()  # a missing provider or spec must not leave the state file open
        raise
    return Services(config, clock, store, FaultBook(), tuple(loaded))
