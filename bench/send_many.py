"""``Client.send_many`` against one ``Client.send`` per number, on the same sandbox, same run.

Starts the sandbox in a subprocess on a free port (so that only the client is measured), then
sends ``--recipients`` personalised texts (``code {i}``, a text per number: the harder case for
a bulk send, which cannot be one group send) to trez_rest twice:

    baseline   one ``Client.send(number, text)`` per number, one after the other: the style of
               the peers' SDKs, which take one number per call
    send_many  ``Client.send_many(rows)`` over a generator, default chunking and concurrency

It checks that the sandbox stored every message of both, prints the seconds of each and the
ratio, and exits 1 when send_many is less than ``--min-ratio`` (10) times faster.

Then the memory: ``send_many`` over a generator of ``--memory-rows`` (100,000) rows and of half
as many, under tracemalloc, with outcomes counted and dropped. It prints the peak of each and
exits 1 unless the peak at the full count is within ``--flat`` (1.5) times the peak at half:
memory that does not grow with the input (memory kept per row would double it). Half, not a
small count, because both must hold the same number of full requests in flight (the planned
steady state).

    python bench/send_many.py [--recipients 10000] [--memory-rows 100000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Iterator

import httpx
from _sandbox_process import start_sandbox

from payamak import Client, RecipientOutcome

LINE = "50002910001080"


def rows(count: int, offset: int = 0) -> Iterator[tuple[str, str]]:
    """``count`` distinct numbers, each with its own text."""
    for index in range(offset, offset + count):
        yield f"0912{index:07d}", f"code {index}"


def stored(base_url: str) -> int:
    """How many messages the sandbox holds."""
    return len(httpx.get(f"{base_url}/_sandbox/messages", timeout=60).json()["messages"])


def one_call_per_number(client: Client, count: int) -> float:
    """Seconds to send ``count`` messages by one ``send`` each."""
    started = time.perf_counter()
    for number, text in rows(count):
        client.send(number, text)
    return time.perf_counter() - started


def bulk(client: Client, count: int, offset: int) -> float:
    """Seconds to send ``count`` messages by one ``send_many``."""
    started = time.perf_counter()
    summary = client.send_many(rows(count, offset))
    elapsed = time.perf_counter() - started
    if summary.accepted != count:
        raise SystemExit(f"send_many accepted {summary.accepted} of {count}: {summary}")
    return elapsed


def peak_memory(client: Client, count: int, offset: int) -> int:
    """Peak bytes traced while ``send_many`` sends ``count`` rows from a generator."""
    accepted = 0

    def count_accepted(outcome: RecipientOutcome) -> None:
        nonlocal accepted
        accepted += outcome.status == "accepted"

    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        client.send_many(rows(count, offset), on_outcome=count_accepted)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if accepted != count:
        raise SystemExit(f"send_many accepted {accepted} of {count} under tracemalloc")
    return peak


def main() -> None:
    """Runs the benchmark, prints the figures, exits 1 below the targets."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--min-ratio", type=float, default=10.0)
    parser.add_argument("--memory-rows", type=int, default=100_000)
    parser.add_argument("--flat", type=float, default=1.5)
    args = parser.parse_args()
    count = args.recipients
    process, base_url = start_sandbox()
    try:
        # Enough credit for every message of the run: each is a real, charged send.
        httpx.post(f"{base_url}/_sandbox/credit", json={"username": "demo", "rials": 10**15})
        with Client(
            "trez_rest", username="demo", password="demo", line=LINE, base_url=base_url
        ) as client:
            client.send("09120000000", "warm-up")  # the connection, not the first send, costs
            baseline = one_call_per_number(client, count)
            many = bulk(client, count, offset=count)
            expected = 1 + 2 * count
            if stored(base_url) != expected:
                raise SystemExit(f"expected {expected} stored messages, found {stored(base_url)}")
            half = args.memory_rows // 2
            offset = 2 * count
            peak_half = peak_memory(client, half, offset)
            peak_full = peak_memory(client, args.memory_rows, offset + half)
    finally:
        process.terminate()
        process.wait(timeout=10)
    ratio = baseline / many
    growth = peak_full / peak_half
    print(f"one Client.send per number (baseline): {count} in {baseline:.2f} s")
    print(f"Client.send_many: {count} in {many:.2f} s")
    print(f"send_many speed-up: {ratio:.1f}x (target >= {args.min_ratio:g}x)")
    print(f"send_many peak memory, {half} rows: {peak_half / 2**20:.1f} MiB")
    print(f"send_many peak memory, {args.memory_rows} rows: {peak_full / 2**20:.1f} MiB")
    print(f"peak growth for twice the rows: {growth:.2f}x (flat: <= {args.flat:g}x)")
    failures = []
    if ratio < args.min_ratio:
        failures.append(f"send_many is {ratio:.1f}x faster, below {args.min_ratio:g}x")
    if growth > args.flat:
        failures.append(f"peak memory grew {growth:.2f}x for twice the rows")
    if failures:
        raise SystemExit("; ".join(failures))


if __name__ == "__main__":
    main()
