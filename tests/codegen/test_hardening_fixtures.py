"""Issue 12 on the generic bindings (SOAP document/literal, Tunnel, FormOp), through the fixture
specs of tests/codegen/fixtures/: hypothesis over every response parser, no password in a
traceback rendered with locals for any operation, input errors typed and naming their field, and
non-finite numbers refused."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import strategies as st

from payamak_gen import errors
from payamak_gen._runtime.soap import SoapOperation
from tests.codegen.conftest import fixture_package
from tests.generated import fuzz, rawserver
from tests.generated.samples import arguments, operations_of
from tests.generated.test_hardening import _assert_hidden, _caught, _rendered

FIXTURES = Path(__file__).with_name("fixtures")
PASSWORD = "s3cret&<پسورد>"
SOURCES = {
    "asmx_fixture": ("asmx/send.wsdl", "asmx/incoming.wsdl", "asmx/errors.yaml"),
    "tunnel_fixture": ("tunnel/service.wsdl", "tunnel/documents.xsd", "tunnel/errors.yaml"),
    "formop_fixture": ("formop/openapi.yaml", "formop/errors.yaml"),
}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[types.ModuleType]:
    provider: str = request.param
    files = [f"tests/codegen/fixtures/{name}" for name in SOURCES[provider]]
    yield from fixture_package(tmp_path_factory, provider, *files)


def _client_class(package: types.ModuleType) -> type:
    (name,) = [n for n in package.__all__ if n.endswith("Client") and not n.startswith("Async")]
    client_class: type = getattr(package, name)
    return client_class


def test_every_parser_gives_only_documented_errors(package: types.ModuleType) -> None:
    operations = package.operations
    parsers = fuzz.parsers_of(operations)
    if package.__name__ == "formop_fixture":
        data = fuzz.json_text(["id", "status", "bulk_id", "x"])
        bodies = st.one_of(
            fuzz.json_text(["id", "x"]),
            st.tuples(st.sampled_from(["0", '"0"', "1", "5", "9" * 5000]), data).map(
                lambda pair: f"[{pair[0]},{pair[1]}]"
            ),
            # Data that is JSON text inside the JSON (double-encoded), hostile inside.
            data.map(lambda text: '[0,"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"]'),
        ).map(lambda text: text.encode("utf-8", "surrogatepass"))
        fuzz.check_parsers(parsers, bodies)
        return
    folder = FIXTURES / ("asmx" if package.__name__ == "asmx_fixture" else "tunnel")
    names = fuzz.names_in(*sorted(folder.glob("*.wsd*")), *sorted(folder.glob("*.xsd")))
    element = fuzz.xml_element(names, "http://tempuri.org/")
    inner = element
    if package.__name__ == "tunnel_fixture":
        # The carried document, escaped as the text of the carrier's result element.
        documents = fuzz.xml_element(names, None)
        inner = element | documents.map(
            lambda text: f"<ExecuteResult>{escape(text)}</ExecuteResult>"
        )
    tags = sorted(
        {op.response_tag for op in vars(operations).values() if isinstance(op, SoapOperation)}
    )
    bodies = st.sampled_from(tags).flatmap(lambda tag: fuzz.soap_answer(tag, inner))
    fuzz.check_parsers(parsers, bodies)


def test_no_password_in_a_traceback_with_locals(package: types.ModuleType) -> None:
    client_class = _client_class(package)
    methods = operations_of(client_class)
    assert methods
    with rawserver.RawServer(rawserver.hang_up) as server:
        with client_class("user", PASSWORD, base_url=server.url, timeout=2) as client:
            for method in methods:
                kwargs = arguments(getattr(client_class, method))
                sent = _caught(lambda: getattr(client, method)(**kwargs))  # noqa: B023
                assert isinstance(sent, errors.TransportError), (method, sent)
                _assert_hidden(sent)
                if kwargs:
                    wrong = dict.fromkeys(kwargs, object())
                    refused = _caught(lambda: getattr(client, method)(**wrong))  # noqa: B023
                    assert isinstance(refused, errors.InvalidInputError), (method, refused)
                    assert refused.outcome_unknown is False
                    assert refused.field
                    _assert_hidden(refused)
        assert len(server.requests) == len(methods)  # the refused calls sent nothing
    # The password did travel (escaped as the wire needs), so the checks above mean something.
    assert any(b"s3cret" in body for body in server.requests)


def test_a_mistyped_password_is_refused_without_showing_it(package: types.ModuleType) -> None:
    client_class = _client_class(package)
    method = operations_of(client_class)[0]
    kwargs = arguments(getattr(client_class, method))
    # Whatever the type, it is the caller's password: the error may say the type, not the value.
    with client_class("user", ["hunter2-in-a-list"], base_url="http://127.0.0.1:9") as client:
        refused = _caught(lambda: getattr(client, method)(**kwargs))
    assert isinstance(refused, errors.InvalidInputError), refused
    assert refused.field is not None and "pass" in refused.field.lower()
    assert "hunter2" not in _rendered(refused)
