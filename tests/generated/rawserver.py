"""A tiny HTTP/1.1 server on a raw loopback socket, for answers a well-behaved server library
will not give: a body trickled a byte at a time, a flood of tens of megabytes, a connection
closed without an answer. It reads each request whole, then runs the test's ``answer``; it stops
when the ``with`` block ends (the listening socket is closed and the thread joined)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

from typing_extensions import Self

Answer = Callable[[socket.socket, "RawServer"], None]


class RawServer:
    """Serves ``answer`` to every connection, one at a time, on 127.0.0.1.

    Attributes:
        url: The base URL (``http://127.0.0.1:<port>``).
        requests: The bodies received, in order.
        sent: Bytes of body the last answer managed to send before the client hung up.
    """

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.requests: list[bytes] = []
        self.sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(5)
        self._socket.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(5)
                try:
                    self.requests.append(_read_request(connection))
                    self._answer(connection, self)
                except OSError:  # the client hung up: what several tests want
                    pass

    def stopping(self) -> bool:
        """Whether the test is over (answers that loop check it)."""
        return self._stop.is_set()


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise OSError("closed before the headers ended")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return body


def trickle(body: bytes, interval: float, content_type: str) -> Answer:
    """Headers at once (with the whole length), then the body one byte per ``interval``."""

    def answer(connection: socket.socket, server: RawServer) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (content_type.encode(), len(body))
        )
        for byte in body:
            if server.stopping():
                return
            connection.sendall(bytes([byte]))
            server.sent += 1
            time.sleep(interval)

    return answer


def flood(
    prefix: bytes, unit: bytes, total: int, content_type: str, *, declare_length: bool = False
) -> Answer:
    """``prefix`` then ``unit`` repeated up to ``total`` bytes, as fast as the client reads;
    the length is declared only if asked (otherwise the body ends when the connection does)."""

    def answer(connection: socket.socket, server: RawServer) -> None:
        length = b"Content-Length: %d\r\n" % total if declare_length else b""
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\n%sConnection: close\r\n\r\n"
            % (content_type.encode(), length)
        )
        connection.sendall(prefix)
        server.sent = len(prefix)
        block = unit * (65536 // len(unit))
        while server.sent < total and not server.stopping():
            connection.sendall(block)
            server.sent += len(block)

    return answer


def hang_up(connection: socket.socket, server: RawServer) -> None:
    """Read the request, answer nothing, close: a transport error after the request left."""
