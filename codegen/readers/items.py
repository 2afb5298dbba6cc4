"""``urn:payamak:encoding`` on the children of a named complex type (the items of an
``ArrayOfX`` result) → ``ItemRecord``s: each such type becomes a generated class whose encoded
children hold their Python type (specs/README.md). Types without an encoded child stay as parsed.
"""

from __future__ import annotations

from lxml import etree

from ..ir import ItemField, ItemRecord
from ..models.xmlcodec import ClassPlan, CodecPlan
from ..naming import docstring_text, snake_case
from .xsd import XS, marks

__all__ = ["read_item_records"]

_NS = {"xs": XS}


def _doc(element: etree._Element) -> str:
    return docstring_text(element.findtext("xs:annotation/xs:documentation", "", _NS))


def _plan(codec: CodecPlan, name: str, where: str) -> ClassPlan:
    """The codec class generated for the complex type ``name`` (xsdata keeps its name)."""
    found = [c for c in codec.classes if c.ref.rsplit(".", 1)[-1] == name]
    if len(found) != 1:
        raise SystemExit(f"{where} {name}: an encoding on an item type that has no one class")
    return found[0]


def _record(complex_type: etree._Element, codec: CodecPlan, where: str) -> ItemRecord | None:
    name = str(complex_type.get("name"))
    children = {str(e.get("name")): e for e in complex_type.iter(f"{{{XS}}}element")}
    encodings = {local: marks(e).get("encoding", "") for local, e in children.items()}
    if not any(encodings.values()):
        return None
    plan = _plan(codec, name, where)
    if plan.attributes or plan.text or plan.mixed_attr:
        raise SystemExit(f"{where} {name}: encodings on an item type with attributes or text")
    fields = tuple(
        ItemField(
            attr=f.attr,
            wire_name=f.local,
            type_ref=f"list[{f.py_type}]" if f.many else f.py_type,
            doc=(_doc(children[f.local]) if f.local in children else "") or f"The {f.local}.",
            optional=not f.required and not f.many,
            many=f.many,
            encoding=encodings.get(f.local, ""),
        )
        for f in plan.elements
    )
    return ItemRecord(
        name=name,
        source_ref=plan.ref,
        convert=f"_{snake_case(name)}_item",
        doc=_doc(complex_type) or f"One {name}.",
        fields=fields,
    )


def read_item_records(
    trees: list[etree._ElementTree], codec: CodecPlan, where: str
) -> tuple[ItemRecord, ...]:
    """The item records of the named complex types of the WSDLs' schemas that have a child
    marked ``urn:payamak:encoding``, in spec order."""
    records = []
    for tree in trees:
        for complex_type in tree.getroot().iter(f"{{{XS}}}complexType"):
            if complex_type.get("name") is None:
                continue
            record = _record(complex_type, codec, where)
            if record is not None:
                records.append(record)
    return tuple(records)
