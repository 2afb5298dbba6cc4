"""HTTP plumbing shared by the generated clients: sans-IO request and response values, the
HTTP status check every wire format applies first, and the sync and async base clients that send
requests over httpx."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Final

import httpx
from typing_extensions import Self

from .errors import AuthenticationError, HttpStatusError, RequestTimeout, TransportError

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncBaseClient",
    "HttpRequest",
    "HttpResponse",
    "SyncBaseClient",
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


def _normalise_base_url(base_url: str) -> str:
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
    return base_url.rstrip("/")


# Failures that happen before any byte of the request leaves: the server cannot have acted.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@contextmanager
def _transport_errors(provider: str, operation: str) -> Iterator[None]:
    """Translate httpx's transport failures into ours, so callers catch one hierarchy."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise RequestTimeout(
            f"no complete answer in time ({type(exc).__name__})",
            provider=provider,
            operation=operation,
            request_sent=not isinstance(exc, _NOT_SENT),
        ) from exc
    except httpx.TransportError as exc:
        raise TransportError(
            f"HTTP exchange failed ({type(exc).__name__}: {exc})",
            provider=provider,
            operation=operation,
            request_sent=not isinstance(exc, _NOT_SENT),
        ) from exc


def _to_response(response: httpx.Response) -> HttpResponse:
    return HttpResponse(
        status_code=response.status_code,
        content=response.content,
        headers=dict(response.headers),
    )


class _ClientConfig:
    # Shared by the sync and async bases; credentials live only in ``_auth`` and never in repr.
    provider: str = ""

    def __init__(
        self, *, base_url: str, auth: httpx.Auth | None, timeout: float | httpx.Timeout
    ) -> None:
        self.base_url = _normalise_base_url(base_url)
        self._auth = auth
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)

    def _url(self, request: HttpRequest) -> str:
        return self.base_url + request.path

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


class SyncBaseClient(_ClientConfig):
    """Base of every generated synchronous client.

    Args:
        base_url: The provider's base URL.
        auth: httpx authentication to apply to every request, if the provider uses HTTP auth.
        timeout: Seconds, or an ``httpx.Timeout``, applied to every request.
        http_client: An ``httpx.Client`` to send with (for proxies, transports, connection
            limits). The caller keeps ownership of an injected client and closes it.
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(base_url=base_url, auth=auth, timeout=timeout)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.Client()

    def close(self) -> None:
        """Close the underlying HTTP client, unless it was injected by the caller."""
        if self._owns_http_client:
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
        with _transport_errors(self.provider, operation):
            response = self._http.request(
                request.method,
                self._url(request),
                content=request.content,
                headers=request.headers,
                auth=self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT,
                timeout=self._timeout,
            )
        return _to_response(response)


class AsyncBaseClient(_ClientConfig):
    """Base of every generated asynchronous client; the same as ``SyncBaseClient`` over
    ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(base_url=base_url, auth=auth, timeout=timeout)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()

    async def aclose(self) -> None:
        """Close the underlying HTTP client, unless it was injected by the caller."""
        if self._owns_http_client:
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
        with _transport_errors(self.provider, operation):
            response = await self._http.request(
                request.method,
                self._url(request),
                content=request.content,
                headers=request.headers,
                auth=self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT,
                timeout=self._timeout,
            )
        return _to_response(response)
