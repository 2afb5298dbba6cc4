"""``send_many``: rows of (number, text) streamed into requests, one outcome per row.

The planning is sans-IO: ``Planner`` turns rows, one at a time, into outcomes of invalid rows
and ``Chunk`` objects (one request each); ``send_chunk`` is the facade operation of one chunk,
which turns every answer, refusal or lost answer into outcomes instead of raising. The two
drivers (``drive`` over a thread pool for ``Client``, ``adrive`` over tasks for
``AsyncClient``) pull rows only as a request slot comes free, so memory stays flat however
long the input is: what is held is at most ``concurrency + 1`` chunks of rows. Outcomes are
handed to the caller's ``on_outcome`` as chunks finish and not kept; the result counts them.

A chunk is one request. Its rows either share one text (sent as one group send, the cheapest
request every provider has) or, where the provider takes a text per recipient, mix texts (one
per-recipient send). A chunk closes at the provider's recipient limit, at the caller's
``chunk_size``, when a number repeats within it (a group send would merge the two), and, for
per-recipient texts, at ``REQUEST_BUDGET`` estimated bytes: the trez gateways are ASP.NET
services whose request size is limited (4 MB by default), and 50,000 texts at once would not
fit.

Sends are never retried. A request whose answer was lost gives ``unknown`` for exactly its rows
(each carries a ``SendOutcomeUnknownError`` with the request's reference and recipients) and the
other requests go on; a refused request gives ``failed`` for its rows, and the others go on.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from payamak_gen.errors import PayamakGenError

from . import _validate as check
from ._adapters import Adapter
from ._adapters._base import SentPairs
from ._errors import SendOutcomeUnknownError, ValidationError
from ._models import BulkSummary, RecipientOutcome, RecipientStatus
from ._operations import Op
from ._request_size import REQUEST_BUDGET, row_cost

__all__ = [
    "MAX_CONCURRENCY",
    "Chunk",
    "OnOutcome",
    "OnProgress",
    "OnRequest",
    "Planner",
    "Tally",
    "adrive",
    "base_reference",
    "drive",
    "limits",
    "send_chunk",
]

OPERATION = "send_many"
MAX_CONCURRENCY = 64
# The caller's reference gets "-{chunk}" appended and must stay within the 64 characters
# references may have; 7 digits of chunk number is 10 million requests.
_MAX_BASE_REFERENCE = 56

OnOutcome = Callable[[RecipientOutcome], None]
OnProgress = Callable[[BulkSummary], None]
OnRequest = Callable[[str, tuple[int, ...]], None]


@dataclass(frozen=True, slots=True)
class Chunk:
    """The rows of one request.

    Attributes:
        reference: The request's reference.
        rows: The rows' positions in the input.
        numbers: Their numbers, E.164.
        texts: Their texts.
        text: The one text of every row, if they share it (then it goes as a group send).
    """

    reference: str
    rows: tuple[int, ...]
    numbers: tuple[str, ...]
    texts: tuple[str, ...]
    text: str | None


class Planner:
    """Rows in, outcomes of invalid rows and chunks out, one row at a time.

    Args:
        adapter: The provider.
        reference: The send's reference (checked).
        chunk_size: Rows per request at most, within the provider's limit.
    """

    def __init__(self, adapter: Adapter, reference: str, chunk_size: int) -> None:
        self.adapter = adapter
        self.reference = reference
        self.limit = chunk_size
        # Different texts share a request only where one request can carry them.
        self.per_recipient = adapter.capabilities.send_pairs and adapter.mixes_texts
        self.rows_read = 0
        self.chunks_made = 0
        self._start()

    def _start(self) -> None:
        self._rows: list[int] = []
        self._numbers: list[str] = []
        self._texts: list[str] = []
        self._seen: set[str] = set()
        self._cost = 0
        self._uniform = True

    def add(self, row: object) -> list[RecipientOutcome | Chunk]:
        """What reading one more row completes: its outcome if it is invalid, and any chunk
        it closes (the chunk before it, or the chunk it fills)."""
        index = self.rows_read
        self.rows_read += 1
        checked = self._check(index, row)
        if isinstance(checked, RecipientOutcome):
            return [checked]
        return self.place(index, *checked)

    def place(self, index: int, number: str, text: str) -> list[RecipientOutcome | Chunk]:
        """Puts a checked row (E.164 number, text) into the current chunk; returns the chunks
        that closes."""
        done: list[RecipientOutcome | Chunk] = []
        cost = row_cost(text)
        if self._rows and self._closes_before(number, text, cost):
            done.append(self._close())
        if self._rows:
            if text == self._texts[0]:
                # One object for a repeated text: 50,000 copies of a long text would be
                # megabytes per request held.
                text = self._texts[0]
            else:
                self._uniform = False
        self._rows.append(index)
        self._numbers.append(number)
        self._texts.append(text)
        self._seen.add(number)
        self._cost += cost
        if len(self._rows) >= self.limit:
            done.append(self._close())
        return done

    def finish(self) -> list[RecipientOutcome | Chunk]:
        """The last, partly filled chunk, if any."""
        return [self._close()] if self._rows else []

    def _closes_before(self, number: str, text: str, cost: int) -> bool:
        if number in self._seen:
            return True
        over_budget = self._cost + cost > REQUEST_BUDGET
        if self._uniform and text != self._texts[0]:
            # The chunk would become a per-recipient send: only where the provider has one,
            # and only while the texts fit in a request.
            return not self.per_recipient or over_budget
        return not self._uniform and over_budget

    def _close(self) -> Chunk:
        self.chunks_made += 1
        chunk = Chunk(
            f"{self.reference}-{self.chunks_made}",
            tuple(self._rows),
            tuple(self._numbers),
            tuple(self._texts),
            self._texts[0] if self._uniform else None,
        )
        self._start()
        return chunk

    def _check(self, index: int, row: object) -> tuple[str, str] | RecipientOutcome:
        name = self.adapter.id
        number: object
        text: object
        try:
            number, text = row  # type: ignore[misc]  # any pair; anything else is refused
        except (TypeError, ValueError):
            error = ValidationError(
                f"rows[{index}]",
                row,
                "expected a (number, text) pair",
                provider=name,
                operation=OPERATION,
            )
            return RecipientOutcome(index, error.value, "invalid", None, error=error)
        try:
            e164 = check.mobile(number, f"rows[{index}][0]", provider=name, operation=OPERATION)
        except ValidationError as error:
            return RecipientOutcome(index, error.value, "invalid", None, error=error)
        try:
            body = check.text(
                text,
                f"rows[{index}][1]",
                self.adapter.capabilities,
                provider=name,
                operation=OPERATION,
            )
        except ValidationError as error:
            return RecipientOutcome(index, e164, "invalid", None, error=error)
        return e164, body


def base_reference(reference: str | None, *, provider: str) -> str:
    """The send's reference: the caller's, checked, or a new one."""
    ref = check.reference(reference, provider=provider, operation=OPERATION)
    if len(ref) > _MAX_BASE_REFERENCE:
        raise ValidationError(
            "reference",
            reference,
            f"at most {_MAX_BASE_REFERENCE} characters: each request appends its number",
            provider=provider,
            operation=OPERATION,
        )
    return ref


def limits(adapter: Adapter, chunk_size: int | None, concurrency: int) -> int:
    """The rows per request: ``chunk_size`` checked against the provider's limit, or that limit."""
    most = adapter.capabilities.max_recipients
    checks = (("chunk_size", chunk_size, most), ("concurrency", concurrency, MAX_CONCURRENCY))
    for name, value, high in checks:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            raise ValidationError(
                name,
                value,
                f"a whole number from 1 to {high}",
                provider=adapter.id,
                operation=OPERATION,
            )
    return most if chunk_size is None else chunk_size


