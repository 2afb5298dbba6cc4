"""The facade's operations, written once for ``Client`` and ``AsyncClient``.

Each operation is a generator: it yields the adapter's ``Call`` objects and receives their
results (or has their errors thrown in), and returns the facade's model. ``Client`` drives it
with plain calls, ``AsyncClient`` with awaits, so the two cannot drift apart (the sans-IO
split of the generated layer, one level up).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from payamak_gen._runtime.catalog import StatusCode
from payamak_gen.errors import PayamakGenError

from ._adapters import Adapter
from ._adapters._base import InboxPage
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
    groups: dict[str, tuple[str, ...]] = {}
    accepted: list[str] = []
    for index, run in enumerate(runs):
        chunk_ref = _chunk_reference(reference, index, len(runs))
        wire = [adapter.mobile(number) for number in run]
        try:
            group_id = yield adapter.send(line, wire, text, at, chunk_ref)
        except PayamakGenError as error:
            done = SendReceipt(adapter.id, reference, groups, accepted=tuple(accepted))
            failure = _failure(
                error,
                provider=adapter.id,
                operation="send",
                reference=chunk_ref,
                recipients=run,
                done=done if accepted else None,
                later=[n for later in runs[index + 1 :] for n in later],
            )
            if failure is error:
                raise
            raise failure from error
        groups[group_id] = tuple(run)
        accepted.extend(run)
    return SendReceipt(adapter.id, reference, groups, accepted=tuple(accepted))


def send_pairs(
    adapter: Adapter, line: str | None, pairs: list[tuple[str, str]], reference: str
) -> Op[SendReceipt]:
    """A text per number (E.164), in chunks of the provider's batch size."""
    size = adapter.capabilities.max_recipients
    runs = [pairs[start : start + size] for start in range(0, len(pairs), size)]
    message_ids: dict[str, str] = {}
    accepted: list[str] = []
    rejected: list[str] = []
    for index, run in enumerate(runs):
        chunk_ref = _chunk_reference(reference, index, len(runs))
        wire = [(adapter.mobile(number), text) for number, text in run]
        try:
            sent = yield adapter.send_pairs(line, wire, chunk_ref)
        except PayamakGenError as error:
            done = SendReceipt(adapter.id, reference, {}, message_ids, tuple(accepted))
            failure = _failure(
                error,
                provider=adapter.id,
                operation="send_pairs",
                reference=chunk_ref,
                recipients=[number for number, _ in run],
                done=done if accepted else None,
                later=[number for later in runs[index + 1 :] for number, _ in later],
            )
            if failure is error:
                raise
            raise failure from error
        for (number, _), message_id in zip(run, sent.message_ids, strict=True):
            if message_id is None:
                rejected.append(number)
            else:
                message_ids[number] = message_id
                accepted.append(number)
    return SendReceipt(adapter.id, reference, {}, message_ids, tuple(accepted), tuple(rejected))


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
    for run in chunks(ids, adapter.capabilities.max_recipients):
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
