"""HTTP plumbing shared by the generated clients: sans-IO request and response values, the
HTTP status check every wire format applies first, and the sync and async base clients that send
requests over httpx."""

from __future__ import annotations

import time
import traceback
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final, NoReturn

import httpx
import pydantic
from typing_extensions import Self

from .errors import (
    AuthenticationError,
    FieldError,
    HttpStatusError,
    InvalidInputError,
    PayamakGenError,
    RequestTimeout,
    ResponseTooLargeError,
    TransportError,
    safe_value,
)

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "AsyncBaseClient",
    "HttpRequest",
    "HttpResponse",
    "InsecureTransportWarning",
    "Secret",
    "SyncBaseClient",
    "input_errors",
    "raise_for_status",
]

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
"""Connect within 10 s, and no single read, write or pool wait longer than 30 s."""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A request as built by an operation's ``build_*`` function, before any I/O.

    Attributes:
        method: HTTP method.
        path: Path below the client's base URL, starting with ``/``.
        headers: Headers specific to the operation (authentication is added by the client).
        content: The exact body bytes. Left out of the repr: a body may carry credentials
            (SOAP providers put them inside the document).
    """

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = field(default=b"", repr=False)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A response as handed to an operation's ``parse_*`` function.

    Attributes:
        status_code: HTTP status.
        content: The body bytes.
        headers: Response headers (lower-case names).
    """

    status_code: int
    content: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def raise_for_status(
    response: HttpResponse, *, provider: str, operation: str, auth_failure_fa: str
) -> None:
    """Raise for any status outside 2xx, before the body is interpreted.

    A 401 is an authentication error whatever the body says; any other non-2xx status is an
    HTTP error (wire formats that carry errors in a non-2xx body, such as SOAP faults, look
    for them before calling this).

    Raises:
        AuthenticationError: HTTP 401.
        HttpStatusError: any other status outside 2xx.
    """
    if 200 <= response.status_code < 300:
        return
    if response.status_code == 401:
        raise AuthenticationError(
            provider=provider,
            operation=operation,
            code=None,
            kind="authentication",
            retryable=False,
            message_en="Credentials rejected (HTTP 401)",
            message_fa=auth_failure_fa,
            server_message=None,
            http_status=401,
            raw=response.content,
        )
    raise HttpStatusError(
        provider=provider,
        operation=operation,
        status_code=response.status_code,
        raw=response.content,
    )


_LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})


class InsecureTransportWarning(UserWarning):
    """Credentials are about to cross the network unencrypted (plain ``http://`` to a host
    that is not this machine). Silence it with ``warnings.filterwarnings`` where that is
    known and accepted (a gateway that serves only http)."""


def _is_loopback(host: str) -> bool:
    return host in _LOOPBACK_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def _normalise_base_url(base_url: str, *, sends_credentials: bool) -> str:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"base_url is not a valid URL ({exc})") from None
    # Checked before the URL is ever echoed: credentials in it would reach reprs and errors,
    # and httpx would send them as HTTP Basic authentication.
    if url.userinfo:
        raise ValueError("base_url must not contain credentials (user:password@); pass them apart")
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
    if sends_credentials and url.scheme == "http" and not _is_loopback(url.host):
        warnings.warn(
            f"credentials will be sent unencrypted over http to {url.host}; use https where "
            "the gateway serves it",
            InsecureTransportWarning,
            stacklevel=5,
        )
    return base_url.rstrip("/")


class Secret:
    """A credential held so that it never shows: not in ``repr``/``str`` (so not in the locals
    of a rendered traceback, which are reprs), not in pickles. Its value is read with
    ``reveal()``, only where a request is written."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")


def _scrub(exc: BaseException | None) -> None:
    # The frames below ours (httpx, httpcore, the request builders) have finished; their locals
    # may hold the request bytes or a credential (httpcore's `chunk` on a write timeout, a
    # builder's `password` argument). A traceback rendered with locals (pytest -l, rich,
    # error trackers) would show them, so they are dropped; file names and lines stay.
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


# Failures that happen before any byte of the request leaves: the server cannot have acted.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@contextmanager
def _transport_errors(provider: str, operation: str) -> Iterator[None]:
    """Translate httpx's transport failures into ours, so callers catch one hierarchy."""
    try:
        yield
    except RequestTimeout as exc:
        # The deadline, raised from inside httpcore's stream: its frames are below.
        _scrub(exc)
        raise
    except httpx.TimeoutException as exc:
        _scrub(exc)
        # A phase's timeout is capped to what is left of the deadline: say which one ran out.
        budget = _BUDGET.get()
        late = budget is not None and budget.expired()
        within = "within the overall deadline" if late else "in time"
        raise RequestTimeout(
            f"no complete answer {within} ({type(exc).__name__})",
            provider=provider,
            operation=operation,
            request_sent=not isinstance(exc, _NOT_SENT),
        ) from exc
    except httpx.TransportError as exc:
        _scrub(exc)
        raise TransportError(
            f"HTTP exchange failed ({type(exc).__name__}: {exc})",
            provider=provider,
            operation=operation,
            request_sent=not isinstance(exc, _NOT_SENT),
        ) from exc


