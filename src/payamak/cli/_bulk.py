"""``payamak send --csv``: a bulk send in chunks, journalled so that a rerun resumes exactly.

Every row is checked before anything is sent; then chunk after chunk (at most the provider's
batch size each) is put in flight in the journal, sent in one request, and its answer recorded.
See ``_journal`` for what a rerun does with each record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import _validate as check
from .._client import Client
from .._errors import PayamakError
from ._journal import Header, Journal, RowOutcome

__all__ = ["BulkInputError", "BulkSummary", "UnknownChunk", "read_rows", "run_bulk"]

logger = logging.getLogger("payamak.cli")

# Header names accepted for the two columns (compared lower-cased, without spaces).
_MOBILE_COLUMNS = ("mobile", "number", "phone", "to", "recipient")
_TEXT_COLUMNS = ("text", "message")


class BulkInputError(Exception):
    """The CSV file cannot be sent as it is (no header, no number column, text twice)."""


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its number (1 = first after the header), number and text as written."""

    row: int
    mobile: str
    text: str | None


@dataclass(frozen=True, slots=True)
class UnknownChunk:
    """A chunk sent without a recorded answer: reconcile it with the provider by reference."""

    reference: str
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BulkSummary:
    """Where every row of a bulk send stands after a run.

    Attributes:
        file: The CSV file.
        results: The results file (the journal).
        provider: Provider id.
        rows: Data rows in the file.
        resumed: Whether this run continued an earlier one.
        sent_now: Rows sent by this run.
        counts: Rows per state: ``sent``, ``rejected``, ``invalid``, ``unknown``, ``pending``.
        unknown: The chunks whose outcome is unknown, with their references.
        problems: The rows refused (``rejected`` by the provider, ``invalid`` before sending).
        stopped: Why the run stopped before the end, if it did.
    """

    file: str
    results: str
    provider: str
    rows: int
    resumed: bool
    sent_now: int
    counts: dict[str, int]
    unknown: tuple[UnknownChunk, ...]
    problems: tuple[RowOutcome, ...]
    stopped: str | None


def _column(names: Sequence[str], wanted: tuple[str, ...]) -> int | None:
    normal = [name.strip().lower().replace(" ", "_") for name in names]
    for choice in wanted:
        if choice in normal:
            return normal.index(choice)
    return None


def read_rows(data: bytes, name: str, *, with_text: bool) -> list[CsvRow]:
    """The data rows of a CSV file (UTF-8, with a header row).

    Args:
        data: The file's bytes.
        name: The file's name, for messages.
        with_text: Whether one text for every row was given (then the file has no text column).

    Raises:
        BulkInputError: not UTF-8, no header, no number column, or a text column and a text.
    """
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BulkInputError(f"{name}: not UTF-8 text (byte {error.start})") from None
    table = [row for row in csv.reader(io.StringIO(decoded, newline="")) if any(row)]
    if not table:
        raise BulkInputError(f"{name}: empty file (expected a header row, e.g. mobile,text)")
    header, body = table[0], table[1:]
    mobile_at = _column(header, _MOBILE_COLUMNS)
    text_at = _column(header, _TEXT_COLUMNS)
    if mobile_at is None:
        raise BulkInputError(
            f"{name}: no number column in the header {header!r}; "
            f"name one of: {', '.join(_MOBILE_COLUMNS)}"
        )
    if text_at is not None and with_text:
        raise BulkInputError(f"{name} has a text column: give --text only for files without one")
    if text_at is None and not with_text:
        raise BulkInputError(
            f"{name}: no text column in the header {header!r}; add one "
            f"({', '.join(_TEXT_COLUMNS)}) or give --text"
        )

    def cell(row: list[str], at: int | None) -> str | None:
        if at is None:
            return None
        return row[at] if at < len(row) else ""

    return [
        CsvRow(number, cell(row, mobile_at) or "", cell(row, text_at))
        for number, row in enumerate(body, start=1)
    ]


def _check_rows(
    client: Client, rows: Sequence[CsvRow], text: str | None
) -> tuple[dict[int, tuple[str, str]], list[RowOutcome]]:
    """Each row as (E.164, text) if it can be sent, else its ``invalid`` outcome."""
    provider, limits = client.provider, client.capabilities
    valid: dict[int, tuple[str, str]] = {}
    invalid: list[RowOutcome] = []
    first_row: dict[str, int] = {}
    for row in rows:
        try:
            e164 = check.mobile(row.mobile, "mobile", provider=provider, operation="send")
            body = row.text if text is None else text
            check.text(body, "text", limits, provider=provider, operation="send")
        except PayamakError as error:
            reason = getattr(error, "reason", str(error))
            invalid.append(RowOutcome(row.row, row.mobile, "invalid", reason=reason))
            continue
        if e164 in first_row:
            # A second message to one person is more likely a mistake than an intent; it is
            # never sent silently.
            reason = f"the same number as row {first_row[e164]}"
            invalid.append(RowOutcome(row.row, row.mobile, "invalid", reason=reason))
            continue
        first_row[e164] = row.row
        assert body is not None  # checked above: check.text refuses anything but text
        valid[row.row] = (e164, body)
    return valid, invalid


