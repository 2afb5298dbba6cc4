"""``payamak send --csv``: a bulk send through ``Client.send_many``, journalled so that a rerun
resumes exactly.

Every row is checked before anything is sent (a bad number or text, a number twice); the rows
not yet done then go to ``send_many``, whose hooks keep the journal: ``on_request`` puts each
chunk in flight (written and fsynced before its request leaves) and ``on_outcome`` records its
rows' fates once the answer is in. Each run sends under a base reference of its own (see
``_journal``), so no reference is ever used twice. The first chunk refused or lost stops the
run: whatever stopped it (credit, credentials, the network) would most likely stop the next
ones too, and a rerun continues.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import _validate as check
from .._bulk import base_reference
from .._client import Client
from .._errors import PayamakError
from .._models import BulkSummary, RecipientOutcome
from ._journal import Header, Journal, RowOutcome

__all__ = ["BulkInputError", "BulkReport", "UnknownChunk", "read_rows", "run_bulk"]

logger = logging.getLogger("payamak.cli")

# Header names accepted for the two columns (compared lower-cased, without spaces).
_MOBILE_COLUMNS = ("mobile", "number", "phone", "to", "recipient")
_TEXT_COLUMNS = ("text", "message")
# Runs a prefix must leave room for in the base reference: ``-r9999``.
_MOST_RUNS = 9999


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
class BulkReport:
    """Where every row of a CSV file stands after a run (over all its runs).

    Attributes:
        file: The CSV file.
        results: The results file (the journal).
        provider: Provider id.
        rows: Data rows in the file.
        resumed: Whether this run continued an earlier one.
        send: This run's ``send_many`` counts (None if it had nothing to send).
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
    send: BulkSummary | None
    counts: dict[str, int]
    unknown: tuple[UnknownChunk, ...]
    problems: tuple[RowOutcome, ...]
    stopped: str | None

    @property
    def sent_now(self) -> int:
        """Rows sent by this run."""
        return 0 if self.send is None else self.send.accepted


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


class _Stop(Exception):
    """Raised by ``on_request`` so that no further request of the run leaves."""


def _reason(error: BaseException | None) -> str:
    if error is None:
        return "no reason given"
    return f"{type(error).__name__}: {error}"


class _Recorder:
    """The journal kept through ``send_many``'s hooks (called in the calling thread only).

    Args:
        journal: The open journal.
        rows: The CSV row of each position of the rows given to ``send_many``.
        progress: Called with the rows with an outcome so far, after each request.
    """

    def __init__(
        self, journal: Journal, rows: Sequence[int], progress: Callable[[int], None]
    ) -> None:
        self.journal = journal
        self.rows = rows
        self.progress = progress
        self.stopped: str | None = None
        self.latest: BulkSummary | None = None
        # Reference → (its number in this run, rows sent, their outcomes so far).
        self._open: dict[str, tuple[int, int, list[RecipientOutcome]]] = {}
        self._requests = 0

    def on_request(self, reference: str, positions: tuple[int, ...]) -> None:
        """A chunk about to leave: in flight in the journal first, durably; or, once a chunk
        was refused or lost, no further request."""
        if self.stopped is not None:
            raise _Stop
        self.journal.in_flight(reference, [self.rows[p] for p in positions])
        self._requests += 1
        self._open[reference] = (self._requests, len(positions), [])
        logger.info("chunk %d: sending %d row(s) as %s", self._requests, len(positions), reference)

    def on_outcome(self, outcome: RecipientOutcome) -> None:
        """One row's outcome; a chunk's rows are recorded together once all are in."""
        if outcome.reference is None:
            # Refused before any request (the rows were checked already: not expected).
            row = RowOutcome(
                self.rows[outcome.row],
                outcome.recipient,
                "invalid",
                reason=getattr(outcome.error, "reason", _reason(outcome.error)),
            )
            self.journal.outcomes([row])
            return
        number, size, found = self._open[outcome.reference]
        found.append(outcome)
        if len(found) == size:
            del self._open[outcome.reference]
            self._chunk_done(number, outcome.reference, found)

    def on_progress(self, summary: BulkSummary) -> None:
        """Counts after each request."""
        self.latest = summary
        self.progress(summary.rows)

    def _chunk_done(self, number: int, reference: str, found: list[RecipientOutcome]) -> None:
        # A chunk's rows may part ways: a partial answer lists some (sent or refused one by
        # one) and leaves the others unknown.
        outcomes = [self._row(o) for o in found if o.status in ("accepted", "rejected")]
        lost = next((o for o in found if o.status == "unknown"), None)
        refused = next((o for o in found if o.status == "failed"), None)
        unknown = None if lost is None else _reason(lost.error)
        not_sent = None if refused is None else _reason(refused.error)
        self.journal.answered(reference, outcomes, unknown=unknown, not_sent=not_sent)
        sent = sum(1 for o in outcomes if o.outcome == "sent")
        logger.info(
            "chunk %d: %d sent, %d rejected, %d unknown, %d not sent",
            number,
            sent,
            len(outcomes) - sent,
            sum(1 for o in found if o.status == "unknown"),
            sum(1 for o in found if o.status == "failed"),
        )
        reason = unknown or not_sent
        if reason is not None:
            logger.info("chunk %d (%s) stopped the run: %s", number, reference, reason)
            self.stopped = self.stopped or reason

    def _row(self, outcome: RecipientOutcome) -> RowOutcome:
        row, number, reference = self.rows[outcome.row], outcome.recipient, outcome.reference
        if outcome.status == "accepted":
            return RowOutcome(
                row,
                number,
                "sent",
                reference,
                message_id=outcome.message_id,
                group_id=outcome.group_id,
            )
        return RowOutcome(row, number, "rejected", reference, reason="refused by the provider")


