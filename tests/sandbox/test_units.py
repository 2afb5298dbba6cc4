"""The sandbox's pure parts: segments, numbers, delivery timeline, clock, config, validation."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import pytest
from lxml import etree

from payamak.sandbox import SandboxConfig
from payamak.sandbox._clock import Clock
from payamak.sandbox._delivery import state_at
from payamak.sandbox._faults import FaultBook
from payamak.sandbox._limits import json_values_at_most
from payamak.sandbox._openapi import MAX_ERRORS, OpenApiDocument
from payamak.sandbox._soap import DoctypeError, ElementLimitError, safe_parse
from payamak.sandbox._specs import SpecNotFoundError, load_yaml, spec_path
from payamak.sandbox._text import ascii_digits, core_mobile, count_segments
from payamak.sandbox._wire import wire_request
from tests.sandbox.test_trez_xml import envelope


@pytest.mark.parametrize(
    ("text", "encoding", "parts"),
    [
        ("", "gsm7", 0),
        ("a" * 160, "gsm7", 1),
        ("a" * 306, "gsm7", 2),
        ("a" * 307, "gsm7", 3),
        ("€" * 80, "gsm7", 1),
        ("ب" * 134, "ucs2", 2),
        ("ب" * 135, "ucs2", 3),
        ("😀" * 35, "ucs2", 1),  # two UTF-16 units each
        ("😀" * 36, "ucs2", 2),
    ],
)
def test_count_segments(text: str, encoding: str, parts: int) -> None:
    segments = count_segments(text)
    assert (segments.encoding, segments.parts) == (encoding, parts)


@pytest.mark.parametrize(
    ("raw", "core"),
    [
        ("09121234567", "9121234567"),
        ("9121234567", "9121234567"),
        ("989121234567", "9121234567"),
        ("+98 912 123 4567", "9121234567"),
        ("00989121234567", "9121234567"),
        ("۰۹۱۲۱۲۳۴۵۶۷", "9121234567"),
        ("0911111111", None),  # the manual's ten-digit example
        ("02112345678", None),
        ("hello", None),
    ],
)
def test_core_mobile(raw: str, core: str | None) -> None:
    assert core_mobile(raw) == core


def test_delivery_timeline() -> None:
    timeline = [state_at("delivered", 100, t) for t in (99, 100, 102, 105)]
    assert timeline == ["queued", "queued", "sent", "delivered"]
    assert [state_at("undelivered", 100, t) for t in (101, 103, 106)] == [
        "queued",
        "sent",
        "undelivered",
    ]
    assert [state_at("failed", 100, t) for t in (101, 103)] == ["queued", "failed"]
    assert [state_at("rejected", 100, t) for t in (99, 100)] == ["queued", "rejected"]
    assert state_at("filtered", 100, 50) == "filtered"


def test_clock_frozen_and_running() -> None:
    ticks = iter([10.0, 11.0, 12.0, 13.0, 14.0])
    frozen = Clock(frozen=True, source=lambda: next(ticks))
    assert frozen.now() == 10.0 and frozen.now() == 10.0
    assert frozen.advance(5) == 15.0
    assert frozen.offset == 5.0
    for bad in (-1, math.nan, math.inf):
        with pytest.raises(ValueError):
            frozen.advance(bad)
    assert frozen.now() == 15.0
    running = Clock(source=lambda: 100.0)
    running.advance(3)
    assert running.now() == 103.0
    running.reset()
    assert running.now() == 100.0


@pytest.mark.parametrize("latency", [-1, 121, math.nan, math.inf])
def test_fault_latency_out_of_range_is_refused(latency: float) -> None:
    with pytest.raises(ValueError, match="latency"):
        FaultBook().arm("trez_rest", "*", "latency", latency=latency)


def test_config_from_yaml_and_json(tmp_path: Path) -> None:
    data = {
        "accounts": [
            {"username": "a", "password": "hunter2", "lines": ["30001", {"number": "5000"}]}
        ],
        "blacklist": ["09129999999"],
    }
    (tmp_path / "c.json").write_text(json.dumps(data), encoding="utf-8")
    config = SandboxConfig.from_file(tmp_path / "c.json")
    names = [a.username for a in config.accounts]
    assert names == ["demo", "other", "a"]
    lines = config.accounts[-1].lines
    assert [(ln.number, ln.ports) for ln in lines] == [("30001", True), ("5000", False)]
    assert "09129999999" in config.blacklist and "09120000000" in config.blacklist
    assert "hunter2" not in repr(config)
    (tmp_path / "c.yaml").write_text("include_demo: false\naccounts: []\n", encoding="utf-8")
    assert SandboxConfig.from_file(tmp_path / "c.yaml").accounts == ()
    (tmp_path / "bad.yaml").write_text("acounts: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="acounts"):
        SandboxConfig.from_file(tmp_path / "bad.yaml")


def test_openapi_coercion_and_validation_follow_the_spec() -> None:
    doc = OpenApiDocument(load_yaml("trez_rest", "openapi.yaml"))
    body = {"PhoneNumber": "1", "StartDate": "12", "EndDate": " 13 ", "Page": "x"}
    coerced = doc.coerce("ReceiveMessages", body)
    assert coerced == {"PhoneNumber": "1", "StartDate": 12, "EndDate": 13, "Page": "x"}
    errors = doc.errors("ReceiveMessages", coerced)
    assert [(e.path, e.keyword) for e in errors] == [(("Page",), "type")]
    nested = doc.coerce("SendCorrespondingMessage", {"RecipientsMessage": [{"Id": "1"}]})
    assert nested == {"RecipientsMessage": [{"Id": "1"}]}  # Id is a string in the spec
    assert doc.find("post", "/API/SMSAPI/SENDMESSAGE") is not None


def test_openapi_coercion_reads_integers_as_text_only_where_the_spec_wants_text() -> None:
    doc = OpenApiDocument(load_yaml("trez_rest", "openapi.yaml"))
    body = {"RecipientsMessage": [{"Id": 7, "Mobile": 9121234567, "Message": True}]}
    assert doc.coerce("SendCorrespondingMessage", body) == {
        "RecipientsMessage": [{"Id": "7", "Mobile": "9121234567", "Message": True}]
    }
    ports = doc.coerce("SendMessageToPort", {"sendPortNumber": 4000, "recievePortNumber": "2000"})
    assert ports == {"sendPortNumber": 4000, "recievePortNumber": 2000}  # integers stay integers


def test_openapi_errors_are_capped_and_in_the_schemas_field_order() -> None:
    doc = OpenApiDocument(load_yaml("trez_rest", "openapi.yaml"))
    body = {
        "SendDateInTimeStamp": "soon",
        "Mobiles": [None] * 2_000,
        "PhoneNumber": None,
        "Message": "m",
        "UserGroupID": "1",
    }
    errors = doc.errors("SendMessage", body)
    assert len(errors) == MAX_ERRORS
    assert errors[0].path == ("PhoneNumber",)
    assert {e.path[0] for e in errors[1:]} == {"Mobiles"}  # the date's error is past the cap
    everything = doc.errors("SendMessage", body, limit=10_000)
    assert len(everything) == 2_002 and everything[-1].path == ("SendDateInTimeStamp",)


def test_wire_request_repr_shows_no_credentials() -> None:
    token = base64.b64encode(b"demo:basic-secret").decode()
    document = "<xmlrequest><username>demo</username><password>xml-secret</password></xmlrequest>"
    scope = {
        "method": "POST",
        "path": "/XmlForSMS.asmx",
        "headers": [(b"authorization", f"Basic {token}".encode())],
        "client": ("127.0.0.1", 5000),
    }
    request = wire_request(scope, envelope(document))
    assert request.headers["authorization"] == f"Basic {token}"
    shown = repr(request)
    assert "/XmlForSMS.asmx" in shown
    for secret in (token, "basic-secret", "xml-secret"):
        assert secret not in shown


@pytest.mark.parametrize(
    "document",
    [
        b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',
        b'<?xml version="1.0"?><!-- note --><!doctype x><x/>',
        # A UTF-16 prolog hides the DOCTYPE from the byte-level check; the parsed tree shows it.
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"),
    ],
    ids=["entity", "after-a-comment", "utf-16"],
)
def test_safe_parse_refuses_any_doctype(document: bytes) -> None:
    with pytest.raises(DoctypeError):
        safe_parse(document)


def test_safe_parse_reads_plain_xml_and_reports_bad_xml() -> None:
    root = safe_parse(b"<x><![CDATA[<!DOCTYPE y>]]><!-- c --></x>")
    assert (root.tag, root.text, len(root)) == ("x", "<!DOCTYPE y>", 0)
    with pytest.raises(etree.XMLSyntaxError):
        safe_parse(b"<x>")


@pytest.mark.parametrize(
    "document",
    [
        b"<r>" + b"<a/>" * 10 + b"</r>",
        ("<r>" + "<a/>" * 10 + "</r>").encode("utf-16"),  # no `<` byte to count: counted as read
    ],
    ids=["utf-8", "utf-16"],
)
def test_safe_parse_builds_no_more_elements_than_allowed(document: bytes) -> None:
    assert len(safe_parse(document, max_elements=11)) == 10
    with pytest.raises(ElementLimitError) as refused:
        safe_parse(document, max_elements=10)
    assert (refused.value.limit, refused.value.tag) == (10, "a")


def test_safe_parse_counts_elements_not_angle_brackets() -> None:
    # Ten `<` in the text and the comment, two elements: counted while read, and accepted.
    root = safe_parse(b"<r><![CDATA[<<<<<<]]><!-- <<< --><a/></r>", max_elements=2)
    assert (root.text, len(root)) == ("<<<<<<", 1)


@pytest.mark.parametrize(
    ("document", "values"),
    [
        (b"[[1]]", 3),
        (b"[1, 2, 3]", 4),
        (b'{"a": [1, {"b": null}], "c": "x"}', 6),
        (b'["a,b,[c{", "d\\"],{"]', 3),  # brackets, commas and escaped quotes inside strings
    ],
)
def test_json_values_are_counted_without_parsing(document: bytes, values: int) -> None:
    # Exact when no array or object is empty (an empty one counts as a value more).
    assert json_values_at_most(document, values)
    assert not json_values_at_most(document, values - 1)


def test_json_values_counts_strings_even_without_commas() -> None:
    # Object keys are strings too: more than twice the limit cannot be a document within it.
    assert not json_values_at_most(b'"a""b""c"', 1)


def test_ascii_digits() -> None:
    assert ascii_digits("۰۹۱۲ ٣٤٥ 67x²") == "0912 345 67x²"


def test_missing_spec_files_say_so() -> None:
    with pytest.raises(SpecNotFoundError):
        spec_path("no_such_provider", "openapi.yaml")
