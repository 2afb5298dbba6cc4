"""What the tests of every generated provider share."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import zeep
from lxml import etree

from payamak_gen import errors

# Written out here rather than read from the runtime, so the tests check the runtime's mapping.
ERROR_CLASS_BY_KIND: dict[str, type[errors.ApiError]] = {
    "invalid_request": errors.InvalidRequestError,
    "authentication": errors.AuthenticationError,
    "permission": errors.PermissionDeniedError,
    "insufficient_credit": errors.InsufficientCreditError,
    "limit_exceeded": errors.LimitExceededError,
    "not_found": errors.NotFoundError,
    "server": errors.ServerError,
    "partial_failure": errors.PartialFailureError,
}


def assert_no_secrets(error: BaseException, *secrets: str) -> None:
    """No secret (a password, its encoded forms) shows in the error's str, repr or args."""
    for text in (str(error), repr(error), str(error.args)):
        for secret in secrets:
            assert secret not in text


def assert_matches_catalog(error: errors.ApiError, entry: dict[str, Any]) -> None:
    """The error is the class of the entry's kind and carries the entry's code and texts
    (``entry`` is a ``result_codes`` entry of errors.yaml, read by ``tests.spec_tables``)."""
    assert type(error) is ERROR_CLASS_BY_KIND[entry["kind"]]
    assert (error.code, error.kind, error.retryable) == (
        entry["code"],
        entry["kind"],
        entry["retryable"],
    )
    assert (error.message_en, error.message_fa) == (entry["en"], entry["fa"])


def zeep_oracle(wsdl: Path) -> Any:
    """zeep, loading ``wsdl`` offline and strictly: the independent reference of SOAP tests."""
    settings = zeep.Settings(
        strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    # zeep ships py.typed but leaves Client.__init__ unannotated.
    return zeep.Client(str(wsdl), settings=settings)  # type: ignore[no-untyped-call]


def canonical_xml(xml: bytes) -> str:
    """C14N 2.0 with rewritten prefixes: zeep's ``soap-env:``/``ns0:`` and our ``soap:``/default
    namespace become the same names, so only elements, attributes and text are compared."""
    return etree.canonicalize(from_file=io.BytesIO(xml), rewrite_prefixes=True)
