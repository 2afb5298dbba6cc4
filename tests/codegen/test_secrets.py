"""Elements a spec marks as secret get fields hidden from reprs (xsdata_plugin), or generation
stops; every generated module lists its classes in ``__all__``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from codegen.models.xsdata import run_xsdata
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


def _schema(tmp_path: Path, text: str) -> Path:
    schema = tmp_path / "login.xsd"
    schema.write_text(text, encoding="utf-8")
    return schema


def test_only_elements_marked_secret_are_found(tmp_path: Path) -> None:
    assert secret_elements(_schema(tmp_path, SCHEMA)) == {"passWord"}


def test_a_marked_field_is_hidden_from_repr_and_modules_list_their_classes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_xsdata(_schema(tmp_path, SCHEMA), "documents", tmp_path / "out", "login.xsd")

    module_file = tmp_path / "out" / "documents" / "login.py"
    spec = importlib.util.spec_from_file_location("_secrets_fixture_login", module_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    login = module.Login(user="u", pass_word="hunter2", note="n")
    assert "hunter2" not in repr(login)
    assert "user='u'" in repr(login)
    assert module.__all__ == ["Login"]


def test_a_marked_element_without_a_generated_field_stops_generation(tmp_path: Path) -> None:
    # A global element of simple type becomes a class with a `value` field: no field is named
    # after the element, so the mark would protect nothing.
    schema = SCHEMA.replace(
        '<xs:element name="login">',
        '<xs:element name="pin" type="xs:string">'
        '<xs:annotation><xs:appinfo source="urn:payamak:secret"/></xs:annotation></xs:element>'
        '<xs:element name="login">',
    )
    with pytest.raises(SystemExit, match=r"\['pin'\] are marked secret"):
        run_xsdata(_schema(tmp_path, schema), "documents", tmp_path / "out", "login.xsd")
