"""The ``payamak`` command: ``send``, ``status``, ``credit``, ``inbox``, ``providers``,
``sandbox``.

Exit status: 0 done; 1 an error (the provider refused, bad input, no connection, rows of a bulk
send not sent); 2 a usage error; 3 a send's outcome is unknown (reconcile by the printed
reference before sending again); 130 interrupted.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from .._adapters import ADAPTERS
from .._bulk import MAX_CONCURRENCY
from .._extras import require_extra
from .._models import DeliveryReport
from . import _output as out
from ._bulk_command import send_csv
from ._journal import read_outcomes
from ._options import EXIT_INTERRUPTED, EXIT_OK, connection_options, json_option, parse_time
from ._running import client, run

__all__ = ["cli", "main"]


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
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=MAX_CONCURRENCY),
    help="Bulk send: requests in flight at once (default 1: a run killed leaves at most one "
    "request in doubt).",
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
    concurrency: int | None,
    as_json: bool,
    **settings: Any,
) -> int:
    """Send TEXT to the numbers TO…, or every row of a CSV file (--csv)."""
    if csv_file is not None:
        if to or at:
            raise click.UsageError("--csv takes no numbers and no --at")
        journal = results or csv_file.with_name(csv_file.name + ".results.jsonl")
        return run(
            as_json,
            lambda: send_csv(
                settings, csv_file, text, journal, batch_size, reference, concurrency or 1, as_json
            ),
        )
    if results is not None or batch_size is not None or concurrency is not None:
        raise click.UsageError("--results, --batch-size and --concurrency are for --csv")
    if not to:
        raise click.UsageError("give the numbers to send to, or --csv FILE")
    if text is None:
        raise click.UsageError("give the message with --text")
    when = parse_time(at, "--at", future=True) if at is not None else None

    def body() -> int:
        with client(settings) as sender:
            receipt = sender.send(list(to), text, at=when, reference=reference)
        if as_json:
            out.emit(out.receipt_doc(receipt))
        else:
            console = Console()
            console.print(f"sent, reference {receipt.reference}", markup=False, highlight=False)
            rows = [(gid, numbers) for gid, numbers in receipt.groups.items()]
            rows += [(mid, (number,)) for number, mid in receipt.message_ids.items()]
            out.print_table(None, ("id", "recipients"), rows, console=console)
        return EXIT_OK

    return run(as_json, body)


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
        with client(settings) as sender:
            if messages:
                reports += sender.status(messages)
            for group in groups:
                reports += sender.status(group_id=group)
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

    return run(as_json, body)


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
        with client(settings) as sender:
            balance = sender.credit()
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

    return run(as_json, body)


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
        with client(settings) as sender:
            messages = list(sender.inbox(start, end))
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

    return run(as_json, body)


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
