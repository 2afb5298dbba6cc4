"""What the sandbox's panel holds when it starts or is reset: accounts, lines, lists, inbox.

A config file (YAML or JSON) has this shape; every key is optional::

    include_demo: true            # keep the built-in demo accounts beside yours
    accounts:
      - username: acme
        password: s3cret
        credit_rials: 500000
        price_fa: 112             # rials per Persian (UCS-2) segment
        price_en: 275             # rials per Latin (GSM-7) segment
        api_enabled: true         # false: trez_rest answers 2002
        allowed_ips: []           # non-empty: other callers get 2003
        parent: demo              # a sub-user of that (reseller) account (trez_xml issubuser)
        lines:
          - "50001234"            # a plain line
          - {number: "30001234", ports: true}
    blacklist: ["09120000000"]
    filtered_words: ["casino"]
    inbound:
      - {line: "50001234", mobile: "09121234567", text: "hi", ago_seconds: 60}
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._specs import parse_yaml

__all__ = [
    "DEMO_BLACKLISTED",
    "DEMO_FILTERED_WORD",
    "DEMO_LINE",
    "DEMO_PASSWORD",
    "DEMO_PORT_LINE",
    "DEMO_USERNAME",
    "AccountConfig",
    "InboundConfig",
    "LineConfig",
    "SandboxConfig",
]

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DEMO_LINE = "50002910001080"
DEMO_PORT_LINE = "30001234567890"
DEMO_BLACKLISTED = "09120000000"
DEMO_FILTERED_WORD = "filtered-word"


@dataclass(frozen=True)
class LineConfig:
    """A dedicated sender line.

    Attributes:
        number: The line's digits as the panel shows them.
        ports: Whether application ports may be used (true for `3000…` lines on Trez).
    """

    number: str
    ports: bool = False


@dataclass(frozen=True)
class AccountConfig:
    """A panel account.

    Attributes:
        username: Login name.
        password: Login password (kept in the state only; never logged or listed).
        credit_rials: Starting balance in rials.
        price_fa: Price of one Persian (UCS-2) segment in rials.
        price_en: Price of one Latin (GSM-7) segment in rials.
        lines: The account's dedicated lines.
        api_enabled: Whether the account may use the web services at all.
        allowed_ips: When non-empty, only these client addresses are accepted.
        parent: The reseller account this one is a sub-user of, if any.
    """

    username: str
    password: str = field(repr=False)
    credit_rials: int = 1_000_000
    price_fa: int = 112
    price_en: int = 275
    lines: tuple[LineConfig, ...] = ()
    api_enabled: bool = True
    allowed_ips: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class InboundConfig:
    """An inbound message present at start.

    Attributes:
        line: The receiving line (its owner is the account that sees the message).
        mobile: The sender's mobile number.
        text: The message text.
        ago_seconds: How long before the sandbox started the message arrived.
    """

    line: str
    mobile: str
    text: str
    ago_seconds: float = 0.0


def _demo_accounts() -> tuple[AccountConfig, ...]:
    return (
        AccountConfig(
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            lines=(LineConfig(DEMO_LINE), LineConfig(DEMO_PORT_LINE, ports=True)),
        ),
        # A second account owns a line so that "line not yours" errors can be tried out of the box.
        AccountConfig(
            username="other",
            password="other",
            credit_rials=50_000,
            lines=(LineConfig("50002910002020"),),
        ),
    )


def _demo_inbound() -> tuple[InboundConfig, ...]:
    return (
        InboundConfig(DEMO_LINE, "09121111111", "سلام، پیام دریافتی نمونه", ago_seconds=3600),
        InboundConfig(DEMO_LINE, "09122222222", "demo inbound message", ago_seconds=600),
        InboundConfig(DEMO_PORT_LINE, "09123333333", "1", ago_seconds=60),
    )


@dataclass(frozen=True)
class SandboxConfig:
    """The initial contents of the sandbox's panel.

    Attributes:
        accounts: Accounts with their lines, credit and prices.
        blacklist: Numbers that can never receive (delivery ends in "rejected").
        filtered_words: Words that make a text filtered (case-insensitive substring match).
        inbound: Inbound messages present at start.
        frozen_clock: Whether the clock only moves through the admin `advance` call, which makes
            delivery progress deterministic in tests.
    """

    accounts: tuple[AccountConfig, ...] = field(default_factory=_demo_accounts)
    blacklist: tuple[str, ...] = (DEMO_BLACKLISTED,)
    filtered_words: tuple[str, ...] = (DEMO_FILTERED_WORD,)
    inbound: tuple[InboundConfig, ...] = field(default_factory=_demo_inbound)
    frozen_clock: bool = False

    @classmethod
    def from_file(cls, path: str | Path) -> SandboxConfig:
        """Reads a YAML or JSON config file (see the module docstring for its shape).

        Raises:
            ValueError: If the file does not describe a valid config.
        """
        text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text) if str(path).endswith(".json") else parse_yaml(text)
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ValueError(f"{path}: the config must be a mapping")
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SandboxConfig:
        """Builds a config from parsed YAML/JSON.

        Raises:
            ValueError: If a key is unknown or a value has the wrong type.
        """
        known = {
            "include_demo",
            "accounts",
            "blacklist",
            "filtered_words",
            "inbound",
            "frozen_clock",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        include_demo = bool(data.get("include_demo", True))
        demo = cls()
        accounts = tuple(_account(item) for item in _list(data, "accounts"))
        inbound = tuple(_inbound(item) for item in _list(data, "inbound"))
        blacklist = tuple(str(n) for n in _list(data, "blacklist"))
        words = tuple(str(w) for w in _list(data, "filtered_words"))
        if include_demo:
            mine = {a.username for a in accounts}
            accounts = tuple(a for a in demo.accounts if a.username not in mine) + accounts
            inbound = demo.inbound + inbound
            blacklist = demo.blacklist + blacklist
            words = demo.filtered_words + words
        return cls(
            accounts=accounts,
            blacklist=blacklist,
            filtered_words=words,
            inbound=inbound,
            frozen_clock=bool(data.get("frozen_clock", False)),
        )


def _list(data: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"config key {key!r} must be a list")
    return value


def _account(item: Any) -> AccountConfig:
    if not isinstance(item, Mapping) or "username" not in item or "password" not in item:
        raise ValueError("every account needs a username and a password")
    lines = []
    for line in item.get("lines") or []:
        if isinstance(line, Mapping):
            lines.append(LineConfig(str(line["number"]), bool(line.get("ports", False))))
        else:
            lines.append(LineConfig(str(line), str(line).startswith("3000")))
    return AccountConfig(
        username=str(item["username"]),
        password=str(item["password"]),
        credit_rials=int(item.get("credit_rials", 1_000_000)),
        price_fa=int(item.get("price_fa", 112)),
        price_en=int(item.get("price_en", 275)),
        lines=tuple(lines),
        api_enabled=bool(item.get("api_enabled", True)),
        allowed_ips=tuple(str(ip) for ip in item.get("allowed_ips") or []),
        parent=None if item.get("parent") is None else str(item["parent"]),
    )


def _inbound(item: Any) -> InboundConfig:
    if not isinstance(item, Mapping):
        raise ValueError("every inbound message must be a mapping")
    return InboundConfig(
        line=str(item["line"]),
        mobile=str(item["mobile"]),
        text=str(item["text"]),
        ago_seconds=float(item.get("ago_seconds", 0)),
    )
