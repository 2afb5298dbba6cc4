"""trez_rest over raw HTTP: every method's happy path and every result code an input can trigger."""

from __future__ import annotations

import base64
import re
from typing import Any

import httpx
import pytest

from payamak.sandbox import Sandbox, SandboxAdmin
from payamak.sandbox.providers.trez_rest import MAX_UNIX_SECONDS, TrezRest
from tests.sandbox.support import (
    BLACKLISTED,
    CREDIT,
    FILTERED_WORD,
    LINE,
    MOBILE,
    OTHER_LINE,
    PORT_LINE,
    PRICE_EN,
    PRICE_FA,
    Rest,
    corresponding_body,
    port_body,
    send_body,
)

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def group_status(rest: Rest, group_id: str) -> dict[str, Any]:
    result: dict[str, Any] = rest.ok("GroupMessageStatus", {"GroupMessageId": group_id})
    return result


# -- the spec and the sandbox agree ------------------------------------------------------------


def test_every_spec_operation_is_served(sandbox: Sandbox) -> None:
    (provider,) = [p for p in sandbox.services.providers if p.name == "trez_rest"]
    assert isinstance(provider, TrezRest)
    assert provider.unimplemented() == []
    assert len(provider.operations) == 13


# -- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(b"demo:wrong").decode()},
        {"Authorization": "Basic " + base64.b64encode(b"nobody:demo").decode()},
        {"Authorization": "Basic " + base64.b64encode(b"demo").decode()},
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Bearer demo"},
    ],
    ids=["missing", "wrong-password", "unknown-user", "no-colon", "bad-base64", "not-basic"],
)
def test_bad_credentials_are_http_401_without_envelope(
    sandbox: Sandbox, headers: dict[str, str]
) -> None:
    response = httpx.post(f"{sandbox.base_url}/api/smsAPI/GetCredit", headers=headers, json={})
    assert response.status_code == 401
    assert "Code" not in response.json()


def test_password_with_colon_and_persian_letters(sandbox: Sandbox, rest: Rest) -> None:
    sandbox.admin.put_account("acme", "s3cret:پسورد", credit_rials=5000)
    response = httpx.post(
        f"{sandbox.base_url}/api/smsAPI/GetCredit", auth=("acme", "s3cret:پسورد"), json={}
    )
    assert response.json()["Result"] == 5000


def test_account_not_enabled_for_the_web_service_is_2002(sandbox: Sandbox) -> None:
    sandbox.admin.put_account("closed", "pw", lines=["5000123"], api_enabled=False)
    response = httpx.post(
        f"{sandbox.base_url}/api/smsAPI/GetCredit", auth=("closed", "pw"), json={}
    )
    assert response.json()["Code"] == 2002


def test_caller_ip_not_allowed_is_2003(sandbox: Sandbox) -> None:
    sandbox.admin.put_account("locked", "pw", allowed_ips=["10.1.2.3"])
    response = httpx.post(f"{sandbox.base_url}/api/smsAPI/GetCredit", auth=("locked", "pw"))
    assert response.json()["Code"] == 2003
    sandbox.admin.put_account("locked", "pw", allowed_ips=["127.0.0.1"])
    response = httpx.post(f"{sandbox.base_url}/api/smsAPI/GetCredit", auth=("locked", "pw"))
    assert response.json()["Code"] == 0


# -- routing and bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/smsAPI/GetCredit",
        "/api/smsapi/getcredit",
        "/API/SMSAPI/GETCREDIT",
        "/api/smsAPI/GetCredit/",
    ],
)
def test_path_case_and_trailing_slash_are_ignored(rest: Rest, path: str) -> None:
    response = rest.http.post(path, json={})
    assert response.json()["Result"] == CREDIT


