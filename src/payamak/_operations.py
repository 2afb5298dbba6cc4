"""The facade's operations, written once for ``Client`` and ``AsyncClient``.

Each operation is a generator: it yields the adapter's ``Call`` objects and receives their
results (or has their errors thrown in), and returns the facade's model. ``Client`` drives it
with plain calls, ``AsyncClient`` with awaits, so the two cannot drift apart (the sans-IO
split of the generated layer, one level up).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn, TypeVar

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.errors import PayamakGenError

from ._adapters import Adapter
from ._adapters._base import InboxPage, SentPairs
from ._errors import PartialSendError, SendOutcomeUnknownError
from ._models import Balance, DeliveryReport, SendReceipt
from ._phone import InvalidMobileError, parse_mobile
from ._states import unified
from ._validate import chunks

__all__ = ["Op", "credit", "inbox_page", "send", "send_pairs", "status", "wire_number"]

T = TypeVar("T")
Op = Generator[Any, Any, T]
"""Yields ``Call`` objects, receives their results, returns ``T``."""


def wire_number(value: str) -> str:
    """A number as a provider echoed it, as E.164 when it is an Iranian mobile."""
    try:
        return parse_mobile(value).e164
    except InvalidMobileError:
        return value


def _chunk_reference(reference: str, index: int, count: int) -> str:
    return reference if count == 1 else f"{reference}-{index + 1}"


def _failure(
    error: PayamakGenError,
    *,
    provider: str,
    operation: str,
    reference: str,
    recipients: Sequence[str],
    done: SendReceipt | None,
    later: Sequence[str],
) -> PayamakGenError:
    """What a failed send chunk becomes for the caller."""
    if error.outcome_unknown:
        return SendOutcomeUnknownError(
            provider=provider,
            operation=operation,
            reference=reference,
            recipients=recipients,
            accepted=done,
            unsent=later,
        )
    if done is not None:
        return PartialSendError(
            provider=provider,
            operation=operation,
            accepted=done,
            unsent=[*recipients, *later],
        )
    return error


@dataclass
class _Progress:
    """What a send has had accepted so far, recipient by recipient (E.164)."""

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    message_ids: dict[str, str] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def receipt(self, adapter: Adapter, reference: str) -> SendReceipt:
        return SendReceipt(
            adapter.id,
            reference,
            self.groups,
            self.message_ids,
            tuple(self.accepted),
            tuple(self.rejected),
        )

    def take(self, run: Sequence[str], answer: SentPairs) -> list[str]:
        """Records a per-recipient answer to ``run``; returns the recipients it leaves unknown."""
        unknown: list[str] = []
        for index, (number, message_id) in enumerate(zip(run, answer.message_ids, strict=True)):
            if index in answer.unknown:
                unknown.append(number)
                continue
            if message_id is not None:
                # A refused recipient's id is kept when there is one: its status says why.
                self.message_ids[number] = message_id
            (self.accepted if answer.went_out(index) else self.rejected).append(number)
        return unknown


def _raise_failure(
    error: PayamakGenError,
    adapter: Adapter,
    operation: str,
    progress: _Progress,
    reference: str,
    chunk_ref: str,
    run: Sequence[str],
    later: Sequence[str],
) -> NoReturn:
    done = progress.receipt(adapter, reference)
    failure = _failure(
        error,
        provider=adapter.id,
        operation=operation,
        reference=chunk_ref,
        recipients=run,
        done=done if progress.accepted else None,
        later=later,
    )
    if failure is error:
        raise error
    raise failure from error


def _raise_unknown_part(
    adapter: Adapter,
    operation: str,
    progress: _Progress,
    reference: str,
    chunk_ref: str,
    answer: SentPairs,
    unknown: Sequence[str],
    later: Sequence[str],
) -> NoReturn:
    """An answer that accounts for only part of its request: the rest may have gone out."""
    raise SendOutcomeUnknownError(
        provider=adapter.id,
        operation=operation,
        reference=chunk_ref,
        recipients=unknown,
        accepted=progress.receipt(adapter, reference),
        unsent=later,
    ) from answer.error


def send(
    adapter: Adapter,
    line: str | None,
    numbers: list[str],
    text: str,
    at: datetime | None,
    reference: str,
) -> Op[SendReceipt]:
    """One text to ``numbers`` (E.164), in chunks of the provider's batch size."""
    runs = chunks(numbers, adapter.capabilities.max_recipients)
    progress = _Progress()
    for index, run in enumerate(runs):
        chunk_ref = _chunk_reference(reference, index, len(runs))
        wire = [adapter.mobile(number) for number in run]
        later = [n for later in runs[index + 1 :] for n in later]
        try:
            answer = yield adapter.send(line, wire, text, at, chunk_ref)
        except PayamakGenError as error:
            _raise_failure(error, adapter, "send", progress, reference, chunk_ref, run, later)
        if isinstance(answer, SentPairs):
            unknown = progress.take(run, answer)
            if unknown:
                _raise_unknown_part(
                    adapter, "send", progress, reference, chunk_ref, answer, unknown, later
                )
        else:
            progress.groups[answer] = tuple(run)
            progress.accepted.extend(run)
    return progress.receipt(adapter, reference)


