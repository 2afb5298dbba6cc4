"""The provider registry: one module per gateway, each speaking its wire protocol.

Adding a gateway is one new module here plus its name in `PROVIDER_MODULES`. The module exposes
`create(context: ProviderContext) -> Provider`; the object it returns satisfies the `Provider`
protocol below. Everything else (HTTP server, faults, admin API, state, clock) is shared.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from .._clock import Clock
from .._store import Store
from .._wire import WireRequest, WireResponse

__all__ = [
    "PROVIDER_MODULES",
    "Provider",
    "ProviderContext",
    "WireKind",
    "load_providers",
]

# Modules under payamak.sandbox.providers, in the order their paths are matched.
PROVIDER_MODULES: tuple[str, ...] = ("trez_rest",)

WireKind = Literal["json", "soap", "form"]


@dataclass(frozen=True)
class ProviderContext:
    """What a provider gets to work with.

    Attributes:
        store: The shared panel state (accounts, lines, messages, inbox).
        clock: The sandbox clock; use it instead of `time.time()`.
    """

    store: Store
    clock: Clock


class Provider(Protocol):
    """A gateway served by the sandbox.

    Attributes:
        name: The provider id (`trez_rest`), used in the admin API and fault injection.
        wire: How its bodies look, so that injected faults (malformed body, SOAP Fault) look
            like this gateway's own.
        display_paths: Paths to print at start-up (`/api/smsAPI/{Method}`).
        operations: Names of its operations, for validating fault targets.
    """

    name: str
    wire: WireKind
    display_paths: Sequence[str]
    operations: Sequence[str]

    def matches(self, path: str) -> bool:
        """Whether this provider serves `path` (compare case-insensitively: IIS does)."""
        ...

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        """Names the operation(s) a request invokes, for fault matching (may be empty)."""
        ...

    async def handle(self, request: WireRequest) -> WireResponse:
        """Answers one request exactly as the real gateway would."""
        ...


def load_providers(
    context: ProviderContext, names: Sequence[str] = PROVIDER_MODULES
) -> list[Provider]:
    """Imports and creates the named providers.

    Args:
        context: Shared state and clock.
        names: Module names under this package (`trez_rest`), or dotted module paths of
            providers that live elsewhere (`mypkg.sandbox_gateway`) that follow the same interface.

    Raises:
        ImportError: If a provider module is missing.
        payamak.sandbox._specs.SpecNotFoundError: If a provider's spec files are missing.
    """
    providers: list[Provider] = []
    for name in names:
        module = importlib.import_module(name if "." in name else f"{__name__}.{name}")
        provider: Provider = module.create(context)
        providers.append(provider)
    return providers
