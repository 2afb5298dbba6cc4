"""ippanel_classic at its edges, over raw HTTP: limits at their exact boundaries, whose messages a
bulk id answers for, the fixed tables byte for byte (Persian as UTF-8), the numbers a postal code
reaches, what a new sub-user inherits, and the answers no result code covers.

Expected values come from the spec (`specs/ippanel_classic/`), the provider note, SMS part
arithmetic (160/153 GSM-7 characters, 70/67 UCS-2 units), the sandbox's shared limits
(`MAX_RECIPIENTS`, `MAX_PARTS`) and the rules the module's docstring promises; the fixed tables
(the manual shows none) are written out here as a client sees them, so changing one is a
deliberate change of what the sandbox serves. Nothing is read back from the module itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from payamak.sandbox import Sandbox, SandboxAdmin
from payamak.sandbox.providers.trez_rest import MAX_PARTS, MAX_RECIPIENTS
from tests.sandbox.support import CREDIT, LINE, MOBILE, PRICE_EN, PRICE_FA, send_body
from tests.sandbox.test_ippanel_classic import NEW_USER, PATH, Panel

NAME = "ippanel_classic"


@pytest.fixture
def panel(sandbox: Sandbox) -> Iterator[Panel]:
    """A urlencoded ippanel_classic client (the encodings themselves are the main file's)."""
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as http:
        yield Panel(http)


def _numbers(panel: Panel, bulk: int) -> list[str]:
    """The numbers delivery lists for a bulk id, in order, without their statuses."""
    return [entry.split(":")[0] for entry in json.loads(panel.ok("delivery", uinqid=bulk))]


# -- limits at their boundaries ------------------------------------------------------------------


def test_exactly_the_recipient_limit_is_not_code_98(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    # With no credit the send that passes the limit check stops at the credit (5); one more
    # recipient than the limit is 98 (the main file). Nothing is stored either way. Multipart:
    # the server reads its 800 kB faster than the percent-escaped form.
    sandbox_admin.set_credit("demo", 0)
    multipart = Panel(panel.http, multipart=True)
    assert multipart.code("send", from_=LINE, message="hi", to=[MOBILE] * MAX_RECIPIENTS) == 5


@pytest.mark.parametrize(
    ("unit", "per_part", "price"),
    [("x", 153, PRICE_EN), ("س", 67, PRICE_FA)],
    ids=["gsm7", "persian"],
)
def test_a_text_of_exactly_max_parts_is_sent_and_one_unit_more_is_6(
    panel: Panel, unit: str, per_part: int, price: int
) -> None:
    # Past one part, a part carries 153 GSM-7 characters or 67 UCS-2 units.
    longest = unit * (MAX_PARTS * per_part)
    bulk = panel.ok("send", from_=LINE, message=longest, to=[MOBILE])
    assert isinstance(bulk, int)
    assert panel.ok("credit") == CREDIT - MAX_PARTS * price
    assert panel.code("send", from_=LINE, message=longest + unit, to=[MOBILE]) == 6
    assert panel.ok("credit") == CREDIT - MAX_PARTS * price


@pytest.mark.parametrize(
    ("op", "fields"),
    [
        ("booksend", {"bookid": [99]}),
        ("jobssend", {"trendid": [99], "jobsid": 1}),
        # 0000000's one number, 09120000000, is even: no man (gender 1) is left.
        ("postalcodesend", {"type": "tci", "gender": 1, "postalcode": "0000000"}),
    ],
    ids=["unknown-book", "unknown-trend", "no-one-left"],
)
def test_a_send_that_reaches_no_number_is_4(panel: Panel, op: str, fields: dict[str, Any]) -> None:
    assert panel.code(op, from_=LINE, message="m", **fields) == 4
    assert panel.ok("credit") == CREDIT


# -- what a bulk id answers for ------------------------------------------------------------------


def test_each_send_has_its_own_bulk_id_its_first_messages(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    first = panel.ok("send", from_=LINE, message="one", to=[MOBILE])
    second = panel.ok("send", from_=LINE, message="two", to=["09121234999", "09351111111"])
    assert first != second
    stored = {m["text"]: m["id"] for m in reversed(sandbox_admin.messages(provider=NAME))}
    # The bulk id is the id of the send's first message (module docstring).
    assert (first, second) == (stored["one"], stored["two"])
    assert _numbers(panel, first) == ["+989121234567"]
    assert _numbers(panel, second) == ["+989121234999", "+989351111111"]
    assert panel.answer("checkmessage", messageid=second)["statusMessage"] == "Active"


def test_a_message_sent_through_another_gateway_is_no_bulk_id(
    sandbox: Sandbox, panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    with httpx.Client(base_url=sandbox.base_url, auth=("demo", "demo"), timeout=10) as http:
        sent = http.post("/api/smsAPI/SendMessage", json=send_body())
    assert sent.json()["Code"] == 0, sent.text
    (message,) = sandbox_admin.messages(provider="trez_rest")
    assert panel.post("delivery", uinqid=message["id"]).content == b"null"
    assert panel.post("checkmessage", messageid=message["id"]).content == b"null"


# -- the fixed tables, byte for byte -------------------------------------------------------------

TABLES = {
    ("booklist", ()): [{"id": 1, "title": "دوستان"}, {"id": 2, "title": "customers"}],
    ("jobslist", ()): [{"id": 1, "title": "پزشک"}, {"id": 2, "title": "وکیل"}],
    ("jobstrenlist", (("jobsid", 1),)): [
        {"id": 11, "title": "دندانپزشک"},
        {"id": 12, "title": "جراح"},
    ],
    ("jobstrenlist", (("jobsid", 2),)): [{"id": 21, "title": "وکیل پایه یک"}],
    ("accesslist", ()): [
        {"id": 1, "title": "پایه"},
        {"id": 2, "title": "نقره ای"},
        {"id": 3, "title": "طلایی"},
    ],
    ("postalcodearea", ()): [
        {"id": 1, "title": "تجریش"},
        {"id": 2, "title": "ونک"},
        {"id": 3, "title": "نارمک"},
    ],
}


@pytest.mark.parametrize(("call", "table"), list(TABLES.items()), ids=[op for op, _ in TABLES])
def test_a_table_is_json_text_with_persian_as_utf8(
    panel: Panel, call: tuple[str, tuple[tuple[str, Any], ...]], table: list[dict[str, Any]]
) -> None:
    op, fields = call
    response = panel.post(op, **dict(fields))
    assert json.loads(response.json()[1]) == table
    # The panel sends Persian unescaped, in the list's JSON text as in the answer around it.
    assert b"\\u" not in response.content
    persian = [row["title"] for row in table if not row["title"].isascii()]
    assert all(title.encode() in response.content for title in persian)


def test_the_last_job_and_level_are_usable(panel: Panel) -> None:
    assert panel.ok("jobscount", trendid=[21]) == 1
    bulk = panel.ok("jobssend", from_=LINE, message="m", trendid=[21], jobsid=2)
    assert _numbers(panel, bulk) == ["+989141111111"]
    assert panel.ok("newuser", **{**NEW_USER, "access__id": 3}) > 0


def test_the_inbox_sends_persian_as_utf8(panel: Panel, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_inbound(LINE, MOBILE, "سلام دنیا")
    response = panel.post("inboxlist")
    assert b"\\u" not in response.content
    assert "سلام دنیا".encode() in response.content
    assert "سلام دنیا" in [m["message"] for m in json.loads(response.json()[1])]


# -- the numbers of a postal code ----------------------------------------------------------------
# The module's rule: a postal code's last seven digits and the next numbers after them, one to
# five ((digits mod 5) + 1), on 0912 (tci, MCI) or 0935 (mtn, Irancell); gender 1 (men) keeps
# the odd ones, 2 (women) the even ones, 0 all. 1234567 mod 5 = 2: three numbers.


@pytest.mark.parametrize(
    ("kind", "gender", "postalcode", "expected"),
    [
        ("tci", 0, "1234567", ["09121234567", "09121234568", "09121234569"]),
        ("tci", 1, "1234567", ["09121234567", "09121234569"]),
        ("tci", 2, "12345-67", ["09121234568"]),
        ("mtn", 0, "1234567", ["09351234567", "09351234568", "09351234569"]),
        ("mtn", 2, "1234567", ["09351234568"]),
        # 9999999 mod 5 = 4: five numbers, counting on past 9999999 to 0000000.
        (
            "tci",
            0,
            "9999999",
            ["09129999999", "09120000000", "09120000001", "09120000002", "09120000003"],
        ),
        # Only the last seven digits count: 3 mod 5 = 3, four numbers.
        ("mtn", 0, "1020000003", ["09350000003", "09350000004", "09350000005", "09350000006"]),
    ],
)
def test_a_postal_code_reaches_its_numbers(
    panel: Panel, kind: str, gender: int, postalcode: str, expected: list[str]
) -> None:
    fields = {"type": kind, "gender": gender, "postalcode": postalcode}
    assert panel.ok("postalcodecount", **fields) == len(expected)
    bulk = panel.ok("postalcodesend", from_=LINE, message="m", **fields)
    assert _numbers(panel, bulk) == ["+98" + n[1:] for n in expected]


# -- accounts ------------------------------------------------------------------------------------


def test_a_new_user_is_a_sub_user_with_its_parents_prices(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.put_account("reseller", "rpw", price_fa=150, price_en=300)
    number = panel.ok("newuser", user="reseller", password="rpw", **NEW_USER)
    accounts = {a["username"]: a for a in sandbox_admin.accounts()}
    # newuser answers a number (spec: `[0, a number, …]`): how many users there now are.
    assert number == len(accounts)
    sub = accounts["sub_1"]
    assert (sub["parent"], sub["price_fa"], sub["price_en"]) == ("reseller", 150, 300)
    assert sub["credit_rials"] == 0
    assert panel.ok("newuser", **{**NEW_USER, "user__name": "sub_2"}) == number + 1


# -- answers no result code covers ---------------------------------------------------------------


def test_only_post_is_served(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as http:
        response = http.get(PATH, params={"uname": "demo", "pass": "demo", "op": "credit"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_an_unknown_op_is_named_up_to_40_characters(panel: Panel) -> None:
    response = panel.post("q" * 40 + "tail")
    assert response.status_code == 400
    assert f"op {'q' * 40!r} is not an operation" == response.text


def test_a_field_without_a_code_is_described_in_80_characters(panel: Panel) -> None:
    response = panel.post("delivery", uinqid="x" * 200)
    assert response.status_code == 400
    prefix = "delivery: uinqid: "
    assert response.text.startswith(prefix + "'xxx")
    assert len(response.text) == len(prefix) + 80


@pytest.mark.parametrize("time", ["2026-02-30", "2026-01-01 24:00:00", "2026-13-01 10:00:00"])
def test_a_send_time_that_is_no_date_is_http_400_naming_it(panel: Panel, time: str) -> None:
    # It fits the spec's pattern (digits in the Y-m-d H:i:s shape) but names no moment; the
    # field has no result code, so it is a 400 naming the field and its value, and no send.
    response = panel.post("send", from_=LINE, message="m", to=[MOBILE], time=time)
    assert response.status_code == 400
    assert response.text == f"send: time: {time!r} is not a date and time"
    assert panel.ok("credit") == CREDIT


def test_delivery_with_wrong_credentials_is_a_200_text(panel: Panel) -> None:
    response = panel.post("delivery", password="nope", uinqid=1)
    assert response.status_code == 200
    assert response.content == b"the username or password is incorrect"


def test_a_body_that_is_no_form_passes_an_armed_fault_by(
    sandbox: Sandbox, panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    # The fault middleware asks the provider which operation a body is; a body that is not a
    # form is none, so a fault armed for `send` neither fires on it nor breaks it.
    sandbox_admin.inject_fault(NAME, "error_code", operation="send", code=5)
    with httpx.Client(base_url=sandbox.base_url) as http:
        response = http.post(PATH, json={"op": "send"})
    assert response.status_code == 400
    assert "not a form" in response.text
    assert [f["remaining"] for f in sandbox_admin.faults()] == [1]
    assert panel.code("send", from_=LINE, message="m", to=[MOBILE]) == 5
