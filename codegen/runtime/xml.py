"""Strict XML for the SOAP providers: parsing that refuses DTDs, entities and network access,
escaping for documents written as strings, and value conversions that raise instead of guessing.

The generated codecs (``<provider>/codec.py``) write documents with ``escape_text`` and
``escape_attribute`` and read the elements that ``parse`` and ``parse_text`` return with
``simple_content`` and the ``to_*`` conversions. Three exceptions come out of the reading side,
all ``ValueError``: ``XmlRejected`` (not acceptable XML at all: malformed, truncated, a DOCTYPE),
its subclass ``XmlTooLarge`` (more markup than ``MAX_MARKUP``) and ``DocumentError``
(well-formed, but it does not fit the schema: numbers must be finite and at most
``MAX_INTEGER_DIGITS`` long). The SOAP runtime turns them into ``MalformedResponseError``,
``ResponseTooLargeError`` and ``ResponseValidationError`` with the raw body attached. The
writing side raises ``FieldError`` (a ``ValueError`` naming the field).

Parsing is bounded: libxml2 without ``huge_tree`` refuses nesting deeper than 256 and text
nodes over 10 MB, and ``parse`` refuses a document with more than ``MAX_MARKUP`` ``<`` before
libxml2 builds a node (an element flood costs about 200 bytes of memory per 4 bytes of input).
"""

import base64
import binascii
import math
import re
from collections.abc import Mapping
from typing import Final, TypeVar

from lxml import etree

from .errors import FieldError

__all__ = [
    "MAX_INTEGER_DIGITS",
    "MAX_MARKUP",
    "XSI_NIL",
    "DocumentError",
    "XmlRejected",
    "XmlTooLarge",
    "base64_text",
    "collapse",
    "double_text",
    "escape_attribute",
    "escape_text",
    "is_nil",
    "no_text",
    "parse",
    "parse_text",
    "simple_content",
    "to_bool",
    "to_bytes",
    "to_double",
    "to_enum",
    "to_int",
]


E = TypeVar("E")


class XmlRejected(ValueError):
    """The bytes are not acceptable XML: malformed, truncated, or carrying a DOCTYPE."""


class XmlTooLarge(XmlRejected):
    """The document has more markup than ``MAX_MARKUP``: refused before it is parsed."""


class DocumentError(ValueError):
    """Well-formed XML that does not fit the schema: an unknown or repeated element, a missing
    required one, or a value that does not convert to its type."""


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL: Final = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPECIAL: Final = re.compile(
    '[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]'
)
_DOCTYPE: Final = b"<!DOCTYPE"
_XML_SPACE: Final = " \t\r\n"
_XML_SPACES: Final = re.compile("[ \t\r\n]+")

MAX_INTEGER_DIGITS: Final = 64
"""The longest integer read from a document (converting longer ones costs quadratic time, and
Python refuses past 4,300 digits with a plain ``ValueError``)."""

_INTEGER: Final = re.compile(rf"[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}")

MAX_MARKUP: Final = 250_000
"""The most ``<`` a document may hold (each element needs one or two): a status answer listing
50,000 recipients has about 100,000; a flood of 4 MB of ``<a/>`` would have a million."""


def _refuse_invalid(value: str, where: str) -> None:
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise FieldError(
            where,
            f"contains U+{ord(bad.group()):04X}, which XML 1.0 cannot carry "
            f"(at index {bad.start()})",
        )


def escape_text(value: str, where: str) -> str:
    """Escape ``value`` as element content; ``where`` names it in the error.

    ``\\r`` is written as a character reference so that it survives XML's line-end
    normalisation.

    Raises:
        FieldError: the value is not a str, or holds a character XML 1.0 cannot carry (e.g.
            U+0000).
    """
    if not isinstance(value, str):
        raise FieldError(where, f"expected str, got {type(value).__name__}")
    if _TEXT_SPECIAL.search(value) is None:
        return value
    _refuse_invalid(value, where)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(value: str, where: str) -> str:
    """Escape ``value`` for a double-quoted attribute; tabs and line ends become references so
    that attribute-value normalisation does not turn them into spaces.

    Raises:
        FieldError: the value is not a str, or holds a character XML 1.0 cannot carry (e.g.
            U+0000).
    """
    if not isinstance(value, str):
        raise FieldError(where, f"expected str, got {type(value).__name__}")
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    _refuse_invalid(value, where)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _parser(*, encoding: str | None = None) -> etree.XMLParser:
    # A parser is cheap (about 1 µs) and not safe to share between threads: one per document.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        encoding=encoding,
    )


def _check_no_doctype(root: etree._Element) -> etree._Element:
    # The byte scan before parsing misses a DOCTYPE in UTF-16 and other encodings; the parsed
    # tree does not.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlRejected("document has a DOCTYPE; DTDs and entities are refused")
    return root


def _bound_markup(count: int) -> None:
    # Counting is a memchr-speed scan; building the tree of a flood is ~50x the input in memory.
    if count > MAX_MARKUP:
        raise XmlTooLarge(f"document has {count} '<', more than the {MAX_MARKUP} allowed")


def parse(content: bytes) -> etree._Element:
    """Parse a whole document strictly and return its root element.

    No DTD is loaded, no entity is expanded, nothing is fetched from the network, and any
    DOCTYPE is refused outright, so XXE and entity-expansion payloads fail before they can do
    anything. Truncated or malformed input fails as well; nothing is recovered.

    Raises:
        XmlRejected: the content is not acceptable XML.
    """
    # Refusing before libxml2 even reads the internal subset is cheaper and safer than after.
    if _DOCTYPE in content:
        raise XmlRejected("document has a DOCTYPE; DTDs and entities are refused")
    _bound_markup(content.count(b"<"))
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(f"not well-formed XML: {exc}") from exc
    return _check_no_doctype(root)


