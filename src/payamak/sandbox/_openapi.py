"""Request validation straight from an OpenAPI 3.1 document.

Each operation's request-body schema becomes a `Draft202012Validator` whose `$ref`s resolve
against the whole document (OpenAPI 3.1 schemas are JSON Schema 2020-12), so the sandbox checks
exactly what the spec says, independently of any generated model.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["MAX_ERRORS", "OpenApiDocument", "Operation", "SchemaError"]

# Violations collected per request: enough to tell which fields are wrong in any body a client
# gets wrong by mistake, and few enough that a body wrong everywhere costs nothing much.
MAX_ERRORS = 100

_DOC_URI = "urn:payamak:openapi"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Numeric text as ASP.NET's binder reads it into an Int64: ASCII digits, no more than the 19 an
# Int64 can have. Anything else stays a string and fails the schema's type check (int() would
# refuse "²" and text of more than 4300 digits).
_INTEGER_TEXT = re.compile(r"^[+-]?[0-9]{1,19}$")


@dataclass(frozen=True)
class SchemaError:
    """One way a request body breaks its schema.

    Attributes:
        path: Where in the body (property names and list indexes); empty for the body itself.
        keyword: The JSON Schema keyword that failed (`type`, `required`, `minimum`, ...).
        message: jsonschema's explanation.
    """

    path: tuple[str | int, ...]
    keyword: str
    message: str


@dataclass(frozen=True)
class Operation:
    """One operation of the document.

    Attributes:
        operation_id: The spec's operationId (the wire method name for REST gateways).
        method: HTTP method, upper case.
        path: The path template as written in the spec.
        has_body_schema: Whether a JSON request body schema is given.
    """

    operation_id: str
    method: str
    path: str
    has_body_schema: bool


class OpenApiDocument:
    """Validators for every operation's JSON request body.

    Args:
        document: The parsed OpenAPI 3.1 document.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._doc = document
        resource: Resource[Any] = Resource.from_contents(
            document, default_specification=DRAFT202012
        )
        self._registry: Registry[Any] = Registry().with_resource(_DOC_URI, resource)
        self._operations: dict[tuple[str, str], Operation] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._schemas: dict[str, Any] = {}
        for path, item in (document.get("paths") or {}).items():
            for method in _HTTP_METHODS:
                op = item.get(method) if isinstance(item, Mapping) else None
                if not isinstance(op, Mapping):
                    continue
                op_id = str(op.get("operationId") or path.rstrip("/").rsplit("/", 1)[-1])
                schema = _json_body_schema(self._resolve(op.get("requestBody")))
                self._operations[(method.upper(), path.lower())] = Operation(
                    op_id, method.upper(), path, schema is not None
                )
                if schema is not None:
                    self._schemas[op_id] = schema
                    self._validators[op_id] = self._validator_for(schema)

    def _validator_for(self, schema: Any) -> Draft202012Validator:
        # A local `$ref` ("#/components/…") in the operation's schema must resolve against the
        # whole document, so wrap it into a schema that lives inside the registered document.
        if isinstance(schema, Mapping) and set(schema) == {"$ref"}:
            ref = str(schema["$ref"])
            wrapper = {"$ref": _DOC_URI + ref if ref.startswith("#") else ref}
        else:
            wrapper = {"$ref": _DOC_URI + "#/__inline__"}
            wrapped_doc = dict(self._doc)
            wrapped_doc["__inline__"] = schema
            resource: Resource[Any] = Resource.from_contents(
                wrapped_doc, default_specification=DRAFT202012
            )
            registry: Registry[Any] = Registry().with_resource(_DOC_URI, resource)
            return Draft202012Validator(wrapper, registry=registry)
        return Draft202012Validator(wrapper, registry=self._registry)

    def operations(self) -> list[Operation]:
        """Returns every operation in the document."""
        return list(self._operations.values())

    def find(self, method: str, path: str) -> Operation | None:
        """Finds an operation by HTTP method and concrete path, ignoring path case."""
        return self._operations.get((method.upper(), path.lower()))

    def coerce(self, operation_id: str, instance: Any) -> Any:
        """Returns `instance` with numbers and numeric text read as ASP.NET's binder reads them.

        - Integer-looking strings become integers where the schema wants an integer: the manuals'
          own examples send numbers as strings (`"Page":"1"`), and real clients copy them.
        - JSON integers become their decimal text where the schema wants only a string: Json.NET
          reads an integer token into a string property as its text, and the vendor's own PHP
          sample sends recipient `Id`s as integers. The text of an integer is the integer, so this
          cannot change what a request means. Fractions and booleans are left alone (their text is
          not unambiguous: `1.0`, `True`).

        Being stricter here would reject requests the real gateway serves.
        """
        schema = self._schemas.get(operation_id)
        return instance if schema is None else self._coerce(instance, schema, 0)

    def errors(
        self, operation_id: str, instance: Any, limit: int = MAX_ERRORS
    ) -> list[SchemaError]:
        """Returns the first `limit` schema violations of `instance` (empty when it is valid).

        Violations come in the schema's order (its properties in the order written), and only
        as many are built as are returned: a body whose 500,000 array items are each wrong costs
        `limit` errors, not 500,000 error objects.
        """
        validator = self._validators.get(operation_id)
        if validator is None:
            return []
        return [
            SchemaError(tuple(error.absolute_path), str(error.validator), str(error.message))
            for error in itertools.islice(validator.iter_errors(instance), limit)
        ]

    def _resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema and seen < 32:
            ref = str(schema["$ref"])
            if not ref.startswith("#/"):
                return schema
            node: Any = self._doc
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
            seen += 1
        return schema

    def _coerce(self, value: Any, schema: Any, depth: int) -> Any:
        schema = self._resolve(schema)
        if not isinstance(schema, Mapping) or depth > 32:
            return value
        for part in schema.get("allOf") or []:
            value = self._coerce(value, part, depth + 1)
        types = schema.get("type")
        wanted = {types} if isinstance(types, str) else set(types or [])
        if isinstance(value, str) and "string" not in wanted and wanted & {"integer", "number"}:
            return int(value) if _INTEGER_TEXT.match(value.strip()) else value
        if type(value) is int and wanted == {"string"}:  # type(): a bool is an int subclass
            return str(value)
        if isinstance(value, dict):
            props = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            out = {}
            for key, item in value.items():
                sub = props.get(key, extra if isinstance(extra, Mapping) else None)
                out[key] = item if sub is None else self._coerce(item, sub, depth + 1)
            return out
        if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
            return [self._coerce(item, schema["items"], depth + 1) for item in value]
        return value


def _json_body_schema(body: Any) -> Any:
    if not isinstance(body, Mapping):
        return None
    content = body.get("content") or {}
    for media_type, media in content.items():
        if "json" in str(media_type) and isinstance(media, Mapping) and "schema" in media:
            return media["schema"]
    return None
