"""Every XML example validates against its provider's XSD under xmlschema: a pure-Python XSD 1.0
implementation that shares no code with libxml2, so that a leniency of lxml (which
codegen.validate_specs and the sandbox use) cannot hide a broken example or schema."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from lxml import etree

from tests.interop.support import SPECS

EXAMPLES = sorted(SPECS.glob("*/examples/*.xml"))


def test_there_are_xml_examples() -> None:
    assert len(EXAMPLES) >= 20


SOAP_BODY = "{http://schemas.xmlsoap.org/soap/envelope/}Body"
XS = "{http://www.w3.org/2001/XMLSchema}schema"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_example_fits_its_xsd(example: Path) -> None:
    provider = example.parent.parent
    document = ElementTree.parse(example).getroot()
    body = document.find(SOAP_BODY)
    if body is None:
        [xsd] = sorted(provider.glob("*.xsd"))
        xmlschema.XMLSchema10(xsd).validate(str(example))
        return
    # A SOAP envelope (a provider with WSDLs only): its body element against the schema
    # embedded in the WSDL that declares that element. lxml only cuts the schema out (keeping
    # the prefixes its QName values use in scope); xmlschema does the validating.
    [element] = list(body)
    local = element.tag.rpartition("}")[2]
    for wsdl in sorted(provider.glob("*.wsdl")):
        for schema in etree.parse(str(wsdl)).getroot().iter(XS):
            if any(e.get("name") == local for e in schema.findall(f"{XS[:-6]}element")):
                xmlschema.XMLSchema10(etree.tostring(schema, encoding="unicode")).validate(
                    ElementTree.tostring(element, encoding="unicode")
                )
                return
    pytest.fail(f"no WSDL of {provider.name} declares {element.tag}")
