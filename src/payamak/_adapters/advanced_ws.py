"""advanced_ws: the "Advanced web service" (``payamak_gen.advanced_ws``), an inferred SOAP binding.

The vendor's host is unknown, so a client needs ``base_url`` (the generated client says so).
Limits: 60 distinct numbers per SendSMS (the spec's ``urn:payamak:max-distinct``); the manual
gives no message length. No schedule (the manual has no send time).

A send answers one id per distinct number and no group id, so the group id of a receipt is
those pairs, ``<number>:<id>`` joined by commas: the status of the group asks GetStatus for the
ids and gives each number its own code, with nothing kept in the adapter. The inbox is not
offered: GetMsg returns the last 50 *unread* messages of the account and marks them read, which
is not a query of a period (a period filter would consume the messages it leaves out); use
``client.raw.get_msg()``.

Not in ``ADAPTERS`` yet: the facade suite (tests/facade) runs every registered provider and
still expects an inbox of every one (and filtered texts stored, a status for an unknown id), so
it has to ask ``capabilities`` there before this adapter can join it. Since main has sends
answered per recipient (``Call[SentPairs]``, ``PER_RECIPIENT`` in the suite), ``send`` could
answer that way instead of the pairs group id when it joins. Meanwhile
tests/facade/test_advanced_ws_adapter.py drives it against the sandbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.advanced_ws import AdvancedWsClient, AsyncAdvancedWsClient
from payamak_gen.advanced_ws.envelopes import SendResult
from payamak_gen.errors import ResponseValidationError

from .._errors import ValidationError
from .._models import Capabilities
from ._base import Adapter, Call, GroupState, SentPairs, Settings

__all__ = ["AdvancedWs"]

_PAIR, _PAIRS = ":", ","


def _group_id(recipients: Sequence[str], ids: list[str]) -> str:
    # The server drops repeated numbers: one id per distinct number, in order.
    return _PAIRS.join(
        f"{number}{_PAIR}{message_id}"
        for number, message_id in zip(dict.fromkeys(recipients), ids, strict=False)
    )


def _pairs(group_id: str) -> list[tuple[str, str]]:
    pairs = [pair.partition(_PAIR) for pair in group_id.split(_PAIRS) if pair]
    if not pairs or any(not number or not message_id for number, _, message_id in pairs):
        raise ValidationError(
            "group_id",
            group_id,
            "not a group id of an advanced_ws send (number:id pairs joined by commas)",
            provider=AdvancedWs.id,
            operation="status",
        )
    return [(number, message_id) for number, _, message_id in pairs]


def _statuses(ids: Sequence[str], codes: list[StatusCode]) -> list[StatusCode]:
    """GetStatus's one code per id, in order; another count cannot be matched to the ids."""
    if len(codes) != len(ids):
        raise ResponseValidationError(
            f"GetStatus answered {len(codes)} status(es) for {len(ids)} id(s)",
            provider=AdvancedWs.id,
            operation="GetStatus",
            raw=b"",
        )
    return codes


def _rials(text: str) -> int:
    """The credit as the server writes it (text), as whole rials."""
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ResponseValidationError(
            "GetCredit's result is not a number",
            provider=AdvancedWs.id,
            operation="GetCredit",
            raw=text.encode()[:200],
        )
    return round(amount)


class AdvancedWs(Adapter):
    """The advanced_ws adapter."""

    id = "advanced_ws"
    needs_line = True
    capabilities = Capabilities(
        send=True,
        send_pairs=True,
        schedule=False,
        status=True,
        credit=True,
        inbox=False,
        max_recipients=60,
    )

    def client(self, settings: Settings, *, asynchronous: bool) -> Any:
        factory = AsyncAdvancedWsClient if asynchronous else AdvancedWsClient
        return factory(
            settings.username,
            settings.password,
            base_url=settings.base_url,
            timeout=settings.timeout,
        )

    def mobile(self, e164: str) -> str:
        return "0" + e164.removeprefix("+98")

    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[str]:
        return Call(
            "send",
            lambda raw: raw.send_sms(
                from_num=line or "", to_num=list(recipients), message_content=text
            ),
            lambda ids: _group_id(recipients, ids),
            is_read=False,
        )

    def send_pairs(
        self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str
    ) -> Call[SentPairs]:
        def read(entries: list[SendResult]) -> SentPairs:
            ids = [e.result if e.err_code == 0 else None for e in entries]
            return SentPairs(tuple(ids) + (None,) * (len(pairs) - len(ids)))

        return Call(
            "send_pairs",
            lambda raw: raw.send_multiple_sms(
                from_num=line or "",
                to_nums=[mobile for mobile, _ in pairs],
                message_contents=[text for _, text in pairs],
            ),
            read,
            is_read=False,
        )

    def group_status(self, group_id: str) -> Call[GroupState]:
        pairs = _pairs(group_id)

        def read(codes: list[StatusCode]) -> GroupState:
            matched = _statuses([message_id for _, message_id in pairs], codes)
            listed = tuple((number, code) for (number, _), code in zip(pairs, matched, strict=True))
            # The group is as far as its least advanced message.
            status = min((code for _, code in listed), key=lambda code: code.final)
            return GroupState(status, listed)

        return Call(
            "status",
            lambda raw: raw.get_status(unique_ids=[message_id for _, message_id in pairs]),
            read,
            is_read=True,
        )

    def message_status(self, message_ids: Sequence[str]) -> Call[dict[str, StatusCode]]:
        def read(codes: list[StatusCode]) -> dict[str, StatusCode]:
            return dict(zip(message_ids, _statuses(message_ids, codes), strict=True))

        return Call(
            "status",
            lambda raw: raw.get_status(unique_ids=list(message_ids)),
            read,
            is_read=True,
        )

    def credit(self) -> Call[int]:
        return Call("credit", lambda raw: raw.get_credit(), _rials, is_read=True)
