"""advanced_ws: the "Advanced web service" (``payamak_gen.advanced_ws``), an inferred SOAP binding.

The vendor's host is unknown, so a client needs ``base_url`` (the generated client says so).
Limits: 60 distinct numbers per SendSMS (the spec's ``urn:payamak:max-distinct``); the manual
gives no message length. No schedule (the manual has no send time).

How the facade maps onto it:

- ``send``: SendSMS answers one message id per distinct number and no group id (the facade has
  already dropped repeats, so the ids line up with its recipients), so a send is answered per
  recipient, as payamak_panel's: the receipt keys each number's id in ``message_ids`` and has
  no groups. A number the answer gives no id for has an unknown outcome
  (``SendOutcomeUnknownError`` for it alone). Recipients travel as ``09…``.
- ``send_pairs``: SendMultipleSMS, one entry per pair: 0 and the message id, or -3 and the
  reason (that pair is ``rejected``, nothing sent for it).
- ``status``: by message id only (GetStatus; the facade asks up to 60 ids a request, the
  send limit, as GetStatus documents none); ``status(group_id=...)`` is unsupported. GetStatus
  answers one code per id in order; another count cannot be matched to the ids and is a
  ``ResponseValidationError``. An id that is not the account's makes the whole request -3.
- Code -3, "send error", is errors.yaml's ``server`` kind, not retryable: the outcome of a send
  it answers is unknown (``SendOutcomeUnknownError``), whatever the reason the server gives
  (no credit and a filtered word among them), so check before sending again.
- ``inbox``: not offered. GetMsg returns the last 50 *unread* messages of the account and marks
  them read, which is not a query of a period (a period filter would consume the messages it
  leaves out); use ``client.raw.get_msg()``.
- ``credit``: GetCredit, text, as whole rials.
- No caller reference: SendSMS has no field for one; the receipt's ``reference`` is
  client-side only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.advanced_ws import AdvancedWsClient, AsyncAdvancedWsClient
from payamak_gen.advanced_ws.operations import SendResult
from payamak_gen.errors import ResponseValidationError

from .._errors import UnsupportedOperationError
from .._models import Capabilities
from ._base import Adapter, Call, GroupState, SentPairs

__all__ = ["AdvancedWs"]


def _per_recipient(ids: Sequence[str], count: int) -> SentPairs:
    """SendSMS's ids, one per recipient in order; recipients past the ids are unaccounted for."""
    listed = list(ids[:count])
    return SentPairs(
        tuple(listed) + (None,) * (count - len(listed)),
        unknown=frozenset(range(len(listed), count)),
    )


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
    sync_client = AdvancedWsClient
    async_client = AsyncAdvancedWsClient
    default_base_url = None

    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[SentPairs]:
        # ``at`` is refused first (capabilities.schedule is False); ``ref`` has no field.
        count = len(recipients)
        return Call(
            "send",
            lambda raw: raw.send_sms(
                from_num=line or "", to_num=list(recipients), message_content=text
            ),
            lambda ids: _per_recipient(ids, count),
            is_read=False,
        )

    def send_pairs(
        self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str
    ) -> Call[SentPairs]:
        def read(entries: list[SendResult]) -> SentPairs:
            # Each entry's code is its catalog entry: an id only where the entry says sent.
            ids = [e.result if e.err_code.kind == "ok" else None for e in entries]
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
        raise UnsupportedOperationError(provider=self.id, operation="status by group id")

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