def send_chunk(adapter: Adapter, line: str | None, chunk: Chunk) -> Op[list[RecipientOutcome]]:
    """The operation of one chunk: its outcomes, whatever the answer (it never raises a
    provider's error: a lost answer and a refusal are outcomes of the chunk's rows)."""
    wire = [adapter.mobile(number) for number in chunk.numbers]
    ref = chunk.reference
    try:
        if chunk.text is not None:
            answer = yield adapter.send(line, wire, chunk.text, None, ref)
            if isinstance(answer, SentPairs):  # a provider that answers per recipient
                return _per_row(adapter, chunk, answer)
            return [
                RecipientOutcome(row, number, "accepted", ref, group_id=answer)
                for row, number in zip(chunk.rows, chunk.numbers, strict=True)
            ]
        sent = yield adapter.send_pairs(line, list(zip(wire, chunk.texts, strict=True)), ref)
    except PayamakGenError as error:
        status: RecipientStatus = "failed"
        reason: PayamakGenError = error
        if error.outcome_unknown:
            status = "unknown"
            reason = SendOutcomeUnknownError(
                provider=adapter.id, operation=OPERATION, reference=ref, recipients=chunk.numbers
            )
            reason.__cause__ = error
        return [
            RecipientOutcome(row, number, status, ref, error=reason)
            for row, number in zip(chunk.rows, chunk.numbers, strict=True)
        ]
    return _per_row(adapter, chunk, sent)


