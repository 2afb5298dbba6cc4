"""A typed client for the admin API (`/_sandbox/`), for tests and scripts."""

from __future__ import annotations

from typing import Any, TypedDict

import httpx

__all__ = [
    "AccountInfo",
    "FaultInfo",
    "InboundInfo",
    "LineInfo",
    "SandboxAdmin",
    "SandboxAdminError",
    "SentMessage",
]


class SentMessage(TypedDict):
    """A message the sandbox accepted for sending.

    The stored message's fields (`payamak.sandbox._store.Message`) without its fate, plus `state`,
    its unified delivery state at the sandbox clock's now; a test keeps the two in step.
    """

    id: int
    provider: str
    kind: str
    username: str
    line: str
    mobile: str
    text: str
    parts: int
    price: int
    group_id: str | None
    user_ref: str | None
    code: str | None
    send_port: int | None
    receive_port: int | None
    created_at: float
    send_at: float
    state: str


class InboundInfo(TypedDict):
    """An inbound message as stored."""

    id: int
    username: str
    line: str
    mobile: str
    text: str
    received_at: float


class LineInfo(TypedDict):
    """A dedicated line."""

    number: str
    ports: bool


class AccountInfo(TypedDict):
    """An account as the admin API lists it (never with its password)."""

    username: str
    credit_rials: int
    price_fa: int
    price_en: int
    api_enabled: bool
    allowed_ips: list[str]
    lines: list[LineInfo]
    parent: str | None


class FaultInfo(TypedDict):
    """An armed fault."""

    id: int
    provider: str
    operation: str
    kind: str
    remaining: int
    latency: float
    code: int | None


