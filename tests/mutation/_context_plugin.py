"""pytest plugin: label coverage data with the test that is running, and its phase.

coverage's own ``dynamic_context = test_function`` finds the test by walking the current
thread's stack, so lines the sandbox's server thread runs for a test get no label. Switching the
context from hooks labels every thread's lines, which is what maps sandbox code to the tests
that drive it over HTTP.

Lines that run in a test's setup are labelled ``<nodeid>|setup``: a session or module fixture
(the sandbox server, its operation tables) is built in the setup of whichever test needs it
first, and every later test depends on it too. The runner maps such lines to all the tests.
"""

from __future__ import annotations

import coverage
import pytest

SETUP_SUFFIX = "|setup"


def _switch(context: str) -> None:
    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(context)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _switch(item.nodeid + SETUP_SUFFIX)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    _switch(item.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    _switch(item.nodeid)