def _per_row(adapter: Adapter, chunk: Chunk, answer: SentPairs) -> list[RecipientOutcome]:
    """A per-recipient answer as outcomes: accepted or rejected (with the provider's id where
    it gave one), and unknown for the rows the answer does not account for."""
    ref = chunk.reference
    lost: SendOutcomeUnknownError | None = None
    if answer.unknown:
        lost = SendOutcomeUnknownError(
            provider=adapter.id,
            operation=OPERATION,
            reference=ref,
            recipients=[chunk.numbers[index] for index in sorted(answer.unknown)],
        )
        lost.__cause__ = answer.error
    outcomes: list[RecipientOutcome] = []
    for index, (row, number) in enumerate(zip(chunk.rows, chunk.numbers, strict=True)):
        if lost is not None and index in answer.unknown:
            outcomes.append(RecipientOutcome(row, number, "unknown", ref, error=lost))
            continue
        status: RecipientStatus = "accepted" if answer.went_out(index) else "rejected"
        outcomes.append(RecipientOutcome(row, number, status, ref, answer.message_ids[index]))
    return outcomes


class Tally:
    """The running counts; hands each outcome on and reports progress after each request."""

    def __init__(
        self,
        provider: str,
        reference: str,
        on_outcome: OnOutcome | None,
        on_progress: OnProgress | None,
        on_request: OnRequest | None = None,
    ) -> None:
        self.summary = BulkSummary(provider, reference)
        self._counts: dict[str, int] = dict.fromkeys(
            ("rows", "accepted", "rejected", "invalid", "failed", "unknown", "requests"), 0
        )
        self._lost: list[SendOutcomeUnknownError] = []
        self._on_outcome = on_outcome
        self._on_progress = on_progress
        self._on_request = on_request

    def starting(self, chunk: Chunk) -> None:
        """A request about to be sent (its reference and rows, for a write-ahead log)."""
        if self._on_request is not None:
            self._on_request(chunk.reference, chunk.rows)

    def outcome(self, outcome: RecipientOutcome) -> None:
        """One row's outcome (an invalid row's, or one of a finished request)."""
        self._counts["rows"] += 1
        self._counts[outcome.status] += 1
        if self._on_outcome is not None:
            self._on_outcome(outcome)

    def request(self, outcomes: list[RecipientOutcome]) -> None:
        """A finished request's outcomes; then a progress report."""
        self._counts["requests"] += 1
        # A request lost whole or in part: its rows share the one error that says which.
        lost = next(
            (o.error for o in outcomes if isinstance(o.error, SendOutcomeUnknownError)), None
        )
        if lost is not None:
            self._lost.append(lost)
        for outcome in outcomes:
            self.outcome(outcome)
        self._refresh()
        if self._on_progress is not None:
            self._on_progress(self.summary)

    def _refresh(self) -> None:
        counts = self._counts
        self.summary = replace(
            self.summary,
            rows=counts["rows"],
            accepted=counts["accepted"],
            rejected=counts["rejected"],
            invalid=counts["invalid"],
            failed=counts["failed"],
            unknown=counts["unknown"],
            requests=counts["requests"],
            lost=tuple(self._lost),
        )

    def result(self) -> BulkSummary:
        """The final counts."""
        self._refresh()
        return self.summary


