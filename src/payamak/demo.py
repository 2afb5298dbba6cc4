"""``python -m payamak.demo``: the main job. Starts the embedded sandbox, runs a short scenario
per provider through ``payamak.Client`` (credit, send, status as delivery moves on, a text per
number, the inbox, credit again, a refused number and a wrong password), prints a summary and
stops the sandbox. Steps a provider's ``capabilities`` lack are left out. Some providers also
show a few calls of their generated client (``client.raw``) for what the facade does not cover
(ippanel_classic: checkmessage, phone books, jobs, postal codes, social sends, sub-users).

Pass ``--sandbox-url`` to run against a sandbox that is already running (``make sandbox``)
instead of an embedded one. Nothing here talks to a real gateway.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TextIO

from payamak._extras import require_extra

require_extra("payamak.demo", "sandbox", command=__name__ == "__main__")

# The check above must run before the sandbox is imported (hence E402).
from payamak import (  # noqa: E402
    Client,
    PayamakError,
    SendReceipt,
    ValidationError,
)
from payamak._adapters import ADAPTERS  # noqa: E402
from payamak.sandbox import (  # noqa: E402
    DEMO_BLACKLISTED,
    DEMO_LINE,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    Sandbox,
    SandboxAdmin,
    SandboxAdminError,
)
from payamak_gen.errors import ApiError  # noqa: E402

__all__ = ["main", "run"]

_RECIPIENTS = ("۰۹۱۲۱۲۳۴۵۶۷", "+98 935 123 4567", DEMO_BLACKLISTED)


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
    except (PayamakError, SandboxAdminError) as error:
        report.fail(label, error)


def _scenario(provider: str, base_url: str, admin: SandboxAdmin, report: _Report) -> None:
    report.section(f"{provider} — through payamak.Client")
    with Client(
        provider,
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        line=DEMO_LINE,
        base_url=base_url,
    ) as client:
        with _step(report, "credit"):
            report.step("credit", f"{client.credit().rials:,} rials")
        receipt: SendReceipt | None = None
        with _step(report, "send"):
            # Numbers as people write them: Persian digits, +98 with spaces, the usual 0 form.
            receipt = client.send(_RECIPIENTS, "کد تایید شما: 4821")
            # A group id where the provider makes one; payamak_panel answers an id per number.
            tracking = (
                f"group {receipt.group_ids[0]}"
                if receipt.group_ids
                else f"{len(receipt.message_ids)} message id(s)"
            )
            refused = f", {len(receipt.rejected)} refused" if receipt.rejected else ""
            report.step(
                "send",
                f"{len(receipt.accepted)} accepted{refused}, reference {receipt.reference}, "
                f"{tracking}",
            )

        if receipt is not None and client.capabilities.status:
            for label, wait in (("status now", 0.0), ("status +30 s", 30.0)):
                with _step(report, label):
                    if wait:
                        admin.advance(wait)  # the sandbox's clock moves delivery on
                    states = ", ".join(f"{r.recipient}: {r.state}" for r in client.status(receipt))
                    report.step(label, states)

        if client.capabilities.send_pairs:
            with _step(report, "send pairs"):
                pairs = client.send_pairs(
                    [("09121234567", "سفارش ۱۲ ارسال شد"), ("09351234567", "Order 13 shipped")]
                )
                admin.advance(30)
                states = ", ".join(f"{r.recipient}: {r.state}" for r in client.status(pairs))
                # A group per text where the provider sends one text per request.
                tracking = f"{len(pairs.groups)} group(s)" if pairs.groups else "per number"
                report.step("send pairs", f"{states} ({tracking})")

        if client.capabilities.inbox:
            with _step(report, "inbox"):
                admin.inject_inbound(
                    DEMO_LINE, "09121234567", "ممنون، رسید", username=DEMO_USERNAME
                )
                now = datetime.fromtimestamp(admin.now(), timezone.utc)
                messages = list(client.inbox(now - timedelta(days=1), now + timedelta(minutes=1)))
                latest = max(messages, key=lambda m: m.received_at or now, default=None)
                newest = f"; newest from {latest.sender}: {latest.text!r}" if latest else ""
                report.step("inbox", f"{len(messages)} message(s){newest}")

        # What the facade does not cover is on the generated client (``client.raw``).
        raw_steps = _RAW_STEPS.get(provider)
        if raw_steps is not None:
            raw_steps(client, receipt, report)

        with _step(report, "credit after"):
            report.step("credit after", f"{client.credit().rials:,} rials")

        with _step(report, "bad number"):
            try:
                client.send(["09121234567", "0912-123"], "x")
                report.fail("bad number", AssertionError("a bad number was accepted"))
            except ValidationError as error:
                report.step("bad number", f"refused before sending: {error.field} {error.reason}")

    with (
        Client(
            provider,
            username=DEMO_USERNAME,
            password="wrong-password",
            line=DEMO_LINE,
            base_url=base_url,
        ) as intruder,
        _step(report, "wrong password"),
    ):
        try:
            # A send, not a read: every provider answers it with its own code for bad
            # credentials (payamak_panel's reads have none and answer with a SOAP Fault).
            intruder.send("09121234567", "x")
            report.fail("wrong password", AssertionError("the sandbox accepted a wrong password"))
        except ApiError as error:
            report.step("wrong password", f"{type(error).__name__}: {error.message_en}")


def _advanced_ws_raw(client: Client, receipt: SendReceipt | None, report: _Report) -> None:
    with _step(report, "unread (raw)"):
        # GetMsg marks what it returns read, so the facade offers no inbox (adapter docstring).
        unread = client.raw.get_msg()
        # Each message's time is an aware datetime (the wire's unix seconds, in UTC).
        newest = (
            f"; newest {unread[-1].msg!r}, received {unread[-1].time.isoformat()}" if unread else ""
        )
        report.step("unread (raw)", f"{len(unread)} unread, now marked read{newest}")


def _trez_rest_raw(client: Client, receipt: SendReceipt | None, report: _Report) -> None:
    with _step(report, "prices (raw)"):
        prices = client.raw.get_prices()
        report.step(
            "prices (raw)",
            f"Persian {prices.fa_price:,} / Latin {prices.en_price:,} rials per part",
        )


def _payamak_panel_raw(client: Client, receipt: SendReceipt | None, report: _Report) -> None:
    with _step(report, "lines (raw)"):
        report.step("lines (raw)", ", ".join(client.raw.get_user_numbers_list()))


def _ippanel_classic_raw(client: Client, receipt: SendReceipt | None, report: _Report) -> None:
    raw = client.raw
    if receipt is not None and receipt.group_ids:
        with _step(report, "checkmessage (raw)"):
            # The send's moderation state, by the bulk id the facade kept as its group id.
            check = raw.check_message(bulk_id=int(receipt.group_ids[0]))
            report.step(
                "checkmessage (raw)", f"checkmessage {check.status.code}/{check.approval.code}"
            )
    with _step(report, "unknown bulk id"):
        try:
            client.status(group_id="1")
            report.fail("unknown bulk id", AssertionError("no error for an unknown bulk id"))
        except ApiError as error:
            report.step(
                "unknown bulk id", f"{type(error).__name__} {error.code!r}: {error.message_en}"
            )
    with _step(report, "phone books (raw)"):
        books = raw.book_list()
        sent = raw.book_send(sender=DEMO_LINE, message="خبرنامه", book_ids=[b.id for b in books])
        report.step(
            "phone books (raw)", f"{', '.join(b.title for b in books)}; book send bulk id {sent}"
        )
    with _step(report, "jobs (raw)"):
        jobs = raw.jobs_list()
        trends = raw.jobs_trend_list(job_id=jobs[0].id)
        ids = [t.id for t in trends]
        count = raw.jobs_count(trend_ids=ids)
        sent = raw.jobs_send(sender=DEMO_LINE, message="m", trend_ids=ids, job_id=jobs[0].id)
        report.step(
            "jobs (raw)",
            f"{jobs[0].title}: {len(trends)} trend(s), {count} number(s), bulk id {sent}",
        )
    with _step(report, "postal codes (raw)"):
        areas = raw.postal_code_area()
        count = raw.postal_code_count(operator="tci", gender=0, postalcode="1591634311")
        sent = raw.postal_code_send(
            sender=DEMO_LINE, message="m", operator="tci", gender=0, postalcode="1591634311"
        )
        report.step(
            "postal codes (raw)", f"{len(areas)} district(s); {count} number(s), bulk id {sent}"
        )
    with _step(report, "social (raw)"):
        text = raw.send_social(
            sender=DEMO_LINE, message="m", to=["09121234567"], network="telegram"
        )
        report.step("social (raw)", repr(text))
    with _step(report, "sub-user (raw)"):
        levels = raw.access_list()
        raw.new_user(
            user_name="demo_sub",
            user_pass="sub-pass",
            name="Sub",
            company="ACME",
            national_id="0012345678",
            certificate_id="123",
            access_id=levels[0].id,
            tell="02112345678",
            mobile="09121111111",
            postalcode="1591634311",
            email="sub@example.com",
            address="Tehran",
        )
        report.step("sub-user (raw)", f"demo_sub created with access {levels[0].title!r}")


_RAW_STEPS: dict[str, Callable[[Client, SendReceipt | None, _Report], None]] = {
    "advanced_ws": _advanced_ws_raw,
    "ippanel_classic": _ippanel_classic_raw,
    "payamak_panel": _payamak_panel_raw,
    "trez_rest": _trez_rest_raw,
}
"""Per provider, a few calls of its generated client for what the facade does not cover."""


SCENARIOS: dict[str, Callable[[str, SandboxAdmin, _Report], None]] = {
    provider: functools.partial(_scenario, provider) for provider in sorted(ADAPTERS)
}
"""One scenario per provider the facade has an adapter for."""


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
