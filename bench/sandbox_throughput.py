"""Sandbox throughput: concurrent sends against `python -m payamak.sandbox`, over JSON and SOAP.

Starts the sandbox in a subprocess on a free port, drives it with concurrent senders (each an
`httpx.AsyncClient` with one keep-alive connection), split over a few client processes so that
the client's own CPU cost does not cap the figure on a small machine, and prints requests per
second for trez_rest SendMessage and for trez_xml getxml sendmessage (type 0, one recipient, a
fresh usergroupid per call, as the gateway requires), with trez_rest GetCredit (the cheapest
authenticated call) measured in the same run as the baseline. Every send is checked (HTTP 200
with a result: Code 0, or a groupmid) and the stored message count verified.

Usage: python bench/sandbox_throughput.py [--requests 3000] [--concurrency 32] [--processes 2]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import multiprocessing as mp
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from typing import Any
from xml.sax.saxutils import escape

import httpx
from _sandbox_process import start_sandbox

REST_HEADERS = {
    "Authorization": "Basic " + base64.b64encode(b"demo:demo").decode(),
    "Content-Type": "application/json",
}
SOAP_HEADERS = {
    "Content-Type": "text/xml; charset=utf-8",
    "SOAPAction": '"http://tempuri.org/getxml"',
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
# The getxml envelope around an xmlrequest whose usergroupid goes where the marker is: the
# gateway refuses a usergroupid the account has used before, so every call needs its own.
_MARKER = "USERGROUPID"
_XML_SEND = (
    "<xmlrequest><username>demo</username><password>demo</password>"
    "<number>50002910001080</number><action>sendmessage</action><type>0</type><dodate></dodate>"
    f"<message>bench</message><usergroupid>{_MARKER}</usergroupid>"
    '<body><recipient mobile="09121234567"></recipient></body></xmlrequest>'
)
_SOAP_HEAD, _SOAP_TAIL = (
    (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<getxml xmlns="http://tempuri.org/"><xmlString>{escape(_XML_SEND)}</xmlString></getxml>'
        "</soap:Body></soap:Envelope>"
    )
    .encode()
    .split(_MARKER.encode())
)


@dataclass(frozen=True)
class Target:
    """One kind of call: where it goes, its body for the n-th call of a sender, and success."""

    label: str
    path: str
    headers: dict[str, str]
    body: Callable[[str], bytes]
    succeeded: Callable[[httpx.Response], bool]


def _rest_ok(response: httpx.Response) -> bool:
    return response.status_code == 200 and response.json()["Code"] == 0


def _soap_ok(response: httpx.Response) -> bool:
    return response.status_code == 200 and b"&lt;groupmid&gt;" in response.content


TARGETS = {
    "GetCredit": Target(
        "trez_rest GetCredit", "/api/smsAPI/GetCredit", REST_HEADERS, lambda _: b"{}", _rest_ok
    ),
    "SendMessage": Target(
        "trez_rest SendMessage",
        "/api/smsAPI/SendMessage",
        REST_HEADERS,
        lambda _: SEND_BODY,
        _rest_ok,
    ),
    "getxml": Target(
        "trez_xml getxml sendmessage",
        "/XmlForSMS.asmx",
        SOAP_HEADERS,
        lambda ref: _SOAP_HEAD + ref.encode() + _SOAP_TAIL,
        _soap_ok,
    ),
}


async def _senders(
    base_url: str, name: str, worker: str, requests: int, concurrency: int, ready: Any, go: Event
) -> int:
    target = TARGETS[name]
    path, headers = target.path, target.headers
    refs = (f"bench-{worker}-{n}" for n in itertools.count())
    clients = [httpx.AsyncClient(base_url=base_url, timeout=30) for _ in range(concurrency)]
    failures = 0
    try:
        # Warm up: open every connection before the clock starts.
        warm = [c.post(path, content=target.body(next(refs)), headers=headers) for c in clients]
        await asyncio.gather(*warm)
        ready.put(concurrency)
        while not go.is_set():
            await asyncio.sleep(0.001)
        remaining = requests

        async def sender(client: httpx.AsyncClient) -> None:
            nonlocal remaining, failures
            while remaining > 0:
                remaining -= 1
                response = await client.post(path, content=target.body(next(refs)), headers=headers)
                if not target.succeeded(response):
                    failures += 1

        await asyncio.gather(*(sender(c) for c in clients))
    finally:
        for client in clients:
            await client.aclose()
    return failures


def _client_process(
    base_url: str,
    name: str,
    worker: str,
    requests: int,
    concurrency: int,
    ready: Any,
    go: Event,
    done: Any,
) -> None:
    done.put(asyncio.run(_senders(base_url, name, worker, requests, concurrency, ready, go)))


def drive(base_url: str, name: str, requests: int, concurrency: int, processes: int) -> float:
    """Sends `requests` calls of `TARGETS[name]` from `concurrency` senders in `processes`
    processes; returns requests per second."""
    ctx = mp.get_context("spawn")
    ready, done, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [requests // processes + (i < requests % processes) for i in range(processes)]
    senders = [concurrency // processes + (i < concurrency % processes) for i in range(processes)]
    run = time.time_ns()  # with the worker's index, keeps every call's usergroupid unique
    workers = [
        ctx.Process(
            target=_client_process,
            args=(base_url, name, f"{run}-{i}", n, c, ready, go, done),
            daemon=True,
        )
        for i, (n, c) in enumerate(zip(shares, senders, strict=True))
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
        raise SystemExit(f"{failures} {TARGETS[name].label} calls failed")
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
        soap_sends = drive(base_url, "getxml", *run)
        messages = httpx.get(f"{base_url}/_sandbox/messages").json()["messages"]
    finally:
        process.terminate()
        process.wait(timeout=10)
    expected = args.requests + args.concurrency  # the timed sends plus one warm-up per sender
    for provider in ("trez_rest", "trez_xml"):
        stored = sum(m["provider"] == provider for m in messages)
        if stored != expected:
            raise SystemExit(f"expected {expected} stored {provider} messages, found {stored}")
    print(f"trez_rest GetCredit (baseline): {baseline:.0f} req/s")
    print(f"trez_rest SendMessage: {sends:.0f} req/s")
    print(f"trez_xml getxml sendmessage: {soap_sends:.0f} req/s")
    print(f"SendMessage / GetCredit: {sends / baseline:.2f}")
    print(f"getxml sendmessage / GetCredit: {soap_sends / baseline:.2f}")


if __name__ == "__main__":
    main()
