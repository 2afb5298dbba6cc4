"""Hypothesis over every response parser of the landed providers: the JSON envelope of trez_rest,
the SOAP envelope with its tunnelled document of trez_xml and payamak_panel's SOAP envelopes
give only documented errors,
whatever the answer (see ``tests/generated/fuzz.py``)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from payamak_gen._runtime.soap import SoapOperation
from payamak_gen.advanced_ws import operations as advanced
from payamak_gen.payamak_panel import operations as panel
from payamak_gen.trez_rest import operations as rest
from payamak_gen.trez_xml import operations
from tests.generated import fuzz
from tests.generated.trez_xml.support import WSDL, XSD

REST_KEYS = ["Code", "Message", "Result", "Status", "Mobile", "ID", "Id", "Credit", "Price"]


def test_the_json_envelope_gives_only_documented_errors() -> None:
    bodies = st.one_of(
        fuzz.json_text(REST_KEYS),
        # An envelope around a hostile result: past the code check, into the models.
        st.tuples(st.sampled_from(["0", '"0"', "1", "3002"]), fuzz.json_text(REST_KEYS)).map(
            lambda pair: f'{{"Code":{pair[0]},"Message":"m","Result":{pair[1]}}}'
        ),
    ).map(lambda text: text.encode("utf-8", "surrogatepass"))
    fuzz.check_parsers(fuzz.parsers_of(rest), bodies)


def test_the_soap_envelope_and_its_tunnelled_document_give_only_documented_errors() -> None:
    names = fuzz.names_in(XSD)
    document = fuzz.xml_element(names, None).map(
        lambda content: f"<xmlresponse>{content}</xmlresponse>"
    )
    carried = st.one_of(document, fuzz.xml_element(names, None), st.sampled_from(fuzz.NUMBERS))
    bodies = fuzz.soap_answer(
        operations.GETXML.response_tag,
        carried.map(lambda text: f"<getxmlResult>{escape(text)}</getxmlResult>")
        | fuzz.xml_element(fuzz.names_in(WSDL), "http://tempuri.org/"),
    )
    fuzz.check_parsers(fuzz.parsers_of(operations), bodies)


def test_the_payamak_panel_soap_envelopes_give_only_documented_errors() -> None:
    specs = Path(__file__).resolve().parents[2] / "specs" / "payamak_panel"
    names = fuzz.names_in(specs / "send.wsdl", specs / "incoming.wsdl")
    tags = sorted({op.response_tag for op in vars(panel).values() if isinstance(op, SoapOperation)})
    element = fuzz.xml_element(names, "http://tempuri.org/")
    bodies = st.sampled_from(tags).flatmap(lambda tag: fuzz.soap_answer(tag, element))
    fuzz.check_parsers(fuzz.parsers_of(panel), bodies)


def test_the_advanced_ws_soap_envelopes_give_only_documented_errors() -> None:
    specs = Path(__file__).resolve().parents[2] / "specs" / "advanced_ws"
    names = fuzz.names_in(specs / "service.wsdl")
    tags = sorted(
        {op.response_tag for op in vars(advanced).values() if isinstance(op, SoapOperation)}
    )
    # The children are unqualified: the top one undeclares the wrapper's default namespace
    # (its first ">" closes its start tag), and its own children inherit that.
    element = fuzz.xml_element(names, None).map(lambda xml: xml.replace(">", ' xmlns="">', 1))
    bodies = st.sampled_from(tags).flatmap(lambda tag: fuzz.soap_answer(tag, element))
    fuzz.check_parsers(fuzz.parsers_of(advanced), bodies)
