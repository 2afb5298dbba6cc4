"""Every fault kind, as a client sees it on the wire."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree

from payamak.sandbox import Sandbox, SandboxAdmin, SandboxAdminError
from tests.sandbox import fake_soap
from tests.sandbox.support import CREDIT, PRICE_EN, Rest, send_body

SEND = "/api/smsAPI/SendMessage"


def test_latency_delays_the_answer_and_the_call_still_runs(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "latency", operation="SendMessage", latency=0.3)
    started = time.perf_counter()
    rest.ok("SendMessage", send_body())
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    rest.ok("SendMessage", send_body())
    assert time.perf_counter() - started < 0.3
    assert len(sandbox_admin.messages()) == 2


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_503", 503)])
def test_http_errors_for_count_calls_and_nothing_runs(
    rest: Rest, sandbox_admin: SandboxAdmin, kind: str, status: int
) -> None:
    sandbox_admin.inject_fault("trez_rest", kind, operation="SendMessage", count=2)
    for _ in range(2):
        response = rest.post("SendMessage", send_body())
        assert response.status_code == status
        assert response.headers["content-type"].startswith("text/html")
    assert sandbox_admin.messages() == []
    rest.ok("SendMessage", send_body())
    assert sandbox_admin.faults() == []


def test_drop_closes_the_connection_before_any_response(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "drop", operation="SendMessage")
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        rest.post("SendMessage", send_body())
    assert sandbox_admin.messages() == []
    assert rest.credit() == CREDIT  # the client's next call gets a fresh connection


def test_truncate_cuts_the_body_after_the_send_happened(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "truncate", operation="SendMessage")
    with pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"):
        rest.post("SendMessage", send_body())
    # The unknown-outcome case: the message went out and was charged, the answer was lost.
    assert len(sandbox_admin.messages()) == 1
    assert rest.credit() == CREDIT - PRICE_EN


def test_malformed_body_is_http_200_that_is_not_json(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "malformed", operation="GetCredit")
    response = rest.post("GetCredit")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_error_code_answers_with_the_gateways_own_error(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "error_code", operation="SendMessage", code=5002)
    envelope = rest.call("SendMessage", send_body())
    assert envelope == {
        "Code": 5002,
        "Message": "در هنگام ارسال پیام خطایی رخ داده است",
        "Result": None,
    }
    assert sandbox_admin.messages() == []
    with pytest.raises(SandboxAdminError):
        sandbox_admin.inject_fault("trez_rest", "error_code")  # no code


def test_faults_target_one_operation_case_insensitively(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "http_503", operation="sendmessage")
    assert rest.post("GetCredit").status_code == 200
    assert rest.http.post("/API/SMSAPI/SENDMESSAGE", json=send_body()).status_code == 503


def test_wildcard_fault_hits_every_operation(rest: Rest, sandbox_admin: SandboxAdmin) -> None:
    sandbox_admin.inject_fault("trez_rest", "http_500", count=2)
    assert rest.post("GetCredit").status_code == 500
    assert rest.post("GetPrices").status_code == 500
    assert rest.post("GetCredit").status_code == 200


def test_faults_are_listed_counted_down_and_cleared(
    rest: Rest, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "http_500", operation="GetCredit", count=3)
    rest.post("GetCredit")
    (fault,) = sandbox_admin.faults()
    assert (fault["operation"], fault["kind"], fault["remaining"]) == ("GetCredit", "http_500", 2)
    sandbox_admin.clear_faults()
    assert sandbox_admin.faults() == []
    assert rest.post("GetCredit").status_code == 200


def test_admin_and_unknown_paths_are_never_faulted(
    sandbox: Sandbox, sandbox_admin: SandboxAdmin
) -> None:
    sandbox_admin.inject_fault("trez_rest", "http_500")
    assert httpx.get(f"{sandbox.base_url}/nothing-here").status_code == 404
    assert sandbox_admin.faults()[0]["remaining"] == 1


@pytest.mark.parametrize(
    ("provider", "kind", "operation", "status"),
    [
        ("trez_rest", "explode", "*", 400),
        ("trez_rest", "soap_fault", "*", 400),  # trez_rest is JSON, not SOAP
        ("nobody", "http_500", "*", 404),
        ("trez_rest", "http_500", "NoSuchMethod", 404),
    ],
)
def test_bad_fault_requests_are_refused(
    sandbox_admin: SandboxAdmin, provider: str, kind: str, operation: str, status: int
) -> None:
    with pytest.raises(SandboxAdminError) as caught:
        sandbox_admin.inject_fault(provider, kind, operation=operation)
    assert caught.value.status == status
    assert sandbox_admin.faults() == []


# -- SOAP-flavoured faults, on a minimal SOAP provider loaded like any other ---------------------


@pytest.fixture(scope="module")
def soap_sandbox() -> Iterator[Sandbox]:
    with Sandbox(providers=["trez_rest", "tests.sandbox.fake_soap"]) as server:
        yield server


ECHO_REQUEST = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b'<soap:Body><Echo xmlns="http://tempuri.org/"><text>hi</text></Echo></soap:Body>'
    b"</soap:Envelope>"
)


def _echo(sandbox: Sandbox, body: bytes = ECHO_REQUEST) -> httpx.Response:
    return httpx.post(
        sandbox.base_url + fake_soap.PATH,
        content=body,
        headers={"SOAPAction": '"http://tempuri.org/Echo"', "Content-Type": "text/xml"},
    )


def test_soap_provider_plumbing(soap_sandbox: Sandbox) -> None:
    assert _echo(soap_sandbox).content == fake_soap.envelope("hi")
    wsdl = httpx.get(soap_sandbox.base_url + fake_soap.PATH.upper() + "?WSDL")
    address = etree.fromstring(wsdl.content).find(".//{*}address")
    assert address is not None
    assert address.get("location") == soap_sandbox.base_url + fake_soap.PATH.upper()
    for bad in (b"not xml", b"<x/>", b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'):
        response = _echo(soap_sandbox, bad)
        assert response.status_code == 500
        assert b"<faultcode>soap:Client</faultcode>" in response.content


def test_soap_fault_is_http_500_with_a_fault_envelope(soap_sandbox: Sandbox) -> None:
    assert _echo(soap_sandbox).status_code == 200
    soap_sandbox.admin.inject_fault("fake_soap", "soap_fault", operation="Echo")
    response = _echo(soap_sandbox)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    ns = {"soap": "http://schemas.xmlsoap.org/soap/envelope/"}
    assert root.findtext("soap:Body/soap:Fault/faultcode", namespaces=ns) == "soap:Server"
    assert _echo(soap_sandbox).status_code == 200


def test_malformed_soap_body_is_not_xml(soap_sandbox: Sandbox) -> None:
    soap_sandbox.admin.inject_fault("fake_soap", "malformed")
    response = _echo(soap_sandbox)
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)
