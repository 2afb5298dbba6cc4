"""Starting and stopping a `Sandbox`: nothing stays open when start fails, and stop never closes
the state under a server thread that is still running."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from payamak.sandbox import Sandbox, SandboxConfig, _server, _services
from payamak.sandbox._services import Services
from payamak.sandbox._store import Store
from tests.sandbox.support import DEMO_AUTH


def _recording(target: Callable[..., Any], found: list[Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = target(*args, **kwargs)
        found.append(result)
        return result

    return wrapper


def _is_closed(store: Store) -> bool:
    try:
        store.count_messages()
    except sqlite3.ProgrammingError:
        return True
    return False


def test_a_failed_start_closes_the_socket_and_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    services: list[Services] = []
    sockets: list[socket.socket] = []
    # _server calls the name it imported from _services (the same function): patch it there.
    monkeypatch.setattr(_server, "create_services", _recording(_services.create_services, services))
    monkeypatch.setattr(_server, "bind_socket", _recording(_server.bind_socket, sockets))

    def broken_app(services: Services) -> None:
        raise RuntimeError("no app today")

    monkeypatch.setattr(_server, "build_app", broken_app)
    with pytest.raises(RuntimeError, match="no app today"):
        Sandbox().start()
    ((made,), (sock,)) = services, sockets
    assert _is_closed(made.store)
    assert sock.fileno() == -1


def test_a_provider_that_fails_to_load_closes_the_state(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stores: list[Store] = []
    monkeypatch.setattr(_services, "Store", _recording(Store, stores))
    with pytest.raises(ImportError):
        _services.create_services(state_path=tmp_path / "s.db", providers=["no_such_provider"])
    (store,) = stores
    assert _is_closed(store)


def test_stop_leaves_the_state_open_while_the_server_thread_runs() -> None:
    sandbox = Sandbox(SandboxConfig(frozen_clock=True)).start()
    # A request held for 5 s keeps the server thread in its graceful shutdown (2 s) past stop's
    # timeout below.
    sandbox.admin.inject_fault("trez_rest", "latency", latency=5)

    def slow_call() -> None:
        # The server drops the call when its graceful shutdown runs out.
        with (
            httpx.Client(base_url=sandbox.base_url, auth=DEMO_AUTH, trust_env=False) as http,
            contextlib.suppress(httpx.HTTPError),
        ):
            http.post("/api/smsAPI/GetCredit")

    caller = threading.Thread(target=slow_call)
    caller.start()
    while sandbox.services.faults.list():  # until the call has taken the fault and is held
        time.sleep(0.01)
    with pytest.raises(RuntimeError, match="did not stop"):
        sandbox.stop(timeout=0.2)
    assert not _is_closed(sandbox.services.store)
    sandbox.stop()
    assert not sandbox.running
    caller.join()
