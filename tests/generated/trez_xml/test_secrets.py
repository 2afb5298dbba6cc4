"""The password never shows in the repr of anything the trez_xml layer builds."""

from __future__ import annotations

from payamak_gen.trez_xml import codec, documents, envelopes, operations
from tests.generated.trez_xml.support import NUMBER, PASSWORD, PASSWORD_XML, USERNAME


def _document() -> documents.Xmlrequest:
    return documents.Xmlrequest(
        username=USERNAME, password=PASSWORD, number=NUMBER, action=documents.Action.CREDIT
    )


def test_request_document_repr_hides_the_password() -> None:
    document = _document()

    assert document.password == PASSWORD  # it is there, for the wire
    assert PASSWORD not in repr(document)
    assert USERNAME in repr(document)  # only the credential is hidden


def test_envelope_and_request_reprs_hide_the_document_carrying_it() -> None:
    xml_string = codec.dump_xmlrequest(_document())
    assert PASSWORD_XML in xml_string

    wrapper = envelopes.Getxml(xml_string=xml_string)
    carried = operations.build_getxml(xml_string=xml_string)
    action = operations.build_get_credit(username=USERNAME, password=PASSWORD, number=NUMBER)

    assert action.content == carried.content  # the action is that document, carried
    for text in (repr(wrapper), repr(carried), repr(action)):
        assert PASSWORD not in text
        assert PASSWORD_XML not in text
