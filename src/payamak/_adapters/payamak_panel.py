"""payamak_panel: the "post/*.asmx" SMS panel SOAP service (``payamak_gen.payamak_panel``).

What the service has, and how the facade maps onto it:

- ``send``: SendSms, one text to up to 100 numbers per call (the vendor family's published limit
  for SendSMS, "at most 100 numbers per call"; the manual gives none), so longer lists go in
  chunks of 100. Recipients travel as ``09…``. The answer is a result code (errors.yaml's
  table: 1 sent, the others raise the error of their kind; 6, "queued / being updated", raises
  ``SendOutcomeUnknownError``) and, per recipient, a recId and a status byte (0 sent, 1 not
  sent). The receipt keys each recipient's recId in ``message_ids``; a recipient whose byte
  says not sent is in ``rejected`` (its recId is kept: its delivery code says why).
- No caller reference: SendSms has no field for one. The receipt still carries the facade's
  ``reference`` (generated or given), but it exists on the client side only and the panel
  cannot be searched by it: keep the receipt (its recIds) to reconcile, and after a
  ``SendOutcomeUnknownError`` look at the panel's sent list (``raw.get_sent_sms_is_not_read_list``)
  before sending again.
- No schedule through the facade: ScheduleSms is documented by name only (its fields are
  inferred, the time format a guess) and answers no recIds, so a scheduled send could not be
  tracked; ``raw.schedule_sms`` is there for those who have checked their panel.
- ``send_pairs``: the service has no per-number texts. The pairs are grouped by identical text
  (in order of first appearance) and each group goes out as SendSms calls of up to 100
  numbers: a batch of notifications with few distinct texts costs few calls, and personal
  texts cost one call each. Chosen over "unsupported" because the facade's chunked-send
  accounting then applies as it is: a refusal after some calls went out is a
  ``PartialSendError`` listing exactly what went out and what did not, which a caller looping
  by hand would have to rebuild. ``send_many`` likewise puts only rows of one text into a
  request (``mixes_texts`` is False).
- ``status``: per recId only (GetDelivery, one request per recId); there are no group ids, so
  ``status(group_id=...)`` is unsupported. Codes become states through errors.yaml's delivery
  table (an undocumented code keeps its raw value, in the table's unknown state). The facade
  does not call UpdateDelivery: it only asks the panel to refresh a whole group, at most once
  a minute (code 100 otherwise); ``raw.update_delivery`` is there when needed.
- ``inbox``: GetNewMessagesList marks what it returns as read, so a second call misses them
  and a window read would consume messages outside the window. The facade reads instead the
  two non-consuming lists the manual names, GetReceiveSMSIsNotReadList then
  GetReceiveSMSIsReadList (as pages 1 and 2; unread first so that a message marked read in
  between is seen twice rather than never), and keeps those whose ``SendDate`` falls in the
  window. These two are inferred from the manual's names (the provider note: only
  GetNewMessagesList is confirmed by public clients). ``SendDate`` is Tehran time in whole
  seconds without a zone, as ASP.NET prints it; a date that does not parse is kept, with no
  time, rather than dropped. The panel has no paging: each list comes whole.
- ``credit``: GetCredit, rials.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen._runtime.jalali import tehran
from payamak_gen.payamak_panel import (
    DEFAULT_BASE_URL,
    AsyncPayamakPanelClient,
    PayamakPanelClient,
)
from payamak_gen.payamak_panel.envelopes import Message
from payamak_gen.payamak_panel.operations import SendSmsOutcome

from .._errors import UnsupportedOperationError
from .._models import Capabilities
from ._base import (
    Adapter,
    Call,
    GroupState,
    InboxPage,
    Received,
    SentPairs,
    runs_by_text,
)

__all__ = ["PayamakPanel"]

# Page 1 of the facade's inbox is the unread list, page 2 the read one (see the docstring).
_UNREAD_PAGE, _PAGES = 1, 2


def _line(line: str | None) -> str:
    # The facade checks that a line was configured before it asks for a send or the inbox.
    assert line is not None
    return line


def _outcome(result: SendSmsOutcome, count: int) -> SentPairs:
    """SendSms's answer per recipient: the recId, and the status byte where there is one.

    A recipient with no status byte but a recId went out (code 1 said sent); one with neither is
    not accounted for, so its outcome is unknown.
    """
    ids: list[str | None] = []
    sent: list[bool] = []
    unknown: set[int] = set()
    for index in range(count):
        rec_id = result.rec_ids[index] if index < len(result.rec_ids) else None
        ids.append(str(rec_id) if rec_id else None)
        if index < len(result.sent):
            sent.append(result.sent[index])
        elif rec_id:
            sent.append(True)
        else:
            sent.append(False)
            unknown.add(index)
    return SentPairs(tuple(ids), tuple(sent), frozenset(unknown))


def _received_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=tehran())


def _in_window(when: datetime | None, since: datetime, until: datetime) -> bool:
    # The panel prints whole seconds: a message received at since + 0.4 s reads as since - 0.6 s.
    return when is None or since - timedelta(seconds=1) < when <= until


class PayamakPanel(Adapter):
    """The payamak_panel adapter."""

    id = "payamak_panel"
    status_batch = 1  # GetDelivery takes one recId
    mixes_texts = False  # SendSms carries one text
    capabilities = Capabilities(
        send=True,
        send_pairs=True,
        schedule=False,
        status=True,
        credit=True,
        inbox=True,
        max_recipients=100,
    )
    sync_client = PayamakPanelClient
    async_client = AsyncPayamakPanelClient
    default_base_url = DEFAULT_BASE_URL

    def send(
        self, line: str | None, recipients: Sequence[str], text: str, at: datetime | None, ref: str
    ) -> Call[SentPairs]:
        # The facade refuses ``at`` first (capabilities.schedule is False); ``ref`` has no
        # field on the wire (see the module docstring).
        assert at is None
        count = len(recipients)
        return Call(
            "send",
            lambda raw: raw.send_sms(
                to=list(recipients), sender=_line(line), text=text, isflash=False
            ),
            lambda result: _outcome(result, count),
            is_read=False,
        )

    def pair_runs(self, pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
        return runs_by_text(pairs, self.capabilities.max_recipients)

    def send_pairs(
        self, line: str | None, pairs: Sequence[tuple[str, str]], ref: str
    ) -> Call[SentPairs]:
        # ``pair_runs`` made every run one text.
        texts = {text for _, text in pairs}
        assert len(texts) == 1, "a payamak_panel run carries one text"
        call = self.send(line, [mobile for mobile, _ in pairs], texts.pop(), None, ref)
        return Call("send_pairs", call.invoke, call.read, is_read=False)

    def group_status(self, group_id: str) -> Call[GroupState]:
        raise UnsupportedOperationError(provider=self.id, operation="status by group id")

    def message_status(self, message_ids: Sequence[str]) -> Call[dict[str, StatusCode]]:
        (message_id,) = message_ids  # status_batch is 1
        return Call(
            "status",
            lambda raw: raw.get_delivery(rec_id=int(message_id)),
            lambda code: {message_id: code},
            is_read=True,
        )

    def credit(self) -> Call[int]:
        return Call("credit", lambda raw: raw.get_credit(), int, is_read=True)

    def inbox_page(
        self, line: str | None, since: datetime, until: datetime, page: int
    ) -> Call[InboxPage]:
        def read(result: list[Message]) -> InboxPage:
            messages = []
            for message in result:
                when = _received_at(message.send_date)
                if _in_window(when, since, until):
                    messages.append(Received(message.sender or "", message.body or "", when))
            return InboxPage(tuple(messages), _PAGES)

        unread = page == _UNREAD_PAGE
        return Call(
            "inbox",
            lambda raw: (
                raw.get_receive_sms_is_not_read_list(line=_line(line))
                if unread
                else raw.get_receive_sms_is_read_list(line=_line(line))
            ),
            read,
            is_read=True,
        )
