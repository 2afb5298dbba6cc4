"""The sandbox panel's state: one SQLite connection, in memory or in a file.

Concurrency model: every request handler runs on the server's single event loop and does its
check-then-write (credit check, charge, id allocation, inserts) in one synchronous block inside
`transaction()`, with no `await` in between. No two handlers can interleave inside that block, so
concurrent sends can neither double-charge nor lose a message, and ids come from SQLite's
AUTOINCREMENT, which never reuses an id, not even after deletes. Only `reset()` starts them again
at `FIRST_MESSAGE_ID`, as on a new panel: ids are unique between two resets, not across them.
"""

from __future__ import annotations

import hmac
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ._clock import Clock
from ._config import AccountConfig, SandboxConfig
from ._delivery import fate_for
from ._text import core_mobile, count_segments, local_mobile

__all__ = [
    "FIRST_MESSAGE_ID",
    "Account",
    "Group",
    "Inbound",
    "Line",
    "Message",
    "NewMessage",
    "Store",
]

# Message ids start above 2000 because Trez's code-sending methods answer "a number greater than
# 2000 means sent" with the message id; every id the sandbox hands out satisfies that.
FIRST_MESSAGE_ID = 2001

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY,
    password TEXT NOT NULL,
    credit_rials INTEGER NOT NULL,
    price_fa INTEGER NOT NULL,
    price_en INTEGER NOT NULL,
    api_enabled INTEGER NOT NULL DEFAULT 1,
    allowed_ips TEXT NOT NULL DEFAULT '',
    parent TEXT
);
CREATE TABLE IF NOT EXISTS lines (
    number TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES accounts(username),
    ports_allowed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    username TEXT NOT NULL,
    line TEXT NOT NULL,
    user_group_id TEXT NOT NULL,
    filtered INTEGER NOT NULL,
    created_at REAL NOT NULL,
    send_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_user_ref ON groups(username, user_group_id);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider TEXT NOT NULL,
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    line TEXT NOT NULL,
    mobile TEXT NOT NULL,
    text TEXT NOT NULL,
    group_id TEXT,
    user_ref TEXT,
    parts INTEGER NOT NULL,
    price INTEGER NOT NULL,
    created_at REAL NOT NULL,
    send_at REAL NOT NULL,
    fate TEXT NOT NULL,
    code TEXT,
    send_port INTEGER,
    receive_port INTEGER
);
CREATE INDEX IF NOT EXISTS messages_group ON messages(group_id);
CREATE INDEX IF NOT EXISTS messages_mobile ON messages(username, mobile);
CREATE TABLE IF NOT EXISTS inbound (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    line TEXT NOT NULL,
    mobile TEXT NOT NULL,
    text TEXT NOT NULL,
    received_at REAL NOT NULL,
    is_read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS inbound_line ON inbound(line, received_at);
CREATE TABLE IF NOT EXISTS blacklist (mobile TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS filtered_words (word TEXT PRIMARY KEY);
"""

# Ids per `IN (…)` lookup. SQLite takes at most 999 variables per statement on builds before 3.32
# (32,766 after, unless built otherwise), and the other filters need a few: 900 fits every
# default, and 50,000 ids still take only 56 statements.
_ID_CHUNK = 900

_MESSAGE_COLUMNS = (
    "id, provider, kind, username, line, mobile, text, group_id, user_ref, parts, price, "
    "created_at, send_at, fate, code, send_port, receive_port"
)


@dataclass(frozen=True)
class Account:
    """A panel account as stored."""

    username: str
    password: str = field(repr=False)
    credit_rials: int
    price_fa: int
    price_en: int
    api_enabled: bool
    allowed_ips: tuple[str, ...]
    parent: str | None = None

    def cost(self, text: str) -> tuple[int, int]:
        """Returns (segments, rials per recipient) of sending `text` from this account."""
        segments = count_segments(text)
        unit = self.price_en if segments.encoding == "gsm7" else self.price_fa
        return segments.parts, segments.parts * unit


@dataclass(frozen=True)
class Line:
    """A dedicated line and its owner."""

    number: str
    username: str
    ports_allowed: bool


@dataclass(frozen=True)
class Group:
    """One send of one text to many numbers (or a batch of per-number texts)."""

    id: str
    provider: str
    username: str
    line: str
    user_group_id: str
    filtered: bool
    created_at: float
    send_at: float


@dataclass(frozen=True)
class NewMessage:
    """A message about to be stored.

    Attributes:
        mobile: The recipient in any accepted form (stored in the local `09…` form).
        text: The text sent.
        parts: Segments billed.
        price: Rials charged for this message (0 for a filtered one).
        fate: Where delivery will end (see `_delivery`).
        user_ref: The caller's own id for the message, if any.
        code: A verification code carried by the text, if any.
        send_port: Application port sent from, if any.
        receive_port: Application port sent to, if any.
    """

    mobile: str
    text: str
    parts: int
    price: int
    fate: str
    user_ref: str | None = None
    code: str | None = None
    send_port: int | None = None
    receive_port: int | None = None


@dataclass(frozen=True)
class Message:
    """A stored sent message."""

    id: int
    provider: str
    kind: str
    username: str
    line: str
    mobile: str
    text: str
    group_id: str | None
    user_ref: str | None
    parts: int
    price: int
    created_at: float
    send_at: float
    fate: str
    code: str | None
    send_port: int | None
    receive_port: int | None


@dataclass(frozen=True)
class Inbound:
    """A message received on one of the account's lines."""

    id: int
    username: str
    line: str
    mobile: str
    text: str
    received_at: float
    is_read: bool


class Store:
    """The panel's state over one SQLite connection.

    Args:
        config: Accounts and lists to seed a fresh state with (and to reset to).
        clock: The sandbox clock, for timestamps.
        path: A SQLite file that keeps the state across restarts, or None for memory only.
    """

    def __init__(self, config: SandboxConfig, clock: Clock, path: str | Path | None = None) -> None:
        self._config = config
        self._clock = clock
        # The server's event loop thread is the only user, but the connection is created by the
        # thread that starts the sandbox, hence check_same_thread=False.
        self._db = sqlite3.connect(
            ":memory:" if path is None else str(path),
            isolation_level=None,
            check_same_thread=False,
        )
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        # Checked inside the write transaction: two processes opening one new (or old) state file
        # at once must not both migrate or both seed it; the second waits, then finds it done.
        with self.transaction():
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(accounts)")}
            if "parent" not in columns:  # a state file written before sub-users existed
                self._db.execute("ALTER TABLE accounts ADD COLUMN parent TEXT")
            if self._db.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone() is None:
                self._seed()

    def close(self) -> None:
        """Closes the connection (committed state stays in the file, if any)."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Runs a block atomically: committed if it returns, rolled back if it raises."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- seeding -------------------------------------------------------------------------------

    def reset(self) -> None:
        """Drops everything and seeds the configured initial state again."""
        with self.transaction():
            for table in ("messages", "groups", "inbound", "lines", "accounts", "blacklist"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute("DELETE FROM filtered_words")
            self._db.execute("DELETE FROM meta")
            self._db.execute("DELETE FROM sqlite_sequence")
            self._seed()

    def _seed(self) -> None:
        self._db.execute(
            "INSERT INTO sqlite_sequence(name, seq) VALUES ('messages', ?)", (FIRST_MESSAGE_ID - 1,)
        )
        for account in self._config.accounts:
            self._put_account(account)
        self._db.executemany(
            "INSERT OR IGNORE INTO blacklist(mobile) VALUES (?)",
            [(local_mobile(n) or n,) for n in self._config.blacklist],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO filtered_words(word) VALUES (?)",
            [(w.casefold(),) for w in self._config.filtered_words],
        )
        now = self._clock.now()
        for item in self._config.inbound:
            owner = self.line(item.line)
            if owner is not None:
                self._add_inbound(
                    owner.username, item.line, item.mobile, item.text, now - item.ago_seconds
                )
        self._db.execute("INSERT INTO meta(key, value) VALUES ('seeded', '1')")

    def put_account(self, account: AccountConfig) -> None:
        """Creates or replaces an account and its lines."""
        with self.transaction():
            self._put_account(account)

    def _put_account(self, account: AccountConfig) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                account.username,
                account.password,
                account.credit_rials,
                account.price_fa,
                account.price_en,
                int(account.api_enabled),
                ",".join(account.allowed_ips),
                account.parent,
            ),
        )
        for line in account.lines:
            self._db.execute(
                "INSERT OR REPLACE INTO lines VALUES (?, ?, ?)",
                (line.number, account.username, int(line.ports)),
            )

    # -- the clock -------------------------------------------------------------------------------

    def clock_offset(self) -> float:
        """Returns the clock offset kept by `save_clock_offset` (0 for a new or reset state)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
        return 0.0 if row is None else float(row[0])

    def save_clock_offset(self, offset: float) -> None:
        """Keeps the clock's offset (`Clock.offset`) with the state; `reset` drops it."""
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('clock_offset', ?)",
                (repr(offset),),
            )

    # -- accounts and lines ----------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Account | None:
        """Returns the account when the credentials match, else None."""
        account = self.account(username)
        if account is None:
            return None
        # Constant-time compare: the sandbox should not teach timing-leaky habits.
        if not hmac.compare_digest(account.password.encode(), password.encode()):
            return None
        return account

    def account(self, username: str) -> Account | None:
        """Returns an account by name."""
        row = self._db.execute("SELECT * FROM accounts WHERE username = ?", (username,)).fetchone()
        return None if row is None else _account(row)

    def accounts(self) -> list[Account]:
        """Returns every account."""
        rows = self._db.execute("SELECT * FROM accounts ORDER BY username").fetchall()
        return [_account(row) for row in rows]

    def line(self, number: str) -> Line | None:
        """Returns a line by number, whoever owns it."""
        row = self._db.execute("SELECT * FROM lines WHERE number = ?", (number,)).fetchone()
        return None if row is None else Line(row[0], row[1], bool(row[2]))

    def find_line(self, number: str) -> Line | None:
        """Returns a line by the number a client sent, whoever owns it.

        The vendor tells clients to send `3000…` lines with a `98` prefix, so a number starting
        with 98 that is no line itself also finds the line without the prefix.
        """
        line = self.line(number)
        if line is None and number.startswith("98"):
            line = self.line(number[2:])
        return line

    def lines_of(self, username: str) -> list[Line]:
        """Returns the account's lines, in number order."""
        rows = self._db.execute(
            "SELECT * FROM lines WHERE username = ? ORDER BY number", (username,)
        ).fetchall()
        return [Line(row[0], row[1], bool(row[2])) for row in rows]

    def charge(self, username: str, rials: int) -> bool:
        """Takes `rials` from the account if its credit covers them; call inside a transaction.

        Returns:
            True if charged, False if the credit is insufficient (nothing is taken then).
        """
        cursor = self._db.execute(
            "UPDATE accounts SET credit_rials = credit_rials - ? "
            "WHERE username = ? AND credit_rials >= ?",
            (rials, username, rials),
        )
        return cursor.rowcount == 1

    def set_credit(self, username: str, rials: int) -> bool:
        """Sets an account's credit; returns False if there is no such account."""
        with self.transaction():
            cursor = self._db.execute(
                "UPDATE accounts SET credit_rials = ? WHERE username = ?", (rials, username)
            )
        return cursor.rowcount == 1

    # -- lists -----------------------------------------------------------------------------------

    def blacklisted(self) -> frozenset[str]:
        """Returns the blacklisted numbers as ten-digit cores."""
        rows = self._db.execute("SELECT mobile FROM blacklist").fetchall()
        return frozenset(core_mobile(row[0]) or row[0] for row in rows)

    def filtered_words(self) -> list[str]:
        """Returns the filtered words, case-folded."""
        return [row[0] for row in self._db.execute("SELECT word FROM filtered_words")]

    def is_filtered(self, text: str) -> bool:
        """Whether a text contains a filtered word (case-insensitive)."""
        folded = text.casefold()
        return any(word in folded for word in self.filtered_words())

    def fate(self, mobile: str, *, filtered: bool, blacklist: frozenset[str]) -> str:
        """Decides a message's fate from the number and the lists (see `_delivery.fate_for`)."""
        core = core_mobile(mobile) or mobile
        return fate_for(core, blacklisted=core in blacklist, filtered=filtered)

    # -- sending ---------------------------------------------------------------------------------

    def new_message(
        self,
        mobile: str,
        text: str,
        *,
        parts: int,
        price: int,
        blacklist: frozenset[str],
        filtered: bool | None = None,
        user_ref: str | None = None,
        code: str | None = None,
        ports: tuple[int, int] | None = None,
    ) -> NewMessage:
        """Prepares one message: a filtered text is never charged, and the fate follows the lists.

        Args:
            mobile: The recipient.
            text: The text.
            parts: Segments billed.
            price: Rials it costs unless filtered.
            blacklist: The blacklist (see `blacklisted`), read once per send.
            filtered: Whether the text is filtered, if already known; checked here otherwise.
            user_ref: The caller's own id for the message.
            code: A verification code carried by the text.
            ports: The application ports (sent from, sent to), for a send to a port.
        """
        if filtered is None:
            filtered = self.is_filtered(text)
        return NewMessage(
            mobile=mobile,
            text=text,
            parts=parts,
            price=0 if filtered else price,
            fate=self.fate(mobile, filtered=filtered, blacklist=blacklist),
            user_ref=user_ref,
            code=code,
            send_port=None if ports is None else ports[0],
            receive_port=None if ports is None else ports[1],
        )

    def new_group(
        self,
        *,
        provider: str,
        username: str,
        line: str,
        user_group_id: str,
        send_at: float,
        filtered: bool = False,
    ) -> Group:
        """Prepares a group with a fresh GUID, created now (store it with `send_group`)."""
        return Group(
            id=str(uuid.uuid4()),
            provider=provider,
            username=username,
            line=line,
            user_group_id=user_group_id,
            filtered=filtered,
            created_at=self._clock.now(),
            send_at=send_at,
        )

    def send_group(
        self,
        group: Group,
        *,
        kind: str,
        items: Sequence[NewMessage],
        check: Callable[[], None] | None = None,
    ) -> list[int] | None:
        """Charges the group's owner for `items` and stores them with the group, atomically.

        Args:
            group: The group (see `new_group`); its owner, line and send time apply to every item.
            kind: The messages' kind (`group`, `corresponding`, `port`).
            items: The messages.
            check: Runs first inside the transaction, for checks that must not race the insert
                (a unique caller id); whatever it raises aborts the send.

        Returns:
            The messages' ids, in order, or None when the credit does not cover them (nothing
            is stored or charged then).
        """
        with self.transaction():
            if check is not None:
                check()
            if not self.charge(group.username, sum(item.price for item in items)):
                return None
            self.add_group(group)
            return self.add_messages(
                provider=group.provider,
                kind=kind,
                username=group.username,
                line=group.line,
                send_at=group.send_at,
                items=items,
                group_id=group.id,
            )

    def send_text(
        self,
        *,
        provider: str,
        username: str,
        line: str,
        text: str,
        parts: int,
        price: int,
        mobiles: Sequence[str],
        user_group_id: str,
        send_at: float,
        check: Callable[[], None] | None = None,
    ) -> Group | None:
        """Sends one text to many numbers as one group (see `send_group`).

        A text with a filtered word makes the whole group filtered: stored, never charged, never
        delivered.

        Args:
            provider: The provider id the send came through.
            username: The sending account.
            line: The sender line's number.
            text: The text.
            parts: Segments billed per recipient.
            price: Rials per recipient unless filtered.
            mobiles: The recipients.
            user_group_id: The caller's own id for the send.
            send_at: When it goes out.
            check: As in `send_group`.

        Returns:
            The stored group, or None when the credit does not cover the send.
        """
        filtered = self.is_filtered(text)
        account = self.account(username)
        if not filtered and (account is None or account.credit_rials < price * len(mobiles)):
            # Refused before up to 50,000 messages are prepared only to be thrown away (a second
            # of the event loop); the answer is the one `send_group` would give, checks first.
            if check is not None:
                check()
            return None
        blacklist = self.blacklisted()
        items = [
            self.new_message(
                mobile, text, parts=parts, price=price, blacklist=blacklist, filtered=filtered
            )
            for mobile in mobiles
        ]
        group = self.new_group(
            provider=provider,
            username=username,
            line=line,
            user_group_id=user_group_id,
            send_at=send_at,
            filtered=filtered,
        )
        if self.send_group(group, kind="group", items=items, check=check) is None:
            return None
        return group

    def add_group(self, group: Group) -> None:
        """Stores a message group; call inside a transaction."""
        self._db.execute(
            "INSERT INTO groups VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                group.id,
                group.provider,
                group.username,
                group.line,
                group.user_group_id,
                int(group.filtered),
                group.created_at,
                group.send_at,
            ),
        )

    def add_messages(
        self,
        *,
        provider: str,
        kind: str,
        username: str,
        line: str,
        send_at: float,
        items: Sequence[NewMessage],
        group_id: str | None = None,
    ) -> list[int]:
        """Stores sent messages and returns their ids, in order; call inside a transaction."""
        now = self._clock.now()
        rows = [
            (
                provider,
                kind,
                username,
                line,
                local_mobile(item.mobile) or item.mobile,
                item.text,
                group_id,
                item.user_ref,
                item.parts,
                item.price,
                now,
                send_at,
                item.fate,
                item.code,
                item.send_port,
                item.receive_port,
            )
            for item in items
        ]
        if not rows:
            return []
        self._db.executemany(
            "INSERT INTO messages(provider, kind, username, line, mobile, text, group_id, "
            "user_ref, parts, price, created_at, send_at, fate, code, send_port, receive_port) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # One connection inside one transaction: AUTOINCREMENT gives these rows consecutive ids.
        last = self._db.execute("SELECT last_insert_rowid()").fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))

    def group(self, username: str, group_id: str) -> Group | None:
        """Returns one of the account's groups by its id."""
        row = self._db.execute(
            "SELECT * FROM groups WHERE id = ? AND username = ?", (group_id, username)
        ).fetchone()
        return None if row is None else _group(row)

    def latest_group_for(self, username: str, user_group_id: str) -> Group | None:
        """Returns the account's latest group sent with the caller's own group id."""
        row = self._db.execute(
            "SELECT * FROM groups WHERE username = ? AND user_group_id = ? "
            "ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (username, user_group_id),
        ).fetchone()
        return None if row is None else _group(row)

    def messages(
        self,
        *,
        username: str | None = None,
        provider: str | None = None,
        mobile: str | None = None,
        group_id: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> list[Message]:
        """Returns sent messages matching every given filter, oldest first."""
        where: list[str] = []
        args: list[object] = []
        for column, value in (
            ("username", username),
            ("provider", provider),
            ("group_id", group_id),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if mobile is not None:
            where.append("mobile = ?")
            args.append(local_mobile(mobile) or mobile)
        sql = f"SELECT {_MESSAGE_COLUMNS} FROM messages"
        if ids is None:
            if where:
                sql += " WHERE " + " AND ".join(where)
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
            return [Message(*row) for row in rows]
        # One `IN (?, ?, …)` per chunk: a caller may ask for more ids (50,000 in a status query)
        # than SQLite takes variables in one statement. Sorted,
        # distinct chunks keep the whole answer in id order, as one query would give it.
        # The other filters get a unary `+`, which keeps SQLite from reaching for their index: with
        # a long IN list it otherwise walks every message of the account (messages_mobile) once
        # per chunk instead of looking each id up by its key.
        filters = [f"+{clause}" for clause in where]
        wanted = sorted(set(ids))
        found: list[Message] = []
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            clauses = [f"id IN ({','.join('?' * len(chunk))})", *filters]
            rows = self._db.execute(
                f"{sql} WHERE {' AND '.join(clauses)} ORDER BY id", [*chunk, *args]
            ).fetchall()
            found.extend(Message(*row) for row in rows)
        return found

    def last_code_message(self, username: str, mobile: str, kinds: Sequence[str]) -> Message | None:
        """Returns the latest message of one of `kinds` the account sent to `mobile`."""
        marks = ",".join("?" * len(kinds))
        row = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE username = ? AND mobile = ? "
            f"AND kind IN ({marks}) ORDER BY id DESC LIMIT 1",
            (username, local_mobile(mobile) or mobile, *kinds),
        ).fetchone()
        return None if row is None else Message(*row)

    def count_messages(self) -> int:
        """Returns how many messages were sent in all."""
        return int(self._db.execute("SELECT COUNT(*) FROM messages").fetchone()[0])

    # -- inbound ---------------------------------------------------------------------------------

    def add_inbound(
        self, username: str, line: str, mobile: str, text: str, received_at: float
    ) -> Inbound:
        """Stores a message received on `line` from `mobile` (kept in the local `09…` form)."""
        mobile = local_mobile(mobile) or mobile
        with self.transaction():
            new_id = self._add_inbound(username, line, mobile, text, received_at)
        return Inbound(new_id, username, line, mobile, text, received_at, False)

    def _add_inbound(
        self, username: str, line: str, mobile: str, text: str, received_at: float
    ) -> int:
        cursor = self._db.execute(
            "INSERT INTO inbound(username, line, mobile, text, received_at) VALUES (?, ?, ?, ?, ?)",
            (username, line, local_mobile(mobile) or mobile, text, received_at),
        )
        return int(cursor.lastrowid or 0)

    def inbound(
        self,
        *,
        username: str,
        line: str | None = None,
        start: float | None = None,
        end: float | None = None,
        unread_only: bool = False,
    ) -> list[Inbound]:
        """Returns the account's inbound messages, oldest first, filtered as given."""
        sql = "SELECT * FROM inbound WHERE username = ?"
        args: list[object] = [username]
        if line is not None:
            sql += " AND line = ?"
            args.append(line)
        if start is not None:
            sql += " AND received_at >= ?"
            args.append(start)
        if end is not None:
            sql += " AND received_at <= ?"
            args.append(end)
        if unread_only:
            sql += " AND is_read = 0"
        rows = self._db.execute(sql + " ORDER BY received_at, id", args).fetchall()
        return [Inbound(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]

    def mark_read(self, ids: Iterable[int], *, read: bool = True) -> None:
        """Marks inbound messages as read (or, with `read=False`, as unread again)."""
        with self.transaction():
            self._db.executemany(
                "UPDATE inbound SET is_read = ? WHERE id = ?", [(int(read), i) for i in ids]
            )


def _account(row: tuple[object, ...]) -> Account:
    ips = str(row[6])
    return Account(
        username=str(row[0]),
        password=str(row[1]),
        credit_rials=int(str(row[2])),
        price_fa=int(str(row[3])),
        price_en=int(str(row[4])),
        api_enabled=bool(row[5]),
        allowed_ips=tuple(ips.split(",")) if ips else (),
        parent=None if row[7] is None else str(row[7]),
    )


def _group(row: tuple[object, ...]) -> Group:
    return Group(
        id=str(row[0]),
        provider=str(row[1]),
        username=str(row[2]),
        line=str(row[3]),
        user_group_id=str(row[4]),
        filtered=bool(row[5]),
        created_at=float(str(row[6])),
        send_at=float(str(row[7])),
    )
