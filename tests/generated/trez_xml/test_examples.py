"""Every example of the manual round-trips: it parses into the xsdata dataclasses (with xsdata's
strict parser and with the generated codec, to the same objects), serialises back (with both),
and the result validates against the XSD and means the same XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer

from payamak_gen._runtime.http import HttpResponse
from payamak_gen.trez_xml import codec, documents, envelopes, operations
from tests.generated.trez_xml.support import EXAMPLES, soap_response, xsd

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xml"))
STRICT = ParserConfig(fail_on_unknown_properties=True, fail_on_converter_warnings=True)
SCHEMA = xsd()


def _document_class(path: Path) -> type[documents.Xmlrequest] | type[documents.Xmlresponse]:
    return documents.Xmlrequest if ".request." in path.name else documents.Xmlresponse


def _canonical(text: str) -> str:
    # Equal canonical forms mean the same elements, attributes and text, whatever the quoting,
    # attribute order or empty-element syntax.
    return etree.canonicalize(text.split("?>", 1)[1] if text.startswith("<?xml") else text)


def test_there_is_an_example_per_action_and_direction() -> None:
    actions = {path.name.split(".")[0] for path in EXAMPLE_FILES}
    assert actions == {
        "credit",
        "error",
        "issubuser",
        "recivemessage",
        "sendmessage_type0",
        "sendmessage_type1",
        "sendmessage_type2",
        "status_type0",
        "status_type1",
    }
    assert len(EXAMPLE_FILES) == 22


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_round_trips(path: Path) -> None:
    cls = _document_class(path)
    by_xsdata = XmlParser(config=STRICT).from_path(path, cls)
    load = codec.load_xmlrequest if cls is documents.Xmlrequest else codec.load_xmlresponse

    ours = load(path.read_bytes())
    assert ours == by_xsdata
    assert load(path.read_text(encoding="utf-8")) == by_xsdata

    if isinstance(ours, documents.Xmlrequest):
        written = codec.dump_xmlrequest(ours)
    else:
        written = codec.dump_xmlresponse(ours)
    xsdata_written = XmlSerializer().render(ours)
    for text in (written, xsdata_written):
        SCHEMA.assertValid(etree.fromstring(text.encode()))
        assert load(text) == ours
        assert XmlParser(config=STRICT).from_string(text, cls) == ours
    assert _canonical(written) == _canonical(xsdata_written)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_travels_through_the_envelope_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")

    request = operations.build_getxml(xml_string=text)
    by_xsdata = XmlParser(config=STRICT).from_bytes(
        request.content, envelopes.XmlForSmssoapGetxmlInput
    )
    echoed = operations.parse_getxml(HttpResponse(status_code=200, content=soap_response(text)))

    assert by_xsdata.body.getxml.xml_string == text
    assert echoed == text


def test_codec_writes_what_xsdata_writes_for_a_built_document() -> None:
    document = documents.Xmlrequest(
        username="u",
        password='p&<>"',
        number="30008632",
        action=documents.Action.SENDMESSAGE,
        type_value=1,
        dodate="",
        message="",
        usergroupid="g",
        body=documents.RequestBody(
            reciveport=6122,
            sendport=6016,
            recipient=[
                documents.RequestRecipient(mobile="0912", doreid=1, value="a\tb & 'c' \"d\""),
                documents.RequestRecipient(mobile="+98912", doreid=2, value=""),
            ],
        ),
    )

    written = codec.dump_xmlrequest(document)

    assert written == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xmlrequest><username>u</username>'
        '<password>p&amp;&lt;&gt;"</password><number>30008632</number>'
        "<action>sendmessage</action><type>1</type><dodate/><message/>"
        '<usergroupid>g</usergroupid><body reciveport="6122" sendport="6016">'
        '<recipient mobile="0912" doreid="1">a\tb &amp; \'c\' "d"</recipient>'
        '<recipient mobile="+98912" doreid="2"/></body></xmlrequest>'
    )
    assert _canonical(written) == _canonical(XmlSerializer().render(document))
    assert codec.load_xmlrequest(written) == document
