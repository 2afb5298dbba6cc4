"""The results file of a bulk send: an append-only journal that makes a rerun exact.

One JSON object per line, each line flushed and fsynced before the program goes on:

- ``start``: the CSV's SHA-256, its row count, the provider, the batch size and the reference
  prefix, written once when the journal is created;
- ``run``: a run begins to send; run ``n`` sends under the base reference ``{prefix}-r{n}``, and
  its ``i``-th request (from 1) carries ``{prefix}-r{n}-{i}``;
- ``in_flight``: a chunk (its reference and rows) about to be sent, written **before** the
  request leaves;
- ``outcome``: one row's fate once the provider answered (``sent``, ``rejected``, ``invalid``);
- then, in the same write as a chunk's row outcomes, what became of its other rows:
  ``chunk_done`` (none left), ``not_sent`` (the provider refused them: none went out) or
  ``unknown`` (the answer, or the part of it about them, was lost).

On a rerun a row with an outcome is done; a row whose chunk was in flight with no answer recorded
(the program was killed, or the answer was lost) is *unknown*: it may have gone out, so it is never
sent again but reported with its chunk's reference, for the user to reconcile. A chunk the provider
refused is known not to have gone out and its rows are sent again by the next run, under that
run's references: a reference is never used twice, as trez providers refuse one an account
already used.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

if sys.platform != "win32":
    import fcntl

__all__ = [
    "FORMAT_VERSION",
    "Header",
    "Journal",
    "JournalError",
    "RowOutcome",
    "State",
    "read_outcomes",
]

FORMAT_VERSION = 2
# Version 1 numbered chunks by their place in the file; version 2 keys them by reference.

Outcome = Literal["sent", "rejected", "invalid"]


class JournalError(Exception):
    """The results file cannot be used for this run (another CSV, another provider, damaged)."""


@dataclass(frozen=True, slots=True)
class Header:
    """What a journal was started for; a rerun must match it.

    Attributes:
        sha256: The hash (hex) of what is sent: the CSV file's bytes, and the one text for
            every row if there is one.
        rows: Data rows in the CSV (without the header).
        provider: Provider id.
        batch_size: Rows per request at most.
        prefix: The references' prefix: run ``n`` sends as ``{prefix}-r{n}-{request}``.
    """

    sha256: str
    rows: int
    provider: str
    batch_size: int
    prefix: str

    def base_reference(self, run: int) -> str:
        """The base reference of run ``run`` (from 1); its requests append ``-{number}``."""
        return f"{self.prefix}-r{run}"


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """One row's recorded fate.

    Attributes:
        row: Data row number (1 = the first row after the header).
        mobile: The number as sent (E.164), or as written for an invalid row.
        outcome: ``sent``, ``rejected`` (the provider refused this recipient) or ``invalid``
            (refused before sending: a bad number or text, a repeated number).
        reference: The reference of the chunk it went out in, if it was sent (or refused).
        message_id: The provider's message id, where it gives one per message.
        group_id: The provider's group id, for group sends.
        reason: Why it was not sent, for ``rejected`` and ``invalid``.
    """

    row: int
    mobile: str
    outcome: Outcome
    reference: str | None = None
    message_id: str | None = None
    group_id: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The record as written (the ``event`` key is added by the journal)."""
        return {
            "row": self.row,
            "mobile": self.mobile,
            "outcome": self.outcome,
            "reference": self.reference,
            "message_id": self.message_id,
            "group_id": self.group_id,
            "reason": self.reason,
        }


