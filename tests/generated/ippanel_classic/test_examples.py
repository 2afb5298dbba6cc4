"""The examples of specs/ippanel_classic/examples/ (the manual's, fixed; see FIXES.md): each
request is what the generated client sends, each answer validates against the spec's 200
schema and parses to its typed result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from pytest_httpserver import HTTPServer
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from payamak_gen.errors import AuthenticationError, NotFoundError
from payamak_gen.ippanel_classic import IppanelClassicClient
from tests.generated.ippanel_classic.support import answer

SPECS = Path(__file__).resolve().parents[3] / "specs" / "ippanel_classic"
EXAMPLES = SPECS / "examples"
SPEC = yaml.safe_load((SPECS / "openapi.yaml").read_text("utf-8"))
_URI = "urn:test:ippanel-examples"
ANSWER = Draft202012Validator(
    {"$ref": _URI + "#/paths/~1services.jspd/post/responses/200/content/application~1json/schema"},
    registry=Registry().with_resource(
        _URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
    ),
)


def _read(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.fixture
def demo(httpserver: HTTPServer) -> IppanelClassicClient:
    return IppanelClassicClient("demo", "demo", base_url=httpserver.url_for("/"))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.response.json")))
def test_every_json_answer_fits_the_spec(name: str) -> None:
    body = json.loads(_read(name))
    assert not [e.message for e in ANSWER.iter_errors(body)]


def test_the_plain_text_answer_is_the_spec_s_text_plain_const() -> None:
    text = SPEC["paths"]["/services.jspd"]["post"]["responses"]["200"]["content"]["text/plain"]
    assert (
        _read("services.delivery-wrong-credentials.response.txt").decode()
        == text["schema"]["const"]
    )


def test_the_manual_s_delivery_example(demo: IppanelClassicClient, httpserver: HTTPServer) -> None:
    seen = answer(httpserver, _read("services.delivery.response.json"))
    with demo:
        report = demo.delivery(bulk_id=10929800)
    assert seen.bodies == [_read("services.delivery.request.form")]
    # The manual's list, with the status the PDF broke across a line rejoined (FIXES.md).
    assert [f"{r.number}:{r.status.code}" for r in report] == [
        "+98910000098:notsync",
        "+989210000616:notsync",
        "+989212000943:notsync",
        "+989360000994:notsync",
    ]
    assert {r.state for r in report} == {"queued"}


def test_send(demo: IppanelClassicClient, httpserver: HTTPServer) -> None:
    seen = answer(httpserver, _read("services.send.response.json"))
    with demo:
        bulk = demo.send(sender="50002910001080", message="سلام", to=["9121111111", "9122222222"])
    assert seen.bodies == [_read("services.send.request.form")]
    assert bulk == 10929800


def test_checkmessage(demo: IppanelClassicClient, httpserver: HTTPServer) -> None:
    seen = answer(httpserver, _read("services.checkmessage.response.json"))
    with demo:
        result = demo.check_message(bulk_id=10929800)
    assert seen.bodies == [_read("services.checkmessage.request.form")]
    assert (result.status.code, result.approval.code) == ("Finish", "approve")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("services.delivery-unknown-bulk-id.response.json", NotFoundError),
        ("services.delivery-wrong-credentials.response.txt", AuthenticationError),
        ("services.send-wrong-credentials.response.json", AuthenticationError),
    ],
)
def test_error_answers(
    demo: IppanelClassicClient, httpserver: HTTPServer, name: str, error: type[Exception]
) -> None:
    answer(
        httpserver,
        _read(name),
        content_type="text/html" if name.endswith(".txt") else "application/json",
    )
    with demo, pytest.raises(error):
        demo.delivery(bulk_id=10929800)