def parse_text(text: str) -> etree._Element:
    """Parse a document that arrived as text (e.g. inside another document), strictly.

    The text is already decoded, so an encoding named in its XML declaration is ignored, and
    leading whitespace or a byte-order mark before the declaration is dropped.

    Raises:
        XmlRejected: the text is not acceptable XML.
    """
    _bound_markup(text.count("<"))
    content = text.lstrip(_XML_SPACE + "\ufeff").encode("utf-8", errors="surrogatepass")
    if _DOCTYPE in content:
        raise XmlRejected("document has a DOCTYPE; DTDs and entities are refused")
    try:
        root = etree.fromstring(content, _parser(encoding="utf-8"))
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(f"not well-formed XML: {exc}") from exc
    return _check_no_doctype(root)


def simple_content(element: etree._Element, where: str) -> str:
    """The text of an element that may hold only text (comments and processing instructions
    inside it are skipped, their tails kept).

    Raises:
        DocumentError: the element has a child element.
    """
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            raise DocumentError(f"{where}: unexpected child element <{child.tag}> in text content")
        parts.append(child.tail or "")
    return "".join(parts)


def no_text(element: etree._Element, where: str) -> None:
    """Check that an element meant to hold only elements has no text between them.

    Raises:
        DocumentError: non-whitespace text appears in the element.
    """
    if element.text is not None and element.text.strip(_XML_SPACE):
        raise DocumentError(f"{where}: unexpected text {element.text!r}")
    for child in element:
        if child.tail is not None and child.tail.strip(_XML_SPACE):
            raise DocumentError(f"{where}: unexpected text {child.tail!r}")


def collapse(value: str) -> str:
    """XML Schema whitespace collapse, how tokens and enumerations compare: runs of spaces,
    tabs and line ends become one space, and none is left at either end."""
    return _XML_SPACES.sub(" ", value).strip(" ")


def _number(value: str, pattern: re.Pattern[str], kind: str, where: str) -> str:
    stripped = value.strip(_XML_SPACE)
    if pattern.fullmatch(stripped) is None:
        shown = repr(value) if len(value) <= 40 else repr(value[:40]) + f"… ({len(value)} chars)"
        raise DocumentError(f"{where}: {shown} is not {kind}")
    return stripped


def to_int(value: str, where: str) -> int:
    """Convert an XML Schema integer (ASCII digits, optional sign, surrounding whitespace).

    Unlike ``int()``, this refuses an empty string, underscores, non-ASCII digits and more
    than ``MAX_INTEGER_DIGITS`` digits.

    Raises:
        DocumentError: the value is not such an integer.
    """
    return int(_number(value, _INTEGER, "an integer", where))


# XML Schema's double lexical space: decimal or exponent notation, or one of its three specials.
_DOUBLE: Final = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|\+INF|NaN")
_DOUBLE_SPECIALS: Final = {math.inf: "INF", -math.inf: "-INF"}

XSI_NIL: Final = "{http://www.w3.org/2001/XMLSchema-instance}nil"
"""The ``xsi:nil`` attribute as lxml names it."""


def to_double(value: str, where: str) -> float:
    """Convert an XML Schema double (``1.5``, ``-2E3``) that is finite.

    XML Schema also allows ``INF``, ``-INF`` and ``NaN``; no provider means them as an amount or
    a price, so they are refused, as is a literal that overflows (``1E999``). Unlike
    ``float()``, this refuses ``inf``, ``nan``, underscores and non-ASCII digits.

    Raises:
        DocumentError: the value is not a finite double.
    """
    number = float(_number(value, _DOUBLE, "a double", where))
    if not math.isfinite(number):
        raise DocumentError(f"{where}: {value.strip(_XML_SPACE)[:20]!r} is not a finite number")
    return number


def double_text(value: float) -> str:
    """A float in XML Schema's double lexical form (``repr`` for finite values, so it reads back
    exactly)."""
    if math.isnan(value):
        return "NaN"
    return _DOUBLE_SPECIALS.get(value) or repr(value)


def to_bytes(value: str, where: str) -> bytes:
    """Decode an XML Schema base64Binary value (whitespace inside is allowed, as in the schema).

    Raises:
        DocumentError: the value is not base64.
    """
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except binascii.Error as exc:
        raise DocumentError(f"{where}: not base64 ({exc})") from None


def base64_text(value: bytes) -> str:
    """Bytes as an XML Schema base64Binary value."""
    return base64.b64encode(value).decode("ascii")


def is_nil(element: etree._Element) -> bool:
    """Whether an element is marked ``xsi:nil="true"`` (its value is absent, by the schema)."""
    return element.get(XSI_NIL) in ("true", "1")


def to_bool(value: str, where: str) -> bool:
    """Convert an XML Schema boolean: ``true``, ``false``, ``1`` or ``0``.

    Raises:
        DocumentError: the value is not a boolean.
    """
    stripped = value.strip(_XML_SPACE)
    if stripped in ("true", "1"):
        return True
    if stripped in ("false", "0"):
        return False
    raise DocumentError(f"{where}: {value!r:.60} is not a boolean (true, false, 1 or 0)")


def to_enum(table: Mapping[str, E], value: str, where: str) -> E:
    """Convert an enumeration value (compared after whitespace collapse, as for tokens).

    Raises:
        DocumentError: the value is not one of the enumeration's.
    """
    member = table.get(collapse(value))
    if member is None:
        raise DocumentError(f"{where}: {value!r:.60} is not one of {sorted(table)}")
    return member