@pytest.mark.parametrize("content", [b"", b"{}", b"[]", b'""', b"null", b"  \n"])
@pytest.mark.parametrize("method", ["GetCredit", "GetPrices"])
def test_no_input_methods_accept_every_empty_body(rest: Rest, method: str, content: bytes) -> None:
    response = rest.http.post(
        f"/api/smsAPI/{method}", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.json()["Code"] == 0


def test_no_input_method_with_unknown_field_is_1004(rest: Rest) -> None:
    assert rest.code("GetCredit", {"Page": 1}) == 1004


def test_unknown_method_is_404_and_get_is_405(rest: Rest) -> None:
    assert rest.http.post("/api/smsAPI/NoSuchMethod", json={}).status_code == 404
    assert rest.http.get("/api/smsAPI/GetCredit").status_code == 405


@pytest.mark.parametrize(
    "content",
    [
        b'{"PhoneNumber": ',
        b"not json",
        b"\xff\xfe\x00garbage",
        b"{'a': 1}",
        b'{"SendDateInTimeStamp": ' + b"1" * 5000 + b"}",  # past int()'s 4300-digit limit
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON parser's recursion limit
    ],
    ids=["truncated", "not-json", "not-utf8", "single-quotes", "5000-digit-number", "too-deep"],
)
def test_unparseable_body_is_1001(rest: Rest, content: bytes) -> None:
    response = rest.http.post(
        "/api/smsAPI/SendMessage", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.json()["Code"] == 1001
    assert response.json()["Result"] is None


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"PhoneNumber": LINE, "Message": "hi", "Mobiles": [MOBILE], "UserGroupID": "1"},
        send_body(Mobiles=MOBILE),
        send_body(Mobiles=[True]),  # a bool's text is no number (Json.NET would say "True")
        send_body(UserGroupID=13.5),
    ],
    ids=["array", "string", "missing-field", "mobiles-not-array", "mobile-bool", "bad-type"],
)
def test_schema_violations_are_1004(rest: Rest, body: Any) -> None:
    assert rest.code("SendMessage", body) == 1004


def test_numeric_strings_are_accepted_for_integers(rest: Rest) -> None:
    result = rest.ok(
        "ReceiveMessages",
        {"PhoneNumber": LINE, "StartDate": "0", "EndDate": "9999999999", "Page": "1"},
    )
    assert result["Page"] == 1


# -- SendMessage ---------------------------------------------------------------------------------


