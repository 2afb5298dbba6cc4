"""Run a module's mutants against the tests that cover each mutated line.

Tests run in a fresh interpreter per mutant, with a shadow copy of ``src/``, ``generated/`` and
``specs/`` first on ``PYTHONPATH``: the mutated file is written there, never into the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coverage import CoverageData

from ._context_plugin import SETUP_SUFFIX
from ._mutants import Mutant

__all__ = ["Outcome", "covering_tests", "run_mutant", "shadow_tree"]

ROOT = Path(__file__).resolve().parents[2]
_SHADOWED = ("src", "generated", "specs")


@dataclass(frozen=True)
class Outcome:
    """What became of one mutant: ``killed``, ``survived``, ``uncovered`` or ``timeout``."""

    mutant: Mutant
    status: str
    tests_run: int


# Tests that bound wall-clock time read this factor: every run here is slower than a plain one
# (coverage tracing for the map, two mutants at a time on a shared machine), and a mutant must be
# killed by what it breaks, not by the machine being busy.
_TIMING_SCALE = {"PAYAMAK_TIMING_SCALE": "4"}


def _pytest(tests: Sequence[str], *extra: str) -> list[str]:
    return [
        *("-m", "pytest", "-q", "-x", "--no-header", "-p", "no:cacheprovider"),
        *("-p", "no:randomly", *extra, *tests),
    ]


def covering_tests(path: str, tests: Sequence[str], workdir: Path) -> dict[int, set[str]]:
    """Line number of ``path`` -> the tests under which it ran (one covered run).

    A line that ran only while modules were imported (module-level constants, decorators,
    class bodies) belongs to no single test: every one of ``tests`` may depend on it, so it
    maps to all of them.
    """
    data_file = workdir / f".coverage.{Path(path).stem}"
    run = subprocess.run(
        [
            sys.executable,
            *("-m", "coverage", "run", f"--data-file={data_file}", f"--include={ROOT / path}"),
            *_pytest(tests, "-p", "tests.mutation._context_plugin"),
        ],
        cwd=ROOT,
        env={**os.environ, **_TIMING_SCALE},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if run.returncode != 0:
        # Mutants are only meaningful against tests that pass on the original code.
        tail = "\n".join(run.stdout.splitlines()[-40:])
        raise RuntimeError(f"the tests of {path} fail on the original code:\n{tail}")
    data = CoverageData(basename=str(data_file))
    data.read()
    by_line = data.contexts_by_lineno(str(ROOT / path))
    return {line: _dependent_tests(contexts, tests) for line, contexts in by_line.items()}


def _dependent_tests(contexts: Iterable[str], tests: Sequence[str]) -> set[str]:
    """The tests a line's behaviour can reach, from the coverage contexts it ran under.

    Lines that ran only at import time (no context), or in the setup of a single test, map to
    every test: the second is what a session or module fixture looks like (the sandbox and its
    operation tables are built in the setup of the first test that needs them, and every later
    test talks to what was built).
    """
    called = {context for context in contexts if context and not context.endswith(SETUP_SUFFIX)}
    set_up = {
        context.removesuffix(SETUP_SUFFIX) for context in contexts if context.endswith(SETUP_SUFFIX)
    }
    if len(set_up) == 1 or not (called or set_up):
        return set(tests)
    return called | set_up


@contextmanager
def shadow_tree() -> Iterator[Path]:
    """A private copy of the importable trees for one worker."""
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        shadow = Path(tmp)
        for name in _SHADOWED:
            shutil.copytree(
                ROOT / name, shadow / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        yield shadow


def run_mutant(
    mutant: Mutant, phases: Sequence[Sequence[str]], shadow: Path, timeout: float
) -> Outcome:
    """Write ``mutant`` into ``shadow``, run each phase's tests against it until one fails, and
    put the original back."""
    if not phases:
        return Outcome(mutant, "uncovered", 0)
    target = shadow / mutant.path
    original = target.read_bytes()
    target.write_text(mutant.source, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(shadow / "src"), str(shadow / "generated")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        **_TIMING_SCALE,
    }
    run = 0
    try:
        for tests in phases:
            run += len(tests)
            result = subprocess.run(
                [sys.executable, *_pytest(tests)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
            if result.returncode != 0:
                return Outcome(mutant, "killed", run)
    except subprocess.TimeoutExpired:
        return Outcome(mutant, "timeout", run)
    finally:
        target.write_bytes(original)
    return Outcome(mutant, "survived", run)
