"""zeep, loading the same WSDL offline and strictly, as an independent reference: it builds the
same getxml envelope and headers as the generated operations, and reads the same string out of
the answers the generated parser reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import zeep
import zeep.exceptions
from lxml import etree

from payamak_gen import errors
from payamak_gen._runtime.http import HttpResponse
from payamak_gen._runtime.xml import parse
from payamak_gen.trez_xml import codec, operations
from tests.generated.support import canonical_xml, zeep_oracle
from tests.generated.trez_xml.cases import CASES, Case
from tests.generated.trez_xml.support import (
    EXAMPLES,
    WSDL,
    inner_request,
    soap_fault,
    soap_response,
)


@dataclass
class _Reply:
    """What zeep's binding reads from a requests.Response."""

    content: bytes
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/xml"})
    encoding: str = "utf-8"


@pytest.fixture(scope="module")
def oracle() -> Any:
    return zeep_oracle(WSDL)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_zeep_builds_the_same_envelope(oracle: Any, case: Case) -> None:
    document = inner_request(case.inner)

    ours = operations.build_getxml(xml_string=document)
    theirs, headers = oracle.service._binding._create(
        "getxml", (), {"xmlString": document}, client=oracle
    )

    assert canonical_xml(ours.content) == canonical_xml(etree.tostring(theirs))
    assert ours.headers["SOAPAction"] == headers["SOAPAction"]
    assert ours.headers["Content-Type"] == headers["Content-Type"]


def test_zeep_envelope_reads_back_with_our_codec(oracle: Any) -> None:
    text = 'x < y & "z"\r\n'
    envelope = oracle.create_message(oracle.service, "getxml", xmlString=text)
    (body,) = envelope.iter("{http://schemas.xmlsoap.org/soap/envelope/}Body")

    element = parse(etree.tostring(body[0]))

    assert codec.read_getxml(element).xml_string == text


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.response.xml")), ids=lambda p: p.name)
def test_zeep_parses_our_answers_to_the_same_string(oracle: Any, path: Path) -> None:
    body = soap_response(path.read_text(encoding="utf-8"))
    operation = oracle.service._binding.get("getxml")

    theirs = oracle.service._binding.process_reply(oracle, operation, _Reply(body))
    ours = operations.parse_getxml(HttpResponse(status_code=200, content=body))

    assert theirs == ours == path.read_text(encoding="utf-8")


def test_zeep_and_we_read_a_fault_alike(oracle: Any) -> None:
    body = soap_fault("soap:Server", "Server was unable to process request.")
    operation = oracle.service._binding.get("getxml")

    with pytest.raises(zeep.exceptions.Fault) as theirs:
        oracle.service._binding.process_reply(oracle, operation, _Reply(body, status_code=500))
    with pytest.raises(errors.SoapFaultError) as ours:
        operations.parse_getxml(HttpResponse(status_code=500, content=body))

    assert (theirs.value.code, theirs.value.message) == (
        ours.value.fault_code,
        ours.value.fault_string,
    )
