"""The mutant generator of ``make mutate``: one change per mutant, never in docs or types."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.mutation.__main__ import _phases
from tests.mutation._mutants import Mutant, mutant_ids, mutants
from tests.mutation._runner import _dependent_tests
from tests.mutation.targets import EQUIVALENT, TARGETS, Target

ALL_TESTS = ("t::a", "t::b", "t::c", "t::d")

SOURCE = '''"""Module docstring: 1 < 2."""

LIMIT: int = 365


def allowed(days: int = 3) -> bool:
    """Docstring with a number: 7."""
    if days <= LIMIT and not days < 0:
        return True
    return error(days, provider="x")


SKIPPED = 5  # pragma: no mutate
'''


def _changes() -> list[str]:
    return [f"{m.line}:{m.change}" for m in mutants("m.py", SOURCE)]


def test_each_operator_makes_its_change_and_nothing_in_docs_or_annotations() -> None:
    assert _changes() == [
        "3:365 -> 366",
        "6:3 -> 4",
        "8:condition negated",
        "8:And -> Or",
        "8:LtE -> Lt",
        "8:not dropped",
        "8:Lt -> LtE",
        "8:0 -> 1",
        "9:return None",
        "9:True -> False",
        "10:return None",
        "10:provider= dropped",
    ]


def test_every_mutant_is_valid_python_that_differs_from_the_original() -> None:
    original = ast.dump(ast.parse(SOURCE))
    for mutant in mutants("m.py", SOURCE):
        assert ast.dump(ast.parse(mutant.source)) != original, mutant.id


def test_a_mutant_changes_one_place_only() -> None:
    (negated,) = [m for m in mutants("m.py", SOURCE) if m.change == "not dropped"]

    assert "if days <= LIMIT and days < 0:" in negated.source
    assert "LIMIT: int = 365" in negated.source
    assert "provider='x'" in negated.source


def test_ids_are_unique() -> None:
    ids = [m.id for m in mutants("m.py", SOURCE)]

    assert len(ids) == len(set(ids))


def test_a_line_maps_to_the_tests_that_ran_it() -> None:
    contexts = ["t::a", "t::b|setup", "t::c|setup"]

    assert _dependent_tests(contexts, ALL_TESTS) == {"t::a", "t::b", "t::c"}


def test_a_line_built_in_one_tests_setup_maps_to_every_test() -> None:
    # What a session fixture looks like: built while the first test that needs it is set up.
    assert _dependent_tests(["t::a|setup", "t::a"], ALL_TESTS) == set(ALL_TESTS)


def test_a_line_run_only_at_import_maps_to_every_test() -> None:
    assert _dependent_tests([""], ALL_TESTS) == set(ALL_TESTS)


_IPPANEL = Target(
    "src/payamak/sandbox/providers/ippanel_classic.py", ("tests/sandbox", "tests/contract"), 85
)


def _mutant_on(line: int) -> Mutant:
    return Mutant(_IPPANEL.path, line, 0, line, "1 -> 2", "", line)


def test_a_mutant_runs_the_tests_of_its_lines_in_one_phase() -> None:
    by_line = {3: {"tests/contract/test_a.py::t"}, 4: {"tests/sandbox/test_b.py::t"}}

    assert _phases(_mutant_on(3), by_line, _IPPANEL) == [["tests/contract/test_a.py::t"]]
    assert _phases(_mutant_on(9), by_line, _IPPANEL) == []


def test_a_mutant_every_test_depends_on_meets_the_likeliest_killers_first() -> None:
    by_line = {5: {"tests/contract/test_a.py::t", *_IPPANEL.tests}}

    first, everything = _phases(_mutant_on(5), by_line, _IPPANEL)

    # The tests that ran the line, and the test files named after the module.
    assert "tests/contract/test_a.py::t" in first
    assert "tests/sandbox/test_ippanel_classic.py" in first
    assert not set(_IPPANEL.tests) & set(first)
    assert everything == sorted(_IPPANEL.tests)


def test_a_node_inside_a_statement_of_several_lines_knows_the_statements_first_line() -> None:
    source = (
        "CODES = (\n    (1, 2),\n    (3, 4),\n)\n\n\n"
        "def f(x):\n    return g(\n        x, y=5\n    )\n"
    )
    lines = {(m.line, m.change): m.statement_line for m in mutants("m.py", source)}

    assert lines[(3, "3 -> 4")] == 1  # coverage records line 1 for the whole assignment
    assert lines[(9, "5 -> 6")] == 8
    assert lines[(8, "y= dropped")] == 8


def test_a_mutant_inside_a_statement_of_several_lines_runs_the_statements_tests() -> None:
    mutant = Mutant(_IPPANEL.path, 3, 4, 3, "3 -> 4", "", 1)

    assert _phases(mutant, {1: {"tests/sandbox/test_b.py::t"}}, _IPPANEL) == [
        ["tests/sandbox/test_b.py::t"]
    ]


def test_every_listed_equivalent_mutant_is_one_the_generator_makes() -> None:
    # A line that moves changes its mutants' ids: the entry must follow, or it silently lapses.
    root = Path(__file__).resolve().parents[2]
    made = {
        mutant_id
        for target in TARGETS
        for mutant_id in mutant_ids(target.path, (root / target.path).read_text(encoding="utf-8"))
    }

    assert sorted(set(EQUIVALENT) - made) == []


def test_the_ids_alone_are_the_mutants_ids() -> None:
    assert list(mutant_ids("m.py", SOURCE)) == [m.id for m in mutants("m.py", SOURCE)]
