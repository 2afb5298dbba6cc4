"""The form-op path on an IPPanel-style OpenAPI document (tests/codegen/fixtures/formop/): one path
whose operations are told apart by an ``op`` field, form bodies with body credentials and a
JSON-encoded list, and ``[code, data]`` answers whose data may be JSON inside a JSON string; sync
and async, over a real loopback server."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from payamak_gen.errors import (
    ApiError,
    AuthenticationError,
    InsufficientCreditError,
    ResponseValidationError,
)
from tests.codegen.conftest import fixture_package

PROVIDER = "formop_fixture"
PATH = "/services.jspd"


@pytest.fixture(scope="module")
def formop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    yield from fixture_package(
        tmp_path_factory,
        PROVIDER,
        "tests/codegen/fixtures/formop/openapi.yaml",
        "tests/codegen/fixtures/formop/errors.yaml",
    )


def _serve(httpserver: HTTPServer, answer: object, seen: list[list[tuple[str, str]]]) -> None:
    def handler(request: Request) -> Response:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        seen.append(parse_qsl(request.get_data(as_text=True), strict_parsing=True))
        return Response(json.dumps(answer), content_type="application/json")

    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_handler(handler)


def test_send_posts_a_form_naming_its_op_sync(
    formop: types.ModuleType, httpserver: HTTPServer
) -> None:
    seen: list[list[tuple[str, str]]] = []
    _serve(httpserver, [0, 10929800], seen)

    with formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c:
        bulk_id = c.send(sender="5000", message="سلام & bye", to=["9121111111", "9122222222"])

    assert bulk_id == 10929800
    assert seen == [
        [
            ("uname", "user"),
            ("pass", "s3cret"),
            ("op", "send"),
            ("from", "5000"),
            ("message", "سلام & bye"),
            ("to", '["9121111111","9122222222"]'),
        ]
    ]


async def test_double_encoded_data_is_decoded_async(
    formop: types.ModuleType, httpserver: HTTPServer
) -> None:
    seen: list[list[tuple[str, str]]] = []
    _serve(httpserver, [0, json.dumps(["9121111111:delivered", "9122222222:failed"])], seen)

    async with formop.AsyncFormOpFixtureClient(
        "user", "s3cret", base_url=httpserver.url_for("/")
    ) as c:
        states = await c.delivery(bulk_id=10929800)

    assert states == ["9121111111:delivered", "9122222222:failed"]
    assert seen == [
        [("uname", "user"), ("pass", "s3cret"), ("op", "delivery"), ("uinqid", "10929800")]
    ]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ([5, None], InsufficientCreditError),
        (["962", "wrong"], AuthenticationError),
        ([1006, None], ApiError),
    ],
    ids=["catalogued", "numeric-string-code", "undocumented"],
)
def test_a_code_in_the_array_raises_its_error(
    formop: types.ModuleType, httpserver: HTTPServer, answer: list[object], error: type[ApiError]
) -> None:
    _serve(httpserver, answer, [])
    with (
        formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(error) as caught,
    ):
        c.send(sender="5000", message="m", to=["9121111111"])
    assert type(caught.value) is error
    assert (caught.value.code, caught.value.operation) == (int(str(answer[0])), "send")
    assert "s3cret" not in f"{caught.value!s}{caught.value!r}{c!r}"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"code": 0}, r"not a \[code, data\] array"),
        ([True, 1], "item 0 is not a code"),
        ([0, "not a number"], "does not fit the result"),
    ],
    ids=["object", "bool-code", "wrong-type"],
)
def test_an_answer_of_another_shape_is_a_validation_error(
    formop: types.ModuleType, httpserver: HTTPServer, answer: object, message: str
) -> None:
    _serve(httpserver, answer, [])
    with (
        formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(ResponseValidationError, match=message),
    ):
        c.send(sender="5000", message="m", to=["9121111111"])


@pytest.mark.parametrize(
    ("data", "message"),
    [(["9121111111:delivered"], "data is list, not JSON text"), ("[1,", "data is not JSON text")],
    ids=["not-text", "bad-json"],
)
def test_data_that_should_be_json_text_and_is_not(
    formop: types.ModuleType, httpserver: HTTPServer, data: object, message: str
) -> None:
    _serve(httpserver, [0, data], [])
    with (
        formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(ResponseValidationError, match=message),
    ):
        c.delivery(bulk_id=1)


def test_credential_fields_stay_out_of_model_reprs(formop: types.ModuleType) -> None:
    # x-payamak-credential reaches the pydantic field (repr=False); the renames reach the model
    # attributes (x-payamak-name), while the wire keeps its names.
    request = formop.models.SendRequest(
        username="panel-user", password="s3cret", op="send", sender="5000", message="m", to=["0912"]
    )
    assert "s3cret" not in repr(request)
    assert "panel-user" not in repr(request)
    assert "sender='5000'" in repr(request)
    assert request.model_dump(by_alias=True)["pass"] == "s3cret"


def test_a_dispatched_operation_marked_as_writing(formop: types.ModuleType) -> None:
    assert frozenset({"send"}) == formop.operations.WRITES


def test_a_time_travels_as_gregorian_tehran_text(
    formop: types.ModuleType, httpserver: HTTPServer
) -> None:
    from datetime import datetime, timezone

    seen: list[list[tuple[str, str]]] = []
    _serve(httpserver, [0, 1], seen)
    with formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c:
        c.send(
            sender="5000",
            message="m",
            to=["0912"],
            send_at=datetime(2026, 3, 20, 20, 30, tzinfo=timezone.utc),
        )
    assert seen[0][-1] == ("time", "2026-03-21 00:00:00")


def test_the_standard_encoding_object_makes_a_field_json_text(
    formop: types.ModuleType, httpserver: HTTPServer
) -> None:
    seen: list[list[tuple[str, str]]] = []
    _serve(httpserver, [0, ["+98912:delivered", "0935:unheard"]], seen)
    with formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c:
        report = c.report(ids=[7, 8])
    assert seen[0][-1] == ("ids", "[7,8]")
    # number-delivery-code: each entry is the number and the catalog entry of its status.
    assert [(r.number, r.status.code, r.state) for r in report] == [
        ("+98912", "delivered", "delivered"),
        ("0935", "unheard", "pending"),
    ]


async def test_a_bare_result_is_the_object_itself_and_an_array_still_the_envelope(
    formop: types.ModuleType, httpserver: HTTPServer
) -> None:
    _serve(httpserver, {"state": "Finish"}, [])
    _serve(httpserver, [962, None], [])
    async with formop.AsyncFormOpFixtureClient(
        "user", "s3cret", base_url=httpserver.url_for("/")
    ) as c:
        status = await c.status()
        assert (status.state.code, status.state.state) == ("Finish", "sent")
        with pytest.raises(AuthenticationError):
            await c.status()


@pytest.mark.parametrize(
    ("body", "error", "code"),
    [(b"null", "NotFoundError", "null"), (b"wrong password", "AuthenticationError", 962)],
    ids=["null", "text"],
)
def test_whole_bodies_that_stand_for_a_code(
    formop: types.ModuleType, httpserver: HTTPServer, body: bytes, error: str, code: object
) -> None:
    import payamak_gen.errors

    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_data(body)
    with (
        formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(getattr(payamak_gen.errors, error)) as caught,
    ):
        c.delivery(bulk_id=1)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("data", "rials"),
    [(12500, 12500), (99.6, 100), ("12500.4", 12500)],
    ids=["int", "float", "text"],
)
def test_rials_from_a_number_or_text(
    formop: types.ModuleType, httpserver: HTTPServer, data: object, rials: int
) -> None:
    _serve(httpserver, [0, data], [])
    with formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c:
        assert c.credit() == rials


def test_a_non_2xx_status_is_not_read_as_an_answer(
    formop: types.ModuleType, httpserver: HTTPServer
) -> None:
    from payamak_gen.errors import HttpStatusError

    httpserver.expect_oneshot_request(PATH, method="POST").respond_with_data(b"null", status=502)
    with (
        formop.FormOpFixtureClient("user", "s3cret", base_url=httpserver.url_for("/")) as c,
        pytest.raises(HttpStatusError),
    ):
        c.delivery(bulk_id=1)
