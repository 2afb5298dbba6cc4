"""ippanel_classic: the IPPanel / FarazSMS "op" web service (``payamak_gen.ippanel_classic``).

What the service has, and how the facade maps onto it:

- ``send``: ``op=send``, one text to a JSON list of numbers; it answers the send's bulk id,
  which the receipt keeps as the group id (``receipt.groups``: bulk id → its recipients).
  Recipients travel as ``9…`` (ten digits), the form of the provider note's example. The
  manual documents code 98 ("too many recipients") but no number: the facade sends at most
  100 numbers per request, a size well inside every limit seen in the family, so a long list
  costs more requests but never meets 98. No part or length limit is documented either (code
  6, "the number of parts is not acceptable", comes from the server).
- ``at``: the ``time`` field (from the note, not the manual), Gregorian ``Y-m-d H:i:s`` in
  Tehran time; the generated client writes it.
- No caller reference: ``send`` has no field for one. The receipt still carries the facade's
  ``reference`` (generated or given), on the client side only; reconcile by the bulk id, and
  after a ``SendOutcomeUnknownError`` look at the panel's sent messages before sending again.
  ``uinqid`` (sic) is the bulk id on the wire of ``delivery``, not a reference the caller picks.
- ``send_pairs``: the service has no per-number texts. The pairs are grouped by identical text
  (in order of first appearance) and each group goes out as ``send`` calls of up to 100
  numbers, each answering a bulk id: the receipt has one group per request and no message ids.
  Chosen over "unsupported" for the reason payamak_panel gives: the facade's chunked-send
  accounting then applies as it is (a refusal after some requests went out is a
  ``PartialSendError`` listing what went out). ``send_many`` likewise puts only rows of one
  text into a request (``mixes_texts`` is False).
- ``status``: by bulk id only, through ``delivery`` (``uinqid`` = the bulk id), which lists
  ``<number>:<status>`` per recipient; codes become states through errors.yaml's delivery
  table (``discarded`` is the blacklist; the manual has no word for a filtered text, which
  the family reports as ``discarded`` too). There are no message ids, so ``status(ids)`` is
  unsupported. A bulk id the panel does not know answers the literal ``null``, errors.yaml's
  code ``"null"``: ``NotFoundError``. A bulk the panel lists nobody for yet is ``notsync``
  ("being sent"). ``checkmessage`` (the send's moderation state) is on ``client.raw``.
- ``inbox``: ``inboxlist`` takes no period and no page: it returns the received messages
  whole (the manual: "read messages"; it marks nothing), for every line of the account. The
  facade asks once and keeps those to the client's line (or naming none) whose ``time``
  (Tehran, whole seconds) falls in the window, as one page.
- ``credit``: ``credit``, rials (the generated type is already whole rials).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from payamak_gen._runtime.catalog import NumberStatus, StatusCode
from payamak_gen.ippanel_classic import (
    DEFAULT_BASE_URL,
    AsyncIppanelClassicClient,
    IppanelClassicClient,
)
from payamak_gen.ippanel_classic.errors import DELIVERY_CODES
from payamak_gen.ippanel_classic.models import InboxMessage

from .._errors import UnsupportedOperationError, ValidationError
from .._models import Capabilities
from ._base import Adapter, Call, GroupState, InboxPage, Received, runs_by_text

__all__ = ["IppanelClassic"]

# What a bulk the panel lists nobody for is: still being sent (see the module docstring).
_NOBODY_YET = "notsync"


def _line(line: str | None) -> str:
    # The facade checks that a line was configured before it asks for a send or the inbox.
    assert line is not None
    return line


def _bulk_id(group_id: str) -> int:
    if not group_id.isdigit():
        raise ValidationError(
            "group_id",
            group_id,
            "an ippanel_classic bulk id is digits",
            provider=IppanelClassic.id,
            operation="status",
        )
    return int(group_id)


def _in_window(when: datetime, since: datetime, until: datetime) -> bool:
    # The panel prints whole seconds: a message received at since + 0.4 s reads as since - 0.6 s.
    return since - timedelta(seconds=1) < when <= until


class IppanelClassic(Adapter):
    """The ippanel_classic adapter."""

    id = "ippanel_classic"
    mixes_texts = False  # op=send carries one text
    capabilities = Capabilities(
        send=True,
        send_pairs=True,
        schedule=True,
        status=True,
        credit=True,
        inbox=True,
        max_recipients=100,
    )
    sync_client = IppanelClassicClient
    async_client = AsyncIppanelClassicClient
    default_base_url = DEFAULT_BASE_URL

    def mobile(self, e164: str) -> str:
        return e164.removeprefix("+98")

    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[str]:
        # ``ref`` has no field on the wire (see the module docstring).
        return Call(
            "send",
            lambda raw: raw.send(sender=_line(line), message=text, to=list(recipients), send_at=at),
            str,
            is_read=False,
        )

    def pair_runs(self, pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
        return runs_by_text(pairs, self.capabilities.max_recipients)

    def send_pairs(self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str) -> Call[str]:
        # ``pair_runs`` made every run one text.
        texts = {text for _, text in pairs}
        assert len(texts) == 1, "an ippanel_classic run carries one text"
        call = self.send(line, [mobile for mobile, _ in pairs], texts.pop(), None, ref)
        return Call("send_pairs", call.invoke, call.read, is_read=False)

    def group_status(self, group_id: str) -> Call[GroupState]:
        bulk_id = _bulk_id(group_id)

        def read(result: list[NumberStatus]) -> GroupState:
            recipients = tuple((entry.number, entry.status) for entry in result)
            # The group's own state is read only when nobody is listed (``ops.status``).
            overall = recipients[0][1] if recipients else DELIVERY_CODES.lookup(_NOBODY_YET)
            return GroupState(overall, recipients)

        return Call("status", lambda raw: raw.delivery(bulk_id=bulk_id), read, is_read=True)

    def message_status(self, message_ids: Sequence[str]) -> Call[dict[str, StatusCode]]:
        raise UnsupportedOperationError(provider=self.id, operation="status by message id")

    def credit(self) -> Call[int]:
        return Call("credit", lambda raw: raw.get_credit(), int, is_read=True)

    def inbox_page(
        self, line: str | None, since: datetime, until: datetime, page: int
    ) -> Call[InboxPage]:
        mine = _line(line).strip()

        def read(result: list[InboxMessage]) -> InboxPage:
            return InboxPage(
                tuple(
                    Received(message.number, message.message, message.time)
                    for message in result
                    # The list is the account's: keep the line's messages (``to`` may be absent).
                    if (message.to is None or message.to.strip() == mine)
                    and _in_window(message.time, since, until)
                ),
                1,
            )

        return Call("inbox", lambda raw: raw.inbox_list(), read, is_read=True)
