"""Every ippanel_classic operation, sync and async, over HTTP on 127.0.0.1: the exact form bytes
each sends (credentials, op, JSON-encoded lists, Tehran times) and the typed result of each
answer shape (a number, text, money, JSON text to decode again, checkmessage's object)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from payamak_gen._runtime.catalog import NumberStatus
from payamak_gen.ippanel_classic import AsyncIppanelClassicClient, IppanelClassicClient, models
from tests.generated.ippanel_classic.support import FORM_TYPE, answer, form_bytes

TEHRAN = timezone(timedelta(hours=3, minutes=30))


@dataclass(frozen=True)
class Case:
    """One operation: how it is called, what it must send, what it is answered, what it returns."""

    method: str
    kwargs: dict[str, Any]
    sent: list[tuple[str, str]]
    answer: Any
    check: Callable[[Any], None]


def _equals(expected: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert result == expected
        assert type(result) is type(expected)

    return check


def _delivery(result: Any) -> None:
    assert [(r.number, r.status.code, r.state) for r in result] == [
        ("+98910000098", "notsync", "queued"),
        ("+989210000616", "delivered", "delivered"),
        ("+989360000994", "discarded", "rejected"),
    ]
    assert all(isinstance(r, NumberStatus) for r in result)


def _checkmessage(result: Any) -> None:
    assert isinstance(result, models.CheckmessageResult)
    assert (result.status.code, result.status.state) == ("Finish", "sent")
    assert (result.approval.code, result.approval.state) == ("approve", "queued")


def _books(result: Any) -> None:
    assert [(b.id, b.title) for b in result] == [(1, "دوستان"), (7, "customers")]


def _inbox(result: Any) -> None:
    (message,) = result
    assert (message.number, message.to, message.message) == ("09121111111", "5000", "سلام")
    assert message.time == datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc)


def _items(result: Any) -> None:
    assert [(i.id, i.title) for i in result] == [(3, "a"), (4, "b")]


ITEMS = json.dumps([{"id": 3, "title": "a"}, {"id": "4", "title": "b"}])

CASES = [
    Case(
        "send",
        {"sender": "5000", "message": "سلام & bye", "to": ["9121111111", "9122222222"]},
        [
            ("op", "send"),
            ("from", "5000"),
            ("message", "سلام & bye"),
            ("to", '["9121111111","9122222222"]'),
        ],
        [0, 10929800],
        _equals(10929800),
    ),
    Case(
        "send",
        {
            "sender": "5000",
            "message": "m",
            "to": ["9121111111"],
            "send_at": datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc),
        },
        [
            ("op", "send"),
            ("from", "5000"),
            ("message", "m"),
            ("to", '["9121111111"]'),
            ("time", "2026-12-01 09:30:00"),
        ],
        [0, "10929801"],
        _equals(10929801),
    ),
    Case(
        "send_social",
        {"sender": "5000", "message": "m", "to": ["9121111111"], "network": "telegram"},
        [
            ("op", "sendsociol"),
            ("from", "5000"),
            ("message", "m"),
            ("to", '["9121111111"]'),
            ("type", "telegram"),
        ],
        [0, "ارسال شد"],
        _equals("ارسال شد"),
    ),
    Case("get_credit", {}, [("op", "credit")], [0, "125000.6"], _equals(125001)),
    Case(
        "delivery",
        {"bulk_id": 10929800},
        [("op", "delivery"), ("uinqid", "10929800")],
        [
            0,
            json.dumps(
                ["+98910000098:notsync", "+989210000616:delivered", "+989360000994:discarded"]
            ),
        ],
        _delivery,
    ),
    Case(
        "check_message",
        {"bulk_id": 10929800},
        [("op", "checkmessage"), ("messageid", "10929800")],
        {"statusMessage": "Finish", "validMessage": "approve"},
        _checkmessage,
    ),
    Case(
        "book_list",
        {},
        [("op", "booklist")],
        [0, json.dumps([{"id": 1, "title": "دوستان"}, {"id": 7, "title": "customers"}])],
        _books,
    ),
    Case(
        "book_send",
        {"sender": "5000", "message": "m", "book_ids": [1, 7]},
        [("op", "booksend"), ("from", "5000"), ("message", "m"), ("bookid", "[1,7]")],
        [0, 10929802],
        _equals(10929802),
    ),
    Case(
        "inbox_list",
        {},
        [("op", "inboxlist")],
        [
            0,
            json.dumps(
                [
                    {
                        "number": "09121111111",
                        "to": "5000",
                        "message": "سلام",
                        "time": "2026-11-30 21:30:00",
                    }
                ]
            ),
        ],
        _inbox,
    ),
    Case("access_list", {}, [("op", "accesslist")], [0, ITEMS], _items),
    Case(
        "new_user",
        {
            "user_name": "sub1",
            "user_pass": "p@ss",
            "name": "علی",
            "company": "ACME",
            "national_id": "0012345678",
            "certificate_id": "123",
            "access_id": 2,
            "tell": "02112345678",
            "mobile": "09121111111",
            "postalcode": "1234567890",
            "email": "a@example.com",
            "address": "تهران",
        },
        [
            ("op", "newuser"),
            ("user-name", "sub1"),
            ("user-pass", "p@ss"),
            ("name", "علی"),
            ("company", "ACME"),
            ("national-id", "0012345678"),
            ("certificate-id", "123"),
            ("access-id", "2"),
            ("tell", "02112345678"),
            ("mobile", "09121111111"),
            ("postalcode", "1234567890"),
            ("email", "a@example.com"),
            ("address", "تهران"),
        ],
        [0, 4411],
        _equals(4411),
    ),
    Case("postal_code_area", {}, [("op", "postalcodearea")], [0, ITEMS], _items),
    Case(
        "postal_code_count",
        {"operator": "tci", "gender": 2, "postalcode": "1234567890"},
        [("op", "postalcodecount"), ("type", "tci"), ("gender", "2"), ("postalcode", "1234567890")],
        [0, 4200],
        _equals(4200),
    ),
    Case(
        "postal_code_send",
        {
            "sender": "5000",
            "message": "m",
            "operator": "mtn",
            "gender": 0,
            "postalcode": "1234567890",
        },
        [
            ("op", "postalcodesend"),
            ("from", "5000"),
            ("message", "m"),
            ("type", "mtn"),
            ("gender", "0"),
            ("postalcode", "1234567890"),
        ],
        [0, 10929803],
        _equals(10929803),
    ),
    Case("jobs_list", {}, [("op", "jobslist")], [0, ITEMS], _items),
    Case(
        "jobs_trend_list",
        {"job_id": 3},
        [("op", "jobstrenlist"), ("jobsid", "3")],
        [0, ITEMS],
        _items,
    ),
    Case(
        "jobs_count",
        {"trend_ids": [4, 5]},
        [("op", "jobscount"), ("trendid", "[4,5]")],
        [0, "96"],
        _equals(96),
    ),
    Case(
        "jobs_send",
        {"sender": "5000", "message": "m", "trend_ids": [4], "job_id": 3},
        [
            ("op", "jobssend"),
            ("from", "5000"),
            ("message", "m"),
            ("trendid", "[4]"),
            ("jobsid", "3"),
        ],
        [0, 10929804],
        _equals(10929804),
    ),
]
IDS = [f"{c.method}-{i}" for i, c in enumerate(CASES)]


def test_every_operation_has_a_case() -> None:
    methods = {name.removeprefix("build_") for name in dir(IppanelClassicClient)} & {
        c.method for c in CASES
    }
    public = {
        name
        for name in vars(IppanelClassicClient)
        if not name.startswith("_") and callable(getattr(IppanelClassicClient, name))
    }
    assert public == methods
    assert len(public) == 17


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_operation_sync(client: IppanelClassicClient, httpserver: HTTPServer, case: Case) -> None:
    seen = answer(httpserver, json.dumps(case.answer, ensure_ascii=False))
    result = getattr(client, case.method)(**case.kwargs)
    assert seen.bodies == [form_bytes(case.sent)]
    assert seen.content_types == [FORM_TYPE]
    case.check(result)


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_operation_async(
    async_client: AsyncIppanelClassicClient, httpserver: HTTPServer, case: Case
) -> None:
    seen = answer(httpserver, json.dumps(case.answer, ensure_ascii=False))
    result = await getattr(async_client, case.method)(**case.kwargs)
    assert seen.bodies == [form_bytes(case.sent)]
    case.check(result)


def test_the_exact_bytes_of_a_send(client: IppanelClassicClient, httpserver: HTTPServer) -> None:
    # Written out once in full, independently of form_bytes: the list is JSON text, percent-encoded.
    seen = answer(httpserver, "[0,1]")
    client.send(sender="5000", message="a b", to=["0912", "0935"])
    assert seen.bodies == [
        b"uname=demo-user&pass=s3cret%26%3D%2B+%D9%BE%D8%B3%D9%88%D8%B1%D8%AF&op=send"
        b"&from=5000&message=a+b&to=%5B%220912%22%2C%220935%22%5D"
    ]


def test_a_naive_send_time_is_refused_before_sending(
    client: IppanelClassicClient, httpserver: HTTPServer
) -> None:
    from payamak_gen.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="timezone-aware"):
        client.send(sender="5000", message="m", to=["0912"], send_at=datetime(2026, 12, 1, 9, 30))
    assert httpserver.log == []