def send_pairs(
    adapter: Adapter, line: str | None, pairs: list[tuple[str, str]], reference: str
) -> Op[SendReceipt]:
    """A text per number (E.164), in the requests the adapter splits them into."""
    runs = adapter.pair_runs(pairs)
    progress = _Progress()
    for index, run in enumerate(runs):
        chunk_ref = _chunk_reference(reference, index, len(runs))
        numbers = [number for number, _ in run]
        wire = [(adapter.mobile(number), text) for number, text in run]
        later = [number for later in runs[index + 1 :] for number, _ in later]
        try:
            sent = yield adapter.send_pairs(line, wire, chunk_ref)
        except PayamakGenError as error:
            _raise_failure(
                error, adapter, "send_pairs", progress, reference, chunk_ref, numbers, later
            )
        if not isinstance(sent, SentPairs):
            # A provider whose runs are one text each answers a run with a group id.
            progress.groups[sent] = tuple(numbers)
            progress.accepted.extend(numbers)
            continue
        unknown = progress.take(numbers, sent)
        if unknown:
            _raise_unknown_part(
                adapter, "send_pairs", progress, reference, chunk_ref, sent, unknown, later
            )
    return progress.receipt(adapter, reference)


def _report(
    provider: str,
    recipient: str | None,
    status: StatusCode | None,
    *,
    message_id: str | None = None,
    group_id: str | None = None,
) -> DeliveryReport:
    if status is None:
        return DeliveryReport(
            provider,
            recipient,
            "unknown",
            None,
            False,
            "The provider's answer did not mention this message.",
            message_id,
            group_id,
        )
    return DeliveryReport(
        provider,
        recipient,
        unified(status),
        status.code,
        status.final,
        status.en,
        message_id,
        group_id,
    )


def status(
    adapter: Adapter,
    groups: dict[str, tuple[str, ...]],
    messages: dict[str, str | None],
) -> Op[tuple[DeliveryReport, ...]]:
    """Reports for group sends (group id → its recipients, maybe none known) and for messages
    (message id → its recipient, if known)."""
    reports: list[DeliveryReport] = []
    for group_id, members in groups.items():
        state = yield adapter.group_status(group_id)
        listed = {wire_number(mobile): code for mobile, code in state.recipients}
        # A queued or filtered group lists nobody: each member is in the group's state.
        fallback = None if listed else state.status
        for member in members:
            code = listed.pop(member, fallback)
            reports.append(_report(adapter.id, member, code, group_id=group_id))
        for mobile, code in listed.items():
            reports.append(_report(adapter.id, mobile, code, group_id=group_id))
        if not members and not state.recipients:
            reports.append(_report(adapter.id, None, state.status, group_id=group_id))
    ids = list(messages)
    for run in chunks(ids, adapter.status_batch or adapter.capabilities.max_recipients):
        codes = yield adapter.message_status(run)
        for message_id in run:
            reports.append(
                _report(
                    adapter.id, messages[message_id], codes.get(message_id), message_id=message_id
                )
            )
    return tuple(reports)


def credit(adapter: Adapter) -> Op[Balance]:
    """The balance."""
    rials = yield adapter.credit()
    return Balance(adapter.id, rials)


def inbox_page(
    adapter: Adapter, line: str | None, since: datetime, until: datetime, page: int
) -> Op[InboxPage]:
    """One page of the inbox."""
    result: InboxPage = yield adapter.inbox_page(line, since, until, page)
    return result