@dataclass(slots=True)
class State:
    """What the journal says so far.

    Attributes:
        outcomes: Row → its recorded outcome.
        in_flight: Reference → rows, of chunks sent without a recorded answer (in the order
            they were sent).
        runs: Runs begun.
        requests: Chunks ever put in flight.
    """

    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    in_flight: dict[str, tuple[int, ...]] = field(default_factory=dict)
    runs: int = 0
    requests: int = 0

    def unknown_rows(self) -> dict[int, str]:
        """Rows of chunks in flight with no answer and no outcome → their chunk's reference."""
        unknown: dict[int, str] = {}
        for reference, rows in self.in_flight.items():
            for row in rows:
                if row not in self.outcomes:
                    unknown[row] = reference
        return unknown

    def apply(self, record: Mapping[str, Any]) -> None:
        """Fold one journal record into the state."""
        event = record["event"]
        if event == "run":
            self.runs = int(record["run"])
        elif event == "in_flight":
            self.in_flight[str(record["reference"])] = tuple(int(r) for r in record["rows"])
            self.requests += 1
        elif event == "outcome":
            outcome = RowOutcome(
                row=int(record["row"]),
                mobile=str(record["mobile"]),
                outcome=record["outcome"],
                reference=record.get("reference"),
                message_id=record.get("message_id"),
                group_id=record.get("group_id"),
                reason=record.get("reason"),
            )
            self.outcomes[outcome.row] = outcome
        elif event == "chunk_done" or event == "not_sent":
            # An answer arrived: the chunk is no longer in doubt (refused chunks are retried).
            self.in_flight.pop(str(record["reference"]), None)
        elif event == "unknown":
            # The answer was lost: the chunk stays in flight, i.e. in doubt, for good.
            pass
        else:
            raise JournalError(f"unknown journal event {event!r}")


