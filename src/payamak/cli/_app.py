"""The ``payamak`` command: ``send``, ``status``, ``credit``, ``inbox``, ``providers``,
``sandbox``.

Exit status: 0 done; 1 an error (the provider refused, bad input, no connection, rows of a bulk
send not sent); 2 a usage error; 3 a send's outcome is unknown (reconcile by the printed
reference before sending again); 130 interrupted.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .._adapters import ADAPTERS
from .._client import Client
from .._errors import PayamakError, SendOutcomeUnknownError
from .._extras import require_extra
from .._models import DeliveryReport
from . import _output as out
from ._bulk import BulkInputError, BulkSummary, run_bulk
from ._journal import JournalError, read_outcomes
from ._options import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNKNOWN,
    connection_options,
    json_option,
    make_client,
    parse_time,
)

__all__ = ["cli", "main"]


class _Failed(Exception):
    """A command failed in a way already described by its ``exit_code``."""

    def __init__(self, error: BaseException, exit_code: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.exit_code = exit_code


@contextmanager
def _client(settings: dict[str, Any]) -> Iterator[Client]:
    """The client of the connection options, closed afterwards; its errors become ``_Failed``."""
    try:
        client = make_client(settings)
    except PayamakError as error:
        raise _Failed(error, EXIT_ERROR) from error
    try:
        yield client
    except SendOutcomeUnknownError as error:
        raise _Failed(error, EXIT_UNKNOWN) from error
    except PayamakError as error:
        raise _Failed(error, EXIT_ERROR) from error
    finally:
        client.close()


def _run(as_json: bool, body: Callable[[], int]) -> int:
    """Run a command's body; report its failure on stderr (or as JSON) and return the status."""
    try:
        return body()
    except _Failed as failed:
        _report_error(failed.error, as_json)
        return failed.exit_code
    except (BulkInputError, JournalError) as error:
        _report_error(error, as_json)
        return EXIT_ERROR
    except OSError as error:
        # A file that cannot be read or written: its name and the reason, not a traceback.
        _report_error(error, as_json)
        return EXIT_ERROR


def _report_error(error: BaseException, as_json: bool) -> None:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-v", "--verbose", is_flag=True, help="Log each chunk of a bulk send and every retry on stderr."
)
def cli(verbose: bool) -> None:
    """Send SMS through Iranian gateways, read delivery reports, credit and the inbox.

    Connection settings come from flags or from PAYAMAK_PROVIDER, PAYAMAK_USERNAME,
    PAYAMAK_PASSWORD, PAYAMAK_LINE, PAYAMAK_BASE_URL and PAYAMAK_TIMEOUT (as
    Client.from_env reads them).

    Exit status: 0 done, 1 error, 2 usage error, 3 a send's outcome is unknown
    (reconcile by the printed reference before sending again), 130 interrupted.
    """
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger = logging.getLogger("payamak")
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

        def restore() -> None:
            # main() may run many times in one process (tests, embedding): leave no handler.
            logger.removeHandler(handler)
            logger.setLevel(level)

        click.get_current_context().call_on_close(restore)


@cli.command()
@click.argument("to", nargs=-1)
@click.option("-t", "--text", help="The message (for every recipient, or every CSV row).")
@click.option("--at", "at", metavar="TIME", help="Send later: 30m, 2h, or an ISO 8601 time.")
@click.option("--reference", help="Your id for this send (for a CSV: the references' prefix).")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Bulk send: a CSV file with a header row, a number column and a text column.",
)
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bulk send: the results file (default: the CSV's name + .results.jsonl); "
    "rerunning with it resumes without sending anything twice.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Bulk send: rows per request (default and most: the provider's limit).",
)
@connection_options
@json_option
def send(
    to: tuple[str, ...],
    text: str | None,
    at: str | None,
    reference: str | None,
    csv_file: Path | None,
    results: Path | None,
    batch_size: int | None,
    as_json: bool,
    **settings: Any,
) -> int:
    """Send TEXT to the numbers TO…, or every row of a CSV file (--csv)."""
    if csv_file is not None:
        if to or at:
            raise click.UsageError("--csv takes no numbers and no --at")
        journal = results or csv_file.with_name(csv_file.name + ".results.jsonl")
        return _run(
            as_json,
            lambda: _send_csv(settings, csv_file, text, journal, batch_size, reference, as_json),
        )
    if results is not None or batch_size is not None:
        raise click.UsageError("--results and --batch-size are for --csv")
    if not to:
        raise click.UsageError("give the numbers to send to, or --csv FILE")
    if text is None:
        raise click.UsageError("give the message with --text")
    when = parse_time(at, "--at", future=True) if at is not None else None

    def body() -> int:
        with _client(settings) as client:
            receipt = client.send(list(to), text, at=when, reference=reference)
        if as_json:
            out.emit(out.receipt_doc(receipt))
        else:
            console = Console()
            console.print(f"sent, reference {receipt.reference}", markup=False, highlight=False)
            rows = [(gid, numbers) for gid, numbers in receipt.groups.items()]
            rows += [(mid, (number,)) for number, mid in receipt.message_ids.items()]
            out.print_table(None, ("id", "recipients"), rows, console=console)
        return EXIT_OK

    return _run(as_json, body)


