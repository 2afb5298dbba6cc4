"""pytest plugin: label coverage data with the test that is running.

coverage's own ``dynamic_context = test_function`` finds the test by walking the current
thread's stack, so lines the sandbox's server thread runs for a test get no label. Switching the
context from a hook labels every thread's lines, which is what maps sandbox code to the tests
that drive it over HTTP.
"""

from __future__ import annotations

import coverage
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(item.nodeid)