def test_send_message_returns_a_guid_and_charges_per_segment(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    group_id = rest.ok("SendMessage", send_body(Mobiles=[MOBILE, "9122222222", "+989123333333"]))
    assert GUID.match(group_id)
    assert rest.credit() == CREDIT - 3 * PRICE_EN
    sent = sandbox_admin.messages(provider="trez_rest")
    assert [m["mobile"] for m in sent] == ["09121234567", "09122222222", "09123333333"]
    assert {m["group_id"] for m in sent} == {group_id}
    assert len({m["id"] for m in sent}) == 3
    assert all(m["id"] > 2000 and m["text"] == "hello" and m["line"] == LINE for m in sent)


@pytest.mark.parametrize(
    ("text", "parts", "price"),
    [
        ("a" * 160, 1, PRICE_EN),
        ("a" * 161, 2, PRICE_EN),
        ("a" * 1530, 10, PRICE_EN),
        ("س" * 70, 1, PRICE_FA),
        ("س" * 71, 2, PRICE_FA),
        ("hello سلام", 1, PRICE_FA),
        ("{}" * 40, 1, PRICE_EN),  # extension characters take two septets: 160 in all
        ("{}" * 41, 2, PRICE_EN),
    ],
)
def test_segments_decide_the_price(rest: Rest, text: str, parts: int, price: int) -> None:
    rest.ok("SendMessage", send_body(Message=text))
    assert rest.credit() == CREDIT - parts * price


def test_delivery_moves_from_queued_to_operator_to_handset(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    mobiles = [MOBILE, BLACKLISTED, "09121111999", "09121111998"]
    group_id = rest.ok("SendMessage", send_body(Mobiles=mobiles))

    def statuses() -> list[str]:
        result = group_status(rest, group_id)
        assert result["StatusCode"] == "1"
        # Mobiles come back without the leading 0, as the real gateway sends them.
        assert [row["Mobile"] for row in result["MessagesListState"]] == [m[1:] for m in mobiles]
        return [row["Status"] for row in result["MessagesListState"]]

    assert statuses() == ["0", "27", "0", "0"]
    sandbox_admin.advance(2)
    assert statuses() == ["8", "27", "8", "16"]
    sandbox_admin.advance(3)
    assert statuses() == ["1", "27", "2", "16"]
    states = [m["state"] for m in sandbox_admin.messages()]
    assert states == ["delivered", "rejected", "undelivered", "failed"]


def test_scheduled_send_is_queued_until_its_time(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    at = int(sandbox_admin.now()) + 3600
    group_id = rest.ok("SendMessage", send_body(SendDateInTimeStamp=at))
    assert group_status(rest, group_id)["StatusCode"] == "2"
    sandbox_admin.advance(3600 + 5)
    result = group_status(rest, group_id)
    assert result["StatusCode"] == "1"
    assert result["MessagesListState"][0]["Status"] == "1"


def test_past_send_date_sends_now(rest: Rest) -> None:
    group_id = rest.ok("SendMessage", send_body(SendDateInTimeStamp=1537701659))
    assert group_status(rest, group_id)["StatusCode"] == "1"


def test_filtered_text_is_status_3_and_not_charged(rest: Rest) -> None:
    group_id = rest.ok("SendMessage", send_body(Message=f"win big {FILTERED_WORD.upper()} now"))
    assert group_status(rest, group_id) == {"StatusCode": "3", "MessagesListState": []}
    assert rest.credit() == CREDIT


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"PhoneNumber": "50009999999"}, 1002),
        ({"PhoneNumber": "not-a-line"}, 1002),
        ({"PhoneNumber": [LINE]}, 1002),
        ({"PhoneNumber": OTHER_LINE}, 2001),
        ({"SendDateInTimeStamp": -5}, 1003),
        ({"SendDateInTimeStamp": "tomorrow"}, 1003),
        ({"SendDateInTimeStamp": 1537701659000}, 2004),  # milliseconds: decades ahead
        ({"Message": ""}, 1004),
        ({"Message": "   "}, 1004),
        ({"Mobiles": []}, 1004),
        ({"Mobiles": [MOBILE, "12345"]}, 1004),
        ({"Message": "a" * 1531}, 2006),
        ({"Message": "س" * 671}, 2006),
    ],
)
def test_send_message_errors(rest: Rest, overrides: dict[str, Any], code: int) -> None:
    assert rest.code("SendMessage", send_body(**overrides)) == code
    assert rest.credit() == CREDIT


