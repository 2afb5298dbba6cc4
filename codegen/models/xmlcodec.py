"""Plans the specialised XML codec of a SOAP provider from its xsdata dataclasses.

xsdata's generic serializer and parser walk the dataclass metadata on every call, which costs
several times the HTTP exchange itself (TOOLCHAIN.md). The codec template instead unrolls that
walk once, here: for every class reachable from a root element it renders one writer (string
building) and one reader (over a strictly parsed lxml tree), and the dataclasses stay the types.

The plan reads the metadata through xsdata's own ``XmlContext``, so names, namespaces and
element kinds are exactly what xsdata's serializer would use. It covers what the specs use:
attributes, elements (single or repeated, nillable when single) of simple or complex type, simple
content, and mixed content restricted to named elements; string, integer, boolean, double,
base64Binary and enumeration values; and the length, pattern and range facets, which the
writers check. Anything else stops generation with
a message naming the class and field, rather than producing a codec that would guess.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.models.elements import XmlVar

from ..naming import snake_case

_SIMPLE_TYPES = {str: "str", int: "int", bool: "bool", float: "float", bytes: "bytes"}
_FACETS = (
    "min_length",
    "max_length",
    "length",
    "pattern",
    "min_inclusive",
    "max_inclusive",
    "min_exclusive",
    "max_exclusive",
)
# Metadata keys that describe structure, which XmlContext has already interpreted.
_STRUCTURE_KEYS = {"name", "type", "namespace", "mixed", "choices", "required", "nillable"}
# Occurrence bounds of a repeated element, which the writer and the reader both check.
_OCCURS = ("min_occurs", "max_occurs")
# How xsdata marks a bytes field's lexical form; the codec writes and reads base64 only.
_BYTES_FORMAT = "base64"
# XSD regular expressions are implicitly anchored and mostly Python-compatible; these constructs
# are not, and a pattern using them is refused rather than mistranslated.
_XSD_ONLY_REGEX = re.compile(r"\\[iIcCpP]|-\[|[\^$]")


@dataclass(frozen=True)
class Facets:
    """The facets a writer checks before writing a value."""

    min_length: int | None = None
    max_length: int | None = None
    length: int | None = None
    pattern: str | None = None
    min_inclusive: int | None = None
    max_inclusive: int | None = None
    min_exclusive: int | None = None
    max_exclusive: int | None = None

    @property
    def any(self) -> bool:
        """Whether there is anything to check."""
        return any(getattr(self, name) is not None for name in _FACETS)


@dataclass(frozen=True)
class Value:
    """How a simple value is written and read.

    Attributes:
        kind: ``str``, ``int``, ``bool``, ``float``, ``bytes`` or ``enum``.
        py_type: The Python type as written in generated code.
        table: For ``enum``: the module constant mapping wire values to members.
    """

    kind: str
    py_type: str
    table: str | None = None


@dataclass(frozen=True)
class Field:
    """One attribute, element or text field of a class.

    Attributes:
        attr: The dataclass attribute.
        tag: The name as lxml reports it: ``local`` or ``{namespace}local``.
        local: The local name.
        namespace: The namespace, ``""`` for none.
        where: How errors name the field, e.g. ``xmlrequest/number`` or ``recipient@mobile``.
        value: The simple type, for attributes, text and simple elements.
        cls: The class's function name, for complex elements.
        cls_ref: The class as generated code names it, for complex elements.
        many: A repeated element (a list).
        required: Must be present (no default).
        facets: Checked by the writer.
        nillable: A single element read as ``None`` when marked ``xsi:nil="true"``.
        nil_for_none: A nillable element the schema requires: ``None`` is written as
            ``xsi:nil="true"`` rather than left out.
        min_occurs: For a repeated element, how many it needs at least.
        max_occurs: For a repeated element, how many it allows at most (``None``: unbounded).
    """

    attr: str
    tag: str
    local: str
    namespace: str
    where: str
    value: Value | None
    cls: str | None
    cls_ref: str | None
    many: bool
    required: bool
    facets: Facets
    nillable: bool = False
    nil_for_none: bool = False
    min_occurs: int = 0
    max_occurs: int | None = None

    @property
    def py_type(self) -> str:
        """The type of one value of this field in generated code."""
        if self.value is not None:
            return self.value.py_type
        assert self.cls_ref is not None
        return self.cls_ref


@dataclass(frozen=True)
class Choice:
    """One named element allowed in mixed content."""

    tag: str
    local: str
    namespace: str
    ref: str
    func: str


@dataclass
class ClassPlan:
    """The writer and reader of one class.

    Attributes:
        ref: The class as generated code names it, e.g. ``documents.Xmlrequest``.
        func: The suffix of its codec functions, e.g. ``xmlrequest``.
        name: The element name errors use for it.
        namespace: The namespace of the elements it is written as (their children's default).
        attributes: Its attribute fields.
        elements: Its element fields, in the order xsdata writes them.
        text: Its simple-content field, if it has one.
        mixed_attr: Its mixed-content field, if it has one.
        choices: The elements its mixed content allows.
    """

    ref: str
    func: str
    name: str
    namespace: str
    attributes: list[Field] = field(default_factory=list)
    elements: list[Field] = field(default_factory=list)
    text: Field | None = None
    mixed_attr: str | None = None
    choices: list[Choice] = field(default_factory=list)


@dataclass(frozen=True)
class Root:
    """A global element: public ``write_``/``read_`` functions (and ``dump_``/``load_`` for
    whole documents)."""

    name: str
    tag: str
    local: str
    namespace: str
    plan: ClassPlan
    document: bool


@dataclass
class CodecPlan:
    """Everything the codec template renders."""

    classes: list[ClassPlan] = field(default_factory=list)
    roots: list[Root] = field(default_factory=list)
    patterns: dict[str, str] = field(default_factory=dict)
    enums: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)
    """Table constant → (enumeration class, (wire value, member name) pairs)."""

    def pattern_name(self, pattern: str) -> str:
        """The module constant holding a compiled pattern."""
        for name, existing in self.patterns.items():
            if existing == pattern:
                return name
        name = f"_PATTERN_{len(self.patterns)}"
        self.patterns[name] = pattern
        return name


def _split(qname: str) -> tuple[str, str]:
    name = etree.QName(qname)
    return name.namespace or "", name.localname


class _Planner:
    """Builds the plans, one class at a time, from the root classes outwards."""

    def __init__(self, refs: dict[type, str]) -> None:
        self._context = XmlContext()
        self._refs = refs
        self._plans: dict[type, ClassPlan] = {}
        self._pending: list[tuple[type, ClassPlan]] = []
        self.codec = CodecPlan()

    def _fail(self, where: str, problem: str) -> SystemExit:
        return SystemExit(f"codec for {where}: {problem}")

    def ref(self, cls: type) -> str:
        try:
            return self._refs[cls]
        except KeyError:
            raise self._fail(cls.__qualname__, "class is not exported by its package") from None

    def plan(self, cls: type, name: str, namespace: str) -> ClassPlan:
        """The plan of ``cls``, written as elements named ``name`` in ``namespace``."""
        existing = self._plans.get(cls)
        if existing is not None:
            if existing.namespace != namespace:
                # Children inherit the default namespace, so a writer is namespace-specific.
                raise self._fail(
                    cls.__qualname__, "used for elements of two namespaces; not supported"
                )
            return existing
        plan = ClassPlan(
            ref=self.ref(cls),
            func=snake_case(cls.__qualname__.replace(".", "")),
            name=name,
            namespace=namespace,
        )
        self._plans[cls] = plan
        self._pending.append((cls, plan))
        return plan

    def run(self) -> CodecPlan:
        while self._pending:
            cls, plan = self._pending.pop(0)
            self._fill(cls, plan)
            self.codec.classes.append(plan)
        funcs = [plan.func for plan in self.codec.classes]
        if len(funcs) != len(set(funcs)):
            raise self._fail("the provider", f"two classes share a function name: {funcs}")
        return self.codec

    def _fill(self, cls: type, plan: ClassPlan) -> None:
        meta = self._context.build(cls)
        metadata = {f.name: f for f in dataclasses.fields(cls)}
        for var in meta.get_all_vars():
            where = f"{cls.__qualname__}.{var.name}"
            compound = var.list_element and (var.is_attribute or var.is_text)
            if var.tokens or var.is_elements or compound:
                raise self._fail(where, "tokens or compound fields are not supported")
            if var.nillable and (not var.is_element or var.list_element):
                raise self._fail(where, "only single elements may be nillable")
            if var.is_wildcard:
                self._mixed(cls, plan, var, where)
                continue
            facets = self._facets(metadata[var.name], where)
            required = self._required(metadata[var.name], var, where)
            namespace, local = _split(var.qname)
            if var.is_attribute:
                if namespace:
                    raise self._fail(where, "qualified attributes are not supported")
                plan.attributes.append(
                    self._simple(var, where, f"{plan.name}@{local}", local, required, facets)
                )
            elif var.is_text:
                plan.text = self._simple(var, where, plan.name, "", required, facets)
            elif var.is_element:
                element = self._element(var, where, f"{plan.name}/{local}", required, facets)
                occurs = self._occurs(var, metadata[var.name], where)
                plan.elements.append(dataclasses.replace(element, **occurs))
            else:
                raise self._fail(where, "unknown kind of field")
        if plan.mixed_attr is not None and (plan.elements or plan.text is not None):
            raise self._fail(cls.__qualname__, "mixed content beside other content")

    def _required(self, dc_field: dataclasses.Field[Any], var: XmlVar, where: str) -> bool:
        # The reader passes None (or an empty list) for what is absent, and "" for empty text,
        # so any other default would be silently lost.
        if dc_field.default is dataclasses.MISSING and dc_field.default_factory is (
            dataclasses.MISSING
        ):
            return True
        if var.list_element:
            if dc_field.default_factory is not list:
                raise self._fail(where, "a list without an empty default")
            return False
        if dc_field.default is None or (var.is_text and dc_field.default == ""):
            return False
        raise self._fail(where, f"default {dc_field.default!r} is not supported")

    def _facets(self, dc_field: dataclasses.Field[Any], where: str) -> Facets:
        unknown = set(dc_field.metadata) - _STRUCTURE_KEYS - set(_FACETS) - set(_OCCURS)
        if dc_field.metadata.get("format") == _BYTES_FORMAT:
            unknown.discard("format")
        if unknown:
            raise self._fail(where, f"metadata {sorted(unknown)} is not supported")
        values = {key: dc_field.metadata[key] for key in _FACETS if key in dc_field.metadata}
        pattern = values.get("pattern")
        if pattern is not None:
            if _XSD_ONLY_REGEX.search(pattern):
                raise self._fail(where, f"pattern {pattern!r} uses XSD-only regex syntax")
            re.compile(pattern)
            values["pattern"] = self.codec.pattern_name(pattern)
        return Facets(**values)

    def _value(self, types: Sequence[type], where: str) -> Value | None:
        if len(types) != 1:
            raise self._fail(where, f"union types {types} are not supported")
        (py_type,) = types
        if py_type in _SIMPLE_TYPES:
            return Value(kind=_SIMPLE_TYPES[py_type], py_type=_SIMPLE_TYPES[py_type])
        if isinstance(py_type, type) and issubclass(py_type, enum.Enum):
            members = tuple((member.value, member.name) for member in py_type)
            if not all(isinstance(wire, str) for wire, _ in members):
                raise self._fail(where, "only enumerations of strings are supported")
            ref = self.ref(py_type)
            table = f"_{snake_case(py_type.__qualname__.replace('.', '')).upper()}_BY_VALUE"
            self.codec.enums[table] = (ref, members)
            return Value(kind="enum", py_type=ref, table=table)
        if dataclasses.is_dataclass(py_type):
            return None
        raise self._fail(where, f"type {py_type!r} is not supported")

    def _simple(
        self, var: XmlVar, where: str, path: str, local: str, required: bool, facets: Facets
    ) -> Field:
        value = self._value(var.types, where)
        if value is None:
            raise self._fail(where, "a class in an attribute or text")
        return Field(
            attr=var.name,
            tag=local,
            local=local,
            namespace="",
            where=path,
            value=value,
            cls=None,
            cls_ref=None,
            many=False,
            required=required,
            facets=facets,
        )

    def _occurs(self, var: XmlVar, dc_field: dataclasses.Field[Any], where: str) -> dict[str, Any]:
        bounds = {key: dc_field.metadata[key] for key in _OCCURS if key in dc_field.metadata}
        if bounds and not var.list_element:
            raise self._fail(where, "occurrence bounds on a single element")
        return bounds

    def _element(self, var: XmlVar, where: str, path: str, required: bool, facets: Facets) -> Field:
        namespace, local = _split(var.qname)
        value = self._value(var.types, where)
        cls = cls_ref = None
        if value is None:
            if facets.any:
                raise self._fail(where, "facets on a complex element")
            plan = self.plan(var.types[0], local, namespace)
            cls, cls_ref = plan.func, plan.ref
        return Field(
            attr=var.name,
            tag=var.qname,
            local=local,
            namespace=namespace,
            where=path,
            value=value,
            cls=cls,
            cls_ref=cls_ref,
            many=var.list_element,
            # A nil element is how None travels, so it is never missing.
            required=required and not var.nillable,
            facets=facets,
            nillable=var.nillable,
            nil_for_none=var.nillable and required,
        )

    def _mixed(self, cls: type, plan: ClassPlan, var: XmlVar, where: str) -> None:
        if not var.mixed or not var.elements or not var.list_element:
            raise self._fail(
                where, "wildcards are supported only as mixed content of named elements"
            )
        plan.mixed_attr = var.name
        for choice in var.elements.values():
            namespace, local = _split(choice.qname)
            if len(choice.types) != 1 or not dataclasses.is_dataclass(choice.types[0]):
                raise self._fail(where, f"mixed-content choice {local} is not a class")
            choice_plan = self.plan(choice.types[0], local, namespace)
            plan.choices.append(
                Choice(
                    tag=choice.qname,
                    local=local,
                    namespace=namespace,
                    ref=choice_plan.ref,
                    func=choice_plan.func,
                )
            )


def plan_codec(roots: list[tuple[type, str, bool]], refs: dict[type, str]) -> CodecPlan:
    """Plan the codec of ``roots``: (class, public name, whether it is a whole document).

    ``refs`` maps every generated class to how generated code names it.
    """
    planner = _Planner(refs)
    context = XmlContext()
    for cls, name, document in roots:
        meta = context.build(cls)
        namespace, local = _split(meta.qname)
        plan = planner.plan(cls, local, namespace)
        planner.codec.roots.append(
            Root(
                name=name,
                tag=meta.qname,
                local=local,
                namespace=namespace,
                plan=plan,
                document=document,
            )
        )
    return planner.run()
