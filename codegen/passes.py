"""Passes over the IR, run between the readers and the templates.

Each pass takes a ``Provider`` and returns a new one (the IR is immutable), so the order in
which they run is visible in ``run_passes`` and each can be tested alone.
"""

from __future__ import annotations

import dataclasses
import keyword

from .ir import (
    BodyCredentials,
    Field,
    ItemRecord,
    Operation,
    Provider,
    Result,
    ResultPart,
    Wrapper,
)
from .naming import snake_case


def _python_name(chosen: str, wire_name: str, where: str) -> str:
    name = chosen or snake_case(wire_name)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise SystemExit(f"{where}: {name!r} is not a usable Python name; rename it in the spec")
    return name


def _name_field(field: Field, where: str) -> Field:
    name = _python_name(field.python_name, field.wire_name, f"{where} {field.wire_name}")
    return dataclasses.replace(field, python_name=name)


def _name_operation(operation: Operation, where: str) -> Operation:
    where = f"{where} {operation.name}"
    params = tuple(_name_field(field, where) for field in operation.params)
    _unique([field.python_name for field in params], where)
    params = tuple(_same_length(field, params, where) for field in params)
    return dataclasses.replace(
        operation,
        python_name=_python_name(operation.python_name, operation.name, where),
        params=params,
    )


def _same_length(field: Field, params: tuple[Field, ...], where: str) -> Field:
    """Name the input a ``urn:payamak:same-length`` mark points at (by its wire name)."""
    if not field.same_length_as:
        return field
    other = next((p for p in params if p.wire_name == field.same_length_as), None)
    if other is None or other is field:
        raise SystemExit(
            f"{where} {field.wire_name}: urn:payamak:same-length names no other input "
            f"{field.same_length_as!r}"
        )
    return dataclasses.replace(field, same_length_as=other.python_name)


def _unique(names: list[str], where: str) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise SystemExit(
            f"{where}: several inputs would be named {repeated}; rename one in the spec"
        )


def name_everything(provider: Provider) -> Provider:
    """Give every operation and field its Python name: the spec's rename where it has one
    (``x-payamak-name``, ``urn:payamak:name``), else the snake case of the wire name.

    Two operations, or two inputs of one operation, with the same Python name stop generation.
    """
    operations = tuple(_name_operation(op, provider.id) for op in provider.operations)
    _unique([op.python_name for op in operations], provider.id)
    return dataclasses.replace(provider, operations=operations)


# Wire encodings whose values are another type in Python: encoding → the annotation callers
# see. The model back end gives the models the runtime type that converts (models/datamodel.py).
ENCODINGS = {"tehran-time": "datetime", "unix-seconds": "datetime"}


def _encode_field(field: Field) -> Field:
    if field.encoding not in ENCODINGS:
        return field
    # An optional input keeps its None: only the type of a value changes.
    optional = field.type_ref.endswith(" | None")
    type_ref = ENCODINGS[field.encoding] + (" | None" if optional else "")
    return dataclasses.replace(field, type_ref=type_ref)


# Encodings of SOAP results (urn:payamak:encoding on a response child): encoding → (the type
# the codec reads, the type callers get). The templates convert with the runtime's functions.
RESULT_ENCODINGS = {
    "delivery-code": ("int", "StatusCode"),
    "result-code": ("int", "ResultCode"),
    "rials": ("float", "int"),
    "sent-flags": ("bytes", "list[bool]"),
    "unix-seconds": ("int", "datetime"),
}


def _encode_result_type(encoding: str, type_ref: str, where: str, *, many: bool = False) -> str:
    if not encoding:
        return type_ref
    if encoding not in RESULT_ENCODINGS:
        raise SystemExit(f"{where}: unknown urn:payamak:encoding {encoding!r}")
    wire, python = RESULT_ENCODINGS[encoding]
    if many:  # an ArrayOfX result: the encoding is each item's
        wire, python = f"list[{wire}]", f"list[{python}]"
    if type_ref != wire:
        raise SystemExit(f"{where}: urn:payamak:encoding {encoding} needs {wire}, not {type_ref}")
    return python


def _encode_result(result: Result, where: str) -> Result:
    parts = tuple(
        dataclasses.replace(
            p,
            type_ref=_encode_result_type(
                p.encoding, p.type_ref, f"{where} {p.wire_name}", many=p.wrapper is not None
            ),
        )
        for p in result.parts
    )
    names = ["code", *(p.python_name for p in parts)]
    _unique(names, where)
    type_ref = _encode_result_type(
        result.encoding, result.type_ref, where, many=result.wrapper is not None
    )
    return dataclasses.replace(result, type_ref=type_ref, parts=parts)


def _encode_item_record(record: ItemRecord, where: str) -> ItemRecord:
    fields = tuple(
        dataclasses.replace(
            f,
            type_ref=_encode_result_type(
                f.encoding, f.type_ref, f"{where} {record.name} {f.wire_name}", many=f.many
            ),
        )
        for f in record.fields
    )
    return dataclasses.replace(record, fields=fields)


