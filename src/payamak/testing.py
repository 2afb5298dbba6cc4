"""pytest fixtures that run a payamak sandbox for your tests.

Enable them in your root ``conftest.py``::

    pytest_plugins = ["payamak.testing"]

Then ask for ``sandbox``: one server per test session on a free port of 127.0.0.1, with its state
reset before each test that uses it, and a frozen clock so delivery progresses only when the test
says so::

    def test_sends(sandbox):
        httpx.post(f"{sandbox.base_url}/api/smsAPI/SendMessage", auth=("demo", "demo"), json=...)
        sandbox.admin.advance(10)  # queued -> at the operator -> delivered
        assert sandbox.admin.messages()[0]["state"] == "delivered"

Fixtures:
    sandbox_server: The session's `Sandbox` (not reset between tests).
    sandbox: The same `Sandbox`, reset (state, clock, faults) before the test.
    sandbox_admin: The reset sandbox's `SandboxAdmin` helper.
"""

from __future__ import annotations

from collections.abc import Iterator

from payamak._extras import require_extra

require_extra("payamak.testing", "testing")

# The check above must run before pytest and the sandbox are imported (hence E402).
import pytest  # noqa: E402

from payamak.sandbox import Sandbox, SandboxAdmin, SandboxAdminError, SandboxConfig  # noqa: E402

__all__ = [
    "Sandbox",
    "SandboxAdmin",
    "SandboxAdminError",
    "sandbox",
    "sandbox_admin",
    "sandbox_server",
]


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    """Starts one sandbox (frozen clock, demo state) for the session and stops it at the end."""
    server = Sandbox(SandboxConfig(frozen_clock=True))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    """The session's sandbox, reset to its initial state before this test."""
    sandbox_server.admin.reset()
    return sandbox_server


@pytest.fixture
def sandbox_admin(sandbox: Sandbox) -> SandboxAdmin:
    """The admin helper of the freshly reset sandbox."""
    return sandbox.admin
