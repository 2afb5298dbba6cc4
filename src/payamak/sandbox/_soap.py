"""SOAP 1.1 plumbing shared by the SOAP providers (ASMX-style, document/literal wrapped).

Parsing is strict and safe: no DTDs, no entity expansion, no network access and a bounded number
of elements, so a hostile or broken request can neither read local files nor blow up memory;
anything else answers with the SOAP Fault ASP.NET would send.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from lxml import etree

from ._limits import MAX_XML_ELEMENTS
from ._wire import XML_TYPE, WireRequest, WireResponse

__all__ = [
    "SOAP_ENV",
    "DoctypeError",
    "ElementLimitError",
    "SoapOperation",
    "SoapRequestError",
    "WsdlContract",
    "declares_doctype",
    "fault_response",
    "parse_request",
    "safe_parse",
    "soap11_envelope",
    "soap11_fault",
    "soap_action",
    "wsdl_response",
    "xml_response",
]

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_WSDL_SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
_XS = "http://www.w3.org/2001/XMLSchema"
_MARK = "urn:payamak:"
# Type annotations some toolkits put on every element (xsi:type="xsd:string", SOAP encoding);
# the WSDL already says what each element is, so these are dropped before checking against it.
_ANNOTATION_NAMESPACES = frozenset(
    {"http://www.w3.org/2001/XMLSchema-instance", "http://schemas.xmlsoap.org/soap/encoding/"}
)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
# Bytes handed to the parser at a time: elements are counted between two feeds, so a feed's worth
# of `<a/>` (16,384 of them) is the most built past the limit before it is noticed.
_FEED_BYTES = 64 * 1024
# A document that starts like ASCII-compatible XML (UTF-8 or a single-byte encoding): optional BOM,
# whitespace, then `<`. UTF-16 or EBCDIC text does not, and is always parsed counting.
_ASCII_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<")
# A DOCTYPE can only stand in the prolog: after an optional BOM, XML declaration, comments,
# processing instructions and whitespace. Looking only there lets the same text inside a CDATA
# section or a comment through.
# A processing instruction or comment is matched inside a lookahead and then consumed by a
# backreference: a lookahead is atomic, so a prolog that has no DOCTYPE is given up at once rather
# than retried with each instruction stretched to the next `?>` of the document (a second for
# every 8 MB otherwise).
_PROLOG_DOCTYPE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|(?=(<\?.*?\?>))\1|(?=(<!--.*?-->))\2)*<!DOCTYPE",
    re.IGNORECASE | re.DOTALL,
)
_ADDRESS = re.compile(rb'(<(?:\w+:)?address\b[^>]*\blocation=")[^"]*(")')
# A Host header as RFC 9110 allows it: a name or IPv4 address, or an IPv6 literal, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


class SoapRequestError(Exception):
    """The request is not a usable SOAP 1.1 envelope; the text says why (as the fault string)."""


class DoctypeError(ValueError):
    """An XML document declares a DOCTYPE, which the sandbox refuses whole."""


class ElementLimitError(ValueError):
    """An XML document has more elements than the sandbox builds for one request.

    Attributes:
        limit: The most elements allowed.
        tag: The local name of the element that went past the limit (the one that repeats, in
            practice), so that a provider can tell too many recipients from plain junk.
    """

    def __init__(self, limit: int, tag: str) -> None:
        super().__init__(f"The document has more than {limit} elements.")
        self.limit = limit
        self.tag = tag


def declares_doctype(document: bytes) -> bool:
    """Whether an XML document's prolog has a DOCTYPE (checked before parsing it at all)."""
    return _PROLOG_DOCTYPE.match(document) is not None


