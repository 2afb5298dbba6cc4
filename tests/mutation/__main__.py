"""``python -m tests.mutation [PATH…] [--jobs N]``: mutation scores against per-module floors.

For every target module (``targets.py``; or only the PATHs given): one covered run of its tests
maps each line to the tests that ran it; then each mutant runs just those tests, in a fresh
interpreter, against a shadow copy of the code. Prints the score per module and the surviving
mutants, and exits 1 if any module is under its floor.

Why a script of our own and not mutmut or cosmic-ray: mutmut 3 mutates only inside functions
(the limits and constants at module level are what the scores must cover) and runs each mutant
in a fork of a process that already holds the sandbox's server thread; cosmic-ray needs a
session database and a runner per module for what fits in a few hundred lines here. Coverage
contexts are switched from a pytest hook so that lines the sandbox's server thread runs are
mapped to the test driving them over HTTP.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Queue

from ._mutants import Mutant, mutants
from ._runner import ROOT, Outcome, covering_tests, run_mutant, shadow_tree
from .targets import EQUIVALENT, TARGETS, Target

# A mutant may make a test loop; anything far slower than the original run counts as killed.
# Far slower means twice the covered run of all the module's tests (which coverage slows down),
# since a mutant on a line that every test depends on runs all of them.
_MIN_TIMEOUT_SECONDS = 120.0


def _phases(mutant: Mutant, by_line: dict[int, set[str]], target: Target) -> list[list[str]]:
    """The test runs of one mutant, the likeliest killers first.

    A mutant on a line that every test depends on (built in a fixture, run at import) first
    meets the tests that ran the line and the test files named after the module; only if it
    survives them does it meet all of the module's tests. pytest runs the tests it is given in
    file order, not in the order given, hence two runs rather than one ordered list.
    """
    tests = set(by_line.get(mutant.statement_line, set()))
    for line in range(mutant.line, mutant.end_line + 1):
        tests |= by_line.get(line, set())
    broad = tests & set(target.tests)
    if not broad:
        return [sorted(tests)] if tests else []
    stem = Path(target.path).stem
    named = {
        str(path.relative_to(ROOT))
        for folder in target.tests
        for path in (ROOT / folder).glob(f"**/test_{stem}*.py")
    }
    first = sorted((tests - broad) | named)
    return [first, sorted(target.tests)] if first else [sorted(target.tests)]


def _score(target: Target, jobs: int) -> tuple[float, list[Outcome]]:
    source = (ROOT / target.path).read_text(encoding="utf-8")
    candidates = [m for m in mutants(target.path, source) if m.id not in EQUIVALENT]
    covered_from = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        by_line = covering_tests(target.path, target.tests, Path(work))
    timeout = max(_MIN_TIMEOUT_SECONDS, 2 * (time.monotonic() - covered_from))
    shadows: Queue[Path] = Queue()
    with ThreadPoolExecutor(jobs) as pool, _shadows(jobs) as trees:
        for tree in trees:
            shadows.put(tree)

        def run(mutant: Mutant) -> Outcome:
            shadow = shadows.get()
            try:
                return run_mutant(mutant, _phases(mutant, by_line, target), shadow, timeout)
            finally:
                shadows.put(shadow)

        outcomes = list(pool.map(run, candidates))
    killed = sum(outcome.status in ("killed", "timeout") for outcome in outcomes)
    return (100.0 * killed / len(outcomes) if outcomes else 100.0), outcomes


class _shadows:
    """``jobs`` shadow trees, one per worker, removed on exit."""

    def __init__(self, jobs: int) -> None:
        self._contexts = [shadow_tree() for _ in range(jobs)]

    def __enter__(self) -> list[Path]:
        return [context.__enter__() for context in self._contexts]

    def __exit__(self, *exc: object) -> None:
        for context in self._contexts:
            context.__exit__(None, None, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument("paths", nargs="*", help="target modules (default: all of targets.py)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    args = parser.parse_args(argv)
    known = {target.path: target for target in TARGETS}
    unknown = sorted(set(args.paths) - set(known))
    if unknown:
        parser.error(f"not a target of tests/mutation/targets.py: {unknown}")
    chosen = [known[path] for path in args.paths] or list(TARGETS)

    failed = []
    for target in chosen:
        started = time.monotonic()
        score, outcomes = _score(target, args.jobs)
        verdict = "ok" if score >= target.floor else "UNDER FLOOR"
        print(
            f"{target.path}: {score:.1f} % of {len(outcomes)} non-equivalent mutants killed "
            f"(floor {target.floor:g} %, {time.monotonic() - started:.0f} s) {verdict}",
            flush=True,
        )
        for outcome in outcomes:
            if outcome.status in ("survived", "uncovered"):
                print(f"  {outcome.status:9} {outcome.mutant.id}", flush=True)
        if score < target.floor:
            failed.append(target.path)
    if failed:
        print(f"under their floor: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
