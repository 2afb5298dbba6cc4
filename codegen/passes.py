"""Passes over the IR, run between the readers and the templates.

Each pass takes a ``Provider`` and returns a new one (the IR is immutable), so the order in
which they run is visible in ``run_passes`` and each can be tested alone.
"""

from __future__ import annotations

import dataclasses
import keyword

from .ir import Field, Operation, Provider
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
    return dataclasses.replace(
        operation,
        python_name=_python_name(operation.python_name, operation.name, where),
        params=params,
    )


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


# Wire encodings whose values reach Python as another type: encoding → (annotation, the runtime
# function of payamak_gen._runtime.times that makes the wire value).
ENCODINGS = {"unix-seconds": ("datetime", "to_unix_seconds")}


def _encode_field(field: Field) -> Field:
    if field.encoding not in ENCODINGS:
        return field
    type_ref, to_wire = ENCODINGS[field.encoding]
    return dataclasses.replace(field, type_ref=type_ref, to_wire=to_wire)


def map_encodings(provider: Provider) -> Provider:
    """Give inputs whose wire encoding has a better Python type that type, and the conversion.

    Times are the case today: a unix timestamp on the wire is an aware ``datetime`` in Python,
    as it is for every provider whatever its wire format.
    """
    operations = tuple(
        dataclasses.replace(op, params=tuple(_encode_field(f) for f in op.params))
        for op in provider.operations
    )
    return dataclasses.replace(provider, operations=operations)


def run_passes(provider: Provider) -> Provider:
    """Every pass, in order."""
    return map_encodings(name_everything(provider))
