"""Constants and helpers shared by the trez_xml client tests.

The expected envelopes are built here with the standard library's own escaping, not with the
generated code, so that a mistake in the generated writer cannot hide behind the same mistake in
the expectation.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

SPECS = Path(__file__).resolve().parents[3] / "specs" / "trez_xml"
EXAMPLES = SPECS / "examples"
WSDL = SPECS / "xmlforsms.wsdl"
XSD = SPECS / "xmlapi.xsd"
PATH = "/XmlForSMS.asmx"
SOAP_ACTION = '"http://tempuri.org/getxml"'
CONTENT_TYPE = "text/xml; charset=utf-8"
USERNAME = "demo-user"
# XML-special characters and Persian in the password check that the inner document escapes
# them, and that error messages never show it.
PASSWORD = "s3cret&<پسورد>"
PASSWORD_XML = "s3cret&amp;&lt;پسورد&gt;"
NUMBER = "9830008632"
ACCOUNT_XML = (
    f"<username>{USERNAME}</username><password>{PASSWORD_XML}</password><number>{NUMBER}</number>"
)
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def example(name: str) -> str:
    """One of the manual's examples, as stored in specs/trez_xml/examples/."""
    return (EXAMPLES / name).read_text(encoding="utf-8")


def inner_request(children: str) -> str:
    """An xmlrequest document as the client writes it: declaration, account, then ``children``."""
    return f"{DECLARATION}<xmlrequest>{ACCOUNT_XML}{children}</xmlrequest>"


def soap_request(xml_string: str) -> bytes:
    """The exact getxml envelope the client must send for ``xml_string``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<getxml xmlns="http://tempuri.org/"><xmlString>'
        + escape(xml_string, {"\r": "&#13;"})
        + "</xmlString></getxml></soap:Body></soap:Envelope>"
    ).encode()


def soap_response(xml_result: str) -> bytes:
    """A getxml answer as ASP.NET writes it, carrying ``xml_result`` as getxmlResult."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
        '<getxmlResponse xmlns="http://tempuri.org/"><getxmlResult>'
        + escape(xml_result)
        + "</getxmlResult></getxmlResponse></soap:Body></soap:Envelope>"
    ).encode()


def soap_fault(code: str, text: str) -> bytes:
    """A SOAP 1.1 Fault as ASP.NET sends it (with HTTP 500)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><soap:Fault>'
        f"<faultcode>{code}</faultcode><faultstring>{escape(text)}</faultstring><detail />"
        "</soap:Fault></soap:Body></soap:Envelope>"
    ).encode()


def response_document(children: str) -> str:
    """An xmlresponse document with the usual echoes and ``children``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><xmlresponse>'
        f"<username>{USERNAME}</username><number>{NUMBER}</number>{children}</xmlresponse>"
    )


def xsd() -> etree.XMLSchema:
    """The inner documents' schema."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(XSD), parser))
