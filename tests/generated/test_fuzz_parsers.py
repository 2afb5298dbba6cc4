"""Hypothesis over every response parser of the landed providers: the JSON envelope of trez_rest,
the SOAP envelope with its tunnelled document of trez_xml, payamak_panel's SOAP envelopes and
ippanel_classic's ``[code, data]`` answers (data double-encoded, bare objects, whole-body
answers) give only documented errors, whatever the answer (see ``tests/generated/fuzz.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from payamak_gen._runtime.soap import SoapOperation
from payamak_gen.advanced_ws import operations as advanced
from payamak_gen.ippanel_classic import operations as ippanel
from payamak_gen.payamak_panel import operations as panel
from payamak_gen.trez_rest import operations as rest
from payamak_gen.trez_xml import operations
from tests.generated import fuzz
from tests.generated.trez_xml.support import WSDL, XSD

REST_KEYS = ["Code", "Message", "Result", "Status", "Mobile", "ID", "Id", "Credit", "Price"]
IPPANEL_KEYS = ["id", "title", "number", "to", "message", "time", "statusMessage", "validMessage"]


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


def test_the_ippanel_classic_answers_give_only_documented_errors() -> None:
    data = fuzz.json_text(IPPANEL_KEYS)
    bodies = st.one_of(
        data,
        # [code, data] past the code check, the data hostile or hostile JSON text (decoded again).
        st.tuples(st.sampled_from(["0", '"0"', "962", "1006"]), data).map(
            lambda pair: f"[{pair[0]},{pair[1]}]"
        ),
        st.tuples(st.sampled_from(["0", '"0"']), data).map(
            lambda pair: f"[{pair[0]},{json.dumps(pair[1])}]"
        ),
        st.sampled_from(["null", "the username or password is incorrect", '"null"', "", "[]"]),
    ).map(lambda text: text.encode("utf-8", "surrogatepass"))
    fuzz.check_parsers(fuzz.parsers_of(ippanel), bodies)


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
