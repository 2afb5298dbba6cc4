"""Paths into the documents of a tunnelled action (``body/recipient/@mobile``), resolved against
the codec plan's classes: for reading, the expression of the value and how messages name it; for
writing, the element that holds it (created on the way) and its attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.xmlcodec import ClassPlan, CodecPlan, Value
from ..models.xmlcodec import Field as CodecField
from .records import fail


@dataclass(frozen=True)
class Leaf:
    """The end of a path: an expression of the wire value and how messages name it."""

    expr: str
    where: str
    value: Value
    optional: bool


@dataclass(frozen=True)
class Items:
    """A path ending at repeated elements: an expression of their list."""

    expr: str
    plan: ClassPlan
    local: str


class DocPaths:
    """Resolves paths against the codec plan's classes."""

    def __init__(self, codec: CodecPlan) -> None:
        self._plans = {plan.ref: plan for plan in codec.classes}
        self._enums = codec.enums

    def plan(self, ref: str | None, where: str) -> ClassPlan:
        if ref is None or ref not in self._plans:
            raise fail(where, f"{ref} is not an element class")
        return self._plans[ref]

    def literal(self, value: Value, text: str, where: str) -> str:
        """A fixed value of the spec as Python, in the type of the field it goes to."""
        if value.kind == "int":
            return str(int(text))
        if value.kind == "bool":
            return str(text in ("true", "1"))
        if value.kind == "enum" and value.table is not None:
            ref, members = self._enums[value.table]
            member = next((name for wire, name in members if wire == text), None)
            if member is None:
                raise fail(where, f"{text!r} is not a value of {ref}")
            return f"{ref}.{member}"
        if value.kind == "str":
            return repr(text)
        raise fail(where, f"a fixed {value.kind} value is not supported")

    @staticmethod
    def _attribute(plan: ClassPlan, local: str, where: str) -> CodecField:
        found = next((a for a in plan.attributes if a.local == local), None)
        if found is None or found.value is None:
            raise fail(where, f"{plan.name} has no attribute {local}")
        return found

    @staticmethod
    def _element(plan: ClassPlan, local: str) -> CodecField | None:
        return next((e for e in plan.elements if e.local == local), None)

    def read(
        self, plan: ClassPlan, expr: str, where: str, path: str, spec: str
    ) -> Leaf | Items | tuple[str, str, ClassPlan]:
        """Follow ``path`` from an instance ``expr`` of ``plan`` for reading."""
        parts = path.split("/")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part.startswith("@"):
                a = self._attribute(plan, part[1:], spec)
                assert a.value is not None
                return Leaf(f"{expr}.{a.attr}", f"{where}@{a.local}", a.value, not a.required)
            if part == "text()":
                if plan.text is not None and plan.text.value is not None:
                    return Leaf(f"{expr}.{plan.text.attr}", where, plan.text.value, False)
                if plan.mixed_attr is not None:
                    text = f"tunnel.text_only({expr}.{plan.mixed_attr}, {where!r})"
                    return Leaf(text, where, Value(kind="str", py_type="str"), False)
                raise fail(spec, f"{plan.name} has no text")
            element = self._element(plan, part)
            choice = next((c for c in plan.choices if c.local == part), None)
            if element is not None and element.value is not None:
                leaf_where = f"{where}/{part}"
                return Leaf(
                    f"{expr}.{element.attr}", leaf_where, element.value, not element.required
                )
            if element is not None:
                child = self.plan(element.cls_ref, spec)
                if element.many:
                    if not last:
                        raise fail(spec, f"{part} repeats: it must end the path")
                    return Items(f"{expr}.{element.attr}", child, part)
                expr = (
                    f"{expr}.{element.attr}"
                    if element.required
                    else f"tunnel.child({expr}.{element.attr}, {where!r}, {part!r})"
                )
            elif choice is not None and plan.mixed_attr is not None:
                child = self.plan(choice.ref, spec)
                content = f"{expr}.{plan.mixed_attr}"
                if last:
                    return Items(
                        f"tunnel.only({content}, {choice.ref}, {where!r}, {part!r})", child, part
                    )
                expr = f"tunnel.one({content}, {choice.ref}, {where!r}, {part!r})"
            else:
                raise fail(spec, f"{plan.name} has no element {part}")
            plan, where = child, f"{where}/{part}"
        return expr, where, plan

    def write(
        self, plan: ClassPlan, expr: str, path: str, spec: str
    ) -> tuple[str, str, Value] | tuple[str, str, ClassPlan, str]:
        """Follow ``path`` from an instance ``expr`` of ``plan`` for writing: the expression of
        the element holding the leaf, its attribute and the leaf's type; or, for a path through
        a repeated element, the holder's expression, the list attribute, the item class and
        the rest of the path."""
        parts = path.split("/")
        for i, part in enumerate(parts):
            if part.startswith("@"):
                a = self._attribute(plan, part[1:], spec)
                assert a.value is not None
                return expr, a.attr, a.value
            if part == "text()":
                if plan.text is None or plan.text.value is None:
                    raise fail(spec, f"{plan.name} has no simple content")
                return expr, plan.text.attr, plan.text.value
            element = self._element(plan, part)
            if element is None:
                raise fail(spec, f"{plan.name} has no element {part}")
            if element.value is not None:
                return expr, element.attr, element.value
            child = self.plan(element.cls_ref, spec)
            if element.many:
                return expr, element.attr, child, "/".join(parts[i + 1 :])
            expr = f"tunnel.ensure({expr}, {element.attr!r}, {child.ref})"
            plan = child
        raise fail(spec, "a path must end at a value or a repeated element")