def input_errors(provider: str, operation: str, *, secrets: Collection[str] = ()) -> _InputErrors:
    """A context manager that turns what building a request raises for bad arguments into
    ``InvalidInputError``.

    Wraps the ``build_*`` call of a client method: ``FieldError`` (the codecs), pydantic's
    ``ValidationError`` (the models), and the ``ValueError``/``TypeError`` of hand-written
    builders. The frames below (which hold the arguments, credentials included, and any
    half-written request) are cleared and left out of the chain.

    Args:
        provider: Provider id, for the error.
        operation: The operation's wire name, for the error.
        secrets: Names of the fields that carry credentials: a bad value there is shown by its
            type only (a password passed as a number is still a password).
    """
    return _InputErrors(provider, operation, secrets)


class _InputErrors:
    # A class, not @contextmanager: contextlib's __exit__ frame would stay in the new error's
    # traceback holding the original exception, whose repr shows the values (pydantic's does,
    # a credential included); here the frame drops it before raising.
    __slots__ = ("operation", "provider", "secrets")

    def __init__(self, provider: str, operation: str, secrets: Collection[str]) -> None:
        self.provider = provider
        self.operation = operation
        self.secrets = secrets

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # pydantic.ValidationError is a ValueError.
        if isinstance(exc, PayamakGenError) or not isinstance(exc, (ValueError, TypeError)):
            return
        error = _input_error(exc, self.provider, self.operation, self.secrets)
        _scrub(exc)
        exc = None
        raise error from None


def _input_error(
    exc: Exception, provider: str, operation: str, secrets: Collection[str]
) -> InvalidInputError:
    if isinstance(exc, FieldError):
        return InvalidInputError(
            exc.detail, provider=provider, operation=operation, field=exc.field
        )
    if isinstance(exc, pydantic.ValidationError):
        errors = exc.errors(include_url=False)
        first = errors[0] if errors else None
        if first is not None:
            loc = first["loc"]
            field = ".".join(str(part) for part in loc) or None
            value = first.get("input")
            # A whole-model error carries every argument as its input, credentials included.
            hidden = (
                not loc or str(loc[0]) in secrets or isinstance(value, (dict, pydantic.BaseModel))
            )
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return InvalidInputError(
                first["msg"] + more,
                provider=provider,
                operation=operation,
                field=field,
                value=safe_value(value, secret=hidden),
            )
    return InvalidInputError(str(exc), provider=provider, operation=operation)


DEFAULT_DEADLINE: Final = 60.0
"""Seconds a whole call may take, connect to last body byte, whatever the per-phase timeouts."""

DEFAULT_MAX_RESPONSE_BYTES: Final = 4 * 1024 * 1024
"""The largest answer body accepted (decoded), in bytes: the biggest legitimate answer (a status
listing 50,000 recipients) is about 2 MB."""


class _Exchange:
    """One call's budget: the overall deadline and the size cap, checked as the body streams in."""

    __slots__ = ("deadline", "limit", "operation", "provider", "timeout")

    def __init__(self, config: _ClientConfig, operation: str) -> None:
        self.provider = config.provider
        self.operation = operation
        self.limit = config.max_response_bytes
        now = time.monotonic()
        self.deadline = None if config.deadline is None else now + config.deadline
        self.timeout = config.phase_timeout(config.deadline)

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline - 0.001

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise self.timed_out(sent=True)

    def timed_out(self, *, sent: bool) -> RequestTimeout:
        return RequestTimeout(
            "no complete answer within the overall deadline",
            provider=self.provider,
            operation=self.operation,
            request_sent=sent,
        )

    def check_headers(self, response: httpx.Response) -> None:
        declared = response.headers.get("content-length", "")
        # A declared length over the cap is refused before a byte of the body is read (unless
        # the body is compressed: the cap is on the decoded size).
        if (
            declared.isascii()
            and declared.isdigit()
            and len(declared) < 20
            and int(declared) > self.limit
            and not response.headers.get("content-encoding")
        ):
            raise self.too_large(b"", f"Content-Length {declared}")

    def add(self, chunks: list[bytes], chunk: bytes, size: int) -> int:
        size += len(chunk)
        if size > self.limit:
            raise self.too_large(b"".join(chunks)[:256] if chunks else chunk[:256], "the body")
        chunks.append(chunk)
        return size

    def too_large(self, raw: bytes, what: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{what} exceeds max_response_bytes ({self.limit})",
            provider=self.provider,
            operation=self.operation,
            raw=raw,
            limit=self.limit,
        )


