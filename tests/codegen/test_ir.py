"""The readers and passes: what the IR says about the real specs, and what they refuse."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from codegen._config import load_providers
from codegen.ir import (
    BodyCredentials,
    DocumentCode,
    Field,
    HttpBasic,
    HttpJson,
    NoResultCode,
    ObjectEnvelope,
    Provider,
    SoapDocLit,
    Tunnel,
)
from codegen.models.datamodel import OpenApiModels, generate_models
from codegen.models.xsdata import SoapModels
from codegen.passes import name_everything
from codegen.readers.errors import load_catalog
from codegen.readers.openapi import read_openapi
from codegen.readers.wsdl import read_wsdl
from tests.codegen.conftest import Generation

ROOT = Path(__file__).resolve().parents[2]


def test_trez_rest_reads_as_json_over_http_with_basic_auth(fresh: Generation) -> None:
    provider = fresh.providers["trez_rest"]
    send = next(op for op in provider.operations if op.name == "SendMessage")

    assert (provider.class_prefix, provider.default_base_url) == (
        "TrezRest",
        "https://raygansms.com",
    )
    assert isinstance(provider.auth, HttpBasic)
    assert send.python_name == "send_message"
    assert send.binding == HttpJson(
        method="POST",
        path="/api/smsAPI/SendMessage",
        request_model="SendMessageRequest",
        response_model="SendMessageResponse",
    )
    assert send.result_policy == ObjectEnvelope("Code", "Message", "Result", 0)
    assert [p.wire_name for p in send.params][:2] == ["PhoneNumber", "Message"]
    assert all(p.python_name and p.type_ref for p in send.params)
    no_input = next(op for op in provider.operations if op.name == "GetCredit")
    assert isinstance(no_input.binding, HttpJson)
    assert (no_input.params, no_input.binding.request_model) == ((), None)


def test_writes_are_the_operations_the_spec_marks(fresh: Generation) -> None:
    # x-payamak-writes on trez_rest's sends, urn:payamak:writes on getxml (it carries sends).
    rest = {op.python_name for op in fresh.providers["trez_rest"].operations if op.writes}
    assert rest == {
        "send_message",
        "send_auto_code",
        "send_code",
        "send_corresponding_message",
        "send_message_to_port",
    }
    xml = {op.python_name for op in fresh.providers["trez_xml"].operations if op.writes}
    assert xml == {"getxml", "send_message", "send_peer_to_peer", "send_to_port"}
    panel = {op.python_name for op in fresh.providers["payamak_panel"].operations if op.writes}
    assert panel == {"send_sms", "schedule_sms"}
    ippanel = {op.python_name for op in fresh.providers["ippanel_classic"].operations if op.writes}
    assert ippanel == {
        "send",
        "send_social",
        "book_send",
        "new_user",
        "postal_code_send",
        "jobs_send",
    }


def test_trez_xml_reads_as_one_document_literal_operation(fresh: Generation) -> None:
    provider = fresh.providers["trez_xml"]
    getxml = provider.operations[0]

    assert (provider.class_prefix, provider.default_base_url) == ("TrezXml", "http://sms.trez.ir")
    assert [(s.name, s.path) for s in provider.services] == [
        ("XmlForSMS/XmlForSMSSoap", "/XmlForSMS.asmx")
    ]
    assert isinstance(provider.auth, BodyCredentials)
    assert isinstance(getxml.binding, SoapDocLit)
    assert getxml.binding.soap_action == "http://tempuri.org/getxml"
    assert getxml.binding.response_tag == "{http://tempuri.org/}getxmlResponse"
    assert getxml.result_policy == NoResultCode()
    (xml_string,) = getxml.params
    assert (xml_string.wire_name, xml_string.python_name, xml_string.secret) == (
        "xmlString",
        "xml_string",
        True,
    )
    assert (getxml.result.wire_name, getxml.result.type_ref) == ("getxmlResult", "str")
    assert isinstance(getxml.binding, SoapDocLit)
    assert getxml.binding.tunnel_input == "xml_string"


def test_trez_xml_actions_are_variants_of_one_tunnelled_document(fresh: Generation) -> None:
    # urn:payamak:variant on xmlrequest: one action each, named on the wire by its action value,
    # taking the document's credentials in the constructor, checking the code in xmlresponse.
    provider = fresh.providers["trez_xml"]
    actions = {op.python_name: op for op in provider.operations[1:]}

    assert list(actions) == [
        "send_message",
        "send_peer_to_peer",
        "send_to_port",
        "get_credit",
        "group_status",
        "message_status",
        "received_messages",
        "is_sub_user",
    ]
    assert provider.auth == BodyCredentials(
        failure_fa=provider.auth.failure_fa, fields=("username", "password", "number")
    )
    send = actions["send_message"]
    assert isinstance(send.binding, Tunnel)
    assert (send.name, send.binding.carrier, send.result.type_ref) == (
        "sendmessage",
        "getxml",
        "str",
    )
    assert send.result_policy == DocumentCode(root="xmlresponse", element="code", message="message")
    assert [(p.python_name, p.type_ref, p.default) for p in send.params if not p.credential] == [
        ("mobiles", "Sequence[str]", None),
        ("message", "str", None),
        ("user_group_id", "str", None),
        ("send_at", "datetime", None),
    ]
    assert [p.python_name for p in send.params if p.secret] == ["password"]
    assert [r.name for r in provider.records][:2] == ["PeerMessage", "SentMessage"]


@pytest.fixture(scope="module")
def rest_models(tmp_path_factory: pytest.TempPathFactory) -> OpenApiModels:
    return generate_models(
        ROOT,
        "specs/trez_rest/openapi.yaml",
        tmp_path_factory.mktemp("models") / "models.py",
        "# header",
        "payamak_gen.trez_rest",
    )


def _read_rest(root: Path, models: OpenApiModels) -> Provider:
    (files,) = [f for f in load_providers() if f.id == "trez_rest"]
    codes = load_catalog(ROOT, files.errors)
    return read_openapi(
        root,
        files.id,
        "specs/trez_rest/openapi.yaml",
        files.sources,
        files.errors,
        codes,
        models,
    )


def _spec_copy(tmp_path: Path, spec: str) -> Path:
    target = tmp_path / spec
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / spec, target)
    return target


def test_path_item_keys_that_are_not_methods_are_not_operations(
    tmp_path: Path, rest_models: OpenApiModels
) -> None:
    spec = _spec_copy(tmp_path, "specs/trez_rest/openapi.yaml")
    text = spec.read_text(encoding="utf-8")
    path_item = "  /api/smsAPI/GetCredit:\n"
    assert path_item in text
    spec.write_text(
        text.replace(path_item, path_item + "    summary: Credit\n    parameters: []\n"),
        encoding="utf-8",
    )

    assert _read_rest(tmp_path, rest_models) == _read_rest(ROOT, rest_models)


def test_an_openapi_rename_reaches_the_ir(tmp_path: Path, rest_models: OpenApiModels) -> None:
    spec = _spec_copy(tmp_path, "specs/trez_rest/openapi.yaml")
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace(
            "operationId: SendMessage\n", "operationId: SendMessage\n      x-payamak-name: send\n"
        ),
        encoding="utf-8",
    )

    provider = name_everything(_read_rest(tmp_path, rest_models))

    assert "send" in [op.python_name for op in provider.operations]
    assert "send_message" not in [op.python_name for op in provider.operations]


def test_a_200_oneof_not_keyed_by_the_success_code_is_refused(
    tmp_path: Path, rest_models: OpenApiModels
) -> None:
    # The 200 answer is oneOf success and error; only the success branch pins Code to 0, and
    # that is how the reader finds the operation's result model. Without the pin it must not guess.
    spec = _spec_copy(tmp_path, "specs/trez_rest/openapi.yaml")
    text = spec.read_text(encoding="utf-8")
    pin = "\n          type: integer\n          const: 0\n"  # the first is SendMessageResponse's
    assert pin in text
    spec.write_text(text.replace(pin, "\n          type: integer\n", 1), encoding="utf-8")

    with pytest.raises(
        SystemExit,
        match=r"SendMessage: expected one oneOf branch with Code const 0, "
        r"got \['SendMessageResponse', 'ErrorResponse'\]",
    ):
        _read_rest(tmp_path, rest_models)


def test_a_missing_envelope_stops_generation(tmp_path: Path, rest_models: OpenApiModels) -> None:
    spec = _spec_copy(tmp_path, "specs/trez_rest/openapi.yaml")
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("x-payamak-envelope:", "x-other:"),
        encoding="utf-8",
    )

    with pytest.raises(SystemExit, match="x-payamak-envelope is missing"):
        _read_rest(tmp_path, rest_models)


def _read_xml(root: Path, models: SoapModels) -> Provider:
    """trez_xml read from the copies of its spec files under ``root`` (the real ones where a test
    made none)."""
    (files,) = [f for f in load_providers() if f.id == "trez_xml"]
    codes = load_catalog(ROOT, files.errors)
    for spec in (*files.wsdls, files.xsd):
        assert spec is not None
        if not (root / spec).exists():
            _spec_copy(root, spec)
    return read_wsdl(
        root,
        files.id,
        files.wsdls,
        files.xsd,
        files.sources,
        files.errors,
        codes,
        models,
    )


def test_the_default_base_url_is_the_soap_address(fresh: Generation, tmp_path: Path) -> None:
    xml = fresh.providers["trez_xml"].xml
    assert xml is not None
    wsdl = _spec_copy(tmp_path, "specs/trez_xml/xmlforsms.wsdl")
    wsdl.write_text(
        wsdl.read_text(encoding="utf-8").replace(
            'location="http://sms.trez.ir/', 'location="https://smspanel.trez.ir/'
        ),
        encoding="utf-8",
    )

    provider = _read_xml(tmp_path, SoapModels(xml.packages, xml.codec))

    assert provider.default_base_url == "https://smspanel.trez.ir"


def test_a_missing_provider_mark_is_named(fresh: Generation, tmp_path: Path) -> None:
    xml = fresh.providers["trez_xml"].xml
    assert xml is not None
    wsdl = _spec_copy(tmp_path, "specs/trez_xml/xmlforsms.wsdl")
    wsdl.write_text(
        wsdl.read_text(encoding="utf-8").replace('source="urn:payamak:name"', 'source="x"'),
        encoding="utf-8",
    )

    with pytest.raises(SystemExit, match="urn:payamak:name"):
        _read_xml(tmp_path, SoapModels(xml.packages, xml.codec))


def test_a_variant_path_that_names_no_element_is_refused(fresh: Generation, tmp_path: Path) -> None:
    xml = fresh.providers["trez_xml"].xml
    assert xml is not None
    xsd = _spec_copy(tmp_path, "specs/trez_xml/xmlapi.xsd")
    text = xsd.read_text(encoding="utf-8")
    assert text.count('path="usergroupid"') > 1
    xsd.write_text(text.replace('path="usergroupid"', 'path="groupid"', 1), encoding="utf-8")

    with pytest.raises(
        SystemExit, match="xmlrequest send_message: xmlrequest has no element groupid"
    ):
        _read_xml(tmp_path, SoapModels(xml.packages, xml.codec))


def _with_params(provider: Provider, *params: Field) -> Provider:
    operation = dataclasses.replace(provider.operations[0], params=params)
    return dataclasses.replace(provider, operations=(operation,))


def _field(wire_name: str, python_name: str = "") -> Field:
    return Field(wire_name, python_name, wire_name, "str", "xs:string", True, False, "")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ((_field("From"),), "'from' is not a usable Python name"),
        (
            (_field("userName"), _field("UserName")),
            r"several inputs would be named \['user_name'\]",
        ),
        ((_field("a", "not a name"),), "'not a name' is not a usable Python name"),
    ],
    ids=["keyword", "clash", "invalid-rename"],
)
def test_naming_refuses_names_python_cannot_use(
    fresh: Generation, params: tuple[Field, ...], message: str
) -> None:
    provider = _with_params(fresh.providers["trez_xml"], *params)
    with pytest.raises(SystemExit, match=message):
        name_everything(provider)


def test_naming_keeps_a_spec_rename_and_snake_cases_the_rest(fresh: Generation) -> None:
    provider = _with_params(
        fresh.providers["trez_xml"], _field("SendDate", "send_at"), _field("PageNo")
    )

    (operation,) = name_everything(provider).operations

    assert [p.python_name for p in operation.params] == ["send_at", "page_no"]
