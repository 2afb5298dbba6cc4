"""The generic SOAP path on tests/codegen/fixtures/nohost/: an address that is a path only (no
default host), list limits from spec marks (urn:payamak:max-distinct, urn:payamak:same-length)
refused before any I/O, a delivery-code encoding on a list result, and encodings on children of
complex list items (a result code, a unix time), over a loopback server."""

from __future__ import annotations

import os
import shutil
import types
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from codegen.__main__ import ROOT
from payamak_gen.errors import InvalidInputError, LimitExceededError, ResponseValidationError
from tests.codegen.conftest import fixture_package, generate_fixture

PROVIDER = "nohost_fixture"
FIXTURE = Path(__file__).with_name("fixtures") / "nohost"
PATH = "/svc/nohost.php"
ENVELOPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
    "</soap:Body></soap:Envelope>"
)


@pytest.fixture(scope="module")
def nohost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    yield from fixture_package(
        tmp_path_factory,
        PROVIDER,
        "tests/codegen/fixtures/nohost/service.wsdl",
        "tests/codegen/fixtures/nohost/errors.yaml",
    )


def _request(to: str, texts: str) -> bytes:
    return ENVELOPE.format(
        f'<Send xmlns="urn:nohost"><key xmlns="">k-1</key><to xmlns="">{to}</to>'
        f'<texts xmlns="">{texts}</texts></Send>'
    ).encode()


def test_no_default_host_and_no_client_without_one(nohost: types.ModuleType) -> None:
    assert nohost.DEFAULT_BASE_URL is None
    assert nohost.operations.SERVICE.path == PATH
    for cls in (nohost.NoHostClient, nohost.AsyncNoHostClient):
        with pytest.raises(
            ValueError,
            match=r"nohost_fixture: the vendor's host is unknown.*"
            r"base_url must be given",
        ):
            cls("k-1")


def test_limits_refuse_before_sending(nohost: types.ModuleType, httpserver: HTTPServer) -> None:
    with nohost.NoHostClient("k-1", base_url=httpserver.url_for("/")) as client:
        with pytest.raises(InvalidInputError, match="to holds 4 distinct values; at most 3"):
            client.send(to=["1", "2", "3", "4"], texts=["a", "b", "c", "d"])
        with pytest.raises(InvalidInputError, match="texts has 1 items but to has 2"):
            client.send(to=["1", "2"], texts=["a"])
    assert httpserver.log == []


def test_repeats_count_once_and_a_list_result_is_decoded(
    nohost: types.ModuleType, httpserver: HTTPServer
) -> None:
    to = "<item>1</item><item>2</item><item>3</item><item>1</item>"
    texts = "<item>a</item><item>b</item><item>c</item><item>d</item>"
    httpserver.expect_oneshot_request(
        PATH,
        method="POST",
        headers={"SOAPAction": '"urn:nohost#Send"'},
        data=_request(to, texts),
    ).respond_with_data(
        ENVELOPE.format(
            '<n:SendResponse xmlns:n="urn:nohost"><code>0</code>'
            "<states><item>4</item><item>77</item></states></n:SendResponse>"
        ),
        content_type="text/xml; charset=utf-8",
    )
    with nohost.NoHostClient("k-1", base_url=httpserver.url_for("/")) as client:
        states = client.send(to=["1", "2", "3", "1"], texts=["a", "b", "c", "d"])
    assert [(s.code, s.state) for s in states] == [(4, "delivered"), (77, "pending")]


def test_encodings_on_children_of_list_items(
    nohost: types.ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request(
        PATH, method="POST", headers={"SOAPAction": '"urn:nohost#Inbox"'}
    ).respond_with_data(
        ENVELOPE.format(
            '<n:InboxResponse xmlns:n="urn:nohost"><code>0</code><entries>'
            "<item><status>0</status><at>1764500000</at><text>a</text></item>"
            "<item><status>-2</status><text>b</text></item>"
            "<item><status>-9</status><at>0</at><text>c</text></item>"
            "</entries><total>3</total></n:InboxResponse>"
        ),
        content_type="text/xml; charset=utf-8",
    )
    with nohost.NoHostClient("k-1", base_url=httpserver.url_for("/")) as client:
        outcome = client.inbox()
    assert (outcome.code.kind, outcome.total) == ("ok", 3)
    entries = outcome.entries
    assert [type(e) for e in entries] == [nohost.operations.Entry] * 3
    assert [(e.status.code, e.status.kind, e.status.retryable) for e in entries] == [
        (0, "ok", False),
        (-2, "limit_exceeded", False),
        # Undocumented: a failure that keeps its raw code and is never to be retried.
        (-9, "server", False),
    ]
    assert entries[2].status.en == "Undocumented code -9"
    assert [e.at for e in entries] == [
        datetime(2025, 11, 30, 10, 53, 20, tzinfo=timezone.utc),
        None,
        datetime(1970, 1, 1, tzinfo=timezone.utc),
    ]
    assert [e.text for e in entries] == ["a", "b", "c"]


async def test_a_time_out_of_range_in_an_item_is_a_bad_answer(
    nohost: types.ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_data(
        ENVELOPE.format(
            '<n:InboxResponse xmlns:n="urn:nohost"><code>0</code><entries>'
            "<item><status>0</status><at>99999999999999999</at><text>a</text></item>"
            "</entries><total>1</total></n:InboxResponse>"
        ),
        content_type="text/xml; charset=utf-8",
    )
    async with nohost.AsyncNoHostClient("k-1", base_url=httpserver.url_for("/")) as client:
        with pytest.raises(
            ResponseValidationError, match="99999999999999999 is not a time in unix seconds"
        ):
            await client.inbox()


async def test_async_refuses_and_reads_codes(
    nohost: types.ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_data(
        ENVELOPE.format('<n:SendResponse xmlns:n="urn:nohost"><code>-2</code></n:SendResponse>'),
        content_type="text/xml; charset=utf-8",
    )
    async with nohost.AsyncNoHostClient("k-1", base_url=httpserver.url_for("/")) as client:
        with pytest.raises(InvalidInputError, match="texts has 0 items but to has 1"):
            await client.send(to=["1"], texts=[])
        with pytest.raises(LimitExceededError):
            await client.send(to=["1"], texts=["a"])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'max-distinct">3<',
            'max-distinct">0<',
            "urn:payamak:max-distinct must be a positive integer",
        ),
        ('same-length">to<', 'same-length">nobody<', "same-length names no other input"),
        ('same-length">to<', 'same-length">texts<', "same-length names no other input"),
        (
            'encoding">unix-seconds<',
            'encoding">rials<',
            "Entry at: urn:payamak:encoding rials needs float, not int",
        ),
        ('encoding">result-code<', 'encoding">nonsense<', "unknown urn:payamak:encoding"),
    ],
)
def test_bad_limit_marks_stop_generation(tmp_path: Path, old: str, new: str, message: str) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(FIXTURE, spec)
    wsdl = spec / "service.wsdl"
    text = wsdl.read_text(encoding="utf-8")
    assert old in text
    wsdl.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SystemExit, match=message):
        generate_fixture(
            tmp_path / "out",
            PROVIDER,
            os.path.relpath(wsdl, ROOT),
            os.path.relpath(spec / "errors.yaml", ROOT),
        )