class SandboxAdminError(Exception):
    """The admin API refused a request.

    Attributes:
        status: The HTTP status.
        message: The API's error text.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"sandbox admin API: HTTP {status}: {message}")
        self.status = status
        self.message = message


class SandboxAdmin:
    """Drives a running sandbox's admin API.

    Args:
        base_url: The sandbox's base URL, e.g. `http://127.0.0.1:8765`.
        timeout: Seconds to wait for each admin call.
    """

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        # trust_env=False: the sandbox is local, and an HTTP(S)_PROXY meant for the internet must
        # not catch loopback calls (a proxy cannot reach this machine's 127.0.0.1).
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/_sandbox", timeout=timeout, trust_env=False
        )

    def close(self) -> None:
        """Closes the underlying connection pool."""
        self._http.close()

    def __enter__(self) -> SandboxAdmin:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                message = str(response.json().get("error", response.text))
            except ValueError:
                message = response.text
            raise SandboxAdminError(response.status_code, message)
        return response.json()

    def info(self) -> dict[str, Any]:
        """Returns the providers served (name, paths, operations) and the clock."""
        result: dict[str, Any] = self._call("GET", "/")
        return result

    def messages(
        self, *, provider: str | None = None, mobile: str | None = None, username: str | None = None
    ) -> list[SentMessage]:
        """Lists sent messages, oldest first, optionally filtered.

        Args:
            provider: Only this provider's messages.
            mobile: Only messages to this number (any common form).
            username: Only this account's messages.
        """
        params = {
            k: v
            for k, v in (("provider", provider), ("mobile", mobile), ("username", username))
            if v
        }
        found: list[SentMessage] = self._call("GET", "/messages", params=params)["messages"]
        return found

    def inject_inbound(
        self,
        line: str,
        mobile: str,
        text: str,
        *,
        username: str | None = None,
        provider: str | None = None,
        received_at: float | None = None,
    ) -> InboundInfo:
        """Makes a message arrive on `line` from `mobile`.

        Args:
            line: The receiving line; its owner sees the message.
            mobile: The sender.
            text: The text.
            username: The line's owner (checked when given).
            provider: A provider id (checked when given; every provider sees the inbox).
            received_at: Unix time it arrived; the sandbox clock's now by default.
        """
        body: dict[str, Any] = {"line": line, "mobile": mobile, "text": text}
        if username is not None:
            body["username"] = username
        if provider is not None:
            body["provider"] = provider
        if received_at is not None:
            body["received_at"] = received_at
        created: InboundInfo = self._call("POST", "/inbound", json=body)
        return created

    def advance(self, seconds: float) -> float:
        """Moves the sandbox clock on and returns the new time (unix seconds)."""
        now: float = self._call("POST", "/advance", json={"seconds": seconds})["now"]
        return now

    def now(self) -> float:
        """Returns the sandbox clock's time (unix seconds)."""
        now: float = self._call("GET", "/clock")["now"]
        return now

    def set_credit(self, username: str, rials: int) -> int:
        """Sets an account's credit in rials and returns it."""
        credit: int = self._call("POST", "/credit", json={"username": username, "rials": rials})[
            "credit_rials"
        ]
        return credit

    def reset(self) -> None:
        """Returns the sandbox to its initial state, clears faults and resets the clock."""
        self._call("POST", "/reset")

    def inject_fault(
        self,
        provider: str,
        kind: str,
        *,
        operation: str = "*",
        count: int = 1,
        latency: float = 0.0,
        code: int | None = None,
    ) -> FaultInfo:
        """Makes the next `count` calls of an operation fail.

        Args:
            provider: Provider id, e.g. `trez_rest`.
            kind: `latency`, `http_500`, `http_503`, `drop`, `truncate`, `malformed`,
                `soap_fault` (SOAP providers only) or `error_code`.
            operation: Operation name (e.g. `SendMessage`), or `*` for all of them.
            count: How many calls to affect.
            latency: Seconds of added delay, for `latency`.
            code: The provider's result code to answer with, for `error_code`.
        """
        body = {
            "provider": provider,
            "operation": operation,
            "kind": kind,
            "count": count,
            "latency": latency,
            "code": code,
        }
        fault: FaultInfo = self._call("POST", "/faults", json=body)
        return fault

    def faults(self) -> list[FaultInfo]:
        """Lists the armed faults."""
        armed: list[FaultInfo] = self._call("GET", "/faults")["faults"]
        return armed

    def clear_faults(self) -> None:
        """Disarms every fault."""
        self._call("DELETE", "/faults")

    def accounts(self) -> list[AccountInfo]:
        """Lists the accounts with their credit, prices and lines."""
        found: list[AccountInfo] = self._call("GET", "/accounts")["accounts"]
        return found

    def credit(self, username: str) -> int:
        """Returns one account's credit in rials.

        Raises:
            SandboxAdminError: If there is no such account.
        """
        for account in self.accounts():
            if account["username"] == username:
                return account["credit_rials"]
        raise SandboxAdminError(404, f"unknown account {username!r}")

    def put_account(
        self,
        username: str,
        password: str,
        *,
        credit_rials: int = 1_000_000,
        price_fa: int = 112,
        price_en: int = 275,
        lines: list[str] | None = None,
        port_lines: list[str] | None = None,
        api_enabled: bool = True,
        allowed_ips: list[str] | None = None,
        parent: str | None = None,
    ) -> None:
        """Creates or replaces an account.

        Args:
            username: Login name.
            password: Login password.
            credit_rials: Starting credit.
            price_fa: Rials per Persian segment.
            price_en: Rials per Latin segment.
            lines: Plain dedicated lines.
            port_lines: Lines that may use application ports.
            api_enabled: False makes the web service refuse the account.
            allowed_ips: When given, only these caller addresses are accepted.
            parent: The reseller account this one is a sub-user of (trez_xml `issubuser`).
        """
        body: dict[str, Any] = {
            "username": username,
            "password": password,
            "credit_rials": credit_rials,
            "price_fa": price_fa,
            "price_en": price_en,
            "lines": [{"number": n, "ports": False} for n in lines or []]
            + [{"number": n, "ports": True} for n in port_lines or []],
            "api_enabled": api_enabled,
            "allowed_ips": allowed_ips or [],
            "parent": parent,
        }
        self._call("POST", "/accounts", json=body)