def map_encodings(provider: Provider) -> Provider:
    """Give inputs and results whose wire encoding has a better Python type that type.

    A unix timestamp on the wire is an aware ``datetime``, money an ``int`` of rials, a delivery
    code its catalog entry: one type per concept for every provider whatever its wire format.
    The children of list items (item records) are converted the same way.
    """
    operations = tuple(
        dataclasses.replace(
            op,
            params=tuple(_encode_field(f) for f in op.params),
            result=_encode_result(op.result, f"{provider.id} {op.name}"),
        )
        for op in provider.operations
    )
    item_records = tuple(_encode_item_record(r, provider.id) for r in provider.item_records)
    return dataclasses.replace(provider, operations=operations, item_records=item_records)


def _wrappers(provider: Provider) -> dict[str, Wrapper]:
    """The classes of the codec that are ``ArrayOfX`` wrappers, by how the package names them:
    no attributes or text, and exactly one child, a repeated element (``<string>``, or a complex
    one such as ASMX's ``ArrayOfMessage`` of ``<Message>``)."""
    records = {r.source_ref: r for r in provider.item_records}
    found: dict[str, Wrapper] = {}
    for plan in provider.xml.codec.classes if provider.xml else ():
        if plan.attributes or plan.text or plan.mixed_attr or len(plan.elements) != 1:
            continue
        (item,) = plan.elements
        if not item.many:
            continue
        record = records.get(item.py_type)
        found[plan.ref] = Wrapper(
            ref=plan.ref,
            item_attr=item.attr,
            # Items of a type with encoded children are its record, converted one by one.
            item_type=record.name if record else item.py_type,
            convert=record.convert if record else "",
        )
    return found


def flatten_wrappers(provider: Provider) -> Provider:
    """Turn ``ArrayOfX`` wrapper inputs and results into plain lists.

    ASMX services wrap every array in an element holding one repeated child (``<to><string>…``);
    Python callers pass and get ``list[str]``, and the generated code builds and unwraps the
    wrapper class.
    """
    wrappers = _wrappers(provider)

    def field(f: Field) -> Field:
        wrapper = wrappers.get(f.type_ref)
        if (f.max_distinct or f.same_length_as) and not (wrapper or f.type_ref.startswith("list[")):
            raise SystemExit(f"{provider.id} {f.wire_name}: a list limit on an input, not a list")
        if wrapper is None:
            return f
        if wrapper.convert:
            raise SystemExit(f"{provider.id} {f.wire_name}: encodings on items of an input")
        return dataclasses.replace(f, type_ref=f"list[{wrapper.item_type}]", wrapper=wrapper)

    def part(p: ResultPart) -> ResultPart:
        wrapper = wrappers.get(p.type_ref)
        if wrapper is None:
            return p
        return dataclasses.replace(p, type_ref=f"list[{wrapper.item_type}]", wrapper=wrapper)

    def result(r: Result) -> Result:
        r = dataclasses.replace(r, parts=tuple(part(p) for p in r.parts))
        wrapper = wrappers.get(r.type_ref) if r.attr is not None else None
        if wrapper is None:
            return r
        return dataclasses.replace(r, type_ref=f"list[{wrapper.item_type}]", wrapper=wrapper)

    operations = tuple(
        dataclasses.replace(op, params=tuple(field(f) for f in op.params), result=result(op.result))
        for op in provider.operations
    )
    return dataclasses.replace(provider, operations=operations)


def credentials_to_constructor(provider: Provider) -> Provider:
    """Record the credential inputs, which clients take once in their constructor.

    The operations keep them as inputs (the sans-IO ``build_*`` functions need them); the
    client passes its own. Every credential must have one Python name and type everywhere.
    """
    credentials: dict[str, str] = {}
    for op in provider.operations:
        for f in op.params:
            if not f.credential:
                continue
            if credentials.setdefault(f.python_name, f.type_ref) != f.type_ref:
                raise SystemExit(
                    f"{provider.id} {op.name}: credential {f.python_name} changes type"
                )
            if f.wrapper is not None:
                raise SystemExit(f"{provider.id} {op.name}: credential {f.python_name} is a list")
    if not credentials:
        return provider
    if not isinstance(provider.auth, BodyCredentials):
        raise SystemExit(f"{provider.id}: credential inputs, but auth is not body-credentials")
    auth = dataclasses.replace(provider.auth, fields=tuple(credentials))
    return dataclasses.replace(provider, auth=auth)


def run_passes(provider: Provider) -> Provider:
    """Every pass, in order: names first (later passes and errors speak of Python names);
    wrappers before encodings, so that an encoding on an ``ArrayOfX`` result is each item's."""
    provider = name_everything(provider)
    provider = flatten_wrappers(provider)
    provider = map_encodings(provider)
    return credentials_to_constructor(provider)
