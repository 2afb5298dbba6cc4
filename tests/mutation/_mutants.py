"""Mutants of one Python module: small, syntax-preserving changes a good suite must notice.

Each operator makes one change at one place and returns the whole mutated source. The
operators are the classic ones (Offutt's sufficient set plus constants): comparison and
arithmetic operators swapped, ``and``/``or`` swapped, ``not`` dropped, conditions negated,
numbers moved by one, booleans flipped, returned values replaced by ``None``, keyword
arguments dropped. Docstrings,
annotations and lines marked ``# pragma: no mutate`` are left alone: changing them changes no
behaviour a test could see.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Mutant", "mutant_ids", "mutants"]

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.Mult,
}


@dataclass(frozen=True)
class Mutant:
    """One change to a module.

    Attributes:
        path: The module's path, relative to the repository.
        line: First line of the changed node in the original source.
        column: Its column offset.
        end_line: Its last line.
        change: What was changed, e.g. ``Lt -> LtE`` or ``365 -> 366``.
        source: The whole mutated module.
        statement_line: First line of the statement that holds the node: the line coverage
            records as run for every line of a statement written over several.
    """

    path: str
    line: int
    column: int
    end_line: int
    change: str
    source: str
    statement_line: int

    @property
    def id(self) -> str:
        """A name stable while the code does not move: ``path:line:column:change``."""
        return _mutant_id(self.path, self.line, self.column, self.change)


def _mutant_id(path: str, line: int, column: int, change: str) -> str:
    return f"{path}:{line}:{column}:{change}"


# Where each node hangs: id(node) -> (parent, field, index in a list field or None).
_Slots = dict[int, tuple[ast.AST, str, int | None]]


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes no mutant may touch: docstrings and every annotation's subtree."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(child) for child in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip(body[0])
        if isinstance(node, (ast.AnnAssign, ast.arg)):
            skip(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            skip(node.returns)
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            skip(node)
    return skipped


def _changes(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Every single change of ``node`` itself: (description, replacement node)."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap is not None:
                new = copy.deepcopy(node)
                new.ops[index] = swap()
                yield f"{type(op).__name__} -> {swap.__name__}", new
    elif isinstance(node, ast.BinOp):
        binop_swap = _BINOP_SWAPS.get(type(node.op))
        if binop_swap is not None:
            new_binop = copy.deepcopy(node)
            new_binop.op = binop_swap()
            yield f"{type(node.op).__name__} -> {binop_swap.__name__}", new_binop
    elif isinstance(node, ast.BoolOp):
        new_boolop = copy.deepcopy(node)
        new_boolop.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield f"{type(node.op).__name__} -> {type(new_boolop.op).__name__}", new_boolop
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not dropped", copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield f"{value} -> {not value}", ast.Constant(not value)
        elif isinstance(value, int):
            yield f"{value} -> {value + 1}", ast.Constant(value + 1)
    elif isinstance(node, ast.Call):
        # A dropped keyword argument: the error that loses its provider, the call that
        # forgets its limit.
        for index, keyword in enumerate(node.keywords):
            if keyword.arg is not None:
                new_call = copy.deepcopy(node)
                del new_call.keywords[index]
                yield f"{keyword.arg}= dropped", new_call
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
        new_cond = copy.deepcopy(node)
        new_cond.test = ast.UnaryOp(ast.Not(), copy.deepcopy(node.test))
        yield "condition negated", new_cond
    elif isinstance(node, ast.Return) and not (
        node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
    ):
        yield "return None", ast.Return(ast.Constant(None))


def _slots(tree: ast.Module) -> _Slots:
    """Where each node hangs: id(node) -> (parent, field, index in a list field or None)."""
    slots: _Slots = {}
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for index, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        slots[id(child)] = (parent, field, index)
            elif isinstance(value, ast.AST):
                slots[id(value)] = (parent, field, None)
    return slots


def _unparse_with(tree: ast.Module, slot: tuple[ast.AST, str, int | None], new: ast.AST) -> str:
    """The source of ``tree`` with ``new`` in ``slot``; the tree is left as it was."""
    parent, field, index = slot
    container = getattr(parent, field)
    old = container[index] if index is not None else container
    ast.copy_location(new, old)
    ast.fix_missing_locations(new)
    if index is not None:
        container[index] = new
    else:
        setattr(parent, field, new)
    try:
        return ast.unparse(tree)
    finally:
        if index is not None:
            container[index] = old
        else:
            setattr(parent, field, old)


def _sites(source: str) -> Iterator[tuple[ast.Module, _Slots, ast.AST, str, ast.AST]]:
    """Each change the module allows, in source order: (tree, slots, node, change, new node)."""
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    slots = _slots(tree)
    lines = source.splitlines()
    nodes = sorted(
        (node for node in ast.walk(tree) if id(node) in slots and id(node) not in skipped),
        key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)),
    )
    for node in nodes:
        line = getattr(node, "lineno", None)
        if line is None or "pragma: no mutate" in lines[line - 1]:
            continue
        for change, replacement in _changes(node):
            yield tree, slots, node, change, replacement


def mutants(path: str, source: str) -> Iterator[Mutant]:
    """Every mutant of the module at ``path`` (relative), in source order."""
    for tree, slots, node, change, replacement in _sites(source):
        line: int = getattr(node, "lineno", 0)
        yield Mutant(
            path=path,
            line=line,
            column=getattr(node, "col_offset", 0),
            end_line=getattr(node, "end_lineno", None) or line,
            change=change,
            source=_unparse_with(tree, slots[id(node)], replacement),
            statement_line=_statement_line(node, slots),
        )


def mutant_ids(path: str, source: str) -> Iterator[str]:
    """The ids of ``mutants(path, source)``, without writing each mutated module."""
    for _, _, node, change, _ in _sites(source):
        yield _mutant_id(path, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), change)


def _statement_line(node: ast.AST, slots: _Slots) -> int:
    """The first line of the innermost statement holding ``node`` (itself, if a statement)."""
    while not isinstance(node, ast.stmt) and id(node) in slots:
        node = slots[id(node)][0]
    line: int = getattr(node, "lineno", 1)
    return line
