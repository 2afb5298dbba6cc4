"""``send_many``: rows streamed into chunked requests, one outcome per row, never retried.

Every test runs per provider that sends, through ``Client`` and ``AsyncClient``, against the
sandbox over real HTTP; the concurrency limit is observed at a small counting proxy in front of
the sandbox.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from payamak import (
    BulkSummary,
    Client,
    RecipientOutcome,
    SendOutcomeUnknownError,
    ValidationError,
)
from payamak._adapters import ADAPTERS
from payamak._adapters.trez_rest import TrezRest
from payamak._bulk import Chunk, Planner
from payamak._request_size import REQUEST_BUDGET
from payamak.sandbox import DEMO_LINE, Sandbox
from payamak_gen.errors import InsufficientCreditError, PayamakGenError, PermissionDeniedError
from tests.contract.providers import result_codes
from tests.facade.conftest import PROFILES, WIRE_OPERATIONS, Facade, make

# Providers whose one request can carry different texts (``Adapter.mixes_texts``): tests here
# count on mixed-text requests. The others' send_many is tested in their own files
# (test_payamak_panel.py, test_ippanel_classic.py): one text per request.
SENDING = sorted(
    name
    for name, adapter in ADAPTERS.items()
    if adapter.capabilities.send and adapter.capabilities.send_pairs and adapter.mixes_texts
)


@pytest.fixture(params=SENDING)
def provider(request: pytest.FixtureRequest) -> str:
    """Only the providers that send (overrides conftest's every provider)."""
    name: str = request.param
    return name


def number(index: int) -> str:
    """The index-th distinct test number, in the local form."""
    return f"0912{index:07d}"


def e164(index: int) -> str:
    return f"+98912{index:07d}"


async def send_many(facade: Facade, rows: Any, **kwargs: Any) -> tuple[BulkSummary, list[Any]]:
    """``send_many`` through either client; the outcomes collected in row order."""
    outcomes: list[RecipientOutcome] = []
    summary = await facade._call("send_many", rows, on_outcome=outcomes.append, **kwargs)
    assert isinstance(summary, BulkSummary)
    return summary, sorted(outcomes, key=lambda o: o.row)


def requests(sandbox: Sandbox, provider: str) -> list[list[tuple[str, str]]]:
    """The sandbox's stored messages of ``provider``, one sorted list of (mobile, text) per
    request (the sandbox gives the messages of one request one group id), sorted."""
    stored: dict[str | None, list[tuple[str, str]]] = collections.defaultdict(list)
    for message in sandbox.admin.messages():
        if message["provider"] == provider:
            stored[message["group_id"]].append((message["mobile"][-10:], message["text"]))
    return sorted(sorted(messages) for messages in stored.values())


async def test_one_outcome_per_row_in_requests_of_one_or_many_texts(
    facade: Facade, sandbox: Sandbox
) -> None:
    rows: list[Any] = [(number(i), "same") for i in range(3)]  # one text: a group send
    rows += [(number(10 + i), f"code {i}") for i in range(3)]  # a text each
    rows += [("0912", "too short"), (number(20), "   "), "not a pair", (number(21), "ok")]

    summary, outcomes = await send_many(facade, rows, chunk_size=3, reference="bulk")

    statuses = [o.status for o in outcomes]
    assert statuses == ["accepted"] * 6 + ["invalid"] * 3 + ["accepted"]
    assert [o.row for o in outcomes] == list(range(10))
    assert [o.reference for o in outcomes] == ["bulk-1"] * 3 + ["bulk-2"] * 3 + [None] * 3 + [
        "bulk-3"
    ]
    if PROFILES[facade.provider].send_per_recipient:
        # A one-text send answered per recipient (advanced_ws): an id each, no group.
        assert all(o.message_id and o.group_id is None for o in outcomes[:3])
    else:
        group = outcomes[0].group_id
        assert group and all(o.group_id == group and o.message_id is None for o in outcomes[:3])
    assert all(o.message_id and o.group_id is None for o in outcomes[3:6])
    assert outcomes[3].recipient == e164(10)
    # Invalid rows: the refusal names the row and the field, and nothing went out for them.
    fields = [o.error.field for o in outcomes[6:9] if isinstance(o.error, ValidationError)]
    assert fields == ["rows[6][0]", "rows[7][1]", "rows[8]"]
    assert outcomes[6].recipient == "'0912'"
    assert outcomes[7].recipient == e164(20)
    assert (summary.rows, summary.accepted, summary.invalid, summary.requests) == (10, 7, 3, 3)
    assert (summary.provider, summary.reference, summary.lost) == (facade.provider, "bulk", ())

    assert requests(sandbox, facade.provider) == [
        [(number(i)[1:], "same") for i in range(3)],
        [(number(10 + i)[1:], f"code {i}") for i in range(3)],
        [(number(21)[1:], "ok")],
    ]


def _chunks(made: list[RecipientOutcome | Chunk]) -> list[Chunk]:
    """What a planner ``made`` from valid rows: requests only, no outcome of an invalid row."""
    chunks = [item for item in made if isinstance(item, Chunk)]
    assert chunks == made, made
    return chunks


@pytest.mark.parametrize("name", SENDING)
def test_a_chunk_holds_the_providers_limit_of_one_text(name: str) -> None:
    adapter = ADAPTERS[name]
    limit = adapter.capabilities.max_recipients
    planner = Planner(adapter, "ref", limit)
    made = [item for i in range(limit + 1) for item in planner.place(i, e164(i), "same")]
    made += planner.finish()
    chunks = _chunks(made)
    assert [len(chunk.rows) for chunk in chunks] == [limit, 1]
    assert [chunk.reference for chunk in chunks] == ["ref-1", "ref-2"]


@pytest.mark.parametrize("name", SENDING)
def test_texts_per_recipient_are_chunked_within_the_request_budget(name: str) -> None:
    adapter = ADAPTERS[name]
    text = "س" * 300  # 300 UTF-16 units: 64 + 6 x 303 estimated bytes a row with its suffix
    planner = Planner(adapter, "ref", adapter.capabilities.max_recipients)
    made = [
        item for i in range(2000) for item in planner.place(i, e164(i), f"{text}{i % 1000:03d}")
    ]
    made += planner.finish()
    sizes = [len(chunk.rows) for chunk in _chunks(made)]
    per_request = min(REQUEST_BUDGET // (64 + 6 * 303), adapter.capabilities.max_recipients)
    assert sizes[:-1] == [per_request] * (len(sizes) - 1)
    assert sum(sizes) == 2000


async def test_requests_are_cut_at_chunk_size_and_where_a_number_repeats(
    facade: Facade, sandbox: Sandbox
) -> None:
    rows = [(number(i), f"t{i}") for i in range(7)] + [(number(0), "again")]

    summary, outcomes = await send_many(facade, rows, chunk_size=3, reference="cut")

    assert summary.accepted == 8
    assert sorted(map(len, requests(sandbox, facade.provider))) == [2, 3, 3]
    assert [o.reference for o in outcomes] == ["cut-1"] * 3 + ["cut-2"] * 3 + ["cut-3"] * 2


async def test_a_dropped_connection_makes_exactly_its_requests_rows_unknown_and_nothing_is_resent(
    facade: Facade, sandbox: Sandbox
) -> None:
    operation = WIRE_OPERATIONS[facade.provider]["send_pairs"]
    sandbox.admin.inject_fault(facade.provider, "drop", operation=operation, count=1)
    rows = [(number(i), f"text {i}") for i in range(12)]

    summary, outcomes = await send_many(facade, rows, chunk_size=4, concurrency=1, reference="drop")

    assert [o.status for o in outcomes] == ["unknown"] * 4 + ["accepted"] * 8
    (lost,) = summary.lost
    assert isinstance(lost, SendOutcomeUnknownError)
    assert lost.reference == "drop-1"
    assert lost.recipients == tuple(e164(i) for i in range(4))
    assert isinstance(lost.__cause__, PayamakGenError) and lost.__cause__.outcome_unknown
    assert all(o.error is lost and o.reference == "drop-1" for o in outcomes[:4])
    assert (summary.unknown, summary.accepted, summary.requests) == (4, 8, 3)
    # Nothing resent: the fault was met once, and its rows were never stored.
    assert sandbox.admin.faults() == []
    assert requests(sandbox, facade.provider) == [
        [(number(i)[1:], f"text {i}") for i in range(4, 8)],
        [(number(i)[1:], f"text {i}") for i in range(8, 12)],
    ]


async def test_a_refused_request_fails_its_rows_and_the_others_go_on(
    facade: Facade, sandbox: Sandbox
) -> None:
    # A refusal that proves nothing went out: no credit, or (advanced_ws, whose no-credit code is
    # an unknown outcome) a line that is not the user's.
    code, kind = next(
        (e["code"], e["kind"])
        for e in result_codes(facade.provider)
        if e["kind"] in ("insufficient_credit", "permission")
    )
    operation = WIRE_OPERATIONS[facade.provider]["send"]
    sandbox.admin.inject_fault(facade.provider, "error_code", operation=operation, code=code)

    summary, outcomes = await send_many(
        facade, [(number(i), "x") for i in range(6)], chunk_size=2, concurrency=1
    )

    assert [o.status for o in outcomes] == ["failed"] * 2 + ["accepted"] * 4
    refusal = InsufficientCreditError if kind == "insufficient_credit" else PermissionDeniedError
    assert all(isinstance(o.error, refusal) for o in outcomes[:2])
    assert (summary.failed, summary.accepted, summary.lost) == (2, 4, ())
    assert len(sandbox.admin.messages()) == 4


async def test_progress_is_reported_after_each_request(facade: Facade, sandbox: Sandbox) -> None:
    reports: list[BulkSummary] = []
    rows = [(number(i), "p") for i in range(10)] + [("bad", "p")]

    summary = await facade._call(
        "send_many", rows, chunk_size=4, concurrency=1, progress=reports.append
    )

    assert [r.requests for r in reports] == [1, 2, 3]
    assert [r.accepted for r in reports] == [4, 8, 10]
    assert reports[-1] == summary
    assert (summary.rows, summary.invalid) == (11, 1)


async def test_a_generator_is_read_lazily(facade: Facade, sandbox: Sandbox) -> None:
    concurrency, chunk_size = 2, 5
    pulled = 0
    finished = 0
    ahead: list[int] = []

    def rows() -> Iterator[tuple[str, str]]:
        nonlocal pulled
        for index in range(100):
            ahead.append(pulled - finished)
            pulled += 1
            yield number(index), f"lazy {index}"

    def done(outcome: RecipientOutcome) -> None:
        nonlocal finished
        finished += 1

    summary = await facade._call(
        "send_many", rows(), concurrency=concurrency, chunk_size=chunk_size, on_outcome=done
    )

    assert summary.accepted == 100
    # Rows read but not yet answered: the requests in flight and the one row that closed the
    # last of them, never the whole input.
    assert max(ahead) <= concurrency * chunk_size + 1
    assert max(ahead) >= chunk_size


async def test_an_async_generator_feeds_the_async_client(provider: str, sandbox: Sandbox) -> None:
    facade = make("async", provider, sandbox)

    async def rows() -> AsyncIterator[tuple[str, str]]:
        for index in range(9):
            yield number(index), f"async {index}"

    try:
        summary, outcomes = await send_many(facade, rows(), chunk_size=4)
    finally:
        await facade.close()

    assert [o.status for o in outcomes] == ["accepted"] * 9
    assert summary.requests == 3


async def test_sync_and_async_give_the_same_outcomes(provider: str, sandbox: Sandbox) -> None:
    rows = [(number(i), "one") for i in range(5)]
    rows += [(number(i), f"each {i}") for i in range(5, 9)] + [("x", "y"), (number(9), "")]
    results = []
    for mode in ("sync", "async"):
        sandbox.admin.reset()
        facade = make(mode, provider, sandbox)
        try:
            summary, outcomes = await send_many(facade, rows, chunk_size=4, reference="same")
        finally:
            await facade.close()
        shape = [(o.row, o.recipient, o.status, o.reference, bool(o.message_id)) for o in outcomes]
        stored = requests(sandbox, provider)
        results.append((shape, stored, summary.accepted, summary.invalid, summary.requests))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("concurrency", 0),
        ("concurrency", 65),
        ("concurrency", True),
        ("chunk_size", 0),
        ("chunk_size", 50_001),
        ("reference", "r" * 57),
    ],
)
async def test_bad_settings_are_refused_before_any_request(
    facade: Facade, sandbox: Sandbox, argument: str, value: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        await facade._call("send_many", [(number(1), "x")], **{argument: value})

    assert caught.value.field == argument
    assert sandbox.admin.messages() == []


async def test_an_error_in_a_callback_stops_new_requests_and_lets_those_in_flight_finish(
    facade: Facade, sandbox: Sandbox
) -> None:
    def explode(report: BulkSummary) -> None:
        raise RuntimeError("caller's bug")

    with pytest.raises(RuntimeError, match="caller's bug"):
        await facade._call(
            "send_many",
            [(number(i), "x") for i in range(40)],
            chunk_size=4,
            concurrency=2,
            progress=explode,
        )

    stored = len(sandbox.admin.messages())
    assert stored % 4 == 0 and 4 <= stored <= 12  # whole requests only, never all ten


async def test_when_the_rows_fail_midway_every_request_sent_is_still_reported(
    facade: Facade, sandbox: Sandbox
) -> None:
    def rows() -> Iterator[tuple[str, str]]:
        for index in range(10):
            yield number(index), f"r{index}"
        raise OSError("the file went away")

    outcomes: list[RecipientOutcome] = []
    with pytest.raises(OSError, match="went away"):
        await facade._call(
            "send_many", rows(), chunk_size=4, concurrency=3, on_outcome=outcomes.append
        )

    # Two full requests went out and were reported; the two rows read after them were not sent.
    assert sorted((o.row, o.status) for o in outcomes) == [(i, "accepted") for i in range(8)]
    assert len(sandbox.admin.messages()) == 8


def test_a_provider_without_per_recipient_texts_gets_one_request_per_run_of_a_text() -> None:
    class GroupOnly(TrezRest):
        capabilities = dataclasses.replace(ADAPTERS["trez_rest"].capabilities, send_pairs=False)

    planner = Planner(GroupOnly(), "ref", 10)
    texts = ["a", "a", "b", "b", "a"]
    made = [item for i, text in enumerate(texts) for item in planner.place(i, e164(i), text)]
    made += planner.finish()

    assert [(c.rows, c.text) for c in _chunks(made)] == [
        ((0, 1), "a"),
        ((2, 3), "b"),
        ((4,), "a"),
    ]


async def test_each_request_is_announced_before_it_is_sent(
    facade: Facade, sandbox: Sandbox
) -> None:
    events: list[tuple[Any, ...]] = []

    def announced(reference: str, rows: tuple[int, ...]) -> None:
        events.append(("request", reference, rows, len(sandbox.admin.messages())))

    await facade._call(
        "send_many",
        [(number(i), f"w{i}") for i in range(10)],
        chunk_size=4,
        concurrency=1,
        reference="wal",
        on_request=announced,
        on_outcome=lambda o: events.append(("outcome", o.row)),
    )

    requests_seen = [e for e in events if e[0] == "request"]
    assert requests_seen == [
        ("request", "wal-1", (0, 1, 2, 3), 0),  # nothing of it stored yet
        ("request", "wal-2", (4, 5, 6, 7), 4),
        ("request", "wal-3", (8, 9), 8),
    ]
    for index, event in enumerate(events):
        if event[0] == "outcome":
            announcing = next(e for e in events[:index] if e[0] == "request" and event[1] in e[2])
            assert announcing


async def test_a_request_whose_announcement_raises_is_not_sent(
    facade: Facade, sandbox: Sandbox
) -> None:
    def refuse_second(reference: str, rows: tuple[int, ...]) -> None:
        if reference.endswith("-2"):
            raise OSError("journal full")

    with pytest.raises(OSError, match="journal full"):
        await facade._call(
            "send_many",
            [(number(i), f"j{i}") for i in range(12)],
            chunk_size=4,
            concurrency=1,
            on_request=refuse_second,
        )

    assert requests(sandbox, facade.provider) == [[(number(i)[1:], f"j{i}") for i in range(4)]]


class _CountingProxy:
    """A loopback HTTP proxy in front of the sandbox that counts requests in flight."""

    def __init__(self, upstream: str, hold: float) -> None:
        self.in_flight = 0
        self.most = 0
        self.requests = 0
        lock = threading.Lock()
        proxy = self
        client = httpx.Client(base_url=upstream, timeout=10)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    proxy.in_flight += 1
                    proxy.requests += 1
                    proxy.most = max(proxy.most, proxy.in_flight)
                try:
                    time.sleep(hold)  # long enough for every allowed request to arrive
                    headers = {
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() in ("content-type", "soapaction", "authorization")
                    }
                    answer = client.post(self.path, content=body, headers=headers)
                finally:
                    with lock:
                        proxy.in_flight -= 1
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers["content-type"])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._client = client
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._client.close()


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_the_concurrency_limit_is_honoured(
    mode: str, provider: str, sandbox: Sandbox, concurrency: int
) -> None:
    proxy = _CountingProxy(sandbox.base_url, hold=0.04)
    facade = make(mode, provider, sandbox)
    facade.client.raw.base_url = proxy.url
    try:
        summary, _ = await send_many(
            facade, [(number(i), f"c{i}") for i in range(16)], chunk_size=2, concurrency=concurrency
        )
    finally:
        await facade.close()
        proxy.close()

    assert (summary.accepted, summary.requests, proxy.requests) == (16, 8, 8)
    assert proxy.most == concurrency


def test_the_sync_client_reads_rows_in_the_calling_thread(sandbox: Sandbox) -> None:
    threads: set[str] = set()
    called: set[str] = set()

    def rows() -> Iterator[tuple[str, str]]:
        for index in range(6):
            threads.add(threading.current_thread().name)
            yield number(index), "t"

    with Client(
        "trez_rest", username="demo", password="demo", line=DEMO_LINE, base_url=sandbox.base_url
    ) as client:
        client.send_many(
            rows(),
            chunk_size=2,
            on_outcome=lambda o: called.add(threading.current_thread().name),
        )

    assert threads == called == {threading.current_thread().name}
