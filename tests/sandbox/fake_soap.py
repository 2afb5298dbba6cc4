"""A minimal SOAP provider for testing the sandbox's provider-independent machinery.

It follows the same interface as the real provider modules (`create(context) -> Provider`) and
uses the shared SOAP helpers, so the tests can load it with `Sandbox(providers=[...])` and see
WSDL serving, SOAP parsing and SOAP-specific faults on the wire.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from payamak.sandbox._soap import (
    SOAP_ENV,
    SoapRequestError,
    fault_response,
    parse_request,
    wsdl_response,
    xml_response,
)
from payamak.sandbox._wire import WireRequest, WireResponse
from payamak.sandbox.providers import ProviderContext, WireKind

PATH = "/Fake/Echo.asmx"
WSDL = Path(__file__).parent / "fixtures" / "echo.wsdl"
TNS = "http://tempuri.org/"


def envelope(text: str) -> bytes:
    """The Echo operation's response envelope."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}">'
        f'<soap:Body><EchoResponse xmlns="{TNS}"><EchoResult>{escape(text)}</EchoResult>'
        "</EchoResponse></soap:Body></soap:Envelope>"
    ).encode()


class FakeSoap:
    """Echo over SOAP 1.1 at `PATH`, with its WSDL at `PATH?wsdl`."""

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
        if request.method == "GET" and request.has_query_flag("wsdl"):
            return wsdl_response(WSDL, request)
        try:
            operation, name = parse_request(request.body)
        except SoapRequestError as exc:
            return fault_response(str(exc), "soap:Client")
        if name != "Echo":
            return fault_response(f"Unknown operation {name}.", "soap:Client")
        return xml_response(envelope(operation.findtext(f"{{{TNS}}}text") or ""))

    def error_response(self, code: int, operations: tuple[str, ...] = ()) -> WireResponse:
        return fault_response(f"error {code}")


def create(context: ProviderContext) -> FakeSoap:
    """Builds the fake provider."""
    return FakeSoap()
