"""OpenAPI 3.1 → IR: operations, fields, envelope, auth and endpoints of an HTTP provider.

Two shapes are read: JSON bodies, one operation per path and method (``HttpJson``); and form
bodies on one path whose operations are the ``oneOf`` variants of the body, told apart by the
field named by ``x-payamak-dispatch`` (``FormOp``).

Standard OpenAPI says most of it (``servers``, ``securitySchemes``, ``operationId``, schemas);
the rest is in the ``x-payamak-*`` extensions documented in ``specs/README.md``. The model back
end has already run: class and attribute names come from ``OpenApiModels``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .._yaml import load_yaml
from ..ir import (
    ArrayEnvelope,
    Auth,
    BodyCredentials,
    Field,
    FormOp,
    HttpBasic,
    HttpJson,
    ObjectEnvelope,
    Operation,
    Provider,
    Result,
    ResultPolicy,
    Service,
)
from ..models.datamodel import Model, OpenApiModels
from ..naming import docstring_text, first_sentence
from .errors import Catalog

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_SCHEMA_REF = re.compile(r"^#/components/schemas/(?P<name>[A-Za-z0-9_]+)$")
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
JSON_TEXT = "json-string"


def load_spec(root: Path, spec_file: str) -> dict[str, Any]:
    """The parsed spec file."""
    spec: dict[str, Any] = load_yaml(root / spec_file)
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


def _envelope(spec: dict[str, Any], where: str) -> ObjectEnvelope | ArrayEnvelope:
    envelope = _extension(spec, "envelope", where)
    if envelope.get("type") == "object":
        return ObjectEnvelope(
            code_field=envelope["code"],
            message_field=envelope["message"],
            result_field=envelope["result"],
            success=envelope["success"],
        )
    if envelope.get("type") == "array":
        answers = envelope.get("answers") or {}
        if not isinstance(answers, dict) or not all(
            isinstance(code, int | str) and not isinstance(code, bool) for code in answers.values()
        ):
            raise SystemExit(f"{where}: x-payamak-envelope answers must map texts to codes")
        return ArrayEnvelope(
            code_index=envelope["code"],
            result_index=envelope["result"],
            success=envelope["success"],
            answers=tuple((str(text).strip(), code) for text, code in answers.items()),
        )
    raise SystemExit(f"{where}: x-payamak-envelope type must be object or array: {envelope!r}")


def _auth(spec: dict[str, Any], where: str) -> Auth:
    # Credentials in the body (x-payamak-auth) replace HTTP auth; they are marked per field.
    if "x-payamak-auth" in spec:
        auth = spec["x-payamak-auth"]
        if auth.get("scheme") != "body-credentials":
            raise SystemExit(f"{where}: x-payamak-auth scheme must be body-credentials")
        return BodyCredentials(failure_fa=auth["auth-failure-fa"])
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


def _fields(
    model: Model, properties: dict[str, Any], models: OpenApiModels, skip: str | None = None
) -> tuple[Field, ...]:
    """The inputs of a request model, in spec order (``skip``: a wire name left out)."""
    return tuple(
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
            # A credential is kept out of reprs by the client; no other field is secret here.
            secret=bool(properties[f.alias].get("x-payamak-credential", False)),
            doc=docstring_text(properties[f.alias].get("description", "")),
            credential=bool(properties[f.alias].get("x-payamak-credential", False)),
        )
        for f in model.fields
        if f.alias != skip
    )


def _form_operations(
    path: str,
    method: str,
    op: dict[str, Any],
    schemas: dict[str, Any],
    models: OpenApiModels,
    envelope: ResultPolicy,
    where: str,
) -> list[Operation]:
    """The operations of a dispatched path: one per ``oneOf`` variant of its form body."""
    dispatch = op["x-payamak-dispatch"]
    where = f"{where} {path}"
    content = op["requestBody"]["content"][FORM]
    variants = content["schema"].get("oneOf", [])
    # The form's standard `encoding` object may name the fields sent as JSON text too.
    json_encoded = {
        name
        for name, encoding in (content.get("encoding") or {}).items()
        if isinstance(encoding, dict) and encoding.get("contentType") == JSON
    }
    operations: list[Operation] = []
    for variant in variants:
        name = _ref_name(variant, where)
        schema = schemas[name]
        properties = schema.get("properties", {})
        op_value = properties.get(dispatch, {}).get("const")
        if not isinstance(op_value, str):
            raise SystemExit(f"{where} {name}: {dispatch} must be a string const")
        request_model = models.model(name)
        op_attr = next((f.name for f in request_model.fields if f.alias == dispatch), None)
        if op_attr is None:
            raise SystemExit(f"{where} {name}: the model has no {dispatch} field")
        params = _fields(request_model, properties, models, skip=dispatch)
        result_name = _ref_name({"$ref": _extension(schema, "result", f"{where} {name}")}, where)
        result_schema = schemas[result_name]
        result_model = models.model(result_name).class_name
        description = docstring_text(schema.get("description", ""))
        summary = first_sentence(description, op_value)
        operations.append(
            Operation(
                name=op_value,
                python_name=schema.get("x-payamak-name", ""),
                summary=summary,
                # The first sentence is the summary; the description is what follows it.
                description=description[len(summary) :].strip(),
                binding=FormOp(
                    method=method.upper(),
                    path=path,
                    op_field=dispatch,
                    op_attr=op_attr,
                    op_value=op_value,
                    request_model=request_model.class_name,
                    json_fields=tuple(
                        f.wire_name
                        for f in params
                        if f.encoding == JSON_TEXT or f.wire_name in json_encoded
                    ),
                    result_model=result_model,
                    result_is_json_text=result_schema.get("x-payamak-encoding") == JSON_TEXT,
                    bare_result=_flag(schema, "bare-result", f"{where} {name}"),
                ),
                params=params,
                result=Result(
                    type_ref=f"models.{result_model}",
                    attr=None,
                    wire_name=None,
                    doc=docstring_text(result_schema.get("description", "The data.")),
                ),
                result_policy=envelope,
                writes=_writes(schema, f"{where} {name}"),
            )
        )
    if not operations:
        raise SystemExit(f"{where}: x-payamak-dispatch needs a oneOf of request schemas")
    return operations


def _success_schema(
    schema: dict[str, Any], schemas: dict[str, Any], envelope: ObjectEnvelope, where: str
) -> str:
    """The name of the success answer's schema in a 200 response.

    Error answers also come with HTTP 200, so the response is either a ``$ref`` to the success
    schema or a ``oneOf`` of $refs keyed by the result code: the success branch is the one whose
    code field is ``const`` the success code. The runtime raises on any other code before it
    validates, so only that branch becomes the operation's model.
    """
    if "oneOf" not in schema:
        return _ref_name(schema, where)
    names = [_ref_name(branch, where) for branch in schema["oneOf"]]
    success = [
        name
        for name in names
        if schemas[name].get("properties", {}).get(envelope.code_field, {}).get("const")
        == envelope.success
    ]
    if len(success) != 1:
        raise SystemExit(
            f"{where}: expected one oneOf branch with {envelope.code_field} const "
            f"{envelope.success}, got {success or names}"
        )
    return success[0]


def _operation(
    path: str,
    method: str,
    op: dict[str, Any],
    schemas: dict[str, Any],
    models: OpenApiModels,
    envelope: ResultPolicy,
    where: str,
) -> Operation:
    op_id = op["operationId"]
    where = f"{where} {op_id}"
    if not isinstance(envelope, ObjectEnvelope):
        raise SystemExit(f"{where}: JSON operations need an object envelope")
    body_schema = op["requestBody"]["content"][JSON]["schema"]
    request_schema = _ref_name(body_schema, where)
    request_model = models.model(request_schema)
    params = _fields(request_model, schemas[request_schema].get("properties", {}), models)
    ok = op["responses"]["200"]["content"][JSON]["schema"]
    response_schema = _success_schema(ok, schemas, envelope, where)
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
        writes=_writes(op, where),
    )


def _writes(node: dict[str, Any], where: str) -> bool:
    """``x-payamak-writes: true`` on an operation (or a dispatched request schema)."""
    return _flag(node, "writes", where)


def _flag(node: dict[str, Any], name: str, where: str) -> bool:
    """A boolean ``x-payamak-<name>`` (absent: false)."""
    value = node.get(f"x-payamak-{name}", False)
    if not isinstance(value, bool):
        raise SystemExit(f"{where}: x-payamak-{name} must be true or false")
    return value


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
    operations: list[Operation] = []
    for path, item in spec["paths"].items():
        # A path item also holds `parameters`, `summary`, `servers`…: only methods are operations.
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            if "x-payamak-dispatch" in op:
                operations += _form_operations(
                    path, method, op, schemas, models, envelope, spec_file
                )
            else:
                operations.append(
                    _operation(path, method, op, schemas, models, envelope, spec_file)
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
        operations=tuple(operations),
        codes=codes,
    )
