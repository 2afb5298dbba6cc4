"""What the commands print: stable JSON documents (``--json``) or readable tables.

Each command's result becomes one JSON-ready dict here (its keys are the documented, stable
interface for scripts); the tables show the same values for people. Nothing here ever sees a
credential: the commands pass results, never settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._errors import PayamakError, SendOutcomeUnknownError
from .._models import Balance, Capabilities, DeliveryReport, InboundMessage, SendReceipt
from ._bulk import BulkReport

__all__ = [
    "balance_doc",
    "bulk_doc",
    "emit",
    "error_doc",
    "inbox_doc",
    "print_table",
    "providers_doc",
    "receipt_doc",
    "reports_doc",
]


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def receipt_doc(receipt: SendReceipt) -> dict[str, Any]:
    """A send's receipt."""
    return {
        "provider": receipt.provider,
        "reference": receipt.reference,
        "groups": {gid: list(numbers) for gid, numbers in receipt.groups.items()},
        "message_ids": dict(receipt.message_ids),
        "accepted": list(receipt.accepted),
        "rejected": list(receipt.rejected),
    }


def reports_doc(reports: Sequence[DeliveryReport]) -> dict[str, Any]:
    """Delivery reports."""
    return {
        "reports": [
            {
                "provider": r.provider,
                "recipient": r.recipient,
                "state": r.state,
                "code": r.code,
                "final": r.final,
                "description": r.description,
                "message_id": r.message_id,
                "group_id": r.group_id,
            }
            for r in reports
        ]
    }


def balance_doc(balance: Balance) -> dict[str, Any]:
    """The credit."""
    return {"provider": balance.provider, "rials": balance.rials}


def inbox_doc(messages: Iterable[InboundMessage]) -> dict[str, Any]:
    """Inbound messages."""
    return {
        "messages": [
            {
                "provider": m.provider,
                "sender": m.sender,
                "text": m.text,
                "received_at": _when(m.received_at),
            }
            for m in messages
        ]
    }


def providers_doc(capabilities: Mapping[str, Capabilities]) -> dict[str, Any]:
    """Every provider and what it supports."""
    return {
        "providers": [
            {
                "id": provider,
                "send": c.send,
                "send_pairs": c.send_pairs,
                "schedule": c.schedule,
                "status": c.status,
                "credit": c.credit,
                "inbox": c.inbox,
                "max_recipients": c.max_recipients,
                "max_segments": c.max_segments,
                "max_characters": c.max_characters,
            }
            for provider, c in sorted(capabilities.items())
        ]
    }


def bulk_doc(summary: BulkReport) -> dict[str, Any]:
    """Where a bulk send stands (``reference``: this run's base reference, if it sent)."""
    return {
        "file": summary.file,
        "results": summary.results,
        "provider": summary.provider,
        "rows": summary.rows,
        "resumed": summary.resumed,
        "sent_now": summary.sent_now,
        "reference": None if summary.send is None else summary.send.reference,
        **summary.counts,
        "unknown_chunks": [
            {"reference": chunk.reference, "rows": list(chunk.rows)} for chunk in summary.unknown
        ],
        "problems": [
            {"row": p.row, "mobile": p.mobile, "outcome": p.outcome, "reason": p.reason}
            for p in summary.problems
        ],
        "stopped": summary.stopped,
    }


def error_doc(error: BaseException) -> dict[str, Any]:
    """An error as the JSON output reports it (messages never hold credentials)."""
    doc: dict[str, Any] = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, PayamakError):
        doc["provider"] = error.provider
        doc["operation"] = error.operation
        doc["outcome_unknown"] = error.outcome_unknown
        code = getattr(error, "code", None)
        if code is not None:
            doc["code"] = code
    if isinstance(error, SendOutcomeUnknownError):
        doc["reference"] = error.reference
        doc["recipients"] = list(error.recipients)
    return {"error": doc}


def emit(doc: Mapping[str, Any]) -> None:
    """Print a JSON document on stdout, one line, UTF-8 as is (Persian stays readable)."""
    click.echo(json.dumps(doc, ensure_ascii=False, sort_keys=False, default=str))


def _cell(value: Any) -> Text:
    # Text, not str: a message may hold "[bold]" or ":smile:", which rich would otherwise render.
    if value is None:
        return Text("-")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, (list, tuple)):
        return Text(", ".join(map(str, value)) or "-")
    return Text(str(value))


def print_table(
    title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, console: Console
) -> None:
    """A table of ``rows`` under ``columns``."""
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    console.print(table)
