"""SOAP 1.1 (document/literal) for the generated SOAP clients: envelope, SOAPAction, faults.

A generated ``operations`` module describes each WSDL operation with a ``SoapOperation`` and
its service with a ``SoapService``; its ``build_*`` functions hand the operation's body element
(written by the provider's generated codec) to ``SoapService.request``, and its ``parse_*``
functions read the element that ``SoapService.parse`` finds in the answer.

How an answer is read, in order: the body is parsed strictly (``payamak_gen._runtime.xml``);
a SOAP Fault raises ``SoapFaultError`` whatever the HTTP status (ASP.NET sends faults with
500); any other status outside 2xx raises as in the JSON path (401 ``AuthenticationError``,
else ``HttpStatusError``); then the envelope must hold exactly the operation's response element
in its Body, or ``ResponseValidationError`` is raised.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeVar

from lxml import etree

from .catalog import ResultCodeTable
from .errors import (
    MalformedResponseError,
    ProtocolError,
    ResponseTooLargeError,
    ResponseValidationError,
    SoapFaultError,
    api_error_for,
)
from .http import HttpRequest, HttpResponse, raise_for_status
from .xml import MAX_MARKUP, DocumentError, XmlRejected, XmlTooLarge, parse

__all__ = ["SOAP_ENV", "SoapOperation", "SoapService", "rejected"]

T = TypeVar("T")

SOAP_ENV: Final = "http://schemas.xmlsoap.org/soap/envelope/"
"""The SOAP 1.1 envelope namespace."""

_ENVELOPE: Final = "{" + SOAP_ENV + "}Envelope"
_HEADER: Final = "{" + SOAP_ENV + "}Header"
_BODY: Final = "{" + SOAP_ENV + "}Body"
_FAULT: Final = "{" + SOAP_ENV + "}Fault"
# What ASP.NET writes and expects; the body element declares its own namespace.
_ENVELOPE_START: Final = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="' + SOAP_ENV + '"><soap:Body>'
)
_ENVELOPE_END: Final = "</soap:Body></soap:Envelope>"
_CONTENT_TYPE: Final = "text/xml; charset=utf-8"
_FAULT_PARTS: Final = frozenset({"faultcode", "faultstring", "faultactor", "detail"})


@dataclass(frozen=True, slots=True)
class SoapOperation:
    """One operation of a SOAP 1.1 document/literal binding.

    Attributes:
        name: The operation's name in the WSDL (what errors report).
        soap_action: The binding's ``soapAction``; sent quoted, as SOAP 1.1 and ASP.NET want.
        response_tag: Qualified name (``{namespace}local``) of the element the Body of a
            successful answer holds.
    """

    name: str
    soap_action: str
    response_tag: str

    @property
    def headers(self) -> dict[str, str]:
        """The request headers of this operation."""
        return {"Content-Type": _CONTENT_TYPE, "SOAPAction": f'"{self.soap_action}"'}


@dataclass(frozen=True, slots=True)
class SoapService:
    """One SOAP endpoint: where requests go and how its answers are checked.

    Attributes:
        provider: Provider id, for errors.
        path: The endpoint's path below the client's base URL (from the WSDL's address).
        auth_failure_fa: Persian text for an HTTP 401, which no catalog covers.
    """

    provider: str
    path: str
    auth_failure_fa: str

    def request(self, operation: SoapOperation, body_element: str) -> HttpRequest:
        """Wrap one body element (already-escaped XML text) in an envelope and POST it."""
        content = (_ENVELOPE_START + body_element + _ENVELOPE_END).encode("utf-8")
        return HttpRequest(
            method="POST", path=self.path, headers=operation.headers, content=content
        )

    def parse(
        self,
        operation: SoapOperation,
        response: HttpResponse,
        reader: Callable[[etree._Element], T],
    ) -> T:
        """Check the answer and read the operation's response element with ``reader``.

        Raises:
            SoapFaultError: the Body holds a Fault (any HTTP status).
            AuthenticationError: HTTP 401 without a Fault.
            HttpStatusError: another status outside 2xx without a Fault.
            MalformedResponseError: a 2xx body that is not acceptable XML.
            ResponseValidationError: well-formed, but not the operation's response.
        """
        element = self.response_element(operation, response)
        try:
            return reader(element)
        except DocumentError as exc:
            raise self.invalid(operation, response, str(exc)) from exc

    def response_element(self, operation: SoapOperation, response: HttpResponse) -> etree._Element:
        """The element in the Body of a successful answer; see ``parse`` for what raises."""
        try:
            root = parse(response.content)
        except XmlRejected as exc:
            self._raise_for_status(operation, response)
            raise rejected(exc, self.provider, operation.name, response) from exc
        body = _body_of(root)
        payload = _single_child(body) if body is not None else None
        if payload is not None and payload.tag == _FAULT:
            raise self._fault(operation, response, payload)
        self._raise_for_status(operation, response)
        if body is None:
            raise self.invalid(operation, response, "not a SOAP 1.1 envelope with a Body")
        if payload is None or payload.tag != operation.response_tag:
            found = "nothing" if payload is None else f"<{payload.tag!s}>"
            raise self.invalid(
                operation,
                response,
                f"the Body holds {found}, not exactly one <{operation.response_tag}>",
            )
        return payload

    def check_code(
        self,
        operation: SoapOperation,
        response: HttpResponse,
        code: int,
        *,
        success: int,
        table: ResultCodeTable,
    ) -> None:
        """Raise the typed error of a result code the response element carries, unless it is
        ``success``.

        Raises:
            ApiError: a subclass per kind, from ``table`` (an undocumented code gives a plain
                ``ApiError``).
        """
        if code != success:
            raise api_error_for(
                provider=self.provider,
                operation=operation.name,
                code=code,
                table=table,
                server_message=None,
                http_status=response.status_code,
                raw=response.content,
            )

    def tunnelled(
        self,
        operation: SoapOperation,
        response: HttpResponse,
        text: str | None,
        loader: Callable[[str], T],
    ) -> T:
        """Read the document an answer carries as text, with ``loader`` (a codec's ``load_*``).

        Raises:
            MalformedResponseError: the text is not acceptable XML.
            ResponseValidationError: there is no text, or the document does not fit its schema.
        """
        if text is None:
            raise self.invalid(operation, response, "the answer carries no document")
        try:
            return loader(text)
        except XmlRejected as exc:
            raise rejected(
                exc, self.provider, operation.name, response, "the carried document: "
            ) from exc
        except DocumentError as exc:
            raise self.invalid(operation, response, str(exc)) from exc

    def invalid(
        self, operation: SoapOperation, response: HttpResponse, detail: str
    ) -> ResponseValidationError:
        """The error for an answer that is well-formed but does not fit the operation."""
        return ResponseValidationError(
            detail, provider=self.provider, operation=operation.name, raw=response.content
        )

    def _raise_for_status(self, operation: SoapOperation, response: HttpResponse) -> None:
        raise_for_status(
            response,
            provider=self.provider,
            operation=operation.name,
            auth_failure_fa=self.auth_failure_fa,
        )

    def _fault(
        self, operation: SoapOperation, response: HttpResponse, fault: etree._Element
    ) -> SoapFaultError:
        # SOAP 1.1 fault children are unqualified.
        parts: dict[str, str] = {}
        for child in fault:
            if isinstance(child.tag, str) and child.tag in _FAULT_PARTS:
                parts[child.tag] = "".join(child.itertext()).strip()
        return SoapFaultError(
            provider=self.provider,
            operation=operation.name,
            fault_code=parts.get("faultcode", ""),
            fault_string=parts.get("faultstring", ""),
            fault_actor=parts.get("faultactor") or None,
            detail=parts.get("detail") or None,
            http_status=response.status_code,
            raw=response.content,
        )


def rejected(
    exc: XmlRejected, provider: str, operation: str, response: HttpResponse, where: str = ""
) -> ProtocolError:
    """The error for XML that ``payamak_gen._runtime.xml`` refused: ``ResponseTooLargeError``
    for too much markup, ``MalformedResponseError`` for anything else."""
    if isinstance(exc, XmlTooLarge):
        return ResponseTooLargeError(
            f"{where}{exc}",
            provider=provider,
            operation=operation,
            raw=response.content,
            limit=MAX_MARKUP,
        )
    return MalformedResponseError(
        f"{where}{exc}", provider=provider, operation=operation, raw=response.content
    )


def _body_of(root: etree._Element) -> etree._Element | None:
    # An optional Header may precede the Body; nothing else may appear in the envelope.
    if root.tag != _ENVELOPE:
        return None
    children = [child for child in root if isinstance(child.tag, str)]
    if children and children[0].tag == _HEADER:
        children = children[1:]
    if len(children) != 1 or children[0].tag != _BODY:
        return None
    body = children[0]
    return body if _blank_between_children(body) else None


def _blank_between_children(element: etree._Element) -> bool:
    if element.text is not None and element.text.strip():
        return False
    return all(child.tail is None or not child.tail.strip() for child in element)


def _single_child(body: etree._Element) -> etree._Element | None:
    children = [child for child in body if isinstance(child.tag, str)]
    return children[0] if len(children) == 1 else None