def test_more_than_50000_recipients_is_2005(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    mobiles = [f"0912{n:07d}" for n in range(50_001)]
    assert rest.code("SendMessage", send_body(Mobiles=mobiles)) == 2005
    assert sandbox_admin.messages() == []


def test_no_credit_is_3003_and_sends_nothing(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.set_credit("demo", 2 * PRICE_EN - 1)
    assert rest.code("SendMessage", send_body(Mobiles=[MOBILE, "09122222222"])) == 3003
    assert rest.credit() == 2 * PRICE_EN - 1
    assert sandbox_admin.messages() == []
    rest.ok("SendMessage", send_body())
    assert rest.credit() == PRICE_EN - 1


# -- group ids -----------------------------------------------------------------------------------


def test_get_group_message_id_finds_the_latest_send_with_that_user_group_id(rest: Rest) -> None:
    rest.ok("SendMessage", send_body(UserGroupID="16"))
    latest = rest.ok("SendMessage", send_body(UserGroupID="16"))
    assert rest.ok("GetGroupMessageId", {"groupId": "16"}) == latest


def test_unknown_groups_are_3002(rest: Rest) -> None:
    assert rest.code("GetGroupMessageId", {"groupId": "nope"}) == 3002
    assert rest.code("GroupMessageStatus", {"GroupMessageId": "16"}) == 3002
    # An integer is read as its text, as ASP.NET's binder reads it: the same unknown group.
    assert rest.code("GroupMessageStatus", {"GroupMessageId": 16}) == 3002
    assert rest.code("GroupMessageStatus", {"GroupMessageId": 16.5}) == 1004


def test_groups_of_other_accounts_are_invisible(sandbox: Sandbox, rest: Rest) -> None:
    group_id = rest.ok("SendMessage", send_body())
    response = httpx.post(
        f"{sandbox.base_url}/api/smsAPI/GroupMessageStatus",
        auth=("other", "other"),
        json={"GroupMessageId": group_id},
    )
    assert response.json()["Code"] == 3002


# -- per-recipient sends -------------------------------------------------------------------------


def test_send_corresponding_message(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    result = rest.ok("SendCorrespondingMessage", corresponding_body())
    assert [(r["Id"], r["Mobile"]) for r in result] == [(1, "09112170848"), (2, "09116662206")]
    ids = [r["Result"] for r in result]
    assert all(isinstance(i, int) and i > 2000 for i in ids)
    assert rest.credit() == CREDIT - PRICE_FA - PRICE_EN
    sent = sandbox_admin.messages()
    assert [(m["id"], m["user_ref"], m["text"]) for m in sent] == [
        (ids[0], "1", "کاربراول"),
        (ids[1], "2", "second user"),
    ]
    group_id = rest.ok("GetGroupMessageId", {"groupId": "14"})
    assert group_status(rest, group_id)["StatusCode"] == "1"


def test_corresponding_message_status_moves_on(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    body = corresponding_body()
    body["RecipientsMessage"].append({"Id": "3", "Message": "x", "Mobile": BLACKLISTED})
    ids = [str(r["Result"]) for r in rest.ok("SendCorrespondingMessage", body)]
    query = {"messageId": [*ids, "999999"]}  # an unknown id is left out, as a lookup would
    assert rest.ok("CorrespondingMessageStatus", query) == [
        {"MsgId": ids[0], "Status": "0"},
        {"MsgId": ids[1], "Status": "0"},
        {"MsgId": ids[2], "Status": "27"},
    ]
    sandbox_admin.advance(2)
    assert [r["Status"] for r in rest.ok("CorrespondingMessageStatus", query)] == ["8", "8", "27"]
    sandbox_admin.advance(3)
    assert [r["Status"] for r in rest.ok("CorrespondingMessageStatus", query)] == ["1", "1", "27"]
    assert rest.code("CorrespondingMessageStatus", {"messageId": ["abc"]}) == 1004
    assert rest.code("CorrespondingMessageStatus", {"messageId": "1"}) == 1004


@pytest.mark.parametrize(
    "message_id",
    ["²", "١٢", "1" * 19, "1" * 20, "1" * 5000, "-1", "+1"],
    ids=["superscript", "arabic-indic", "19-digits", "20-digits", "5000-digits", "minus", "plus"],
)
def test_message_ids_that_are_no_short_ascii_number_are_1004(rest: Rest, message_id: str) -> None:
    # "²".isdigit() is true but int() refuses it, and 20 digits overflow SQLite: both were HTTP 500.
    assert rest.code("CorrespondingMessageStatus", {"messageId": [message_id]}) == 1004


def test_eighteen_digit_message_ids_are_looked_up(rest: Rest) -> None:
    (first, _) = rest.ok("SendCorrespondingMessage", corresponding_body())
    padded = f"{first['Result']:018d}"
    statuses = rest.ok("CorrespondingMessageStatus", {"messageId": [padded, "9" * 18]})
    assert statuses == [{"MsgId": padded, "Status": "0"}]


def test_filtered_corresponding_message_is_not_charged(rest: Rest) -> None:
    body = corresponding_body()
    body["RecipientsMessage"][0]["Message"] = f"say {FILTERED_WORD}"
    ids = [str(r["Result"]) for r in rest.ok("SendCorrespondingMessage", body)]
    assert rest.credit() == CREDIT - PRICE_EN
    statuses = rest.ok("CorrespondingMessageStatus", {"messageId": ids})
    assert statuses[0]["Status"] == "16"


def test_some_invalid_mobiles_are_5004_with_the_rest_sent(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    body = corresponding_body()
    body["RecipientsMessage"][1]["Mobile"] = "0211234567"
    envelope = rest.call("SendCorrespondingMessage", body)
    assert envelope["Code"] == 5004
    assert envelope["Message"] == "برخی پیام ها در هنگام ارسال با خطا مواجه شده اند"
    first, second = envelope["Result"]
    assert first["Result"] > 2000 and second == {"Id": 2, "Mobile": "0211234567", "Result": 0}
    assert len(sandbox_admin.messages()) == 1


@pytest.mark.parametrize("method", ["SendCorrespondingMessage", "SendMessageToPort"])
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"PhoneNumber": "123"}, 1002),
        ({"RecipientsMessage": []}, 1004),
        ({"RecipientsMessage": [{"Id": "x", "Message": "m", "Mobile": MOBILE}]}, 1004),
        ({"RecipientsMessage": [{"Id": "²", "Message": "m", "Mobile": MOBILE}]}, 1004),
        ({"RecipientsMessage": [{"Id": "1" * 5000, "Message": "m", "Mobile": MOBILE}]}, 1004),
        ({"RecipientsMessage": [{"Id": "1", "Message": "", "Mobile": MOBILE}]}, 1004),
        ({"RecipientsMessage": [{"Id": "1", "Message": "m", "Mobile": "bad"}]}, 1004),
        ({"RecipientsMessage": [{"Id": "1", "Message": "m"}]}, 1004),
        ({"RecipientsMessage": [{"Id": "1", "Message": "a" * 1531, "Mobile": MOBILE}]}, 2006),
    ],
)
def test_per_recipient_send_errors(
    rest: Rest, method: str, change: dict[str, Any], code: int
) -> None:
    body = (
        corresponding_body(**change)
        if method == "SendCorrespondingMessage"
        else port_body(**change)
    )
    assert rest.code(method, body) == code
    assert rest.credit() == CREDIT


def test_per_recipient_send_on_someone_elses_line_is_2001(rest: Rest) -> None:
    assert rest.code("SendCorrespondingMessage", corresponding_body(PhoneNumber=OTHER_LINE)) == 2001


def test_per_recipient_send_limits_and_credit(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    many = [{"Id": str(n), "Message": "m", "Mobile": MOBILE} for n in range(50_001)]
    assert rest.code("SendCorrespondingMessage", corresponding_body(RecipientsMessage=many)) == 2005
    sandbox_admin.set_credit("demo", 10)
    assert rest.code("SendCorrespondingMessage", corresponding_body()) == 3003
    assert sandbox_admin.messages() == []


def test_send_message_to_port(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    result = rest.ok("SendMessageToPort", port_body())
    assert [r["Id"] for r in result] == [1, 2]
    sent = sandbox_admin.messages()
    assert [(m["send_port"], m["receive_port"], m["line"]) for m in sent] == [
        (4000, 2000, PORT_LINE),
        (4000, 2000, PORT_LINE),
    ]
    ids = [str(r["Result"]) for r in result]
    assert len(rest.ok("CorrespondingMessageStatus", {"messageId": ids})) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"PhoneNumber": LINE},  # a 5000… line cannot use ports
        {"recievePortNumber": 0},
        {"sendPortNumber": 70000},
        {"sendPortNumber": "abc"},
        {"recievePortNumber": -1},
    ],
)
def test_bad_ports_are_2007(rest: Rest, change: dict[str, Any]) -> None:
    assert rest.code("SendMessageToPort", port_body(**change)) == 2007


