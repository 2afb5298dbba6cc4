"""The provider registry: one module per gateway, each speaking its wire protocol.

Adding a gateway is one new module here plus its name in `PROVIDER_MODULES`. The module exposes
`create(context: ProviderContext) -> Provider`; the object it returns satisfies the `Provider`
protocol below. Everything else (HTTP server, faults, admin API, state, clock) is shared.

What a provider module has to work with:

- `WireRequest` / `WireResponse` (`.._wire`): the fully read request (method, path, query,
  lower-cased headers, body, client address) and the bytes to answer with; `json_response`.
- `.._limits`: how much one request may cost (body bytes, JSON values, XML elements); the
  body a provider sees has already been held to `MAX_BODY_BYTES`.
- `.._soap`: safe XML parsing (`safe_parse`: no DTD, no entities, no network, at most
  `max_elements` elements, `ElementLimitError` naming the element that overflowed), strict SOAP 1.1
  parsing (`parse_request`), `WsdlContract` (routes on SOAPAction and checks the Body against
  the WSDL's own types), `soap11_envelope`, `fault_response`, `xml_response`, and
  `wsdl_response`, which serves a spec WSDL at `?wsdl` with its address pointing at the sandbox
  (trez_xml is the worked example).
- `.._openapi.OpenApiDocument`: per-operation JSON Schema validation straight from an OpenAPI
  document, with numeric strings coerced where the schema wants integers.
- `.._specs.load_yaml` / `spec_path` / `ErrorCatalog`: the provider's files under
  `specs/<provider>/`, and its `errors.yaml` indexed by code and by unified state.
- `context.store`: accounts (`authenticate`, `Account.cost`), lines (`find_line`, `lines_of`),
  sends (`send_text` for one text to many, `new_message` / `new_group` / `send_group` for the
  rest: charge and insert in one transaction), groups and messages (`group`, `messages`),
  inbound messages, blacklist and filtered words; `context.clock` for every timestamp.
- `.._text` (segment counting, mobile-number forms, Persian digits) and `.._delivery.state_at`
  (the unified delivery state of a stored message at a given time), to map onto the gateway's
  own codes.
- `Fail` (below): raise it anywhere in a handler to end the request with one of the gateway's
  result codes; the provider's `handle` catches it and answers in the gateway's own shape.

Handlers must do their check-then-write inside one `store.transaction()` block with no `await`
in it; that is what keeps concurrent sends exact.
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
    "Fail",
    "Provider",
    "ProviderContext",
    "WireKind",
    "load_providers",
]

# Modules under payamak.sandbox.providers, in the order their paths are matched.
PROVIDER_MODULES: tuple[str, ...] = (
    "trez_rest",
    "trez_xml",
    "payamak_panel",
    "ippanel_classic",
    "advanced_ws",
)

WireKind = Literal["json", "soap", "form"]


class Fail(Exception):
    """Ends a request with one of the gateway's result codes.

    Attributes:
        code: The result code to answer with.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


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

    def error_response(self, code: int, operations: tuple[str, ...]) -> WireResponse:
        """The gateway's answer carrying result code `code` (for the `error_code` fault).

        `operations` are the request's (from `operations_of`): a provider whose operations carry
        different code tables (payamak_panel's SendSms results, GetDelivery states) answers in
        the shape of the one asked for.
        """
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
