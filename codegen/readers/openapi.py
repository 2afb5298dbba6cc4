"""OpenAPI 3.1 → IR: operations, fields, envelope, auth and endpoints of a JSON-over-HTTP provider.

Standard OpenAPI says most of it (``servers``, ``securitySchemes``, ``operationId``, schemas);
the rest is in the ``x-payamak-*`` extensions documented in ``specs/README.md``. The model back
end has already run: class and attribute names come from ``OpenApiModels``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..ir import Field, HttpBasic, HttpJson, ObjectEnvelope, Operation, Provider, Result, Service
from ..models.datamodel import OpenApiModels
from ..naming import docstring_text
from .errors import Catalog

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_SCHEMA_REF = re.compile(r"^#/components/schemas/(?P<name>[A-Za-z0-9_]+)$")
JSON = "application/json"


def load_spec(root: Path, spec_file: str) -> dict[str, Any]:
    """The parsed spec file."""
    spec: dict[str, Any] = yaml.safe_load((root / spec_file).read_text(encoding="utf-8"))
    return spec


def _ref_name(schema: dict[str, Any], where: str) -> str:
    match = _SCHEMA_REF.match(schema.get("$ref", ""))
    if match is None:
        raise SystemExit(f"{where}: expected a $ref to a named schema, got {schema!r}")
    return match.group("name")


def _extension(node: dict[str, Any], name: str, where: str) -> Any:
    try:
        return node[f"x-payamak-{name}"]
    except KeyError:
        raise SystemExit(f"{where}: x-payamak-{name} is missing") from None


def _envelope(spec: dict[str, Any], where: str) -> ObjectEnvelope:
    envelope = _extension(spec, "envelope", where)
    if envelope.get("type") != "object":
        raise SystemExit(f"{where}: x-payamak-envelope type must be 'object', got {envelope!r}")
    return ObjectEnvelope(
        code_field=envelope["code"],
        message_field=envelope["message"],
        result_field=envelope["result"],
        success=envelope["success"],
    )


def _auth(spec: dict[str, Any], where: str) -> HttpBasic:
    # The spec-wide `security` requirement names the scheme; only HTTP Basic is understood.
    requirements = spec.get("security", [])
    schemes = spec.get("components", {}).get("securitySchemes", {})
    if len(requirements) != 1 or len(requirements[0]) != 1:
        raise SystemExit(f"{where}: expected exactly one security requirement")
    (name,) = requirements[0]
    scheme = schemes.get(name, {})
    if (scheme.get("type"), scheme.get("scheme")) != ("http", "basic"):
        raise SystemExit(f"{where}: security scheme {name!r} is not HTTP Basic")
    return HttpBasic(failure_fa=_extension(scheme, "auth-failure-fa", f"{where} {name}"))


def _description(text: str) -> str:
    return docstring_text(text.split("\n\n")[0])


def _operation(
    path: str,
    method: str,
    op: dict[str, Any],
    schemas: dict[str, Any],
    models: OpenApiModels,
    envelope: ObjectEnvelope,
    where: str,
) -> Operation:
    op_id = op["operationId"]
    where = f"{where} {op_id}"
    body_schema = op["requestBody"]["content"][JSON]["schema"]
    request_schema = _ref_name(body_schema, where)
    request_model = models.model(request_schema)
    properties = schemas[request_schema].get("properties", {})
    params = tuple(
        Field(
            wire_name=f.alias,
            python_name=properties[f.alias].get("x-payamak-name", f.name),
            model_attr=f.name,
            type_ref=models.qualify(f.type),
            encoding=str(
                properties[f.alias].get("x-payamak-encoding")
                or properties[f.alias].get("type", "object")
            ),
            required=f.required,
            # JSON bodies carry no credentials here: HTTP Basic does (x-payamak-* has no secret).
            secret=False,
            doc=docstring_text(properties[f.alias].get("description", "")),
        )
        for f in request_model.fields
    )
    ok = op["responses"]["200"]["content"][JSON]["schema"]
    response_schema = _ref_name(ok, where)
    response_model = models.model(response_schema)
    result_field = response_model.field(envelope.result_field)
    if result_field is None:
        raise SystemExit(f"{where}: response lacks {envelope.result_field!r}")
    result_schema = schemas[response_schema]["properties"][envelope.result_field]
    result_doc = result_schema.get("description") or schemas.get(
        _ref_name(result_schema, where), {}
    ).get("description", "The operation's result.")
    return Operation(
        name=op_id,
        python_name=op.get("x-payamak-name", ""),
        summary=docstring_text(op.get("summary", op_id)).rstrip(".") + ".",
        description=docstring_text(op.get("description", "")),
        binding=HttpJson(
            method=method.upper(),
            path=path,
            request_model=request_model.class_name if params else None,
            response_model=response_model.class_name,
        ),
        params=params,
        result=Result(
            type_ref=models.qualify(result_field.type),
            attr=result_field.name,
            wire_name=result_field.alias,
            doc=docstring_text(result_doc),
        ),
        result_policy=envelope,
    )


def read_openapi(
    root: Path,
    provider_id: str,
    spec_file: str,
    sources: tuple[str, ...],
    errors_file: str,
    codes: Catalog,
    models: OpenApiModels,
) -> Provider:
    """Read one OpenAPI provider into the IR.

    Operation names left empty here (no ``x-payamak-name``) are filled by the naming pass.

    Args:
        root: The repository root.
        provider_id: The provider id from providers.yaml.
        spec_file: The OpenAPI file, relative to ``root``.
        sources: Every spec file of the provider.
        errors_file: Its errors.yaml.
        codes: Its code catalog, already read.
        models: The names the model back end made from the same spec.

    Returns:
        The provider.
    """
    spec = load_spec(root, spec_file)
    envelope = _envelope(spec, spec_file)
    schemas = spec["components"]["schemas"]
    operations = tuple(
        _operation(path, method, op, schemas, models, envelope, spec_file)
        for path, item in spec["paths"].items()
        # A path item also holds `parameters`, `summary`, `servers`…: only methods are operations.
        for method, op in item.items()
        if method in HTTP_METHODS
    )
    servers = spec.get("servers") or []
    if not servers:
        raise SystemExit(f"{spec_file}: no servers: clients need a default base URL")
    return Provider(
        id=provider_id,
        title=docstring_text(spec["info"]["title"]),
        description=_description(spec["info"].get("description", "")),
        class_prefix=_extension(spec, "name", spec_file),
        sources=sources,
        errors_file=errors_file,
        services=(Service(name="default", base_url=servers[0]["url"].rstrip("/"), path=""),),
        auth=_auth(spec, spec_file),
        operations=operations,
        codes=codes,
    )
