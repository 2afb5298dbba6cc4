"""Helpers for the bounded-work tests: hostile bodies, another client's wait, peak memory."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar
from xml.sax.saxutils import escape

import httpx
import pytest

from tests.sandbox.support import DEMO_AUTH

T = TypeVar("T")

SOAP_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b'<soap:Body><getxml xmlns="http://tempuri.org/">'
)
SOAP_TAIL = b"</getxml></soap:Body></soap:Envelope>"
SOAP_HEADERS = {
    "Content-Type": "text/xml; charset=utf-8",
    "SOAPAction": '"http://tempuri.org/getxml"',
}
MiB = 1024 * 1024


def soap_flood(size: int) -> bytes:
    """A SOAP envelope of about `size` bytes whose operation element holds only `<a/>`s."""
    count = (size - len(SOAP_HEAD) - len(SOAP_TAIL)) // 4
    return SOAP_HEAD + b"<a/>" * count + SOAP_TAIL


def getxml(inner: str) -> bytes:
    """A getxml envelope carrying `inner` as the text of xmlString, escaped as clients do."""
    return SOAP_HEAD + f"<xmlString>{escape(inner)}</xmlString>".encode() + SOAP_TAIL


@dataclass
class Contended(Generic[T]):
    """What happened while a hostile request was in flight.

    Attributes:
        result: The hostile request's outcome.
        hostile_seconds: How long the hostile request took, sent to answered.
        waits: How long each of the other client's calls took meanwhile (at least one).
    """

    result: T
    hostile_seconds: float
    waits: list[float] = field(default_factory=list)

    @property
    def longest_wait(self) -> float:
        """The other client's longest wait."""
        return max(self.waits)


def while_hostile(base_url: str, hostile: Callable[[], T]) -> Contended[T]:
    """Runs `hostile` in a thread and, until it returns, times another client's GetCredit calls.

    The other client connects first, so its waits are the server's, not a connection's setup.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []
    took: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        try:
            outcome.append(hostile())
        except BaseException as exc:  # handed to the test below
            failure.append(exc)
        took.append(time.perf_counter() - start)

    waits: list[float] = []
    with httpx.Client(base_url=base_url, auth=DEMO_AUTH, timeout=30) as other:
        assert other.post("/api/smsAPI/GetCredit").json()["Code"] == 0
        thread = threading.Thread(target=run)
        thread.start()
        while thread.is_alive() or not waits:
            start = time.perf_counter()
            assert other.post("/api/smsAPI/GetCredit").json()["Code"] == 0
            waits.append(time.perf_counter() - start)
            time.sleep(0.01)
        thread.join()
    if failure:
        raise failure[0]
    return Contended(outcome[0], took[0], waits)


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@contextmanager
def peak_rss_growth() -> Iterator[Callable[[], float]]:
    """Measures how far this process's resident memory peaks above where it starts, in MiB.

    The sandbox runs in the test's own process, so its memory is this process's. Linux resets the
    high-water mark (VmHWM) when `5` is written to /proc/self/clear_refs; the test is skipped
    where that is not possible.

    Yields:
        A function returning the growth so far (call it after the block).
    """
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        pytest.skip("needs Linux's /proc/self/clear_refs to measure peak memory")
    start = _status_mib("VmRSS")
    yield lambda: _status_mib("VmHWM") - start


def _status_mib(key: str) -> float:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"{key} missing from {_STATUS}")


def declared_only(base_url: str, path: str, length: int) -> bytes:
    """Sends only the headers of a POST whose Content-Length is `length`, and reads the answer.

    Returns:
        The raw response; it can only come before any body byte is sent if the server refused the
        body on its declared length.
    """
    with _connect(base_url) as conn:
        conn.sendall(_head(base_url, path, length, {"Content-Type": "application/json"}))
        return _read_response(conn)


def raw_post(base_url: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """POSTs `body` over a plain socket, a slice at a time, and returns the raw response.

    Unlike an HTTP client, this makes no copy of the body, so the memory this process gains
    while it is sent is the server's (it runs in this process too).
    """
    with _connect(base_url) as conn:
        conn.sendall(_head(base_url, path, len(body), headers))
        view = memoryview(body)
        try:
            for start in range(0, len(body), MiB):
                conn.sendall(view[start : start + MiB])
        except OSError:
            pass  # the server may stop reading once it has answered: read what it said
        return _read_response(conn)


def status_of(response: bytes) -> int:
    """The status code of a raw HTTP/1.1 response."""
    return int(response.split(b" ", 2)[1])


def _connect(base_url: str) -> socket.socket:
    url = httpx.URL(base_url)
    assert url.port is not None
    return socket.create_connection((url.host, url.port), timeout=10)


def _head(base_url: str, path: str, length: int, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {httpx.URL(base_url).netloc.decode()}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _read_response(conn: socket.socket) -> bytes:
    received = b""
    while not _complete(received):
        chunk = conn.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def _complete(response: bytes) -> bool:
    head, found, body = response.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False