def _send_csv(
    settings: dict[str, Any],
    path: Path,
    text: str | None,
    results: Path,
    batch_size: int | None,
    prefix: str | None,
    as_json: bool,
) -> int:
    err = Console(stderr=True)
    progress = Progress(
        TextColumn("sending"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=as_json or not err.is_terminal,
    )
    task = progress.add_task("rows", total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    with _client(settings) as client, progress:
        try:
            summary = run_bulk(
                client,
                path,
                text=text,
                results=results,
                batch_size=batch_size,
                prefix=prefix,
                progress=advance,
            )
        except KeyboardInterrupt:
            click.echo(f"interrupted; rerun the same command to resume ({results})", err=True)
            return EXIT_INTERRUPTED
    _show_bulk(summary, as_json)
    if summary.counts["unknown"]:
        return EXIT_UNKNOWN
    if summary.stopped or summary.counts["sent"] != summary.rows:
        return EXIT_ERROR
    return EXIT_OK


def _show_bulk(summary: BulkSummary, as_json: bool) -> None:
    if as_json:
        out.emit(out.bulk_doc(summary))
        return
    console = Console()

    def say(text: str) -> None:
        # One line however long: file names and references must stay whole to be copied.
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    counts = summary.counts
    state = "resumed" if summary.resumed else "new run"
    say(f"{summary.file} → {summary.results} ({summary.provider}, {state})")
    out.print_table(
        None,
        ("rows", "sent", "sent now", "rejected", "invalid", "unknown", "pending"),
        [
            (
                summary.rows,
                counts["sent"],
                summary.sent_now,
                counts["rejected"],
                counts["invalid"],
                counts["unknown"],
                counts["pending"],
            )
        ],
        console=console,
    )
    if summary.unknown:
        say(
            "outcome unknown: these rows may have gone out; they are never resent. "
            "Reconcile each reference with the provider."
        )
        out.print_table(
            None,
            ("reference", "rows"),
            [(chunk.reference, _ranges(chunk.rows)) for chunk in summary.unknown],
            console=console,
        )
    if summary.problems:
        shown = summary.problems[:50]
        say("not sent:")
        out.print_table(
            None,
            ("row", "mobile", "outcome", "reason"),
            [(p.row, p.mobile, p.outcome, p.reason) for p in shown],
            console=console,
        )
        if len(summary.problems) > len(shown):
            say(f"… and {len(summary.problems) - len(shown)} more in {summary.results}")
    if summary.stopped:
        click.echo(f"stopped: {summary.stopped}", err=True)
        if counts["pending"]:
            click.echo("rerun the same command to send the rest", err=True)


def _ranges(rows: Sequence[int]) -> str:
    """``1-4, 7``: consecutive row numbers as ranges."""
    parts: list[str] = []
    start = previous = None
    for row in [*rows, None]:
        if row is not None and previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = row
    return ", ".join(parts)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--group", "group_id", help="A group id a send returned.")
@click.option(
    "--results",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Every message a bulk send (its results file) sent.",
)
@connection_options
@json_option
def status(
    ids: tuple[str, ...],
    group_id: str | None,
    results: Path | None,
    as_json: bool,
    **settings: Any,
) -> int:
    """Delivery reports for message IDS, a --group, or a bulk send's --results."""
    if not ids and group_id is None and results is None:
        raise click.UsageError("give message ids, --group or --results")

    def body() -> int:
        reports: list[DeliveryReport] = []
        groups = [group_id] if group_id is not None else []
        messages = list(ids)
        recipients: dict[str, str] = {}
        if results is not None:
            found_groups, recipients = _sent_ids(results)
            groups += found_groups
            messages += list(recipients)
        with _client(settings) as client:
            if messages:
                reports += client.status(messages)
            for group in groups:
                reports += client.status(group_id=group)
        # A status asked by message id alone does not know the number; the results file does.
        reports = [
            replace(r, recipient=recipients.get(r.message_id or "", r.recipient))
            if r.recipient is None
            else r
            for r in reports
        ]
        if as_json:
            out.emit(out.reports_doc(reports))
        else:
            out.print_table(
                None,
                ("recipient", "state", "final", "code", "message id", "group id"),
                [
                    (r.recipient, r.state, r.final, r.code, r.message_id, r.group_id)
                    for r in reports
                ],
                console=Console(),
            )
        return EXIT_OK

    return _run(as_json, body)


def _sent_ids(results: Path) -> tuple[list[str], dict[str, str]]:
    """The group ids, and the message ids (→ their numbers), a results file recorded as sent."""
    groups: dict[str, None] = {}
    messages: dict[str, str] = {}
    for outcome in read_outcomes(results):
        if outcome.outcome != "sent":
            continue
        if outcome.group_id:
            groups[outcome.group_id] = None
        if outcome.message_id:
            messages[outcome.message_id] = outcome.mobile
    return list(groups), messages


@cli.command()
@connection_options
@json_option
def credit(as_json: bool, **settings: Any) -> int:
    """The account's credit."""

    def body() -> int:
        with _client(settings) as client:
            balance = client.credit()
        if as_json:
            out.emit(out.balance_doc(balance))
        else:
            out.print_table(
                None,
                ("provider", "rials"),
                [(balance.provider, f"{balance.rials:,}")],
                console=Console(),
            )
        return EXIT_OK

    return _run(as_json, body)


@cli.command()
@click.option("--since", default="24h", show_default=True, help="30m, 7d, or an ISO 8601 time.")
@click.option("--until", help="An ISO 8601 time or a duration ago (default: now).")
@connection_options
@json_option
def inbox(since: str, until: str | None, as_json: bool, **settings: Any) -> int:
    """Messages received on your line."""
    start = parse_time(since, "--since", future=False)
    end = parse_time(until, "--until", future=False) if until is not None else None

    def body() -> int:
        with _client(settings) as client:
            messages = list(client.inbox(start, end))
        if as_json:
            out.emit(out.inbox_doc(messages))
        else:
            out.print_table(
                None,
                ("received", "sender", "text"),
                [
                    (m.received_at.isoformat() if m.received_at else None, m.sender, m.text)
                    for m in messages
                ],
                console=Console(),
            )
        return EXIT_OK

    return _run(as_json, body)


@cli.command()
@json_option
def providers(as_json: bool) -> int:
    """The providers payamak speaks and what each supports."""
    capabilities = {name: adapter.capabilities for name, adapter in ADAPTERS.items()}
    if as_json:
        out.emit(out.providers_doc(capabilities))
        return EXIT_OK
    operations = ("send", "send_pairs", "schedule", "status", "credit", "inbox")
    rows = []
    for name, c in sorted(capabilities.items()):
        limits = [f"{c.max_segments} parts"] if c.max_segments else []
        limits += [f"{c.max_characters} characters"] if c.max_characters else []
        rows.append(
            (
                name,
                [op for op in operations if getattr(c, op)],
                f"{c.max_recipients:,}",
                limits,
            )
        )
    out.print_table(
        None, ("provider", "operations", "batch", "text limit"), rows, console=Console()
    )
    return EXIT_OK


@cli.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox(args: tuple[str, ...]) -> int:
    """Serve the local sandbox (as python -m payamak.sandbox; --help for its options)."""
    require_extra("payamak sandbox", "sandbox", command=True)
    from payamak.sandbox.__main__ import main as serve

    return serve(list(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Args:
        argv: The arguments (``sys.argv[1:]`` if None).
    """
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="payamak",
            standalone_mode=False,
        )
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else EXIT_OK