def run_bulk(
    client: Client,
    path: Path,
    *,
    text: str | None,
    results: Path,
    batch_size: int | None,
    prefix: str | None,
    concurrency: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> BulkReport:
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
        concurrency: Requests in flight at once.
        progress: Called with (rows done, rows in all) as the run goes.

    Raises:
        BulkInputError: the file cannot be read as a bulk send.
        JournalError: ``results`` belongs to another file or provider, or is damaged.
        KeyboardInterrupt: the run was interrupted; the requests in flight were let finish and
            recorded first.
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
    base_reference(header.base_reference(_MOST_RUNS), provider=client.provider)
    journal = Journal(results, header)
    resumed = journal.resumed
    state = journal.state
    summary: BulkSummary | None = None
    stopped: str | None = None
    try:
        valid, invalid = _check_rows(client, rows, text)
        new_invalid = [o for o in invalid if o.row not in state.outcomes]
        if new_invalid:
            journal.outcomes(new_invalid)
        # Rows with an outcome are done; rows in doubt are never sent again.
        settled = state.outcomes.keys() | state.unknown_rows().keys()
        todo = {r: pair for r, pair in valid.items() if r not in settled}
        done = len(rows) - len(todo)

        def advance(rows_done: int) -> None:
            if progress:
                progress(done + rows_done, len(rows))

        advance(0)
        if todo:
            summary, stopped = _send(client, journal, todo, concurrency, advance)
    finally:
        journal.close()
    return _report(path, results, journal, rows, resumed=resumed, send=summary, stopped=stopped)


def _send(
    client: Client,
    journal: Journal,
    todo: dict[int, tuple[str, str]],
    concurrency: int,
    advance: Callable[[int], None],
) -> tuple[BulkSummary | None, str | None]:
    """One run of ``send_many`` over ``todo`` (CSV row → (E.164, text)), journalled; its counts
    (None if stopped before any request finished) and why it stopped, if it did."""
    recorder = _Recorder(journal, list(todo), advance)

    def pending() -> Iterator[tuple[str, str]]:
        for pair in todo.values():
            if recorder.stopped is not None:
                return  # read no further: nothing more will be sent
            yield pair

    summary: BulkSummary | None
    try:
        summary = client.send_many(
            pending(),
            concurrency=concurrency,
            chunk_size=journal.header.batch_size,
            reference=journal.begin_run(),
            on_outcome=recorder.on_outcome,
            progress=recorder.on_progress,
            on_request=recorder.on_request,
        )
    except _Stop:
        summary = recorder.latest
    return summary, recorder.stopped


def _report(
    path: Path,
    results: Path,
    journal: Journal,
    rows: Sequence[CsvRow],
    *,
    resumed: bool,
    send: BulkSummary | None,
    stopped: str | None,
) -> BulkReport:
    state = journal.state
    unknown_rows = state.unknown_rows()
    counts = {"sent": 0, "rejected": 0, "invalid": 0, "unknown": 0, "pending": 0}
    for row in rows:
        outcome = state.outcomes.get(row.row)
        if outcome is not None:
            counts[outcome.outcome] += 1
        elif row.row in unknown_rows:
            counts["unknown"] += 1
        else:
            counts["pending"] += 1
    unknown = tuple(
        UnknownChunk(reference, tuple(r for r in chunk if r in unknown_rows))
        for reference, chunk in state.in_flight.items()
        if any(r in unknown_rows for r in chunk)
    )
    problems = tuple(
        sorted((o for o in state.outcomes.values() if o.outcome != "sent"), key=lambda o: o.row)
    )
    return BulkReport(
        file=str(path),
        results=str(results),
        provider=journal.header.provider,
        rows=len(rows),
        resumed=resumed,
        send=send,
        counts=counts,
        unknown=unknown,
        problems=problems,
        stopped=stopped,
    )
