"""``urn:payamak:record`` and the structured ``urn:payamak:*`` appinfo: the value types tunnelled
actions take or return beyond plain values, declared once in an XSD's own annotation as
``p:record`` elements (namespace ``urn:payamak``; ``specs/README.md``), and the XSD type names
such values are written with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..ir import Record, RecordField
from ..naming import docstring_text
from .xsd import XS

P = "urn:payamak"
NS = {"p": P, "xs": XS}
APPINFO = f"{{{XS}}}annotation/{{{XS}}}appinfo"

# Record field and result types: the XSD type a value has once read, as Python sees it.
SIMPLE = {
    "xs:string": "str",
    "xs:token": "str",
    "xs:int": "int",
    "xs:long": "int",
    "xs:boolean": "bool",
    "xs:dateTime": "datetime",
}
# Encodings whose values are a code table's entry (errors.yaml), by the table's constant.
CODE_TABLES = {"delivery-code": "DELIVERY_CODES", "group-status-code": "GROUP_STATUS_CODES"}


def structured(node: etree._Element, name: str) -> list[etree._Element]:
    """The ``p:*`` element inside each ``urn:payamak:<name>`` appinfo directly on ``node``."""
    found = []
    for appinfo in node.findall(APPINFO):
        if appinfo.get("source") == f"{P}:{name}":
            found += [child for child in appinfo if isinstance(child.tag, str)]
    return found


def fail(where: str, problem: str) -> SystemExit:
    return SystemExit(f"{where}: {problem}")


@dataclass(frozen=True)
class ValueType:
    """A value's type once read: a simple kind, a code table's entry, or a record."""

    kind: str  # str, token, int, bool, datetime, code, record
    table: str = ""
    record: str = ""
    optional: bool = False
    many: bool = False


def value_type(text: str, optional: bool, many: bool, records: set[str], where: str) -> ValueType:
    if text in CODE_TABLES:
        return ValueType("code", table=CODE_TABLES[text], optional=optional, many=many)
    if text in records:
        return ValueType("record", record=text, optional=optional, many=many)
    if text in SIMPLE:
        kind = "token" if text == "xs:token" else SIMPLE[text]
        return ValueType(kind, optional=optional, many=many)
    raise fail(where, f"unknown type {text!r}")


def annotation(t: ValueType, record_prefix: str) -> str:
    if t.kind == "record":
        one = f"{record_prefix}{t.record}"
    elif t.kind == "code":
        one = "StatusCode"
    else:
        one = "str" if t.kind == "token" else t.kind
    if t.many:
        return f"tuple[{one}, ...]"
    return f"{one} | None" if t.optional else one


def flag(node: etree._Element, name: str) -> bool:
    return node.get(name, "false") == "true"


@dataclass
class Records:
    records: list[Record] = field(default_factory=list)
    types: dict[str, dict[str, ValueType]] = field(default_factory=dict)


def read_records(schema: etree._Element, where: str) -> Records:
    """The ``p:record`` declarations of an XSD's own annotation."""
    nodes = structured(schema, "record")
    names = {str(node.get("name")) for node in nodes}
    found = Records()
    for node in nodes:
        name = str(node.get("name"))
        types: dict[str, ValueType] = {}
        fields = []
        for f in node.findall("p:field", NS):
            field_name = str(f.get("name"))
            t = value_type(str(f.get("type")), flag(f, "optional"), flag(f, "many"), names, where)
            types[field_name] = t
            fields.append(
                RecordField(
                    name=field_name,
                    type_ref=annotation(t, ""),
                    doc=docstring_text(f.get("doc", "")),
                    code=t.kind == "code",
                )
            )
        found.types[name] = types
        found.records.append(
            Record(
                name=name, doc=docstring_text(node.findtext("p:doc", "", NS)), fields=tuple(fields)
            )
        )
    return found
