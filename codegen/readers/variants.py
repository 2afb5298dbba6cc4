"""``urn:payamak:variant`` → IR: tunnelled actions that all share one
request document, told apart by fixed values in it (trez_xml's ``xmlrequest``: ``action`` and
``type``).

Each variant is an ``xs:appinfo`` on the shared request root holding one ``p:variant`` element
(namespace ``urn:payamak``; ``specs/README.md`` has the grammar): fixed values (``p:set``), the
caller's inputs (``p:input``) and the result (``p:result``), each at a path into the document
(``body/recipient/@mobile``; ``docpaths.py``), with the value types of ``records.py``.

Paths are resolved here against the codec plan, so a path that names no element, a value of the
wrong type or an unknown record stops generation; what is left is attribute access, element
creation and a conversion, written out as Python into the IR (``ir.Variant``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..ir import DocumentCode, Field, Operation, Result, SoapDocLit, Tunnel, Variant
from ..models.xmlcodec import ClassPlan, CodecPlan
from ..models.xmlcodec import Field as CodecField
from ..naming import docstring_text, first_sentence
from .docpaths import DocPaths, Items, Leaf
from .records import NS, P, Records, ValueType, annotation, fail, flag, structured, value_type
from .xsd import XS, marks

_JALALI = "jalali-tehran"
# Names the generated build_* functions use for their own variables.
_RESERVED = {"document", "element", "item", "response"}


@dataclass
class _Code:
    """Python being written for one variant: the imports it needs, beside the text."""

    imports: set[str] = field(default_factory=set)
    depth: int = 0

    def item(self) -> str:
        # A name per nesting level, so that a list inside a list item does not shadow it.
        self.depth += 1
        return "item" if self.depth == 1 else f"item{self.depth}"


class _Reader:
    """One variant: its inputs and build statements, then its result expression."""

    def __init__(
        self, paths: DocPaths, records: Records, request: ClassPlan, response: ClassPlan
    ) -> None:
        self.paths = paths
        self.records = records
        self.request = request
        self.response = response
        self.code = _Code(imports={"from payamak_gen._runtime import tunnel"})
        self.lines: list[str] = []
        self.params: list[Field] = []

    # ------------------------------------------------------------------ request

    def put(self, holder: str, attr: str, value: str, indent: int = 0) -> None:
        self.lines.append(f"{'    ' * indent}{holder}.{attr} = {value}")

    def fixed(
        self, node: etree._Element, plan: ClassPlan, base: str, spec: str, indent: int
    ) -> None:
        target = self.paths.write(plan, base, str(node.get("path")), spec)
        if len(target) != 3:
            raise fail(spec, "a fixed value must go to a single value")
        holder, attr, value = target
        self.put(holder, attr, self.paths.literal(value, node.text or "", spec), indent)

    def credential(self, element: CodecField, xsd_element: etree._Element) -> None:
        element_marks = marks(xsd_element)
        assert element.value is not None
        self.params.append(
            Field(
                wire_name=element.local,
                python_name=element_marks.get("name", element.local),
                model_attr=element.attr,
                type_ref=element.value.py_type,
                encoding=str(xsd_element.get("type", "")),
                required=True,
                secret="secret" in element_marks,
                doc=docstring_text(xsd_element.findtext("xs:annotation/xs:documentation", "", NS)),
                credential=True,
            )
        )
        self.put("document", element.attr, element_marks.get("name", element.local))

    def scalar(self, node: etree._Element, name: str, spec: str) -> None:
        target = self.paths.write(self.request, "document", str(node.get("path")), spec)
        if len(target) != 3:
            raise fail(spec, f"{name} goes to repeated elements: mark it many")
        holder, attr, value = target
        encoding = node.get("encoding", "")
        optional, default = flag(node, "optional"), node.get("default")
        type_ref = value.py_type
        expr = name
        if encoding == _JALALI:
            type_ref, expr = "datetime", f"to_jalali({name}, name={name!r})"
            self.code.imports |= {"from datetime import datetime", _import("jalali", "to_jalali")}
        elif encoding:
            raise fail(spec, f"unknown encoding {encoding!r}")
        if node.get("min") is not None:
            expr = f"tunnel.minimum({expr}, {name!r}, {int(str(node.get('min')))})"
        if optional:
            self.lines.append(f"if {name} is not None:")
            self.put(holder, attr, expr, 1)
        else:
            self.put(holder, attr, expr)
        default_literal = None if default is None else self.paths.literal(value, default, spec)
        self.param(node, name, type_ref, not optional and default is None, default_literal)

    def many(self, node: etree._Element, name: str, spec: str) -> None:
        target = self.paths.write(self.request, "document", str(node.get("path")), spec)
        if len(target) != 4:
            raise fail(spec, f"{name} is many, but its path has no repeated element")
        holder, attr, item_plan, rest = target
        record = node.get("record")
        at_least = int(node.get("min", "0"))
        self.lines.append(f"for item in tunnel.items({name}, {name!r}, {at_least}):")
        self.lines.append(f"    element = {item_plan.ref}()")
        if record is not None:
            if record not in self.records.types:
                raise fail(spec, f"unknown record {record}")
            item_type = f"results.{record}"
            self.code.imports.add("from . import results")
            for m in node.findall("p:map", NS):
                item = self.paths.write(item_plan, "element", str(m.get("path")), spec)
                if len(item) != 3:
                    raise fail(spec, f"{name}: a record field must go to a single value")
                self.put(item[0], item[1], f"item.{m.get('field')}", 1)
        else:
            item = self.paths.write(item_plan, "element", rest, spec)
            if len(item) != 3:
                raise fail(spec, f"{name}: an item must go to a single value")
            self.put(item[0], item[1], "item", 1)
            item_type = item[2].py_type
        for each in node.findall("p:each", NS):
            self.fixed(each, item_plan, "element", spec, 1)
        self.lines.append(f"    {holder}.{attr}.append(element)")
        also = node.findall("p:also", NS)
        if also:
            self.lines.append(f"if {name}:")
            for node_also in also:
                self.fixed(node_also, self.request, "document", spec, 1)
        self.code.imports.add("from collections.abc import Sequence")
        optional = flag(node, "optional")
        self.param(node, name, f"Sequence[{item_type}]", not optional, "()" if optional else None)

    def param(
        self, node: etree._Element, name: str, type_ref: str, required: bool, default: str | None
    ) -> None:
        if name in _RESERVED:
            raise fail(str(node.get("path")), f"{name!r} is a name generated code uses")
        self.params.append(
            Field(
                wire_name=str(node.get("path")),
                python_name=name,
                model_attr=name,
                type_ref=type_ref,
                encoding=node.get("encoding", ""),
                required=required,
                secret=False,
                doc=docstring_text(node.get("doc", f"The {name} input.")),
                default=default,
            )
        )

    def check(self, node: etree._Element, spec: str) -> None:
        names = str(node.get("ordered", "")).split()
        if len(names) != 2:
            raise fail(spec, "p:check needs ordered='<first> <second>'")
        first, second = names
        self.lines.append(f"tunnel.ordered({first}, {first!r}, {second}, {second!r})")

    # ------------------------------------------------------------------ response

    def convert(self, leaf: Leaf, t: ValueType, encoding: str, spec: str) -> str:
        """The wire value of ``leaf`` as type ``t``."""
        kind = leaf.value.kind

        def one(value: str) -> str:
            if encoding == _JALALI or t.kind == "datetime":
                if encoding != _JALALI or t.kind != "datetime" or kind != "str":
                    raise fail(spec, "a date-time is read from text marked jalali-tehran")
                self.code.imports.add(_import("jalali", "from_jalali"))
                return f"from_jalali({value})"
            if t.kind in ("int", "code"):
                if kind == "str":
                    self.code.imports.add(_import("xml", "to_int"))
                    value = f"to_int({value}, {leaf.where!r})"
                elif kind != "int":
                    raise fail(spec, f"{leaf.where} is {kind}, not a number")
                if t.kind == "code":
                    self.code.imports.add(f"from .errors import {t.table}")
                    return f"{t.table}.lookup({value})"
                return value
            if t.kind == "token" and kind == "str":
                return f"tunnel.token({value}, {leaf.where!r})"
            if t.kind == "bool" and kind == "str":
                return f"tunnel.truth({value}, {leaf.where!r})"
            if t.kind == kind:
                return value
            raise fail(spec, f"{leaf.where} is {kind}, which does not convert to {t.kind}")

        if not leaf.optional:
            return one(leaf.expr)
        if t.optional:
            converted = one(leaf.expr)
            if converted == leaf.expr:
                return converted
            return f"None if {leaf.expr} is None else {converted}"
        return one(f"tunnel.required({leaf.expr}, {leaf.where!r})")

    def value(
        self,
        plan: ClassPlan,
        base: str,
        where: str,
        node: etree._Element,
        t: ValueType,
        spec: str,
        as_list: bool = False,
    ) -> str:
        """The expression of one result or record field, read from ``base`` (a list of records
        is a tuple, or a list with ``as_list``)."""
        path = node.get("path")
        if t.kind == "record" and not t.many:
            return self.record(plan, base, where, node, t.record, spec)
        if path is None:
            raise fail(spec, "a value needs a path")
        found = self.paths.read(plan, base, where, str(path), spec)
        if t.many:
            if not isinstance(found, Items):
                raise fail(spec, f"{path} does not end at repeated elements")
            item = self.code.item()
            if t.kind == "record":
                each = self.record(found.plan, item, found.local, node, t.record, spec)
            else:
                raise fail(spec, "a list result must be of records")
            self.code.depth -= 1
            if as_list:
                return f"[{each} for {item} in {found.expr}]"
            return f"tuple({each} for {item} in {found.expr})"
        if not isinstance(found, Leaf):
            raise fail(spec, f"{path} does not end at a value")
        return self.convert(found, t, node.get("encoding", ""), spec)

    def record(
        self, plan: ClassPlan, base: str, where: str, node: etree._Element, name: str, spec: str
    ) -> str:
        types = self.records.types.get(name)
        if types is None:
            raise fail(spec, f"unknown record {name}")
        maps = {str(m.get("field")): m for m in node.findall("p:map", NS)}
        if set(maps) != set(types):
            raise fail(spec, f"{name} needs a p:map for each of {sorted(types)}")
        self.code.imports.add("from . import results")
        fields = ", ".join(
            f"{field_name}={self.value(plan, base, where, maps[field_name], t, spec)}"
            for field_name, t in types.items()
        )
        return f"results.{name}({fields})"

    def result(self, node: etree._Element, spec: str) -> tuple[str, str]:
        """The result expression over ``document`` and its annotation."""
        where = self.response.name
        record, many = node.get("record"), flag(node, "many")
        if record is not None:
            t = ValueType("record", record=record, many=many)
        else:
            t = value_type(str(node.get("type")), False, False, set(), spec)
        # A list result is a list (the records' own lists are tuples).
        expr = self.value(self.response, "document", where, node, t, spec, as_list=many)
        if many:
            return expr, f"list[results.{record}]"
        return expr, annotation(t, "results.")


def _import(module: str, name: str) -> str:
    return f"from payamak_gen._runtime.{module} import {name}"


def read_variants(
    carrier: Operation,
    root_element: etree._Element,
    codec: CodecPlan,
    records: Records,
    request_root: ClassPlan,
    response_root: tuple[ClassPlan, etree._Element],
    where: str,
) -> list[Operation]:
    """The actions of one shared request root (``root_element``, marked urn:payamak:variant)."""
    assert isinstance(carrier.binding, SoapDocLit)
    paths = DocPaths(codec)
    response_plan, response_element = response_root
    policy = _document_code(response_element, response_plan, where)
    operations = []
    for node in structured(root_element, "variant"):
        name = str(node.get("name"))
        spec = f"{where} {name}"
        if node.get("response") != response_plan.name:
            raise fail(spec, f"the response must be {response_plan.name}")
        reader = _Reader(paths, records, request_root, response_plan)
        for element in request_root.elements:
            xsd_child = _xsd_child(root_element, element.local)
            if xsd_child is not None and "credential" in marks(xsd_child):
                reader.credential(element, xsd_child)
        for child in node:
            if not isinstance(child.tag, str) or child.tag == f"{{{P}}}doc":
                continue
            local = etree.QName(child).localname
            if local == "set":
                reader.fixed(child, request_root, "document", spec, 0)
            elif local == "input":
                input_name = str(child.get("name"))
                if flag(child, "many") or child.get("record") is not None:
                    reader.many(child, input_name, spec)
                else:
                    reader.scalar(child, input_name, spec)
            elif local == "check":
                reader.check(child, spec)
            elif local != "result":
                raise fail(spec, f"unknown p:{local}")
        result = node.find("p:result", NS)
        if result is None:
            raise fail(spec, "a variant needs a p:result")
        expr, type_ref = reader.result(result, spec)
        doc = docstring_text(node.findtext("p:doc", "", NS))
        summary = first_sentence(doc, f"The {name} action")
        binding = carrier.binding
        operations.append(
            Operation(
                name=str(node.get("wire-name", name)),
                python_name=name,
                summary=summary,
                description=doc[len(summary) :].strip() or doc,
                binding=Tunnel(
                    carrier=carrier.name,
                    service=binding.service,
                    soap_action=binding.soap_action,
                    response_tag=binding.response_tag,
                    carrier_request_ref=binding.request_ref,
                    carrier_request_codec=binding.request_codec,
                    carrier_input=binding.tunnel_input or "",
                    carrier_response_codec=binding.response_codec,
                    carrier_result=carrier.result.attr or "",
                    carrier_result_wire=carrier.result.wire_name or "",
                    request_ref=request_root.ref,
                    request_codec=request_root.func,
                    response_codec=response_plan.func,
                    response_local=response_plan.name,
                    variant=Variant(
                        build=tuple(reader.lines),
                        parse=expr,
                        imports=tuple(sorted(reader.code.imports)),
                    ),
                ),
                params=_ordered(reader.params),
                result=Result(
                    type_ref=type_ref,
                    attr=None,
                    wire_name=None,
                    doc=docstring_text(result.get("doc", "The result.")),
                ),
                result_policy=policy,
                writes=flag(node, "writes"),
            )
        )
    return operations


def _ordered(params: list[Field]) -> tuple[Field, ...]:
    # Credentials first, then the required inputs, then those with defaults (signature order).
    return tuple(sorted(params, key=lambda p: (not p.credential, not p.required)))


def _xsd_child(element: etree._Element, local: str) -> etree._Element | None:
    return next((e for e in element.iter(f"{{{XS}}}element") if e.get("name") == local), None)


def _document_code(response: etree._Element, plan: ClassPlan, where: str) -> DocumentCode:
    """The response root's children marked urn:payamak:result-code (present only on failure:
    the mark has no success value) and urn:payamak:result-message."""
    code = message = None
    for child in response.iter(f"{{{XS}}}element"):
        child_marks = marks(child)
        if "result-code" in child_marks:
            if child_marks["result-code"]:
                raise fail(where, "a shared response's result code is present only on failure")
            code = str(child.get("name"))
        if "result-message" in child_marks:
            message = str(child.get("name"))
    if code is None:
        raise fail(where, f"{plan.name} has no child marked urn:payamak:result-code")
    return DocumentCode(root=plan.name, element=code, message=message)
