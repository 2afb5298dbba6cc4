"""SOAP 1.1 plumbing shared by the SOAP providers (ASMX-style, document/literal wrapped).

Parsing is strict and safe: no DTDs, no entity expansion, no network access, so a hostile or
broken request can neither read local files nor blow up memory; anything else answers with the
SOAP Fault ASP.NET would send.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from ._wire import XML_TYPE, WireRequest, WireResponse

__all__ = [
    "SOAP_ENV",
    "SoapRequestError",
    "fault_response",
    "parse_request",
    "soap11_fault",
    "wsdl_response",
    "xml_response",
]

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_ADDRESS = re.compile(rb'(<(?:\w+:)?address\b[^>]*\blocation=")[^"]*(")')


class SoapRequestError(Exception):
    """The request is not a usable SOAP 1.1 envelope; the text says why (as the fault string)."""


def parse_request(body: bytes) -> tuple[etree._Element, str]:
    """Parses a SOAP 1.1 request and returns its operation element and operation name.

    Raises:
        SoapRequestError: If the body is not XML, has a DOCTYPE, is not a SOAP 1.1 envelope or has
            an empty Body.
    """
    if b"<!DOCTYPE" in body[:2048].upper():
        raise SoapRequestError("DTD is prohibited in this XML document.")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapRequestError(f"Server was unable to read request. ---> {exc}") from None
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapRequestError("Possible SOAP version mismatch: Envelope namespace was unexpected.")
    soap_body = root.find(f"{{{SOAP_ENV}}}Body")
    operation = None if soap_body is None else next(iter(soap_body), None)
    if operation is None:
        raise SoapRequestError("Server did not recognize the value of HTTP Header SOAPAction: .")
    return operation, etree.QName(operation).localname


def xml_response(document: bytes, status: int = 200) -> WireResponse:
    """An XML answer with ASP.NET's content type."""
    return WireResponse(status, document, XML_TYPE)


def soap11_fault(text: str, code: str = "soap:Server") -> bytes:
    """Returns a SOAP 1.1 Fault envelope as ASP.NET sends it."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f"<soap:Body><soap:Fault><faultcode>{escape(code)}</faultcode>"
        f"<faultstring>{escape(text)}</faultstring><detail /></soap:Fault></soap:Body>"
        "</soap:Envelope>"
    ).encode()


def fault_response(text: str, code: str = "soap:Server") -> WireResponse:
    """An HTTP 500 carrying a SOAP 1.1 Fault (ASP.NET answers faults with 500)."""
    return xml_response(soap11_fault(text, code), 500)


def wsdl_response(wsdl: Path, request: WireRequest) -> WireResponse:
    """Serves a WSDL file with every `soap:address` pointing at this sandbox.

    ASMX services rewrite the address to the URL the WSDL was fetched from; doing the same lets a
    WSDL-driven client (zeep) fetched from the sandbox talk to the sandbox.
    """
    host = request.headers.get("host", "127.0.0.1")
    location = f"http://{host}{request.path}".encode()
    body = _ADDRESS.sub(lambda m: m.group(1) + location + m.group(2), wsdl.read_bytes())
    return xml_response(body)
