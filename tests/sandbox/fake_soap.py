"""A minimal SOAP provider for testing the sandbox's provider-independent machinery.

It follows the same interface as the real provider modules (`create(context) -> Provider`), so
the tests can load it with `Sandbox(providers=[...])` and see SOAP-specific faults on the wire.
"""

from __future__ import annotations

from collections.abc import Sequence

from payamak.sandbox._wire import XML_TYPE, WireRequest, WireResponse
from payamak.sandbox.providers import ProviderContext, WireKind

PATH = "/Fake/Echo.asmx"
ENVELOPE = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b'<soap:Body><EchoResponse xmlns="http://tempuri.org/"><EchoResult>ok</EchoResult>'
    b"</EchoResponse></soap:Body></soap:Envelope>"
)


class FakeSoap:
    """Answers every POST to `PATH` with a fixed SOAP envelope."""

    name = "fake_soap"
    wire: WireKind = "soap"
    display_paths: Sequence[str] = (PATH,)
    operations: Sequence[str] = ("Echo",)

    def matches(self, path: str) -> bool:
        return path.lower() == PATH.lower()

    def operations_of(self, request: WireRequest) -> tuple[str, ...]:
        action = request.headers.get("soapaction", "").strip('"')
        return (action.rsplit("/", 1)[-1],) if action else ()

    async def handle(self, request: WireRequest) -> WireResponse:
        return WireResponse(200, ENVELOPE, XML_TYPE)


def create(context: ProviderContext) -> FakeSoap:
    """Builds the fake provider."""
    return FakeSoap()
