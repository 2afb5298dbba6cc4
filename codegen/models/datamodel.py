"""The OpenAPI model back end: pydantic models by datamodel-code-generator, and the names it made.

The tool writes ``models.py`` and, with ``--emit-model-metadata``, a JSON file saying which class
and which fields it made for each schema. That file is read here into ``OpenApiModels``, so the
reader looks names up instead of re-parsing generated source.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._yaml import load_yaml

# The runtime types of the vocabulary's encodings, told to datamodel-code-generator through its
# own schema extension (customTypePath), so that models hold the Python type, not the wire's.
# `{package}` is the provider's package: status codes are looked up in its own errors.py.
ENCODING_TYPES = {
    "unix-seconds": "payamak_gen._runtime.times.UnixTime",
    "delivery-code": "{package}.errors.DeliveryStatusCode",
    "group-status-code": "{package}.errors.GroupStatusCode",
    "number-delivery-code": "{package}.errors.DeliveryReport",
    "rials": "payamak_gen._runtime.encodings.Rials",
    "tehran-time": "payamak_gen._runtime.times.TehranTime",
}


@dataclass(frozen=True)
class ModelField:
    """One field of a generated model.

    Attributes:
        name: The Python attribute (snake case).
        alias: The wire name.
        type: The annotation as written inside ``models.py``.
        required: Whether the model requires it.
    """

    name: str
    alias: str
    type: str
    required: bool


@dataclass(frozen=True)
class Model:
    """The class generated for one component schema."""

    class_name: str
    fields: tuple[ModelField, ...]

    def field(self, alias: str) -> ModelField | None:
        """The field whose wire name is ``alias``, if there is one."""
        return next((f for f in self.fields if f.alias == alias), None)


class OpenApiModels:
    """The names datamodel-code-generator made: schema name → model, and annotation text."""

    def __init__(self, metadata: dict[str, Any]) -> None:
        self._by_schema: dict[str, Model] = {}
        for model in metadata["models"]:
            path = model["source_path"]
            if len(path) == 3 and path[:2] == ["components", "schemas"]:
                self._by_schema[path[2]] = Model(
                    class_name=model["class_name"],
                    fields=tuple(
                        ModelField(f["name"], f["alias"], f["type"], f["required"])
                        for f in model["fields"]
                    ),
                )
        self.names = sorted({m["class_name"] for m in metadata["models"]})
        """Every class and type alias the tool made."""
        names = sorted(self.names, key=len, reverse=True)
        self._name_pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")

    def model(self, schema_name: str) -> Model:
        """The model of a component schema; a schema without one stops generation."""
        try:
            return self._by_schema[schema_name]
        except KeyError:
            raise SystemExit(f"no generated model for schema {schema_name!r}") from None

    def qualify(self, type_text: str) -> str:
        """Prefix generated names with ``models.`` for use outside the models module."""
        return self._name_pattern.sub(r"models.\1", type_text)


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in a parsed spec (schemas nest in properties, items, oneOf…)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def tool_input(spec: dict[str, Any], package: str) -> dict[str, Any]:
    """The spec as the tool reads it (a copy; the spec itself stays language-neutral).

    Each ``x-payamak-encoding`` with a runtime type gets the tool's ``customTypePath``, and each
    ``x-payamak-credential`` property gets ``repr: false``, which the tool passes to pydantic's
    ``Field`` (``field-extra-keys`` in pyproject.toml), so a model's repr leaves it out.
    """
    copy: dict[str, Any] = json.loads(json.dumps(spec))
    for schema in _schemas(copy):
        custom = ENCODING_TYPES.get(str(schema.get("x-payamak-encoding")))
        if custom is not None:
            schema["customTypePath"] = custom.format(package=package)
            # The runtime type reads and checks the wire form itself; a pattern on the wire's
            # text would be applied to the Python value (a datetime), which has none.
            schema.pop("pattern", None)
        if schema.get("x-payamak-credential") is True:
            schema["repr"] = False
    return copy


def tool_aliases(spec: dict[str, Any]) -> dict[str, str]:
    """The tool's scoped renames (``Schema.WireName`` → Python name) of every component schema
    property with an ``x-payamak-name``: models then use the name callers see
    (``send_at``), and the wire name stays the pydantic alias."""
    aliases: dict[str, str] = {}
    schemas = spec.get("components", {}).get("schemas", {})
    for schema_name, schema in schemas.items():
        for wire_name, prop in (schema.get("properties") or {}).items():
            if isinstance(prop, dict) and "x-payamak-name" in prop:
                aliases[f"{schema_name}.{wire_name}"] = str(prop["x-payamak-name"])
    return aliases


def generate_models(
    root: Path, spec: str, output: Path, header: str, package: str
) -> OpenApiModels:
    """Write ``output`` (``models.py``) from the spec and return the names it holds.

    Flags are pinned in pyproject.toml's [tool.datamodel-codegen], which the tool reads from its
    working directory (the repository root). It reads ``tool_input(spec)`` from a scratch file;
    our own header replaces the tool's, which would name that file.

    Args:
        root: The repository root.
        spec: The OpenAPI file, relative to ``root``.
        output: Where to write the module.
        header: Its first line.
        package: The provider package it belongs to (``payamak_gen.trez_rest``).

    Returns:
        The generated names.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        source = load_yaml(root / spec)
        spec_input = Path(tmp) / Path(spec).name
        spec_input.write_text(json.dumps(tool_input(source, package), ensure_ascii=False), "utf-8")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                "--input",
                str(spec_input),
                "--input-file-type",
                "openapi",
                "--output",
                str(output),
                "--emit-model-metadata",
                str(metadata_file),
                "--custom-file-header",
                header,
                "--aliases",
                json.dumps(tool_aliases(source), ensure_ascii=False),
            ],
            cwd=root,
            check=True,
        )
        metadata: dict[str, Any] = json.loads(metadata_file.read_text(encoding="utf-8"))
    models = OpenApiModels(metadata)
    # The module's API is what the tool says it made (it writes no __all__ itself).
    listing = "".join(f'    "{name}",\n' for name in models.names)
    source = output.read_text(encoding="utf-8").rstrip()
    output.write_text(f"{source}\n\n\n__all__ = [\n{listing}]\n", encoding="utf-8")
    return models