def drive(
    rows: Iterable[object],
    planner: Planner,
    run: Callable[[Chunk], list[RecipientOutcome]],
    concurrency: int,
    tally: Tally,
) -> BulkSummary:
    """Sends every chunk of ``rows`` by ``run`` in at most ``concurrency`` threads at once.

    Rows are read, and the caller's callbacks called, in the calling thread only.
    """

    def chunks() -> Iterator[Chunk]:
        for row in rows:
            yield from _outcomes_first(planner.add(row), tally)
        yield from _outcomes_first(planner.finish(), tally)

    pending: set[concurrent.futures.Future[list[RecipientOutcome]]] = set()

    def harvest(block: bool) -> None:
        nonlocal pending
        done, pending = concurrent.futures.wait(
            pending,
            timeout=None if block else 0,
            return_when=concurrent.futures.FIRST_COMPLETED,
        )
        for future in done:
            tally.request(future.result())

    # If the rows or a callback raise, no new request starts, the requests in flight finish and
    # their outcomes are still reported (a send started is never abandoned unreported), then
    # the error goes on. The pool's shutdown waits for them even if a callback raises again.
    with concurrent.futures.ThreadPoolExecutor(concurrency, "payamak-send-many") as pool:
        try:
            for chunk in chunks():
                tally.starting(chunk)
                pending.add(pool.submit(run, chunk))
                harvest(block=False)
                while len(pending) >= concurrency:
                    harvest(block=True)
        finally:
            while pending:
                harvest(block=True)
    return tally.result()


async def adrive(
    rows: Iterable[object] | AsyncIterable[object],
    planner: Planner,
    run: Callable[[Chunk], Awaitable[list[RecipientOutcome]]],
    concurrency: int,
    tally: Tally,
) -> BulkSummary:
    """As ``drive``, with at most ``concurrency`` tasks at once on the running loop."""
    pending: set[asyncio.Task[list[RecipientOutcome]]] = set()

    async def harvest(block: bool) -> None:
        nonlocal pending
        if not pending:
            return
        done, pending = await asyncio.wait(
            pending, timeout=None if block else 0, return_when=asyncio.FIRST_COMPLETED
        )
        for task in done:
            tally.request(task.result())

    async def start(items: list[RecipientOutcome | Chunk]) -> None:
        for chunk in _outcomes_first(items, tally):
            tally.starting(chunk)
            pending.add(asyncio.ensure_future(run(chunk)))
            await harvest(block=False)
            while len(pending) >= concurrency:
                await harvest(block=True)

    try:
        if isinstance(rows, AsyncIterable):
            async for row in rows:
                await start(planner.add(row))
        else:
            for row in rows:
                await start(planner.add(row))
        await start(planner.finish())
    finally:
        # As in ``drive``; also when this task is cancelled: cancelling a request in flight
        # would make its outcome unknown, so they finish and are reported first.
        try:
            while pending:
                await harvest(block=True)
        finally:
            if pending:
                await asyncio.wait(pending)
    return tally.result()


def _outcomes_first(items: list[RecipientOutcome | Chunk], tally: Tally) -> Iterator[Chunk]:
    for item in items:
        if isinstance(item, RecipientOutcome):
            tally.outcome(item)
        else:
            yield item