_BUDGET: ContextVar[_Exchange | None] = ContextVar("payamak_gen_exchange", default=None)


def _left(timeout: float | None, *, sent: bool) -> float | None:
    # Each socket operation of the call waits at most what is left of its deadline, so that a
    # server trickling even its headers is cut off in time (httpx reads headers in one call).
    budget = _BUDGET.get()
    if budget is None or budget.deadline is None:
        return timeout
    left = budget.deadline - time.monotonic()
    if left <= 0:
        raise budget.timed_out(sent=sent)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream:
    """An httpcore network stream whose every read and write respects the call's deadline."""

    __slots__ = ("_stream",)

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._stream.read(max_bytes, _left(timeout, sent=True))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, sent=True))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _DeadlineStream:
        left = _left(timeout, sent=False)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend:
    """httpcore's network backend, with streams that respect the call's deadline."""

    __slots__ = ("_backend",)

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> _DeadlineStream:
        left = _left(timeout, sent=False)
        return _DeadlineStream(
            self._backend.connect_tcp(host, port, left, local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> _DeadlineStream:
        left = _left(timeout, sent=False)
        return _DeadlineStream(self._backend.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncDeadlineStream:
    """The asynchronous ``_DeadlineStream``."""

    __slots__ = ("_stream",)

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = await self._stream.read(max_bytes, _left(timeout, sent=True))
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _left(timeout, sent=True))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _AsyncDeadlineStream:
        left = _left(timeout, sent=False)
        return _AsyncDeadlineStream(
            await self._stream.start_tls(ssl_context, server_hostname, left)
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncDeadlineBackend:
    """The asynchronous ``_DeadlineBackend``."""

    __slots__ = ("_backend",)

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> _AsyncDeadlineStream:
        left = _left(timeout, sent=False)
        return _AsyncDeadlineStream(
            await self._backend.connect_tcp(host, port, left, local_address, socket_options)
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> _AsyncDeadlineStream:
        left = _left(timeout, sent=False)
        return _AsyncDeadlineStream(
            await self._backend.connect_unix_socket(path, left, socket_options)
        )

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def _with_deadline(http: httpx.Client | httpx.AsyncClient, wrapper: Callable[[Any], Any]) -> None:
    # Only on a client this runtime made: httpx offers no public hook into socket reads, so the
    # wrapper goes around the connection pool's backend (httpx and httpcore internals, pinned
    # by pyproject). If they move, a call still has its deadline, checked between the chunks
    # of the body and capping each phase's timeout; only a trickle of headers could overrun.
    pool = getattr(getattr(http, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None:
        pool._network_backend = wrapper(backend)  # type: ignore[union-attr]


def _to_response(response: httpx.Response, content: bytes) -> HttpResponse:
    return HttpResponse(
        status_code=response.status_code,
        content=content,
        headers=dict(response.headers),
    )


class _ClientConfig:
    # Shared by the sync and async bases; credentials live only in ``_auth`` or in ``Secret``
    # attributes of the generated clients, and never in repr.
    provider: str = ""

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth | None,
        timeout: float | httpx.Timeout,
        deadline: float | None,
        max_response_bytes: int,
        sends_credentials: bool = True,
    ) -> None:
        if deadline is not None and not deadline > 0:
            raise ValueError(
                f"deadline must be a positive number of seconds or None, got {deadline!r}"
            )
        if max_response_bytes < 1:
            raise ValueError(f"max_response_bytes must be positive, got {max_response_bytes!r}")
        self.base_url = _normalise_base_url(base_url, sends_credentials=sends_credentials)
        self._auth = auth
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes

    def phase_timeout(self, remaining: float | None) -> httpx.Timeout:
        """The per-phase timeouts, none longer than what is left of the deadline."""
        if remaining is None:
            return self._timeout
        t = self._timeout
        return httpx.Timeout(
            connect=_capped(t.connect, remaining),
            read=_capped(t.read, remaining),
            write=_capped(t.write, remaining),
            pool=_capped(t.pool, remaining),
        )

    def _url(self, request: HttpRequest) -> str:
        return self.base_url + request.path

    def __repr__(self) -> str:
        # getattr: a constructor that failed (a bad base_url) leaves the attribute unset, and a
        # debugger or error tracker showing the half-made client must not fail in turn.
        return f"{type(self).__name__}(base_url={getattr(self, 'base_url', '<unset>')!r})"


def _capped(value: float | None, remaining: float) -> float:
    return remaining if value is None else min(value, remaining)


class SyncBaseClient(_ClientConfig):
    """Base of every generated synchronous client.

    Args:
        base_url: The provider's base URL.
        auth: httpx authentication to apply to every request, if the provider uses HTTP auth.
        timeout: Seconds, or an ``httpx.Timeout``, for each phase (connect, each read, each
            write, pool wait) of every request.
        deadline: Seconds a whole call may take, from connecting to the last byte of the answer
            (``None``: no overall limit). A server answering too slowly, even a byte at a time,
            is cut off with ``RequestTimeout``. Each phase's timeout is capped to what is left;
            on the client's own pool every socket read and write is too, and through an
            injected ``http_client`` the body is checked between chunks (so only a trickle of
            headers could overrun there).
        max_response_bytes: The largest answer body accepted; a larger one is cut off while it
            streams in, with ``ResponseTooLargeError``.
        http_client: An ``httpx.Client`` to send with (for proxies, transports, connection
            limits). The caller keeps ownership of an injected client and closes it.
        sends_credentials: Whether requests carry credentials (then plain http to a host that
            is not loopback gives an ``InsecureTransportWarning``).
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: httpx.Client | None = None,
        sends_credentials: bool = True,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            sends_credentials=sends_credentials,
        )
        self._owns_http_client = http_client is None
        if http_client is None:
            http_client = httpx.Client()
            _with_deadline(http_client, _DeadlineBackend)
        self._http = http_client

    def close(self) -> None:
        """Close the underlying HTTP client, unless it was injected by the caller."""
        if getattr(self, "_owns_http_client", False):
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(self, operation: str, request: HttpRequest) -> HttpResponse:
        budget = _Exchange(self, operation)
        token = _BUDGET.set(budget)
        try:
            return self._exchange(operation, request, budget)
        finally:
            _BUDGET.reset(token)

    def _exchange(self, operation: str, request: HttpRequest, budget: _Exchange) -> HttpResponse:
        with _transport_errors(self.provider, operation):
            # build_request then send (not request()): no frame of httpx that stays on the
            # stack while the answer is awaited holds the body bytes as a local.
            response = self._http.send(
                self._http.build_request(
                    request.method,
                    self._url(request),
                    content=request.content,
                    headers=request.headers,
                    timeout=budget.timeout,
                ),
                auth=self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT,
                stream=True,
            )
            try:
                budget.check_headers(response)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    budget.check_time()
                    size = budget.add(chunks, chunk, size)
                budget.check_time()
            finally:
                response.close()
        return _to_response(response, b"".join(chunks))


class AsyncBaseClient(_ClientConfig):
    """Base of every generated asynchronous client; the same as ``SyncBaseClient`` over
    ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: httpx.AsyncClient | None = None,
        sends_credentials: bool = True,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            sends_credentials=sends_credentials,
        )
        self._owns_http_client = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient()
            _with_deadline(http_client, _AsyncDeadlineBackend)
        self._http = http_client

    async def aclose(self) -> None:
        """Close the underlying HTTP client, unless it was injected by the caller."""
        if getattr(self, "_owns_http_client", False):
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _send(self, operation: str, request: HttpRequest) -> HttpResponse:
        budget = _Exchange(self, operation)
        token = _BUDGET.set(budget)
        try:
            return await self._exchange(operation, request, budget)
        finally:
            _BUDGET.reset(token)

    async def _exchange(
        self, operation: str, request: HttpRequest, budget: _Exchange
    ) -> HttpResponse:
        with _transport_errors(self.provider, operation):
            response = await self._http.send(
                self._http.build_request(
                    request.method,
                    self._url(request),
                    content=request.content,
                    headers=request.headers,
                    timeout=budget.timeout,
                ),
                auth=self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT,
                stream=True,
            )
            try:
                budget.check_headers(response)
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    budget.check_time()
                    size = budget.add(chunks, chunk, size)
                budget.check_time()
            finally:
                await response.aclose()
        return _to_response(response, b"".join(chunks))
