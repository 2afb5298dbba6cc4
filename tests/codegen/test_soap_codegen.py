"""What providers.yaml must say, and what the codec planner refuses rather than guessing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from codegen._config import load_providers
from codegen.models.xmlcodec import plan_codec

ENTRY = """
providers:
  demo:
    - specs/demo/demo.wsdl
    - specs/demo/demo.xsd
    - specs/demo/errors.yaml
"""


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "providers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_entry_is_classified_by_file_name(tmp_path: Path) -> None:
    (provider,) = load_providers(_config(tmp_path, ENTRY))

    assert (provider.wsdls, provider.xsd, provider.openapi) == (
        ("specs/demo/demo.wsdl",),
        "specs/demo/demo.xsd",
        None,
    )
    assert provider.errors == "specs/demo/errors.yaml"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("    - specs/demo/errors.yaml\n", ""), "one errors.yaml file"),
        (lambda text: text + "    - specs/demo/openapi.yaml\n", "an OpenAPI document or a WSDL"),
        (lambda text: text + "    - specs/demo/other.xsd\n", "one XSD file"),
        (lambda text: text.replace("demo:\n", "demo: specs/demo/demo.wsdl\n  x:\n"), "a list"),
    ],
    ids=["no-errors", "both-kinds", "two-xsd", "not-a-list"],
)
def test_config_mistakes_are_named(tmp_path: Path, edit: object, message: str) -> None:
    assert callable(edit)
    with pytest.raises(SystemExit, match=message):
        load_providers(_config(tmp_path, edit(ENTRY)))


@dataclass(kw_only=True)
class _Decimal:
    class Meta:
        name = "decimal"

    amount: Decimal | None = field(default=None, metadata={"type": "Element"})


@dataclass(kw_only=True)
class _Wildcard:
    class Meta:
        name = "wildcard"

    other: list[object] = field(
        default_factory=list, metadata={"type": "Wildcard", "namespace": "##any"}
    )


@dataclass(kw_only=True)
class _QualifiedAttribute:
    class Meta:
        name = "qualified"

    lang: str | None = field(default=None, metadata={"type": "Attribute", "namespace": "urn:other"})


@dataclass(kw_only=True)
class _Facet:
    class Meta:
        name = "facet"

    digits: int | None = field(default=None, metadata={"type": "Element", "total_digits": 3})


@dataclass(kw_only=True)
class _Default:
    class Meta:
        name = "default"

    mode: str = field(default="fast", metadata={"type": "Element"})


@dataclass(kw_only=True)
class _XsdRegex:
    class Meta:
        name = "regex"

    name: str | None = field(default=None, metadata={"type": "Element", "pattern": r"\i\c*"})


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (_Decimal, "_Decimal.amount: type <class 'decimal.Decimal'> is not supported"),
        (_Wildcard, "wildcards are supported only as mixed content"),
        (_QualifiedAttribute, "qualified attributes are not supported"),
        (_Facet, r"metadata \['total_digits'\] is not supported"),
        (_Default, "default 'fast' is not supported"),
        (_XsdRegex, "uses XSD-only regex syntax"),
    ],
    ids=["decimal", "wildcard", "qualified-attribute", "facet", "default", "xsd-regex"],
)
def test_codec_planner_refuses_what_it_cannot_write_exactly(cls: type, message: str) -> None:
    with pytest.raises(SystemExit, match=message):
        plan_codec([(cls, "root", True)], {cls: f"documents.{cls.__name__}"})