def safe_parse(
    document: bytes,
    *,
    max_elements: int = MAX_XML_ELEMENTS,
    encoding: str | None = None,
    remove_pis: bool = False,
) -> etree._Element:
    """Parses XML from a caller without loading a DTD, expanding an entity or fetching anything,
    and without building more than `max_elements` elements.

    A document that may have too many elements is fed to the parser piece by piece and its
    elements counted as they are built, so a flood of empty elements (8 MiB of `<a/>` is two
    million of them, a gigabyte as a tree) is refused after `max_elements` rather than after it
    has been built whole. Comments are dropped; nesting is limited to libxml2's 256 levels (no
    `huge_tree`).

    Args:
        document: The XML bytes.
        max_elements: The most elements the document may have.
        encoding: Read the document in this encoding whatever its declaration says.
        remove_pis: Drop processing instructions too.

    Raises:
        DoctypeError: If the document declares a DOCTYPE.
        ElementLimitError: If it has more than `max_elements` elements.
        lxml.etree.XMLSyntaxError: If it is not well-formed.
    """
    if declares_doctype(document):
        raise DoctypeError("DTD is prohibited in this XML document.")
    if _ASCII_START.match(document) and document.count(b"<") <= max_elements:
        # In an ASCII-compatible encoding every element starts with a `<` byte (text has to
        # escape it), so this document cannot have too many: parse it in one go, several times
        # faster than in pieces for a large text, which the parser copies once per piece.
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=remove_pis,
            encoding=encoding,
        )
        root = etree.fromstring(document, parser)
    else:
        counting = etree.XMLPullParser(
            events=("start",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=remove_pis,
            encoding=encoding,
        )
        root = _parse_counting(document, max_elements, counting)
    if root.getroottree().docinfo.internalDTD is not None:
        # A prolog the check above cannot read (UTF-16, say) still had its DOCTYPE parsed, but no
        # entity was expanded or fetched (resolve_entities=False): refuse the document whole.
        raise DoctypeError("DTD is prohibited in this XML document.")
    return root


def _parse_counting(
    document: bytes, max_elements: int, parser: etree.XMLPullParser
) -> etree._Element:
    """Feeds `document` to a parser that reports each element's start, counting them."""
    count = 0
    view = memoryview(document)
    for start in range(0, max(len(document), 1), _FEED_BYTES):
        parser.feed(bytes(view[start : start + _FEED_BYTES]))
        for _, element in parser.read_events():
            count += 1
            if count > max_elements:
                raise ElementLimitError(max_elements, etree.QName(element).localname)
    root: etree._Element = parser.close()
    return root


def parse_request(body: bytes, max_elements: int = MAX_XML_ELEMENTS) -> tuple[etree._Element, str]:
    """Parses a SOAP 1.1 request and returns its operation element and operation name.

    Args:
        body: The request body.
        max_elements: The most elements the envelope may have (see `safe_parse`); a provider
            whose operations take no arrays can pass far fewer than the default.

    Raises:
        SoapRequestError: If the body is not XML, has a DOCTYPE, is not a SOAP 1.1 envelope or has
            an empty Body.
    """
    try:
        root = safe_parse(body, max_elements=max_elements)
    except DoctypeError as exc:
        raise SoapRequestError(str(exc)) from None
    except ElementLimitError as exc:
        raise SoapRequestError(f"Server was unable to read request. ---> {exc}") from None
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


def soap_action(request: WireRequest) -> str | None:
    """The request's SOAPAction header without its quotes, or None when absent or empty."""
    action = request.headers.get("soapaction", "").strip().strip('"').strip()
    return action or None


def soap11_envelope(body: str) -> bytes:
    """Wraps serialised Body content in a SOAP 1.1 envelope as ASP.NET writes it."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{body}</soap:Body>'
        "</soap:Envelope>"
    ).encode()


def soap11_fault(text: str, code: str = "soap:Server") -> bytes:
    """Returns a SOAP 1.1 Fault envelope as ASP.NET sends it."""
    return soap11_envelope(
        f"<soap:Fault><faultcode>{escape(code)}</faultcode>"
        f"<faultstring>{escape(text)}</faultstring><detail /></soap:Fault>"
    )


def fault_response(text: str, code: str = "soap:Server") -> WireResponse:
    """An HTTP 500 carrying a SOAP 1.1 Fault (ASP.NET answers faults with 500)."""
    return xml_response(soap11_fault(text, code), 500)


def wsdl_response(wsdl: Path, request: WireRequest) -> WireResponse:
    """Serves a WSDL file with every `soap:address` pointing at this sandbox.

    ASMX services rewrite the address to the URL the WSDL was fetched from; doing the same lets a
    WSDL-driven client (zeep) fetched from the sandbox talk to the sandbox. A Host header that is
    no host[:port] gets HTTP 400, as IIS answers it, rather than landing in the document.
    """
    host = request.headers.get("host", "127.0.0.1")
    if not _HOST.fullmatch(host):
        return WireResponse(400, b"Bad Request - Invalid Hostname", "text/plain; charset=utf-8")
    location = escape(f"http://{host}{request.path}", {'"': "&quot;"}).encode()
    body = _ADDRESS.sub(lambda m: m.group(1) + location + m.group(2), wsdl.read_bytes())
    return xml_response(body)


@dataclass(frozen=True)
class SoapOperation:
    """One document/literal operation of a WSDL's SOAP 1.1 binding.

    Attributes:
        name: The operation name (`getxml`).
        action: Its SOAPAction (`http://tempuri.org/getxml`).
        input: The request wrapper element, in Clark notation (`{http://tempuri.org/}getxml`).
        input_parts: The wrapper's child elements, in Clark notation, in schema order.
        output: The response wrapper element, in Clark notation.
        output_parts: The response wrapper's child elements, in Clark notation.
        input_marks: The `urn:payamak:*` appinfo marks on the request wrapper's children:
            child local name → mark (`max-distinct`) → its text.
    """

    name: str
    action: str
    input: str
    input_parts: tuple[str, ...]
    output: str
    output_parts: tuple[str, ...]
    input_marks: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


class WsdlContract:
    """What a document/literal SOAP 1.1 WSDL promises, to check requests against it.

    Reads the SOAP 1.1 binding's operations (SOAPAction, input and output wrapper elements) and
    compiles the schemas in `wsdl:types`, so that a provider checks envelopes against the WSDL
    itself rather than against names copied into code.

    Args:
        wsdl: The WSDL file.

    Raises:
        ValueError: If the WSDL has no SOAP 1.1 binding or an operation's message is not a
            single-part document/literal wrapper described in `wsdl:types`.
    """

    def __init__(self, wsdl: Path) -> None:
        root = etree.parse(str(wsdl), _PARSER).getroot()
        self._schemas: dict[str, etree.XMLSchema] = {}
        wrappers: dict[str, tuple[str, ...]] = {}
        marks: dict[str, dict[str, dict[str, str]]] = {}
        for schema in root.iterfind(f"{{{_WSDL}}}types/{{{_XS}}}schema"):
            target = schema.get("targetNamespace", "")
            # Serialising carries every namespace declaration in scope from wsdl:definitions,
            # including prefixes only QName values use (type="tns:ArrayOfString"), which a
            # deep copy drops.
            self._schemas[target] = etree.XMLSchema(etree.fromstring(etree.tostring(schema)))
            qualified = schema.get("elementFormDefault") == "qualified"
            for element in schema.iterfind(f"{{{_XS}}}element"):
                children = (c.get("name", "") for c in element.iter(f"{{{_XS}}}element"))
                wrappers[f"{{{target}}}{element.get('name')}"] = tuple(
                    f"{{{target}}}{name}" if qualified else name
                    for name in children
                    if name != element.get("name")
                )
                marks[f"{{{target}}}{element.get('name')}"] = {
                    child.get("name", ""): _marks(child)
                    for child in element.iter(f"{{{_XS}}}element")
                    if child is not element and _marks(child)
                }
        messages = {
            message.get("name"): _resolve(part, part.get("element", ""))
            for message in root.iterfind(f"{{{_WSDL}}}message")
            for part in message.iterfind(f"{{{_WSDL}}}part")
        }
        port_ops = {
            op.get("name"): (
                messages.get(_local(op.find(f"{{{_WSDL}}}input"))),
                messages.get(_local(op.find(f"{{{_WSDL}}}output"))),
            )
            for op in root.iterfind(f"{{{_WSDL}}}portType/{{{_WSDL}}}operation")
        }
        self.operations: dict[str, SoapOperation] = {}
        for binding in root.iterfind(f"{{{_WSDL}}}binding"):
            if binding.find(f"{{{_WSDL_SOAP11}}}binding") is None:
                continue
            for op in binding.iterfind(f"{{{_WSDL}}}operation"):
                name = op.get("name", "")
                soap_op = op.find(f"{{{_WSDL_SOAP11}}}operation")
                request, response = port_ops.get(name, (None, None))
                if request is None or response is None or not {request, response} <= set(wrappers):
                    raise ValueError(f"{wsdl}: operation {name} is not a document/literal wrapper")
                self.operations[name] = SoapOperation(
                    name=name,
                    action="" if soap_op is None else soap_op.get("soapAction", ""),
                    input=request,
                    input_parts=wrappers[request],
                    output=response,
                    output_parts=wrappers[response],
                    input_marks=marks.get(request, {}),
                )
        if not self.operations:
            raise ValueError(f"{wsdl}: no SOAP 1.1 binding")
        # The paths of the SOAP 1.1 addresses (a path-only address is a service whose host is
        # not known: the sandbox serves it at that path all the same).
        self.paths: tuple[str, ...] = tuple(
            urlsplit(address.get("location", "")).path
            for address in root.iterfind(
                f"{{{_WSDL}}}service/{{{_WSDL}}}port/{{{_WSDL_SOAP11}}}address"
            )
        )
        self._by_action = {op.action: op for op in self.operations.values()}
        self._by_input = {op.input: op for op in self.operations.values()}

    def operation(self, action: str | None, element: etree._Element) -> SoapOperation:
        """Finds the operation a request invokes and checks its Body against the WSDL.

        ASP.NET routes on SOAPAction; a request without one is routed on the Body's element.

        Args:
            action: The SOAPAction header without quotes (see `soap_action`), or None.
            element: The first element of the SOAP Body (see `parse_request`).

        Raises:
            SoapRequestError: With ASP.NET's fault text if the action is unknown, the element is
                not that operation's input, or the element breaks the WSDL's types.
        """
        if action is not None:
            found = self._by_action.get(action)
            if found is None:
                raise SoapRequestError(
                    f"Server did not recognize the value of HTTP Header SOAPAction: {action}."
                )
        else:
            found = self._by_input.get(str(element.tag))
            if found is None:
                raise SoapRequestError(
                    "Server did not recognize the value of HTTP Header SOAPAction: ."
                )
        if element.tag != found.input:
            raise SoapRequestError(
                f"Server was unable to read request. ---> <{etree.QName(element).localname} "
                f"xmlns='{etree.QName(element).namespace or ''}'> was not expected."
            )
        self._validate(element)
        return found

    def _validate(self, element: etree._Element) -> None:
        schema = self._schemas.get(etree.QName(element).namespace or "")
        if schema is None:
            return
        if any(
            etree.QName(name).namespace in _ANNOTATION_NAMESPACES
            for node in element.iter()
            for name in node.attrib
        ):
            element = copy.deepcopy(element)
            for node in element.iter():
                for name in list(node.attrib):
                    if etree.QName(name).namespace in _ANNOTATION_NAMESPACES:
                        del node.attrib[name]
        if not schema.validate(element):
            error = schema.error_log[0] if schema.error_log else None
            detail = "" if error is None else f" ---> {error.message}"
            raise SoapRequestError(f"Server was unable to read request.{detail}")


def _marks(element: etree._Element) -> dict[str, str]:
    """An element's `urn:payamak:*` appinfo marks (specs/README.md): mark → its text."""
    return {
        str(info.get("source"))[len(_MARK) :]: (info.text or "").strip()
        for info in element.iterfind(f"{{{_XS}}}annotation/{{{_XS}}}appinfo")
        if str(info.get("source", "")).startswith(_MARK)
    }


def _resolve(node: etree._Element, prefixed: str) -> str:
    """Turns `tns:getxml` into Clark notation using the namespaces in scope at `node`."""
    prefix, _, local = prefixed.rpartition(":")
    return f"{{{node.nsmap.get(prefix or None, '')}}}{local}"


def _local(node: etree._Element | None) -> str | None:
    """The local part of a `wsdl:input`/`wsdl:output` message reference."""
    return None if node is None else node.get("message", "").rpartition(":")[2]
