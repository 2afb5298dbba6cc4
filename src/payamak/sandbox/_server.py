"""Running the sandbox: in a background thread (tests, scripts) or in the foreground (the CLI)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from ._app import build_app
from ._client import SandboxAdmin
from ._config import SandboxConfig
from ._services import Services, create_services
from .providers import PROVIDER_MODULES

__all__ = ["Sandbox", "bind_socket", "uvicorn_config"]

DEFAULT_HOST = "127.0.0.1"


def bind_socket(host: str, port: int) -> socket.socket:
    """Binds a listening TCP socket; port 0 picks a free one.

    Binding here, before the server starts, is what lets the caller know the port without a race.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # says TCP, and with Nagle on, a response written as headers + body stalls ~40 ms on the
    # peer's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: Any, *, embedded: bool) -> uvicorn.Config:
    """Returns the uvicorn settings the sandbox runs with.

    Args:
        app: The ASGI application.
        embedded: True when running inside someone else's process (tests): uvicorn then leaves the
            host program's logging configuration alone.
    """
    return uvicorn.Config(
        app,
        loop="asyncio",
        # httptools is faster but optional; h11 is always there.
        http="httptools" if _has_module("httptools") else "h11",
        ws="none",
        lifespan="off",
        log_level="warning",
        access_log=False,
        log_config=None if embedded else uvicorn.config.LOGGING_CONFIG,
        timeout_graceful_shutdown=2,
        server_header=False,
        date_header=False,
    )


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


class Sandbox:
    """A sandbox server running in a background thread.

    Use it as a context manager, or call `start()` and `stop()`::

        with Sandbox() as sandbox:
            httpx.post(sandbox.base_url + "/api/smsAPI/GetCredit", auth=("demo", "demo"))
            print(sandbox.admin.messages())

    Args:
        config: Initial accounts and lists; the demo config when None.
        host: Address to listen on.
        port: Port to listen on; 0 picks a free one.
        state_path: SQLite file that keeps the state across restarts; memory only when None.
        providers: Provider modules to serve (see `payamak.sandbox.providers.load_providers`).
    """

    def __init__(
        self,
        config: SandboxConfig | None = None,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        state_path: str | os.PathLike[str] | None = None,
        providers: Sequence[str] = PROVIDER_MODULES,
    ) -> None:
        self._config = config or SandboxConfig()
        self._providers = tuple(providers)
        self._host = host
        self._port = port
        self._state_path = None if state_path is None else Path(state_path)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._services: Services | None = None
        self._admin: SandboxAdmin | None = None
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        """The server's base URL, e.g. `http://127.0.0.1:54321` (no trailing slash).

        Raises:
            RuntimeError: If the sandbox is not running.
        """
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    @property
    def port(self) -> int:
        """The port listened on (the real one once started, even if 0 was asked for)."""
        return self._port

    @property
    def admin(self) -> SandboxAdmin:
        """A client for the admin API.

        Raises:
            RuntimeError: If the sandbox is not running.
        """
        if self._admin is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._admin

    @property
    def services(self) -> Services:
        """The running sandbox's state, clock, faults and providers (for in-process tests).

        Raises:
            RuntimeError: If the sandbox is not running.
        """
        if self._services is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._services

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> Sandbox:
        """Starts serving in a background thread and returns once requests are accepted.

        Raises:
            RuntimeError: If it is already running or does not come up within `timeout` seconds.
        """
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        services = create_services(
            self._config, state_path=self._state_path, providers=self._providers
        )
        with ExitStack() as undo:  # closes what is open so far if anything below raises
            undo.callback(services.store.close)
            sock = bind_socket(self._host, self._port)
            undo.callback(sock.close)
            server = uvicorn.Server(uvicorn_config(build_app(services), embedded=True))
            undo.pop_all()  # from here the server thread owns the socket and stop() the state
        self._port = sock.getsockname()[1]
        # uvicorn installs signal handlers only on the main thread; in a background thread it
        # leaves Ctrl-C to the host program, which is what a test run wants.
        thread = threading.Thread(
            target=self._serve, args=(server, sock), name="payamak-sandbox", daemon=True
        )
        self._server, self._thread, self._services = server, thread, services
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox did not start: {self._error!r}")
            time.sleep(0.005)
        self._admin = SandboxAdmin(self.base_url)
        return self

    def _serve(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by start(); a thread cannot raise to its caller
            self._error = exc
        finally:
            sock.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Stops the server, waits for its thread and closes the state (idempotent).

        Args:
            timeout: Seconds to wait for the server thread (requests in flight get up to two
                seconds to finish).

        Raises:
            RuntimeError: If the server thread is still running after `timeout` seconds. The
                state is then left open rather than closed under a thread that may still be
                writing to it; call `stop()` again to wait longer.
        """
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(
                    f"the sandbox server thread did not stop within {timeout} s; its state is "
                    "left open (call stop() again to wait longer)"
                )
        if self._services is not None:
            self._services.store.close()
        self._server = self._thread = self._services = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
