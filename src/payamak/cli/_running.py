"""Running a command: its client, and what its failures print and exit with."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .._client import Client
from .._errors import PayamakError, SendOutcomeUnknownError
from . import _output as out
from ._bulk import BulkInputError
from ._journal import JournalError
from ._options import EXIT_ERROR, EXIT_UNKNOWN, make_client

__all__ = ["Failed", "client", "report_error", "run"]


class Failed(Exception):
    """A command failed in a way already described by its ``exit_code``."""

    def __init__(self, error: BaseException, exit_code: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.exit_code = exit_code


@contextmanager
def client(settings: dict[str, Any]) -> Iterator[Client]:
    """The client of the connection options, closed afterwards; its errors become ``Failed``."""
    try:
        made = make_client(settings)
    except PayamakError as error:
        raise Failed(error, EXIT_ERROR) from error
    try:
        yield made
    except SendOutcomeUnknownError as error:
        raise Failed(error, EXIT_UNKNOWN) from error
    except PayamakError as error:
        raise Failed(error, EXIT_ERROR) from error
    finally:
        made.close()


def run(as_json: bool, body: Callable[[], int]) -> int:
    """Run a command's body; report its failure on stderr (or as JSON) and return the status."""
    try:
        return body()
    except Failed as failed:
        report_error(failed.error, as_json)
        return failed.exit_code
    except (BulkInputError, JournalError) as error:
        report_error(error, as_json)
        return EXIT_ERROR
    except OSError as error:
        # A file that cannot be read or written: its name and the reason, not a traceback.
        report_error(error, as_json)
        return EXIT_ERROR


def report_error(error: BaseException, as_json: bool) -> None:
    """Print ``error``: one line on stderr (and what to do about an unknown outcome), or its
    JSON document on stdout."""
    if as_json:
        out.emit(out.error_doc(error))
        return
    click.echo(f"error: {error}", err=True)
    if isinstance(error, SendOutcomeUnknownError):
        click.echo(
            f"the outcome is unknown: reconcile reference {error.reference} with the provider "
            "before sending again",
            err=True,
        )
