"""Command line: ``python -m payamak.sandbox [--host H] [--port P] [--state F] [--config F]``."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from collections.abc import Sequence

import uvicorn

from ._app import build_app
from ._config import DEMO_PASSWORD, DEMO_USERNAME, SandboxConfig
from ._server import DEFAULT_HOST, bind_socket, uvicorn_config
from ._services import Services, create_services


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m payamak.sandbox",
        description="Serve a local, stateful sandbox of the Iranian SMS gateways payamak speaks.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="port; 0 picks a free one (default %(default)s)"
    )
    parser.add_argument(
        "--state", metavar="FILE", help="SQLite file that keeps the state across restarts"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="YAML or JSON accounts and lists (used for a new state and on reset)",
    )
    parser.add_argument(
        "--frozen-clock",
        action="store_true",
        help="delivery progresses only through POST /_sandbox/advance",
    )
    return parser


async def _serve(server: uvicorn.Server, sock_list: list[object], banner: str) -> None:
    task = asyncio.create_task(server.serve(sockets=sock_list))  # type: ignore[arg-type]
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        # Printed only once requests are accepted, so a parent process can wait for this line.
        print(banner, flush=True)
    await task


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the sandbox in the foreground until interrupted; returns the exit status."""
    args = _parser().parse_args(argv)
    config = SandboxConfig.from_file(args.config) if args.config else SandboxConfig()
    if args.frozen_clock:
        config = dataclasses.replace(config, frozen_clock=True)
    services = create_services(config, state_path=args.state)
    try:  # the state is closed (and the socket, once bound) however serving ends
        with bind_socket(args.host, args.port) as sock:
            server = uvicorn.Server(uvicorn_config(build_app(services), embedded=False))
            banner = _banner(services, args.host, sock.getsockname()[1], args.state)
            asyncio.run(_serve(server, [sock], banner))
    except KeyboardInterrupt:
        pass
    finally:
        services.store.close()
    return 0


def _banner(services: Services, host: str, port: int, state: str | None) -> str:
    """What the CLI prints once it serves: the URLs, the demo login if it works, the state."""
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{port}"
    lines = [f"payamak sandbox listening on {base}"]
    for provider in services.providers:
        for path in provider.display_paths:
            lines.append(f"  {provider.name:<16} {base}{path}")
    lines.append(f"  {'admin':<16} {base}/_sandbox/")
    if services.store.authenticate(DEMO_USERNAME, DEMO_PASSWORD) is not None:
        # Only the public demo login is printed, and only when it works: a config file or an
        # earlier run's state may give `demo` a password of its own, which is never printed.
        lines.append(f"  demo account: {DEMO_USERNAME} / {DEMO_PASSWORD}")
    lines.append("  state: " + (state or "in memory (lost on exit)"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