def test_port_fields_with_the_corrected_spelling_are_missing_fields(rest: Rest) -> None:
    body = port_body()
    body["receivePortNumber"] = body.pop("recievePortNumber")
    assert rest.code("SendMessageToPort", body) == 1004


# -- verification codes --------------------------------------------------------------------------


def test_send_auto_code_and_check_it(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    message_id = rest.ok("SendAutoCode", {"Mobile": MOBILE, "Footer": "RayganSMS.com"})
    assert isinstance(message_id, int) and message_id > 2000
    (sent,) = sandbox_admin.messages(mobile=MOBILE)
    assert sent["id"] == message_id and sent["kind"] == "autocode"
    code = sent["code"]
    assert code is not None and code in sent["text"] and sent["text"].endswith("RayganSMS.com")
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": code}) is True
    assert rest.ok("CheckSendCode", {"Mobile": "9121234567", "Code": code}) is True
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": "000"}) is False
    assert rest.ok("CheckSendCode", {"Mobile": "09127654321", "Code": code}) is False
    assert rest.credit() == CREDIT - PRICE_FA


def test_a_new_auto_code_replaces_the_old_one(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    rest.ok("SendAutoCode", {"Mobile": MOBILE, "Footer": ""})
    rest.ok("SendAutoCode", {"Mobile": MOBILE, "Footer": ""})
    first, second = (m["code"] for m in sandbox_admin.messages())
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": second}) is True
    if first != second:
        assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": first}) is False


def test_send_code_and_check_the_code_in_its_text(rest: Rest) -> None:
    message_id = rest.ok(
        "SendCode", {"Mobile": MOBILE, "Message": "با سلام کد احراز هویت شما : 21335"}
    )
    assert message_id > 2000
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": "21335"}) is True
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": "۲۱۳۳۵"}) is True
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": "2133"}) is False
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": ""}) is False


@pytest.mark.parametrize(
    ("method", "body", "code"),
    [
        ("SendAutoCode", {"Mobile": "123", "Footer": "x"}, 1004),
        ("SendAutoCode", {"Mobile": MOBILE}, 1004),
        ("SendCode", {"Mobile": MOBILE, "Message": ""}, 1004),
        ("SendCode", {"Mobile": "abc", "Message": "code 1"}, 1004),
        ("SendCode", {"Mobile": MOBILE, "Message": "1" * 1531}, 2006),
        ("CheckSendCode", {"Mobile": "abc", "Code": "1"}, 1004),
        ("CheckSendCode", {"Mobile": MOBILE}, 1004),
    ],
)
def test_code_method_errors(rest: Rest, method: str, body: dict[str, Any], code: int) -> None:
    assert rest.code(method, body) == code


def test_code_methods_without_credit_are_3003(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.set_credit("demo", 0)
    assert rest.code("SendAutoCode", {"Mobile": MOBILE, "Footer": "x"}) == 3003
    assert rest.code("SendCode", {"Mobile": MOBILE, "Message": "code 12345"}) == 3003
    assert rest.ok("CheckSendCode", {"Mobile": MOBILE, "Code": "12345"}) is False


# -- reading -------------------------------------------------------------------------------------


def test_receive_messages_newest_first(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    now = sandbox_admin.now()
    sandbox_admin.inject_inbound(LINE, "09351234567", "تازه", received_at=now - 1)
    result = rest.ok(
        "ReceiveMessages", {"PhoneNumber": LINE, "StartDate": 0, "EndDate": int(now), "Page": 1}
    )
    assert result["Page"] == 1 and result["TotalPage"] == 1
    first = result["ReceivedMsgs"][0]
    assert first == {"Mobile": "989351234567", "Date": int(now - 1), "MsgBody": "تازه"}
    dates = [m["Date"] for m in result["ReceivedMsgs"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    # The port line's demo message is not on this line.
    assert "1" not in [m["MsgBody"] for m in result["ReceivedMsgs"]]


def test_receive_messages_date_window_and_pages(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    now = int(sandbox_admin.now())
    for n in range(51):
        sandbox_admin.inject_inbound(LINE, "09351234567", f"m{n}", received_at=now + 100 + n)
    window = {"PhoneNumber": LINE, "StartDate": now + 100, "EndDate": now + 1000}
    page1 = rest.ok("ReceiveMessages", {**window, "Page": 1})
    page2 = rest.ok("ReceiveMessages", {**window, "Page": 2})
    assert (page1["TotalPage"], len(page1["ReceivedMsgs"]), len(page2["ReceivedMsgs"])) == (
        2,
        50,
        1,
    )
    assert page2["ReceivedMsgs"][0]["MsgBody"] == "m0"
    assert rest.code("ReceiveMessages", {**window, "Page": 3}) == 2008


def test_empty_inbox_has_an_empty_first_page(rest: Rest) -> None:
    body = {"PhoneNumber": LINE, "StartDate": 1, "EndDate": 2, "Page": 1}
    assert rest.ok("ReceiveMessages", body) == {"Page": 1, "TotalPage": 0, "ReceivedMsgs": []}
    assert rest.code("ReceiveMessages", {**body, "Page": 2}) == 2008


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"Page": 0}, 2008),
        ({"Page": -1}, 2008),
        ({"Page": "first"}, 2008),
        ({"StartDate": -1}, 1003),
        ({"StartDate": 10, "EndDate": 5}, 1003),
        ({"EndDate": "2024-01-01"}, 1003),
        ({"EndDate": 10**20}, 1003),  # used to overflow SQLite: HTTP 500
        ({"EndDate": MAX_UNIX_SECONDS + 1}, 1003),
        ({"StartDate": 10**20, "EndDate": 10**20}, 1003),
        ({"EndDate": "1" * 20}, 1003),
        ({"EndDate": "1" * 5000}, 1003),  # a numeric string int() cannot read stays a string
        ({"EndDate": "²"}, 1003),
        ({"PhoneNumber": "5000"}, 1002),
        ({"PhoneNumber": OTHER_LINE}, 2001),
    ],
)
def test_receive_messages_errors(rest: Rest, change: dict[str, Any], code: int) -> None:
    body = {"PhoneNumber": LINE, "StartDate": 0, "EndDate": 9_999_999_999, "Page": 1, **change}
    assert rest.code("ReceiveMessages", body) == code


def test_receive_messages_accepts_dates_up_to_the_last_dotnet_date(rest: Rest) -> None:
    body = {"PhoneNumber": LINE, "StartDate": 0, "EndDate": MAX_UNIX_SECONDS, "Page": 1}
    assert rest.ok("ReceiveMessages", body)["Page"] == 1


def test_credit_and_prices(rest: Rest) -> None:
    assert rest.ok("GetCredit") == CREDIT
    assert rest.ok("GetPrices", {}) == {"Fa_Price": PRICE_FA, "En_Price": PRICE_EN}


def test_show_white_list_drops_blacklisted_and_the_leading_zero(rest: Rest) -> None:
    result = rest.ok("ShowWhiteList", {"MobilesList": ["09112170848", BLACKLISTED, "989116662206"]})
    assert result == [9112170848, 9116662206]
    assert rest.ok("ShowWhiteList", {"MobilesList": []}) == []
    assert rest.code("ShowWhiteList", {"MobilesList": ["hello"]}) == 1004
    assert rest.code("ShowWhiteList", {"Mobiles": ["09112170848"]}) == 1004
