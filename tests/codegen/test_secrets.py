"""Elements a spec marks as credentials get fields hidden from reprs, or generation stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.models.secrets import hide_secret_fields
from codegen.readers.xsd import secret_elements

SCHEMA = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="login">
    <xs:complexType><xs:sequence>
      <xs:element name="user" type="xs:string"/>
      <xs:element name="passWord" type="xs:string">
        <xs:annotation><xs:appinfo source="urn:payamak:secret"/></xs:annotation>
      </xs:element>
      <xs:element name="note" type="xs:string">
        <xs:annotation><xs:appinfo source="urn:other"/></xs:annotation>
      </xs:element>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>
"""

MODULE = """from dataclasses import dataclass, field


@dataclass
class Login:
    user: str = field(
        metadata={"type": "Element"},
    )
    pass_word: str = field(
        metadata={"name": "passWord", "type": "Element"},
    )
"""


def test_only_elements_marked_secret_are_found(tmp_path: Path) -> None:
    schema = tmp_path / "login.xsd"
    schema.write_text(SCHEMA, encoding="utf-8")

    assert secret_elements(schema) == {"passWord"}


def test_marked_field_is_hidden_from_repr(tmp_path: Path) -> None:
    (tmp_path / "login.py").write_text(MODULE, encoding="utf-8")

    hide_secret_fields(tmp_path, {"passWord"}, "login.xsd")

    namespace: dict[str, object] = {}
    exec((tmp_path / "login.py").read_text(encoding="utf-8"), namespace)
    login = namespace["Login"](user="u", pass_word="hunter2")  # type: ignore[operator]
    assert "hunter2" not in repr(login)
    assert "user='u'" in repr(login)


def test_marked_element_without_a_generated_field_stops_generation(tmp_path: Path) -> None:
    (tmp_path / "login.py").write_text(MODULE, encoding="utf-8")

    with pytest.raises(SystemExit, match="'pin' is marked secret"):
        hide_secret_fields(tmp_path, {"pin"}, "login.xsd")
