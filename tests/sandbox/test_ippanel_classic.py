"""ippanel_classic over raw HTTP: forms as PHP (multipart) and C# (urlencoded) clients post them,
every operation on the shared panel (accounts, lines, credit, messages, inbox), every documented
code reachable, and every JSON answer checked against the spec's own 200 response schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from payamak.sandbox import Sandbox, SandboxAdmin
from payamak.sandbox.providers.ippanel_classic import BOOKS, JOBS
from tests.sandbox.support import (
    BLACKLISTED,
    CREDIT,
    FILTERED_WORD,
    LINE,
    MOBILE,
    OTHER_LINE,
    PRICE_EN,
)

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "specs/ippanel_classic/openapi.yaml").read_text("utf-8")
)
ERRORS = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "specs/ippanel_classic/errors.yaml").read_text("utf-8")
)
_URI = "urn:test:ippanel"
ANSWER = Draft202012Validator(
    {"$ref": _URI + "#/paths/~1services.jspd/post/responses/200/content/application~1json/schema"},
    registry=Registry().with_resource(
        _URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
    ),
)
PATH = "/services.jspd"


class Panel:
    """Posts ippanel_classic forms over raw HTTP, urlencoded or multipart."""

    def __init__(self, http: httpx.Client, *, multipart: bool = False) -> None:
        self.http = http
        self.multipart = multipart

    def post(self, op: str, user: str = "demo", password: str = "demo", **fields: Any) -> Any:
        form = {"uname": user, "pass": password, "op": op}
        for name, value in fields.items():
            wire = name.rstrip("_").replace("__", "-")
            form[wire] = json.dumps(value) if isinstance(value, list) else str(value)
        if self.multipart:
            response = self.http.post(PATH, files={k: (None, v) for k, v in form.items()})
        else:
            response = self.http.post(PATH, data=form)
        return response

    def answer(self, op: str, **fields: Any) -> Any:
        """The JSON answer, checked against the spec."""
        response = self.post(op, **fields)
        assert response.status_code == 200, response.text
        body = response.json()
        errors = list(ANSWER.iter_errors(body))
        assert not errors, (body, [e.message for e in errors[:3]])
        return body

    def ok(self, op: str, **fields: Any) -> Any:
        body = self.answer(op, **fields)
        assert isinstance(body, list) and body[0] == 0, body
        return body[1]

    def code(self, op: str, **fields: Any) -> int:
        body = self.answer(op, **fields)
        assert isinstance(body, list) and body[0] != 0, body
        code: int = body[0]
        return code


@pytest.fixture(params=["urlencoded", "multipart"])
def panel(sandbox: Sandbox, request: pytest.FixtureRequest) -> Iterator[Panel]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as http:
        yield Panel(http, multipart=request.param == "multipart")


def _send(panel: Panel, **overrides: Any) -> Any:
    fields: dict[str, Any] = {"from_": LINE, "message": "hello", "to": [MOBILE]}
    fields.update(overrides)
    return panel.ok("send", **fields)


def test_both_form_encodings_reach_the_same_operation(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.base_url) as http:
        body = (
            "uname=demo&pass=demo&op=send&from=" + LINE + "&message=hi&to=%5B%2209121234567%22%5D"
        )
        plain = http.post(
            PATH, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        multi = http.post(
            PATH,
            content=(
                b'--XyZ\r\nContent-Disposition: form-data; name="uname"\r\n\r\ndemo\r\n'
                b'--XyZ\r\nContent-Disposition: form-data; name="pass"\r\n\r\ndemo\r\n'
                b'--XyZ\r\nContent-Disposition: form-data; name="op"\r\n\r\ncredit\r\n--XyZ--\r\n'
            ),
            headers={"content-type": "multipart/form-data; boundary=XyZ"},
        )
    assert plain.json()[0] == 0 and isinstance(plain.json()[1], int)
    assert multi.json() == [0, CREDIT - PRICE_EN]


def test_send_charges_and_reports_delivery_as_it_moves(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    bulk = _send(panel, to=[MOBILE, "09121234999", BLACKLISTED])
    assert isinstance(bulk, int)
    assert panel.ok("credit") == CREDIT - 3 * PRICE_EN
    first = json.loads(panel.ok("delivery", uinqid=bulk))
    assert first == ["+989121234567:notsync", "+989121234999:notsync", "+989120000000:discarded"]
    assert panel.answer("checkmessage", messageid=bulk) == {
        "statusMessage": "Active",
        "validMessage": "approve",
    }
    sandbox_admin.advance(3)
    assert panel.answer("checkmessage", messageid=bulk)["statusMessage"] == "Interacting"
    sandbox_admin.advance(10)
    assert json.loads(panel.ok("delivery", uinqid=bulk)) == [
        "+989121234567:delivered",
        "+989121234999:failed",
        "+989120000000:discarded",
    ]
    assert panel.answer("checkmessage", messageid=bulk)["statusMessage"] == "Finish"


def test_a_scheduled_send_waits_for_its_tehran_time(
    panel: Panel, sandbox_admin: SandboxAdmin
) -> None:
    from datetime import datetime, timedelta, timezone

    later = datetime.fromtimestamp(sandbox_admin.now(), timezone(timedelta(hours=3, minutes=30)))
    later += timedelta(hours=1)
    bulk = _send(panel, time=later.strftime("%Y-%m-%d %H:%M:%S"))
    sandbox_admin.advance(600)
    assert json.loads(panel.ok("delivery", uinqid=bulk)) == ["+989121234567:notsync"]
    sandbox_admin.advance(3600)
    assert json.loads(panel.ok("delivery", uinqid=bulk)) == ["+989121234567:delivered"]


def test_a_filtered_text_is_cancelled(panel: Panel) -> None:
    bulk = _send(panel, message=f"a {FILTERED_WORD}")
    assert panel.answer("checkmessage", messageid=bulk) == {
        "statusMessage": "Cancel",
        "validMessage": "cancel",
    }
    assert json.loads(panel.ok("delivery", uinqid=bulk)) == ["+989121234567:discarded"]


def test_delivery_of_an_unknown_bulk_id_is_null(panel: Panel) -> None:
    response = panel.post("delivery", uinqid=999999)
    assert response.content == b"null"
    assert panel.post("checkmessage", messageid=999999).content == b"null"


def test_delivery_with_wrong_credentials_is_plain_text(panel: Panel) -> None:
    response = panel.post("delivery", password="nope", uinqid=1)
    assert response.content == b"the username or password is incorrect"
    assert response.headers["content-type"].startswith("text/plain")


def test_another_accounts_bulk_id_is_not_visible(sandbox: Sandbox, panel: Panel) -> None:
    bulk = _send(panel)
    assert panel.post("delivery", user="other", password="other", uinqid=bulk).content == b"null"


def test_lists_are_json_text(panel: Panel, sandbox_admin: SandboxAdmin) -> None:
    assert json.loads(panel.ok("booklist")) == [
        {"id": i, "title": t} for i, (t, _) in BOOKS.items()
    ]
    assert [j["id"] for j in json.loads(panel.ok("jobslist"))] == list(JOBS)
    assert [t["id"] for t in json.loads(panel.ok("jobstrenlist", jobsid=1))] == [11, 12]
    assert json.loads(panel.ok("jobstrenlist", jobsid=99)) == []
    assert len(json.loads(panel.ok("accesslist"))) == 3
    assert len(json.loads(panel.ok("postalcodearea"))) == 3
    sandbox_admin.inject_inbound(LINE, MOBILE, "سلام")
    (message,) = [m for m in json.loads(panel.ok("inboxlist")) if m["message"] == "سلام"]
    assert (message["number"], message["to"]) == (MOBILE, LINE)


def test_book_jobs_and_postal_sends_reach_their_numbers(panel: Panel) -> None:
    before = panel.ok("credit")
    panel.ok("booksend", from_=LINE, message="m", bookid=[1, 2])
    assert panel.ok("jobscount", trendid=[11, 12]) == 3
    panel.ok("jobssend", from_=LINE, message="m", trendid=[11, 12], jobsid=1)
    count = panel.ok("postalcodecount", type="tci", gender=0, postalcode="1234567")
    assert 1 <= count <= 5
    panel.ok("postalcodesend", from_=LINE, message="m", type="tci", gender=0, postalcode="1234567")
    assert panel.ok("credit") == before - (5 + 3 + count) * PRICE_EN
    assert panel.ok("sendsociol", from_=LINE, message="m", to=[MOBILE], type="viber").startswith(
        "viber "
    )


NEW_USER = {
    "user__name": "sub_1",
    "user__pass": "pw",
    "name": "n",
    "company": "c",
    "national__id": "0012345678",
    "certificate__id": "123",
    "access__id": 2,
    "tell": "02112345678",
    "mobile": "09121111111",
    "postalcode": "1234567890",
    "email": "a@b.c",
    "address": "x",
}


def test_a_new_user_can_log_in(panel: Panel) -> None:
    panel.ok("newuser", **NEW_USER)
    assert panel.post("credit", user="sub_1", password="pw").json() == [0, 0]
    assert panel.code("newuser", **NEW_USER) == 304


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("user__name", "", 303),
        ("user__name", "a b", 301),
        ("national__id", "", 306),
        ("national__id", "12", 307),
        ("certificate__id", "", 309),
        ("certificate__id", "x1", 308),
        ("email", "", 310),
        ("tell", "", 311),
        ("tell", "tel", 312),
        ("address", "", 313),
        ("mobile", "", 314),
        ("mobile", "123", 315),
        ("access__id", 9, 316),
        ("access__id", "x", 316),
    ],
)
def test_newuser_codes(panel: Panel, field: str, value: Any, code: int) -> None:
    assert panel.code("newuser", **{**NEW_USER, field: value}) == code


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"message": ""}, 1),
        ({"from_": OTHER_LINE}, 3),
        ({"from_": "123"}, 3),
        ({"to": []}, 4),
        ({"to": ["12"]}, 4),
        ({"to": "not json"}, 4),
        ({"to": [MOBILE] * 50_001}, 98),
        ({"message": "x" * 20_000}, 6),
    ],
    ids=[
        "empty-text",
        "other-line",
        "no-line",
        "no-recipient",
        "bad-number",
        "bad-json",
        "too-many",
        "too-long",
    ],
)
def test_send_codes(panel: Panel, overrides: dict[str, Any], code: int) -> None:
    fields: dict[str, Any] = {"from_": LINE, "message": "hello", "to": [MOBILE]}
    fields.update(overrides)
    assert panel.code("send", **fields) == code


def test_account_codes(panel: Panel, sandbox_admin: SandboxAdmin) -> None:
    assert panel.post("credit", password="nope").json() == [962, ERRORS_FA[962]]
    sandbox_admin.set_credit("demo", 100)
    assert panel.code("send", from_=LINE, message="hello", to=[MOBILE]) == 5
    sandbox_admin.put_account("locked", "pw", api_enabled=False)
    assert panel.post("credit", user="locked", password="pw").json()[0] == 963
    sandbox_admin.put_account("fenced", "pw", allowed_ips=["10.9.9.9"])
    assert panel.post("credit", user="fenced", password="pw").json()[0] == 2


ERRORS_FA = {c["code"]: c["fa"] or c["en"] for c in ERRORS["result_codes"]}
FAULT_ONLY = [c["code"] for c in ERRORS["result_codes"] if isinstance(c["code"], int) and c["code"]]


@pytest.mark.parametrize("code", FAULT_ONLY)
def test_every_code_through_the_error_code_fault(
    panel: Panel, sandbox_admin: SandboxAdmin, code: int
) -> None:
    sandbox_admin.inject_fault("ippanel_classic", "error_code", operation="send", code=code)
    assert panel.answer("send", from_=LINE, message="m", to=[MOBILE]) == [code, ERRORS_FA[code]]


@pytest.mark.parametrize(
    ("content", "content_type", "detail"),
    [
        (b"uname=demo&pass=demo&op=nothing", "application/x-www-form-urlencoded", "op 'nothing'"),
        (
            b"uname=demo&pass=demo&op=delivery&uinqid=x",
            "application/x-www-form-urlencoded",
            "uinqid",
        ),
        (b'{"op":"credit"}', "application/json", "not a form"),
        (b"\xff", "application/x-www-form-urlencoded", "not UTF-8"),
        (
            b"&".join(b"a%d=1" % i for i in range(100)),
            "application/x-www-form-urlencoded",
            "fields",
        ),
    ],
    ids=["unknown-op", "bad-bulk-id", "json", "bad-utf8", "flood"],
)
def test_what_no_code_covers_is_http_400(
    sandbox: Sandbox, content: bytes, content_type: str, detail: str
) -> None:
    with httpx.Client(base_url=sandbox.base_url) as http:
        response = http.post(PATH, content=content, headers={"content-type": content_type})
    assert response.status_code == 400
    assert detail in response.text


def test_every_spec_operation_has_a_handler(sandbox: Sandbox) -> None:
    from payamak.sandbox.providers import ippanel_classic

    provider = next(p for p in sandbox.services.providers if p.name == "ippanel_classic")
    assert isinstance(provider, ippanel_classic.IppanelClassic)
    assert provider.unimplemented() == []
    assert len(provider.operations) == 17
