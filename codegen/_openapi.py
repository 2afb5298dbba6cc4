"""The OpenAPI path: pydantic models by datamodel-code-generator, operations and clients by our
templates, both read from the same spec."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ._catalog import load_catalog
from ._config import ProviderConfig
from ._output import add_all
from ._templates import docstring_text as _docstring_text
from ._templates import header, render, snake_case

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_SCHEMA_REF = re.compile(r"^#/components/schemas/(?P<name>[A-Za-z0-9_]+)$")


@dataclass(frozen=True)
class Param:
    """One keyword argument of a client method: a property of the request schema."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    """Everything the templates need to know about one operation."""

    operation_id: str
    py_name: str
    method: str
    path: str
    summary_line: str
    description: str
    request_model: str | None
    params: list[Param]
    response_model: str
    result_attr: str
    result_type: str
    result_description: str


def _ref_name(schema: dict[str, Any], where: str) -> str:
    match = _SCHEMA_REF.match(schema.get("$ref", ""))
    if match is None:
        raise SystemExit(f"{where}: expected a $ref to a named schema, got {schema!r}")
    return match.group("name")


def run_datamodel_codegen(root: Path, provider: ProviderConfig, output: Path) -> dict[str, Any]:
    """Generate ``models.py`` and return the model metadata (schema → class and fields).

    Flags are pinned in pyproject.toml's [tool.datamodel-codegen], which the tool reads from
    its working directory; it runs from the repository root with a relative input path so
    that nothing machine-specific reaches the output.
    """
    with tempfile.TemporaryDirectory() as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                "--input",
                provider.file("spec"),
                "--input-file-type",
                "openapi",
                "--output",
                str(output),
                "--emit-model-metadata",
                str(metadata_file),
                "--custom-file-header",
                header(provider.file("spec")),
            ],
            cwd=root,
            check=True,
        )
        metadata: dict[str, Any] = json.loads(metadata_file.read_text(encoding="utf-8"))
    return metadata


def _success_schema(
    schema: dict[str, Any], schemas: dict[str, Any], provider: ProviderConfig, where: str
) -> str:
    """The name of the success answer's schema in a 200 response.

    Error answers also come with HTTP 200, so the response is either a ``$ref`` to the success
    schema or a ``oneOf`` of $refs keyed by the result code: the success branch is the one whose
    code field is ``const`` the success code. The runtime raises on any other code before it
    validates, so only that branch becomes the operation's model.
    """
    if "oneOf" not in schema:
        return _ref_name(schema, where)
    assert provider.envelope is not None
    envelope = provider.envelope
    names = [_ref_name(branch, where) for branch in schema["oneOf"]]
    success = [
        name
        for name in names
        if schemas[name].get("properties", {}).get(envelope.code, {}).get("const")
        == envelope.success
    ]
    if len(success) != 1:
        raise SystemExit(
            f"{where}: expected one oneOf branch with {envelope.code} const "
            f"{envelope.success}, got {success or names}"
        )
    return success[0]


class _Models:
    """Looks up generated class names and fields by schema name."""

    def __init__(self, metadata: dict[str, Any]) -> None:
        self._by_schema: dict[str, dict[str, Any]] = {}
        for model in metadata["models"]:
            path = model["source_path"]
            if len(path) == 3 and path[:2] == ["components", "schemas"]:
                self._by_schema[path[2]] = model
        names = sorted({m["class_name"] for m in metadata["models"]}, key=len, reverse=True)
        self._name_pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")

    def model(self, schema_name: str) -> dict[str, Any]:
        try:
            return self._by_schema[schema_name]
        except KeyError:
            raise SystemExit(f"no generated model for schema {schema_name!r}") from None

    def qualify(self, type_text: str) -> str:
        """Prefix generated names with ``models.`` for use outside the models module."""
        return self._name_pattern.sub(r"models.\1", type_text)


def _operations(spec: dict[str, Any], models: _Models, provider: ProviderConfig) -> list[Operation]:
    assert provider.envelope is not None
    schemas = spec["components"]["schemas"]
    operations: list[Operation] = []
    for path, item in spec["paths"].items():
        # A path item also holds `parameters`, `summary`, `servers`…: only methods are operations.
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            op_id = op["operationId"]
            where = f"{provider.spec} {op_id}"
            body_schema = op["requestBody"]["content"]["application/json"]["schema"]
            request_schema = _ref_name(body_schema, where)
            request_model = models.model(request_schema)
            params = [
                Param(
                    name=field["name"],
                    type=models.qualify(field["type"]),
                    required=field["required"],
                    description=_docstring_text(
                        schemas[request_schema]["properties"][field["alias"]].get("description", "")
                    ),
                )
                for field in request_model["fields"]
            ]
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]
            response_schema = _success_schema(ok, schemas, provider, where)
            response_model = models.model(response_schema)
            result_field = next(
                (f for f in response_model["fields"] if f["alias"] == provider.envelope.result),
                None,
            )
            if result_field is None:
                raise SystemExit(f"{where}: response lacks {provider.envelope.result!r}")
            result_schema = schemas[response_schema]["properties"][provider.envelope.result]
            result_description = result_schema.get("description") or schemas.get(
                _ref_name(result_schema, where), {}
            ).get("description", "The operation's result.")
            operations.append(
                Operation(
                    operation_id=op_id,
                    py_name=snake_case(op_id),
                    method=method.upper(),
                    path=path,
                    summary_line=_docstring_text(op.get("summary", op_id)).rstrip(".") + ".",
                    description=_docstring_text(op.get("description", "")),
                    request_model=request_model["class_name"] if params else None,
                    params=params,
                    response_model=response_model["class_name"],
                    result_attr=result_field["name"],
                    result_type=result_field["type"],
                    result_description=_docstring_text(result_description),
                )
            )
    return operations


def render_openapi_provider(
    root: Path, provider: ProviderConfig, package_dir: Path, env: jinja2.Environment
) -> None:
    """Render one OpenAPI provider into ``package_dir`` (``payamak_gen/<provider>/``)."""
    spec = yaml.safe_load((root / provider.file("spec")).read_text(encoding="utf-8"))
    package_dir.mkdir(parents=True, exist_ok=True)
    metadata = run_datamodel_codegen(root, provider, package_dir / "models.py")
    add_all(package_dir / "models.py")
    operations = _operations(spec, _Models(metadata), provider)
    description = _docstring_text(spec["info"].get("description", "").split("\n\n")[0])
    context: dict[str, Any] = {
        "header": header(*provider.sources),
        "provider": {
            **provider.__dict__,
            "description": description,
            "envelope": provider.envelope.__dict__ if provider.envelope else None,
        },
        "operations": operations,
        "operations_all": sorted(
            ["PROVIDER", "ENVELOPE"]
            + [f"build_{op.py_name}" for op in operations]
            + [f"parse_{op.py_name}" for op in operations]
        ),
        "catalog": load_catalog(root, provider.errors),
    }
    render(env, "openapi/__init__.py.jinja", package_dir / "__init__.py", **context)
    render(env, "openapi/operations.py.jinja", package_dir / "operations.py", **context)
    render(env, "openapi/client.py.jinja", package_dir / "_client.py", **context)
    render(env, "common/errors.py.jinja", package_dir / "errors.py", **context)
