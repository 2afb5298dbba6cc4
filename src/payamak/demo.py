"""``python -m payamak.demo``: the main job. Starts the embedded sandbox, runs a short scenario per
provider through the generated clients (send, status, inbox, credit, an error), prints a summary
and stops the sandbox.

Pass ``--sandbox-url`` to run against a sandbox that is already running (``make sandbox``)
instead of an embedded one. Nothing here talks to a real gateway.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TextIO

from payamak._extras import require_extra

require_extra("payamak.demo", "sandbox", command=__name__ == "__main__")

# The check above must run before the sandbox is imported (hence E402).
from payamak.sandbox import (  # noqa: E402
    DEMO_BLACKLISTED,
    DEMO_LINE,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    Sandbox,
    SandboxAdmin,
    SandboxAdminError,
)
from payamak_gen.errors import ApiError, PayamakGenError  # noqa: E402
from payamak_gen.payamak_panel import PayamakPanelClient  # noqa: E402
from payamak_gen.trez_rest import TrezRestClient  # noqa: E402
from payamak_gen.trez_xml import PeerMessage, TrezXmlClient  # noqa: E402

__all__ = ["main", "run"]

_RECIPIENTS = ("09121234567", "09351234567", DEMO_BLACKLISTED)


@dataclass
class _Report:
    """Collects one line per step and prints them as an aligned summary."""

    out: TextIO
    failures: list[str] = field(default_factory=list)

    def section(self, title: str) -> None:
        print(f"\n{title}", file=self.out)

    def step(self, label: str, outcome: str) -> None:
        print(f"  {label:.<22} {outcome}", file=self.out)

    def fail(self, label: str, error: BaseException) -> None:
        self.failures.append(label)
        self.step(label, f"FAILED: {type(error).__name__}: {error}")


@contextmanager
def _step(report: _Report, label: str) -> Iterator[None]:
    # One failing step is reported and the scenario goes on: a demo shows everything it can.
    try:
        yield
    except (PayamakGenError, SandboxAdminError) as error:
        report.fail(label, error)


def _trez_rest(base_url: str, admin: SandboxAdmin, report: _Report) -> None:
    report.section("trez_rest — Trez REST API (payamak_gen.trez_rest.TrezRestClient)")
    with TrezRestClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=base_url) as client:
        with _step(report, "credit"):
            report.step("credit", f"{client.get_credit():,} rials")
        with _step(report, "prices"):
            prices = client.get_prices()
            report.step(
                "prices", f"Persian {prices.fa_price:,} / Latin {prices.en_price:,} rials per part"
            )

        group_id = ""
        with _step(report, "send"):
            group_id = client.send_message(
                phone_number=DEMO_LINE,
                message="کد تایید شما: 4821",
                mobiles=list(_RECIPIENTS),
                user_group_id=f"demo-{uuid.uuid4().hex[:8]}",
                send_at=datetime.now(timezone.utc),  # now or in the past: at once
            )
            report.step("send", f"group {group_id} to {len(_RECIPIENTS)} numbers")

        if group_id:
            for label, wait in (("status now", 0.0), ("status +30 s", 30.0)):
                with _step(report, label):
                    if wait:
                        admin.advance(wait)  # the sandbox's clock moves delivery on
                    status = client.group_message_status(group_message_id=group_id)
                    per_number = ", ".join(
                        f"{s.mobile}: {s.status.state}" for s in status.messages_list_state
                    )
                    report.step(label, f"group {status.status_code.state}; {per_number}")

        with _step(report, "inbox"):
            admin.inject_inbound(DEMO_LINE, "09121234567", "ممنون، رسید", username=DEMO_USERNAME)
            now = datetime.fromtimestamp(admin.now(), timezone.utc)
            page = client.receive_messages(
                phone_number=DEMO_LINE,
                start=now - timedelta(days=1),
                end=now + timedelta(minutes=1),
                page=1,
            )
            # The gateway lists the newest message first.
            latest = page.received_msgs[0] if page.received_msgs else None
            newest = f"; newest from {latest.mobile}: {latest.msg_body!r}" if latest else ""
            report.step(
                "inbox",
                f"{len(page.received_msgs)} message(s), page {page.page}/{page.total_page}{newest}",
            )

        with _step(report, "credit after"):
            report.step("credit after", f"{client.get_credit():,} rials")

    with (
        TrezRestClient(DEMO_USERNAME, "wrong-password", base_url=base_url) as intruder,
        _step(report, "wrong password"),
    ):
        try:
            intruder.get_credit()
            report.fail("wrong password", AssertionError("the sandbox accepted a wrong password"))
        except ApiError as error:
            report.step("wrong password", f"{type(error).__name__}: {error.message_en}")


def _trez_xml(base_url: str, admin: SandboxAdmin, report: _Report) -> None:
    report.section("trez_xml — Trez XML web service, SOAP (payamak_gen.trez_xml.TrezXmlClient)")
    with TrezXmlClient(DEMO_USERNAME, DEMO_PASSWORD, DEMO_LINE, base_url=base_url) as client:
        with _step(report, "credit"):
            report.step("credit", f"{client.get_credit():,} rials")

        group_id = ""
        with _step(report, "send"):
            group_id = client.send_message(
                mobiles=list(_RECIPIENTS),
                message="Your code: 4821",
                user_group_id=f"demo-{uuid.uuid4().hex[:8]}",
            )
            report.step("send", f"group {group_id} to {len(_RECIPIENTS)} numbers")

        if group_id:
            for label, wait in (("status now", 0.0), ("status +30 s", 30.0)):
                with _step(report, label):
                    if wait:
                        admin.advance(wait)
                    status = client.group_status(group_id=group_id)
                    per_number = ", ".join(
                        f"{r.mobile}: {r.status.state}" for r in status.recipients
                    )
                    report.step(label, f"group {status.status.state}; {per_number or '-'}")

        with _step(report, "peer-to-peer"):
            sent = client.send_peer_to_peer(
                messages=[
                    PeerMessage(mobile="09121234567", text="سفارش ۱۲ ارسال شد", doreid=1),
                    PeerMessage(mobile="09351234567", text="سفارش ۱۳ ارسال شد", doreid=2),
                ],
                user_group_id=f"demo-{uuid.uuid4().hex[:8]}",
            )
            admin.advance(30)
            states = client.message_status(message_ids=[m.message_id for m in sent])
            report.step(
                "peer-to-peer",
                ", ".join(f"id {s.message_id}: {s.status.state}" for s in states),
            )

        with _step(report, "inbox"):
            now = datetime.fromtimestamp(admin.now(), tz=timezone.utc)
            page = client.received_messages(start=now - timedelta(days=1), end=now, page=1)
            report.step(
                "inbox", f"{len(page.messages)} message(s), page {page.page}/{page.total_pages}"
            )

        with _step(report, "credit after"):
            report.step("credit after", f"{client.get_credit():,} rials")

    with (
        TrezXmlClient(DEMO_USERNAME, "wrong-password", DEMO_LINE, base_url=base_url) as intruder,
        _step(report, "wrong password"),
    ):
        try:
            intruder.get_credit()
            report.fail("wrong password", AssertionError("the sandbox accepted a wrong password"))
        except ApiError as error:
            report.step(
                "wrong password", f"{type(error).__name__} {error.code}: {error.message_en}"
            )


def _payamak_panel(base_url: str, admin: SandboxAdmin, report: _Report) -> None:
    report.section(
        "payamak_panel — SMS panel post/*.asmx, SOAP (payamak_gen.payamak_panel.PayamakPanelClient)"
    )
    with PayamakPanelClient(DEMO_USERNAME, DEMO_PASSWORD, base_url=base_url) as client:
        with _step(report, "credit"):
            report.step("credit", f"{client.get_credit():,} rials")

        rec_ids: list[int] = []
        with _step(report, "send"):
            outcome = client.send_sms(
                to=list(_RECIPIENTS), sender=DEMO_LINE, text="کد تایید شما: 4821", isflash=False
            )
            rec_ids = outcome.rec_ids
            sent = sum(outcome.sent)
            report.step(
                "send",
                f"{outcome.code.en} {len(rec_ids)} recId(s), {sent} sent, "
                f"{len(rec_ids) - sent} not sent",
            )

        if rec_ids:
            for label, wait in (("delivery now", 0.0), ("delivery +30 s", 30.0)):
                with _step(report, label):
                    if wait:
                        admin.advance(wait)
                    states = [client.get_delivery(rec_id=rec_id) for rec_id in rec_ids]
                    report.step(
                        label,
                        ", ".join(
                            f"{i}: {s.state} ({s.code})"
                            for i, s in zip(rec_ids, states, strict=True)
                        ),
                    )

        with _step(report, "inbox"):
            admin.inject_inbound(DEMO_LINE, "09121234567", "ممنون، رسید", username=DEMO_USERNAME)
            unread = client.get_inbox_count(is_read=False)
            new = client.get_new_messages_list(line=DEMO_LINE)
            latest = f"; newest from {new[-1].sender}: {new[-1].body!r}" if new else ""
            report.step("inbox", f"{unread} unread, {len(new)} new on {DEMO_LINE}{latest}")

        with _step(report, "credit after"):
            report.step("credit after", f"{client.get_credit():,} rials")

    with (
        PayamakPanelClient(DEMO_USERNAME, "wrong-password", base_url=base_url) as intruder,
        _step(report, "wrong password"),
    ):
        try:
            intruder.send_sms(to=["09121234567"], sender=DEMO_LINE, text="x", isflash=False)
            report.fail("wrong password", AssertionError("the sandbox accepted a wrong password"))
        except ApiError as error:
            report.step(
                "wrong password", f"{type(error).__name__} {error.code}: {error.message_en}"
            )


SCENARIOS: dict[str, Callable[[str, SandboxAdmin, _Report], None]] = {
    "trez_rest": _trez_rest,
    "trez_xml": _trez_xml,
    "payamak_panel": _payamak_panel,
}
"""One scenario per provider whose client has landed."""


def run(base_url: str, out: TextIO) -> int:
    """Run every scenario against the sandbox at ``base_url``; return the number of failures."""
    report = _Report(out)
    started = time.perf_counter()
    with SandboxAdmin(base_url) as admin:
        for scenario in SCENARIOS.values():
            scenario(base_url, admin, report)
    elapsed = time.perf_counter() - started
    verdict = "all steps passed" if not report.failures else f"failed: {report.failures}"
    print(f"\n{len(SCENARIOS)} provider(s) in {elapsed:.2f} s — {verdict}", file=out)
    return len(report.failures)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m payamak.demo", description=__doc__)
    parser.add_argument(
        "--sandbox-url", help="use a running sandbox (e.g. http://127.0.0.1:8765) instead"
    )
    args = parser.parse_args(argv)
    if args.sandbox_url:
        print(f"payamak demo against the sandbox at {args.sandbox_url}")
        return 1 if run(args.sandbox_url, sys.stdout) else 0
    with Sandbox() as sandbox:
        print(f"payamak demo against an embedded sandbox at {sandbox.base_url}")
        failures = run(sandbox.base_url, sys.stdout)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
