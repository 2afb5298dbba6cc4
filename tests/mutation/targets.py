"""What ``make mutate`` mutates, the tests it runs for each module, and each module's floor.

A floor is the least share of non-equivalent mutants the tests must kill, in percent. A mutant
is equivalent when no test could tell it from the original (it changes nothing observable);
each one is listed in ``EQUIVALENT`` by its id (``path:line:change``) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EQUIVALENT", "TARGETS", "Target"]


@dataclass(frozen=True)
class Target:
    """One module to mutate.

    Attributes:
        path: The module, relative to the repository.
        tests: The test paths whose covering tests are run against its mutants.
        floor: Least killed share of its non-equivalent mutants, in percent.
    """

    path: str
    tests: tuple[str, ...]
    floor: float


TARGETS: tuple[Target, ...] = (
    Target("generated/payamak_gen/_runtime/errors.py", ("tests/generated",), 90),
    Target("generated/payamak_gen/_runtime/json_api.py", ("tests/generated",), 90),
    Target("generated/payamak_gen/trez_xml/codec.py", ("tests/generated/trez_xml",), 75),
    Target("src/payamak/sandbox/_store.py", ("tests/sandbox",), 90),
    Target("src/payamak/sandbox/providers/trez_rest.py", ("tests/sandbox",), 85),
    Target("src/payamak/sandbox/providers/trez_xml.py", ("tests/sandbox",), 85),
)

EQUIVALENT: dict[str, str] = {}
