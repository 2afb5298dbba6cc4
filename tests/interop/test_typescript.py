"""The specs used from TypeScript, against the sandbox: for each provider, interop/src/<id>.ts
(types by openapi-typescript and calls by openapi-fetch for OpenAPI, the npm `soap` package for
WSDL) reads the credit, sends, asks the send's status and uses a wrong password. `make interop`
has type-checked it with tsc --strict. Every answer is checked against the spec: by ajv inside
the scenario for JSON, here with xmlschema for the XML documents it exchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from payamak.sandbox import DEMO_USERNAME, Sandbox
from tests.interop.support import INTEROP, ROOT, SPECS, run_scenario

PROVIDERS = sorted(p.name for p in SPECS.iterdir() if p.is_dir())


def _embedded_schema(wsdl: Path) -> xmlschema.XMLSchema10:
    """The XML schema embedded in the WSDL file ``wsdl``."""
    schema = etree.parse(str(wsdl)).find(".//{http://www.w3.org/2001/XMLSchema}schema")
    assert schema is not None, wsdl
    return xmlschema.XMLSchema10(etree.tostring(schema).decode())


def _body_element(raw: str) -> etree._Element:
    """The one element in the SOAP Body of the envelope ``raw``."""
    body = etree.fromstring(raw.encode()).find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    assert body is not None, raw
    [element] = body
    return element


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_provider_has_a_typescript_scenario(provider: str) -> None:
    assert (INTEROP / "src" / f"{provider}.ts").is_file()


def test_trez_rest_from_typescript(sandbox: Sandbox) -> None:
    credit_before = sandbox.admin.credit(DEMO_USERNAME)

    seen = run_scenario("trez_rest", sandbox.base_url)

    [message] = sandbox.admin.messages(provider="trez_rest")
    assert seen["credit"] == credit_before
    assert seen["groupId"] == message["group_id"]
    assert (seen["statusCode"], seen["recipients"]) == ("1", ["9121234567"])
    # An HTTP-200 error answer, which passed validation against the spec's ErrorResponse.
    assert (seen["unknownGroupCode"], seen["unknownGroupResult"]) == (3002, None)
    assert seen["wrongPasswordStatus"] == 401
    # Every answer with a JSON body was validated: two successes, the status and the error.
    assert seen["validated"] == 4


def test_trez_xml_from_typescript(sandbox: Sandbox) -> None:
    credit_before = sandbox.admin.credit(DEMO_USERNAME)
    schema = xmlschema.XMLSchema10(SPECS / "trez_xml" / "xmlapi.xsd")

    seen = run_scenario("trez_xml", sandbox.base_url)

    [message] = sandbox.admin.messages(provider="trez_xml")
    assert seen["credit"] == str(credit_before)
    assert seen["groupId"] == message["group_id"]
    assert (seen["statusOfGroup"], seen["recipients"]) == ("1", ["9121234567"])
    assert seen["wrongPasswordCode"] == "462"
    assert len(seen["exchanges"]) == 4
    for exchange in seen["exchanges"]:
        schema.validate(exchange["request"])  # what the TypeScript built
        schema.validate(exchange["response"])  # what it received, error answer included


def test_readme_shows_the_typescript_example_the_test_runs() -> None:
    source = (INTEROP / "src" / "trez_rest.ts").read_text(encoding="utf-8")
    [example] = re.findall(
        r"// --8<-- \[start:readme\]\n(.*?)// --8<-- \[end:readme\]\n", source, flags=re.DOTALL
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```ts\n{example}```" in readme


def test_payamak_panel_from_typescript(sandbox: Sandbox) -> None:
    credit_before = sandbox.admin.credit(DEMO_USERNAME)

    seen = run_scenario("payamak_panel", sandbox.base_url)

    [message] = sandbox.admin.messages(provider="payamak_panel")
    assert float(seen["credit"]) == credit_before
    assert (seen["sendResult"], seen["recIds"]) == ("1", [str(message["id"])])
    assert seen["status"] == "AA=="  # one byte, 0: sent
    assert seen["delivery"] == "400"  # in the send queue (the sandbox's clock is frozen)
    assert seen["senders"] == ["9121111111", "9122222222"]  # without the leading 0
    assert seen["wrongPasswordResult"] == "0"
    assert len(seen["responses"]) == 5
    schemas = {
        wsdl: _embedded_schema(SPECS / "payamak_panel" / wsdl)
        for wsdl in ("send.wsdl", "incoming.wsdl")
    }
    for raw in seen["responses"]:
        element = _body_element(raw)
        assert isinstance(element.tag, str), element.tag  # a parsed element's tag is a str
        wsdl = "incoming.wsdl" if "GetNewMessagesList" in element.tag else "send.wsdl"
        schemas[wsdl].validate(etree.tostring(element).decode())


def test_ippanel_classic_from_typescript(sandbox: Sandbox) -> None:
    credit_before = sandbox.admin.credit(DEMO_USERNAME)

    seen = run_scenario("ippanel_classic", sandbox.base_url)

    messages = sandbox.admin.messages(provider="ippanel_classic")
    assert seen["credit"] == credit_before
    assert seen["bulkId"] == messages[0]["id"]
    assert seen["report"] == ["+989121234567:notsync", "+989351234567:notsync"]
    assert seen["check"] == {"statusMessage": "Active", "validMessage": "approve"}
    assert seen["unknown"] is None
    assert seen["wrongCode"] == 962
    assert seen["wrongText"] == "the username or password is incorrect"
    # Every JSON answer was validated: credit, send, delivery, checkmessage, null and the 962.
    assert seen["validated"] == 6


def test_advanced_ws_from_typescript(sandbox: Sandbox) -> None:
    credit_before = sandbox.admin.credit(DEMO_USERNAME)

    seen = run_scenario("advanced_ws", sandbox.base_url)

    stored = sandbox.admin.messages(provider="advanced_ws")
    assert seen["credit"] == str(credit_before)
    # The repeated number was sent once; the pair with a bad number is -3, the other is sent.
    assert (seen["sendCode"], seen["ids"]) == ("0", [str(m["id"]) for m in stored[:2]])
    assert seen["pairCodes"] == ["0", "-3"]
    assert len(stored) == 3
    assert seen["statuses"] == ["1", "1"]  # being sent (the sandbox's clock is frozen)
    assert seen["senders"] == ["09121111111", "09122222222", "09123333333"]
    assert seen["wrongPasswordCode"] == "-1"
    assert len(seen["responses"]) == 6
    schema = _embedded_schema(SPECS / "advanced_ws" / "service.wsdl")
    for raw in seen["responses"]:
        element = _body_element(raw)
        schema.validate(etree.tostring(element).decode())
