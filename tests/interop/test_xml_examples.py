"""Every XML example validates against its provider's XSD under xmlschema: a pure-Python XSD 1.0
implementation that shares no code with libxml2, so that a leniency of lxml (which
codegen.validate_specs and the sandbox use) cannot hide a broken example or schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from tests.interop.support import SPECS

EXAMPLES = sorted(SPECS.glob("*/examples/*.xml"))


def test_there_are_xml_examples() -> None:
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_example_fits_its_xsd(example: Path) -> None:
    [xsd] = sorted(example.parent.parent.glob("*.xsd"))
    xmlschema.XMLSchema10(xsd).validate(str(example))