def _send_chunk(
    client: Client,
    rows: Sequence[int],
    valid: dict[int, tuple[str, str]],
    text: str | None,
    reference: str,
) -> list[RowOutcome]:
    """Send one chunk in one request; the outcome of each of its rows."""
    if text is not None:
        receipt = client.send([valid[row][0] for row in rows], text, reference=reference)
        group_of = {number: gid for gid, numbers in receipt.groups.items() for number in numbers}
        return [
            RowOutcome(row, valid[row][0], "sent", reference, group_id=group_of.get(valid[row][0]))
            for row in rows
        ]
    receipt = client.send_pairs([valid[row] for row in rows], reference=reference)
    outcomes: list[RowOutcome] = []
    for row in rows:
        number = valid[row][0]
        message_id = receipt.message_ids.get(number)
        if message_id is not None:
            outcomes.append(RowOutcome(row, number, "sent", reference, message_id=message_id))
        else:
            reason = "refused by the provider"
            outcomes.append(RowOutcome(row, number, "rejected", reference, reason=reason))
    return outcomes


def run_bulk(
    client: Client,
    path: Path,
    *,
    text: str | None,
    results: Path,
    batch_size: int | None,
    prefix: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkSummary:
    """Send every row of ``path`` not yet sent, as ``results`` records.

    Args:
        client: The client to send with.
        path: The CSV file (a header row; a number column, and a text column unless ``text``).
        text: One text for every row, for files without a text column.
        results: The journal file; an earlier run's is continued.
        batch_size: Rows per request; the provider's largest batch if None. A resumed run keeps
            its first run's size.
        prefix: The references' prefix; if None, the first 12 hex digits of the SHA-256 of the
            file (and of ``text``, when given).
        progress: Called with (rows done, rows in all) as the run goes.

    Raises:
        BulkInputError: the file cannot be read as a bulk send.
        JournalError: ``results`` belongs to another file or provider, or is damaged.
    """
    data = path.read_bytes()
    rows = read_rows(data, str(path), with_text=text is not None)
    content = hashlib.sha256(data)
    if text is not None:
        # One text for every row is part of what is sent: a rerun with another text is another
        # send, not the same one resumed.
        content.update(b"\0" + text.encode("utf-8"))
    digest = content.hexdigest()
    largest = client.capabilities.max_recipients
    size = min(batch_size or largest, largest)
    header = Header(digest, len(rows), client.provider, size, prefix or digest[:12])
    check.reference(header.reference(0, 99), provider=client.provider, operation="send")
    journal = Journal(results, header)
    resumed = journal.resumed
    header = journal.header
    state = journal.state
    stopped: str | None = None
    sent_now = 0
    try:
        valid, invalid = _check_rows(client, rows, text)
        new_invalid = [o for o in invalid if o.row not in state.outcomes]
        if new_invalid:
            journal.outcomes(new_invalid)
        numbers = [row.row for row in rows]
        chunks = [
            numbers[start : start + header.batch_size]
            for start in range(0, len(numbers), header.batch_size)
        ]
        done = 0
        for index, chunk in enumerate(chunks):
            todo = [r for r in chunk if r in valid and r not in state.outcomes]
            if index in state.in_flight or not todo:
                done += len(chunk)
                if progress:
                    progress(done, len(rows))
                continue
            reference = header.reference(index, state.attempts.get(index, 0) + 1)
            journal.in_flight(index, reference, todo)
            logger.info(
                "chunk %d of %d: sending %d row(s) as %s",
                index + 1,
                len(chunks),
                len(todo),
                reference,
            )
            try:
                outcomes = _send_chunk(client, todo, valid, text, reference)
            except PayamakError as error:
                reason = f"{type(error).__name__}: {error}"
                if error.outcome_unknown:
                    journal.unknown(index, reason)
                else:
                    journal.not_sent(index, reason)
                logger.info("chunk %d (%s) stopped the run: %s", index + 1, reference, reason)
                # Whatever stopped this chunk (credit, credentials, the network) would most
                # likely stop the next ones too: stop here; a rerun continues.
                stopped = reason
                break
            journal.outcomes(outcomes, chunk=index)
            sent = sum(1 for o in outcomes if o.outcome == "sent")
            logger.info("chunk %d: %d sent, %d rejected", index + 1, sent, len(outcomes) - sent)
            sent_now += sent
            done += len(chunk)
            if progress:
                progress(done, len(rows))
    finally:
        journal.close()
    return _summary(
        path,
        results,
        header,
        state_rows=rows,
        journal=journal,
        resumed=resumed,
        sent_now=sent_now,
        stopped=stopped,
    )


def _summary(
    path: Path,
    results: Path,
    header: Header,
    *,
    state_rows: Sequence[CsvRow],
    journal: Journal,
    resumed: bool,
    sent_now: int,
    stopped: str | None,
) -> BulkSummary:
    state = journal.state
    unknown_rows = state.unknown_rows()
    counts = {"sent": 0, "rejected": 0, "invalid": 0, "unknown": 0, "pending": 0}
    for row in state_rows:
        outcome = state.outcomes.get(row.row)
        if outcome is not None:
            counts[outcome.outcome] += 1
        elif row.row in unknown_rows:
            counts["unknown"] += 1
        else:
            counts["pending"] += 1
    unknown = tuple(
        UnknownChunk(reference, tuple(r for r in rows if r in unknown_rows))
        for _, (reference, rows) in sorted(state.in_flight.items())
        if any(r in unknown_rows for r in rows)
    )
    problems = tuple(
        sorted((o for o in state.outcomes.values() if o.outcome != "sent"), key=lambda o: o.row)
    )
    return BulkSummary(
        file=str(path),
        results=str(results),
        provider=header.provider,
        rows=len(state_rows),
        resumed=resumed,
        sent_now=sent_now,
        counts=counts,
        unknown=unknown,
        problems=problems,
        stopped=stopped,
    )
