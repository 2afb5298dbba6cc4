"""Sandbox throughput: concurrent trez_rest SendMessage calls against `python -m payamak.sandbox`.

Starts the sandbox in a subprocess on a free port, drives it with concurrent senders (each an
`httpx.AsyncClient` with one keep-alive connection), split over a few client processes so that
the client's own CPU cost does not cap the figure on a small machine, and prints requests per
second for SendMessage, with GetCredit (the cheapest authenticated call) measured in the same run
as the baseline. Every send is checked (HTTP 200, Code 0) and the stored message count verified.

Usage: python bench/sandbox_throughput.py [--requests 3000] [--concurrency 32] [--processes 2]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import httpx

HEADERS = {
    "Authorization": "Basic " + base64.b64encode(b"demo:demo").decode(),
    "Content-Type": "application/json",
}
SEND_BODY = json.dumps(
    {
        "PhoneNumber": "50002910001080",
        "Message": "bench",
        "Mobiles": ["09121234567"],
        "UserGroupID": "bench",
        "SendDateInTimeStamp": 0,
    }
).encode()
BODIES = {"SendMessage": SEND_BODY, "GetCredit": b"{}"}


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """Starts the sandbox on a free port and returns the process and its base URL."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "payamak.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    banner = process.stdout.readline().strip()
    if not banner.startswith("payamak sandbox listening on "):
        process.kill()
        raise SystemExit(f"the sandbox did not start: {banner!r}")
    return process, banner.rsplit(" ", 1)[-1]


async def _senders(
    base_url: str, method: str, requests: int, concurrency: int, ready: Any, go: Event
) -> int:
    path = f"/api/smsAPI/{method}"
    body = BODIES[method]
    clients = [httpx.AsyncClient(base_url=base_url, timeout=30) for _ in range(concurrency)]
    failures = 0
    try:
        # Warm up: open every connection before the clock starts.
        await asyncio.gather(*(c.post(path, content=body, headers=HEADERS) for c in clients))
        ready.put(concurrency)
        while not go.is_set():
            await asyncio.sleep(0.001)
        remaining = requests

        async def sender(client: httpx.AsyncClient) -> None:
            nonlocal remaining, failures
            while remaining > 0:
                remaining -= 1
                response = await client.post(path, content=body, headers=HEADERS)
                if response.status_code != 200 or response.json()["Code"] != 0:
                    failures += 1

        await asyncio.gather(*(sender(c) for c in clients))
    finally:
        for client in clients:
            await client.aclose()
    return failures


def _client_process(
    base_url: str, method: str, requests: int, concurrency: int, ready: Any, go: Event, done: Any
) -> None:
    done.put(asyncio.run(_senders(base_url, method, requests, concurrency, ready, go)))


def drive(base_url: str, method: str, requests: int, concurrency: int, processes: int) -> float:
    """Sends `requests` calls from `concurrency` senders in `processes` processes; returns req/s."""
    ctx = mp.get_context("spawn")
    ready, done, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [requests // processes + (i < requests % processes) for i in range(processes)]
    senders = [concurrency // processes + (i < concurrency % processes) for i in range(processes)]
    workers = [
        ctx.Process(
            target=_client_process, args=(base_url, method, n, c, ready, go, done), daemon=True
        )
        for n, c in zip(shares, senders, strict=True)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=60)
    started = time.perf_counter()
    go.set()
    failures = sum(done.get(timeout=600) for _ in workers)
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join(timeout=10)
    if failures:
        raise SystemExit(f"{failures} {method} calls failed")
    return requests / elapsed


def main() -> None:
    """Runs the benchmark and prints the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    args = parser.parse_args()
    process, base_url = start_sandbox()
    try:
        # Enough credit for any run length, so every send is a real, charged send.
        httpx.post(f"{base_url}/_sandbox/credit", json={"username": "demo", "rials": 10**15})
        run = (args.requests, args.concurrency, args.processes)
        baseline = drive(base_url, "GetCredit", *run)
        sends = drive(base_url, "SendMessage", *run)
        stored = len(httpx.get(f"{base_url}/_sandbox/messages").json()["messages"])
    finally:
        process.terminate()
        process.wait(timeout=10)
    expected = args.requests + args.concurrency  # the timed sends plus one warm-up per sender
    if stored != expected:
        raise SystemExit(f"expected {expected} stored messages, found {stored}")
    print(f"trez_rest GetCredit (baseline): {baseline:.0f} req/s")
    print(f"trez_rest SendMessage: {sends:.0f} req/s")
    print(f"SendMessage / GetCredit: {sends / baseline:.2f}")


if __name__ == "__main__":
    main()
