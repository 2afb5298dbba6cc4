"""Hypothesis strategies for hostile answers, and the check every response parser must pass:
whatever the bytes, a ``parse_*`` function returns or raises an error of the documented
hierarchy (``PayamakGenError``), nothing else.

Bodies are built as text, not with ``json.dumps``/lxml, so that they can hold what those refuse
to write: integers of 5,000 digits, NaN, nesting 50,000 deep, digits that are not ASCII. Element
and field names come from the spec files, so the parsers get past their first checks and the
values reach the codecs and the models."""

from __future__ import annotations

import contextlib
import re
import types
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payamak_gen._runtime.http import HttpResponse
from payamak_gen.errors import PayamakGenError

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
# Hostile and borderline scalars, as the wire would write them.
NUMBERS = [
    "0",
    "1",
    "-1",
    "129249",
    "1.5",
    "9" * 5000,
    "-" + "9" * 4301,
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "INF",
    "-INF",
    "²",
    "٣",
    "1_000",
    " 7 ",
    "",
]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _json_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def json_text(keys: Sequence[str]) -> st.SearchStrategy[str]:
    """JSON-ish text: mostly valid JSON with hostile numbers, keys from ``keys``."""
    leaves = st.one_of(
        st.sampled_from(NUMBERS),
        st.sampled_from(NUMBERS).map(_json_string),
        st.sampled_from(["null", "true", "false", '""', '"x"']),
        st.integers().map(str),
        st.text(max_size=10).map(_json_string),
        st.integers(1, 50_000).map(lambda n: "[" * n + "]" * n),
    )

    def containers(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pairs = st.tuples(st.sampled_from([*keys, "x"]), inner)
        return st.one_of(
            st.lists(inner, max_size=4).map(lambda items: "[" + ",".join(items) + "]"),
            st.lists(pairs, max_size=5).map(
                lambda items: "{" + ",".join(f"{_json_string(k)}:{v}" for k, v in items) + "}"
            ),
        )

    return st.recursive(leaves, containers, max_leaves=12)


def names_in(*files: Path) -> list[str]:
    """The element and attribute names a WSDL/XSD declares."""
    found: set[str] = set()
    for file in files:
        found.update(re.findall(r'name="([A-Za-z_][\w.-]*)"', file.read_text(encoding="utf-8")))
    return sorted(found)


def xml_element(names: Sequence[str], namespace: str | None) -> st.SearchStrategy[str]:
    """Elements named from ``names`` (in ``namespace`` or none), attributes from the same
    names, text from ``NUMBERS`` and short strings; sometimes truncated."""
    xmlns = st.sampled_from([f' xmlns="{namespace}"', ""] if namespace else [""])
    text = st.one_of(st.sampled_from(NUMBERS), st.text(max_size=8).map(escape))
    attributes = st.lists(
        st.tuples(st.sampled_from(names), st.sampled_from(NUMBERS)),
        max_size=2,
        unique_by=lambda a: a[0],
    ).map(lambda items: "".join(f" {k}={quoteattr(v)}" for k, v in items))

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda name, ns, attrs, content: f"<{name}{ns}{attrs}>{''.join(content)}</{name}>",
            st.sampled_from(names),
            xmlns,
            attributes,
            st.lists(children, max_size=4),
        )

    leaf = st.builds(
        lambda name, attrs, value: f"<{name}{attrs}>{value}</{name}>",
        st.sampled_from(names),
        attributes,
        text,
    )
    return st.recursive(leaf | text, element, max_leaves=10)


def soap_answer(response_tag: str, inner: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """A SOAP 1.1 envelope whose Body holds ``response_tag`` (``{ns}local``) around ``inner``,
    or now and then something else (a fault, a truncated body, junk)."""
    namespace, _, local = response_tag[1:].partition("}")
    good = inner.map(
        lambda content: (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>'
            f'<{local} xmlns="{namespace}">{content}</{local}>'
            "</soap:Body></soap:Envelope>"
        ).encode()
    )
    fault = st.sampled_from(NUMBERS).map(
        lambda text: (
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body><soap:Fault>'
            f"<faultcode>soap:Client</faultcode><faultstring>{escape(text)}</faultstring>"
            "</soap:Fault></soap:Body></soap:Envelope>"
        ).encode()
    )
    truncated = st.tuples(good, st.integers(0, 400)).map(lambda pair: pair[0][: pair[1]])
    return st.one_of(good, good, good, fault, truncated, st.binary(max_size=40))


def check_parsers(
    parsers: Iterable[Callable[[HttpResponse], Any]],
    bodies: st.SearchStrategy[bytes],
    statuses: Sequence[int] = (200, 200, 200, 401, 500),
) -> None:
    """Run every parser on every generated answer: only documented errors may come out."""

    @FUZZ
    @given(body=bodies, status=st.sampled_from(statuses))
    def run(body: bytes, status: int) -> None:
        response = HttpResponse(status_code=status, content=body)
        for parse in parsers:
            # Anything but the documented hierarchy propagates and fails the test.
            with contextlib.suppress(PayamakGenError):
                parse(response)

    run()


def parsers_of(module: types.ModuleType) -> list[Callable[[HttpResponse], Any]]:
    """Every ``parse_*`` function of an operations or actions module."""
    return [
        function
        for name, function in sorted(vars(module).items())
        if name.startswith("parse_") and getattr(function, "__module__", None) == module.__name__
    ]