class Journal:
    """An open results file, appended to durably.

    Args:
        path: The results file; created when missing.
        header: What this run is; an existing file must have been started for the same.

    Raises:
        JournalError: the file belongs to another CSV, provider or batch size, or is damaged.
    """

    def __init__(self, path: Path, header: Header) -> None:
        self.path = path
        self.state = State()
        # Two runs on one results file at once would both see the same rows as unsent.
        self._lock = _lock(path)
        try:
            self._open(header)
        except BaseException:
            os.close(self._lock)
            raise

    def _open(self, header: Header) -> None:
        records = self._read_existing(self.path)
        if records:
            self.header = self._check_header(records[0], header)
            for record in records[1:]:
                try:
                    self.state.apply(record)
                except (KeyError, TypeError, ValueError):
                    raise JournalError(f"{self.path}: damaged record {record!r}") from None
        else:
            self.header = header
        self._file: IO[str] = self.path.open("a", encoding="utf-8")
        if not records:
            self._write([{"event": "start", "version": FORMAT_VERSION, **_header_dict(header)}])
            _sync_directory(self.path.parent)

    @property
    def resumed(self) -> bool:
        """Whether the file held an earlier run's records."""
        return bool(self.state.outcomes or self.state.runs)

    def _read_existing(self, path: Path) -> list[dict[str, Any]]:
        if not path.exists():
            return []
        raw = path.read_bytes()
        lines = raw.split(b"\n")
        complete, tail = lines[:-1], lines[-1]
        if tail:
            # A kill in the middle of a write leaves a last line without its newline: it was
            # never acknowledged, so it is dropped, and cut off so the next record starts clean.
            with path.open("r+b") as handle:
                handle.truncate(len(raw) - len(tail))
                handle.flush()
                os.fsync(handle.fileno())
        records: list[dict[str, Any]] = []
        for number, line in enumerate(complete, start=1):
            try:
                record = json.loads(line)
            except ValueError:
                raise JournalError(f"{path}: line {number} is not a journal record") from None
            if not isinstance(record, dict) or "event" not in record:
                raise JournalError(f"{path}: line {number} is not a journal record")
            records.append(record)
        if records and records[0]["event"] != "start":
            raise JournalError(f"{path}: does not begin with a start record")
        return records

    def _check_header(self, record: Mapping[str, Any], wanted: Header) -> Header:
        if record.get("version") != FORMAT_VERSION:
            raise JournalError(
                f"{self.path}: journal version {record.get('version')!r}, this payamak writes "
                f"version {FORMAT_VERSION}; finish that send with the payamak that began it, "
                "or give another --results file"
            )
        try:
            found = Header(
                sha256=str(record["sha256"]),
                rows=int(record["rows"]),
                provider=str(record["provider"]),
                batch_size=int(record["batch_size"]),
                prefix=str(record["prefix"]),
            )
        except (KeyError, TypeError, ValueError):
            raise JournalError(f"{self.path}: damaged start record") from None
        if found.sha256 != wanted.sha256:
            raise JournalError(
                f"{self.path} records a run of another file or text (sha256 "
                f"{found.sha256[:12]}…, this one is {wanted.sha256[:12]}…); "
                "give another --results file"
            )
        if found.provider != wanted.provider:
            raise JournalError(
                f"{self.path} records a run through {found.provider}, not {wanted.provider}"
            )
        # The batch size and prefix of the first run hold for good: one send keeps one shape
        # and one family of references, whatever a rerun is given.
        return found

    def _write(self, records: Iterable[Mapping[str, Any]]) -> None:
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        self._file.write(text)
        self._file.flush()
        os.fsync(self._file.fileno())

    def _append(self, records: Sequence[Mapping[str, Any]]) -> None:
        self._write(records)
        for record in records:
            self.state.apply(record)

    def begin_run(self) -> str:
        """Record that a new run begins to send; its base reference (never used before)."""
        run = self.state.runs + 1
        self._append([{"event": "run", "run": run}])
        return self.header.base_reference(run)

    def in_flight(self, reference: str, rows: Sequence[int]) -> None:
        """Record that the chunk ``reference`` of ``rows`` is about to be sent (durably, before
        the request)."""
        self._append([{"event": "in_flight", "reference": reference, "rows": list(rows)}])

    def outcomes(self, outcomes: Sequence[RowOutcome]) -> None:
        """Record outcomes of rows no request carried (``invalid`` ones)."""
        self._append([{"event": "outcome", **o.as_dict()} for o in outcomes])

    def answered(
        self,
        reference: str,
        outcomes: Sequence[RowOutcome],
        *,
        unknown: str | None = None,
        not_sent: str | None = None,
    ) -> None:
        """Record the answer to chunk ``reference`` in one write: its rows' outcomes, then
        what became of its rows without one (none if neither reason is given).

        Args:
            reference: The chunk.
            outcomes: The outcomes the answer gave.
            unknown: Why the other rows' outcome is unknown (they stay in doubt for good).
            not_sent: Why the provider refused the other rows (they are sent again).
        """
        records: list[dict[str, Any]] = [{"event": "outcome", **o.as_dict()} for o in outcomes]
        end: dict[str, Any] = {"event": "chunk_done", "reference": reference}
        # A chunk partly lost and partly refused stays in doubt as a whole: the safe side.
        if unknown is not None:
            end = {"event": "unknown", "reference": reference, "reason": unknown}
        elif not_sent is not None:
            end = {"event": "not_sent", "reference": reference, "reason": not_sent}
        self._append([*records, end])

    def close(self) -> None:
        """Close the file and let another run have it."""
        self._file.close()
        os.close(self._lock)


def _header_dict(header: Header) -> dict[str, Any]:
    return {
        "sha256": header.sha256,
        "rows": header.rows,
        "provider": header.provider,
        "batch_size": header.batch_size,
        "prefix": header.prefix,
    }


def _lock(path: Path) -> int:
    """An open descriptor of ``path`` holding an exclusive lock (POSIX; elsewhere none)."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if sys.platform != "win32":
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise JournalError(f"{path} is in use by another run") from None
    return handle


def _sync_directory(folder: Path) -> None:
    """Make a new file's directory entry durable too (POSIX; Windows cannot open folders)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def read_outcomes(path: Path) -> list[RowOutcome]:
    """The row outcomes a results file records, in row order (read only; a torn last line,
    from a run killed while writing it, is ignored).

    Raises:
        JournalError: the file is not a results file.
    """
    state = State()
    lines = path.read_bytes().split(b"\n")[:-1]
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
            if number == 1:
                if record.get("event") != "start":
                    raise ValueError
                continue
            state.apply(record)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise JournalError(f"{path}: line {number} is not a journal record") from None
    return [state.outcomes[row] for row in sorted(state.outcomes)]
