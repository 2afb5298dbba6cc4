"""Helpers of tunnelled actions that are variants of one shared document (``urn:payamak:variant``).

The generated ``build_*`` functions fill the shared request document along the paths the spec
gives (creating the elements on the way), and the ``parse_*`` functions read the result out of the
response document the same way; both are written out per action by the generator and call these
few helpers for what every path needs: an element created on first use, list inputs checked, a
mixed-content body split into its parts, and absent values reported with the path that lacks
them. The document's own result code is checked before the document is read
(``read_document``), so an error answer in a shape the schema does not foresee still raises its
typed error.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Final, TypeVar

from lxml import etree

from .catalog import ResultCodeTable
from .errors import ApiError, ResponseValidationError, api_error_for
from .http import HttpResponse
from .soap import SoapOperation, SoapService, rejected
from .xml import MAX_INTEGER_DIGITS, DocumentError, XmlRejected, parse_text, to_bool

__all__ = [
    "DocumentCode",
    "child",
    "ensure",
    "items",
    "minimum",
    "one",
    "only",
    "ordered",
    "read_document",
    "reading",
    "required",
    "text_only",
    "token",
    "truth",
]

T = TypeVar("T")
D = TypeVar("D")

# The code is the first number in the element's text: the manual says the element carries "the
# code and its description", in a shape no public client confirms.
_CODE_DIGITS: Final = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class DocumentCode:
    """Where a response document carries a failure's result code.

    Attributes:
        root: The document's root tag.
        element: The child holding the code, present only on failure.
        message: The child holding the provider's text for it, if the spec names one.
        table: The code table (errors.yaml).
    """

    root: str
    element: str
    message: str | None
    table: ResultCodeTable


def ensure(parent: object, attr: str, make: Callable[[], T]) -> T:
    """The child element ``attr`` of ``parent``, created (empty) on first use."""
    child = getattr(parent, attr)
    if child is None:
        child = make()
        setattr(parent, attr, child)
    return child  # type: ignore[no-any-return]


def child(value: T | None, where: str, name: str) -> T:
    """A child element the action's result needs, which the schema leaves optional.

    Raises:
        DocumentError: it is absent.
    """
    if value is None:
        raise DocumentError(f"{where} has no {name}")
    return value


def items(values: Sequence[T], name: str, at_least: int = 0) -> Sequence[T]:
    """A list input, checked: a sequence of values (not one string), with ``at_least`` items.

    Raises:
        TypeError: ``values`` is a string (one number would become one item per digit).
        ValueError: fewer than ``at_least`` items.
    """
    if isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of values, not one string")
    if len(values) < at_least:
        raise ValueError(f"{name} must not be empty")
    return values


def minimum(value: int, name: str, least: int) -> int:
    """A number input that must be ``least`` or more (the schema says so; the codec cannot).

    Raises:
        ValueError: it is smaller.
    """
    if value < least:
        raise ValueError(f"{name} must be {least} or more, got {value}")
    return value


def ordered(first: datetime, first_name: str, second: datetime, second_name: str) -> None:
    """Two date-time inputs that bound a period.

    Raises:
        ValueError: ``first`` is after ``second``.
    """
    if first > second:
        raise ValueError(
            f"{first_name} ({first.isoformat()}) is after {second_name} ({second.isoformat()})"
        )


def required(value: T | None, where: str) -> T:
    """A value the action's result needs, which the schema leaves optional.

    Raises:
        DocumentError: it is absent.
    """
    if value is None:
        raise DocumentError(f"{where} is missing")
    return value


def only(parts: Sequence[object], kind: type[T], where: str, name: str) -> list[T]:
    """The parts of a mixed-content element, all of which must be ``name`` elements."""
    found: list[T] = []
    for part in parts:
        if not isinstance(part, kind):
            raise DocumentError(f"{where}: expected {name} elements, found {part!r}")
        found.append(part)
    return found


def one(parts: Sequence[object], kind: type[T], where: str, name: str) -> T:
    """The one part of a mixed-content element, which must be a ``name`` element."""
    if len(parts) != 1 or not isinstance(parts[0], kind):
        raise DocumentError(f"{where}: expected exactly one {name}")
    return parts[0]


def text_only(parts: Sequence[object], where: str) -> str:
    """The text of a mixed-content element that must hold no element."""
    if not all(isinstance(part, str) for part in parts):
        raise DocumentError(f"{where}: expected text only, found elements")
    return "".join(str(part) for part in parts)


def token(value: str, where: str) -> str:
    """A required ``xs:token``: the text without surrounding whitespace, not empty."""
    value = value.strip()
    if not value:
        raise DocumentError(f"{where} is empty")
    return value


def truth(value: str, where: str) -> bool:
    """An ``xs:boolean`` read case-insensitively and trimmed (.NET writes ``True``)."""
    return to_bool(value.strip().lower(), where)


@contextmanager
def reading(
    service: SoapService, operation: SoapOperation, response: HttpResponse, where: str
) -> Iterator[None]:
    """Turn a value that does not fit the action (``DocumentError``, or another ``ValueError``
    of a conversion) into ``ResponseValidationError``; ``where`` is the carrier's result."""
    try:
        yield
    except ValueError as exc:
        raise service.invalid(operation, response, f"{where}: {exc}") from exc


def read_document(
    service: SoapService,
    operation: SoapOperation,
    response: HttpResponse,
    text: str | None,
    where: str,
    reader: Callable[[etree._Element], D],
    code: DocumentCode | None,
) -> D:
    """Read the response document the carrier's answer holds as text, after its result code.

    Args:
        service: The carrier's endpoint.
        operation: The action, which errors name.
        response: The carrier's HTTP answer.
        text: The carrier's result: the document as text.
        where: The carrier's result field, which error messages name.
        reader: The codec's ``read_*`` function of the response root.
        code: Where a failure's code is, if the document carries one.

    Raises:
        ApiError: the document carries a result code (a subclass per kind).
        MalformedResponseError: the text is not acceptable XML.
        ResponseValidationError: there is no text, or the document does not fit its schema.
    """
    if text is None:
        raise service.invalid(operation, response, f"{where}: the answer carries no document")
    try:
        root = parse_text(text)
    except XmlRejected as exc:
        # ResponseTooLargeError for a markup flood, MalformedResponseError for the rest.
        raise rejected(
            exc, service.provider, operation.name, response, f"{where}: the carried document: "
        ) from exc
    if code is not None and root.tag == code.root:
        found = root.find(code.element)
        if found is not None:
            raise _code_error(service, operation, response, root, found, code)
    try:
        return reader(root)
    except DocumentError as exc:
        raise service.invalid(operation, response, f"{where}: {exc}") from exc


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _code_error(
    service: SoapService,
    operation: SoapOperation,
    response: HttpResponse,
    root: etree._Element,
    found: etree._Element,
    code: DocumentCode,
) -> ApiError | ResponseValidationError:
    text = _text(found)
    digits = _CODE_DIGITS.search(text)
    # A code of thousands of digits is no code (and int() refuses past 4,300 with a ValueError).
    if digits is None or len(digits.group()) > MAX_INTEGER_DIGITS:
        return service.invalid(
            operation, response, f"{code.root}/{code.element} {text[:40]!r} holds no result code"
        )
    message = root.find(code.message) if code.message is not None else None
    server_message = _text(message) if message is not None else text
    return api_error_for(
        provider=service.provider,
        operation=operation.name,
        code=int(digits.group()),
        table=code.table,
        server_message=server_message if server_message != digits.group() else None,
        http_status=response.status_code,
        raw=response.content,
    )
