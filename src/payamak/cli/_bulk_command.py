"""``payamak send --csv``: the bulk send with its progress bar, and its summary."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import _output as out
from ._bulk import BulkReport, run_bulk
from ._options import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNKNOWN
from ._running import client

__all__ = ["ranges", "send_csv"]


def send_csv(
    settings: dict[str, Any],
    path: Path,
    text: str | None,
    results: Path,
    batch_size: int | None,
    prefix: str | None,
    concurrency: int,
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

    with client(settings) as sender, progress:
        try:
            summary = run_bulk(
                sender,
                path,
                text=text,
                results=results,
                batch_size=batch_size,
                prefix=prefix,
                concurrency=concurrency,
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


def _show_bulk(summary: BulkReport, as_json: bool) -> None:
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
            [(chunk.reference, ranges(chunk.rows)) for chunk in summary.unknown],
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


def ranges(rows: Sequence[int]) -> str:
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
