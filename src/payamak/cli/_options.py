"""Options the commands share: the connection settings, ``--json``, and times.

The connection settings are read from flags or, when a flag is absent, from the same
``PAYAMAK_*`` variables ``Client.from_env`` reads, so one environment serves the library and the
command line. The password is best given in the environment: a flag shows in the process list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import click

from .._adapters import ADAPTERS
from .._client import Client

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "connection_options",
    "json_option",
    "make_client",
    "parse_time",
]

EXIT_OK = 0
"""Everything asked for was done."""
EXIT_ERROR = 1
"""An error: refused by the provider, bad input, no connection, rows not sent."""
EXIT_USAGE = 2
"""The command line itself is wrong (click's own code for usage errors)."""
EXIT_UNKNOWN = 3
"""A send's outcome is unknown: the messages may have gone out; reconcile by the reference."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C); a bulk send can be rerun to resume."""

F = TypeVar("F", bound=Callable[..., Any])

_CONNECTION = (
    click.option(
        "--provider",
        envvar="PAYAMAK_PROVIDER",
        required=True,
        type=click.Choice(sorted(ADAPTERS)),
        help="Provider id.",
    ),
    click.option("--username", envvar="PAYAMAK_USERNAME", required=True, help="Panel username."),
    click.option(
        "--password",
        envvar="PAYAMAK_PASSWORD",
        required=True,
        help="Panel password (prefer the environment variable: flags show in process lists).",
    ),
    click.option("--line", envvar="PAYAMAK_LINE", help="Your sender line."),
    click.option(
        "--base-url", envvar="PAYAMAK_BASE_URL", help="The provider's address (e.g. a sandbox)."
    ),
    click.option(
        "--timeout",
        envvar="PAYAMAK_TIMEOUT",
        type=click.FloatRange(min=0, min_open=True),
        help="Seconds per request.",
    ),
)


def connection_options(command: F) -> F:
    """Add the connection settings (flags, or ``PAYAMAK_*`` variables) to ``command``."""
    for option in reversed(_CONNECTION):
        command = option(command)
    return command


def json_option(command: F) -> F:
    """Add ``--json``: print one JSON document instead of a table."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout."
    )(command)


def make_client(settings: dict[str, Any]) -> Client:
    """A ``Client`` from the connection options (popped from ``settings``)."""
    options: dict[str, Any] = {
        "username": settings.pop("username"),
        "password": settings.pop("password"),
        "line": settings.pop("line"),
        "base_url": settings.pop("base_url"),
    }
    timeout = settings.pop("timeout")
    if timeout is not None:
        options["timeout"] = timeout
    return Client(settings.pop("provider"), **options)


_DURATION = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_time(value: str, option: str, *, future: bool) -> datetime:
    """A time as given on the command line, timezone-aware.

    ``30m``, ``24h``, ``7d`` are that long from now (``future``) or ago; otherwise ISO 8601
    (``2026-12-01T09:30+03:30``), local time when no offset is given.

    Raises:
        click.BadParameter: neither form.
    """
    match = _DURATION.fullmatch(value.strip())
    now = datetime.now(timezone.utc)
    if match:
        delta = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        return now + delta if future else now - delta
    try:
        # Python 3.10's fromisoformat does not read the "Z" suffix.
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is neither a duration (30m, 24h, 7d) nor an ISO 8601 time",
            param_hint=option,
        ) from None
    return when if when.tzinfo is not None else when.astimezone()
