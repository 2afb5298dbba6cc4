"""The README's main command: the demo runs every scenario against a sandbox and passes."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from payamak._adapters import ADAPTERS
from payamak.demo import SCENARIOS, run
from payamak.sandbox import Sandbox

STEPS = (
    "credit",
    "prices (raw)",
    "send",
    "status now",
    "status +30 s",
    "send pairs",
    "inbox",
    "checkmessage (raw)",
    "credit after",
    "bad number",
    "wrong password",
)


def test_demo_passes_against_a_running_sandbox(sandbox: Sandbox) -> None:
    out = io.StringIO()

    failures = run(sandbox.base_url, out)

    text = out.getvalue()
    assert failures == 0, text
    for step in STEPS:
        assert f"  {step}." in text
    assert "delivered" in text  # delivery moved on when the clock advanced
    assert "+989120000000: blacklisted" in text  # the blacklisted demo number
    assert "AuthenticationError: Credentials rejected (HTTP 401)" in text  # trez_rest
    assert "AuthenticationError: Wrong user name or password." in text  # trez_xml
    facade = len(ADAPTERS)  # every registered provider runs the facade scenario
    assert text.count("through payamak.Client") == facade
    assert text.count("refused before sending: to[1]") == facade
    inboxes = sum(adapter.capabilities.inbox for adapter in ADAPTERS.values())
    assert text.count("newest from +989121234567: 'ممنون، رسید'") == inboxes  # injected, read
    # payamak_panel: SendSms flags the blacklisted number not sent, and answers a recId per
    # number; the wrong password is SendSms code 0; .raw lists the account's lines.
    assert "2 accepted, 1 refused" in text
    assert "3 message id(s)" in text
    assert "AuthenticationError: Wrong username or password." in text
    assert "lines (raw)" in text
    # advanced_ws: an id per number (no group), the blacklisted number blacklisted once
    # delivery moves on, its unread list on .raw, and -1 for a wrong password.
    section = text[text.index("advanced_ws — through payamak.Client") :]
    section = section[: section.index("\n\n")]
    assert "3 accepted, reference" in section and "3 message id(s)" in section
    assert "+989120000000: blacklisted" in section
    assert "unread (raw)" in section
    # GetMsg's time is an aware datetime: the demo prints it with its UTC offset.
    assert re.search(
        r"unread \(raw\)\.+ [1-9][0-9]* unread, .*, received [0-9-]+T[0-9:]+\+00:00", section
    )
    assert "inbox." not in section  # not offered: GetMsg consumes what it reads
    assert "AuthenticationError: The user was not recognised" in section
    assert f"{len(SCENARIOS)} provider(s)" in text
    # ippanel_classic: the bulk id is the receipt's group, a group per text of send_pairs,
    # checkmessage's object on .raw, the literal null of an unknown bulk id, and the rest of
    # its generated client.
    section = text[text.index("ippanel_classic — through payamak.Client") :]
    section = section[: section.index("\n\n")]
    assert "3 accepted, reference" in section and ", group " in section
    assert "+989120000000: blacklisted" in section  # delivery's "discarded"
    assert "(2 group(s))" in section
    assert "checkmessage Finish/approve" in section
    assert "NotFoundError 'null'" in section
    assert "demo_sub created" in section
    assert "AuthenticationError: Wrong username or password." in section  # code 962


def test_demo_reports_a_failing_step_and_fails(sandbox: Sandbox) -> None:
    sandbox.admin.inject_fault("trez_rest", "http_503", operation="GetPrices", count=1)
    out = io.StringIO()

    failures = run(sandbox.base_url, out)

    assert failures == 1
    assert "prices (raw)" in out.getvalue()
    assert "FAILED: HttpStatusError" in out.getvalue()


def test_demo_command_embeds_and_stops_its_own_sandbox() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "payamak.demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "embedded sandbox at http://127.0.0.1:" in result.stdout
    assert "all steps passed" in result.stdout
