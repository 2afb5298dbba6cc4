"""schemathesis over every OpenAPI operation, against the sandbox: generated requests that fit the
spec, every answer checked by all of schemathesis's checks, response-schema conformance among
them. Error answers (HTTP 200, non-zero Code, "Result": null) must fit the spec's ErrorResponse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME, Sandbox
from tests.interop.support import SPECS

if TYPE_CHECKING:
    # schemathesis's parameterised Case and APIOperation for OpenAPI (its own aliases).
    from schemathesis.specs.openapi.schemas import OpenApiCase, OpenApiOperation

# Enough for each operation's success and error answers to show up, while all of them together
# stay well under a minute on two cores.
EXAMPLES_PER_OPERATION = 25
MOBILE = "09121234567"


def _with_demo_values(case: OpenApiCase) -> OpenApiCase:
    """The case with the demo account's line and a real mobile where its body names them.

    Generated text is never the account's line nor an Iranian mobile, so without this every send
    is refused (1002, 1004) and no success answer of a send gets checked.
    """
    body = case.body
    if isinstance(body, dict):
        if "PhoneNumber" in body:
            body["PhoneNumber"] = DEMO_LINE
        if "Mobile" in body:
            body["Mobile"] = MOBILE
        if "Mobiles" in body:
            body["Mobiles"] = [MOBILE]
        recipients = body.get("RecipientsMessage")
        for recipient in recipients if isinstance(recipients, list) else []:
            if isinstance(recipient, dict):
                recipient["Mobile"] = MOBILE
        # ippanel_classic's form: credentials are fields, and so are the line and recipients.
        if "uname" in body:
            body["uname"], body["pass"] = DEMO_USERNAME, DEMO_PASSWORD
        if "from" in body:
            body["from"] = DEMO_LINE
        if "to" in body:
            body["to"] = [MOBILE]
    return case


def _operations() -> list[tuple[Path, str, str]]:
    found = []
    for spec in sorted(SPECS.glob("*/openapi.yaml")):
        schema = schemathesis.openapi.from_path(spec)
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result.err()
            operation = result.ok()
            found.append((spec, operation.method.upper(), operation.path))
    return found


OPERATIONS = _operations()


def test_every_openapi_spec_has_operations() -> None:
    assert {spec.parent.name for spec, _, _ in OPERATIONS} == {
        spec.parent.name for spec in SPECS.glob("*/openapi.yaml")
    }


@pytest.mark.parametrize(
    ("spec", "method", "path"),
    OPERATIONS,
    ids=[f"{s.parent.name} {m} {p}" for s, m, p in OPERATIONS],
)
def test_operation_conforms(sandbox: Sandbox, spec: Path, method: str, path: str) -> None:
    schema = schemathesis.openapi.from_path(spec)
    # The spec's servers are the real gateways: only the sandbox on 127.0.0.1 may be called.
    schema.config.update(base_url=sandbox.base_url, basic_auth=(DEMO_USERNAME, DEMO_PASSWORD))
    operation: OpenApiOperation = schema[path][method]
    codes: list[int] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: a failure here is reproducible
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(operation.as_strategy(), operation.as_strategy().map(_with_demo_values)))
    def conforms(case: OpenApiCase) -> None:
        response = case.call_and_validate(base_url=sandbox.base_url)
        # schemathesis keeps every value of a header, as a list.
        is_json = "application/json" in str(response.headers.get("content-type"))
        body = response.json() if response.status_code == 200 and is_json else {}
        # An envelope's Code, the code of a [code, data] answer, else the HTTP status.
        if isinstance(body, list) and body:
            codes.append(body[0])
        elif isinstance(body, dict) and "Code" in body:
            codes.append(body["Code"])
        else:
            codes.append(response.status_code)

    conforms()

    print(f"{method} {path}: {len(codes)} cases, answers {sorted(set(codes))}")
    assert len(codes) >= 5, codes
