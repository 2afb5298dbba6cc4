"""Form bodies dispatched by a field, checked straight against an OpenAPI 3.1 document.

The shape of the IPPanel "op" family: one path whose form body is a `oneOf` of request schemas,
one per operation, told apart by the `const` of the field `x-payamak-dispatch` names. Clients
post it as `application/x-www-form-urlencoded` (C#, Laravel) or `multipart/form-data` (PHP
arrays); both are read here into one `{name: text}` mapping. What the spec says is then applied
to the texts: fields the form's `encoding` object (or `x-payamak-encoding: json-string`) marks as
JSON are decoded, integer text is read where the schema wants an integer, and the result is
validated with `Draft202012Validator` against the operation's own schema, independently of any
generated model. Which result code a failing field answers is the spec's too
(`x-payamak-invalid-code` on the property).
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ._openapi import MAX_ERRORS, SchemaError

__all__ = ["FormContract", "FormError", "FormOperation", "parse_form"]

_DOC_URI = "urn:payamak:openapi-form"
_URLENCODED = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
# Integer text as PHP's intval reads a form field. Only what a 64-bit integer holds (the specs'
# `format: int64`, and SQLite's integers) is read as a number; longer text stays text, which the
# schema then refuses (HTTP 400 naming the value) rather than the store failing on it.
_INTEGER_TEXT = re.compile(r"^[+-]?[0-9]{1,19}$")
_INT64 = range(-(2**63), 2**63)
# Fields one form may carry: the widest operation has fifteen; a flood of parts is refused
# before anything is decoded.
MAX_FIELDS = 64


class FormError(ValueError):
    """The body is not a form this contract reads (its message says why, naming the value)."""


def parse_form(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a urlencoded or multipart form, by name (the last of a repeated name wins,
    as PHP's `$_POST` keeps it).

    Raises:
        FormError: another content type, a body that is not one, or more than `MAX_FIELDS`.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == _URLENCODED or (media_type == "" and body[:1] != b"-"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormError(f"the form is not UTF-8 ({exc.reason} at byte {exc.start})") from None
        try:
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
        except ValueError:
            raise FormError(f"the form has more than {MAX_FIELDS} fields") from None
        return dict(pairs)
    if media_type == _MULTIPART:
        return _multipart(content_type, body)
    raise FormError(f"content type {media_type!r} is not a form")


def _multipart(content_type: str, body: bytes) -> dict[str, str]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise FormError("the multipart form has no parts (is the boundary right?)")
    fields: dict[str, str] = {}
    for part in itertools.islice(message.iter_parts(), MAX_FIELDS + 1):
        if len(fields) >= MAX_FIELDS:
            raise FormError(f"the form has more than {MAX_FIELDS} fields")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise FormError("a multipart part has no name")
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        try:
            fields[name] = raw.decode(part.get_content_charset() or "utf-8")
        except (UnicodeDecodeError, LookupError) as exc:
            raise FormError(f"field {name!r} is not text ({exc})") from None
    return fields


@dataclass(frozen=True)
class FormOperation:
    """One operation of a dispatched path.

    Attributes:
        op: Its value of the dispatch field.
        schema_name: Its request schema under `components/schemas`.
        schema: That schema, as written.
        extensions: The request schema's `x-payamak-*` values (result, writes…).
    """

    op: str
    schema_name: str
    schema: Mapping[str, Any]
    extensions: Mapping[str, Any]


class FormContract:
    """The dispatched form operation of one path and method of an OpenAPI document.

    Args:
        document: The parsed OpenAPI 3.1 document.
        path: The dispatched path, as the spec writes it.
        method: Its method, lower case.

    Raises:
        ValueError: the path has no dispatched form body.
    """

    def __init__(self, document: Mapping[str, Any], path: str, method: str = "post") -> None:
        self._doc = document
        resource: Resource[Any] = Resource.from_contents(
            document, default_specification=DRAFT202012
        )
        self._registry: Registry[Any] = Registry().with_resource(_DOC_URI, resource)
        op = document["paths"][path][method]
        self.dispatch: str = op["x-payamak-dispatch"]
        content = op["requestBody"]["content"]
        media = content.get(_URLENCODED) or content[_MULTIPART]
        self.media_types: tuple[str, ...] = tuple(content)
        json_fields = {
            name
            for name, enc in (media.get("encoding") or {}).items()
            if isinstance(enc, Mapping) and enc.get("contentType") == "application/json"
        }
        self.operations: dict[str, FormOperation] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._json_fields: dict[str, frozenset[str]] = {}
        for variant in media["schema"]["oneOf"]:
            ref = str(variant["$ref"])
            name = ref.rsplit("/", 1)[-1]
            schema = self._resolve(variant)
            value = str(schema["properties"][self.dispatch]["const"])
            properties = schema.get("properties") or {}
            self.operations[value] = FormOperation(
                op=value,
                schema_name=name,
                schema=schema,
                extensions={k: v for k, v in schema.items() if k.startswith("x-payamak-")},
            )
            self._validators[value] = Draft202012Validator(
                {"$ref": _DOC_URI + ref}, registry=self._registry
            )
            self._json_fields[value] = frozenset(
                field
                for field, prop in properties.items()
                if field in json_fields
                or (isinstance(prop, Mapping) and prop.get("x-payamak-encoding") == "json-string")
            )

    def decode(self, op: str, fields: Mapping[str, str]) -> dict[str, Any]:
        """The form's texts as the spec types them: JSON fields decoded, integer text read as
        an integer where the schema wants one. A value that does not read stays text, and
        validation then names it.
        """
        schema = self.operations[op].schema
        properties = schema.get("properties") or {}
        decoded: dict[str, Any] = {}
        for name, text in fields.items():
            value: Any = text
            if name in self._json_fields[op]:
                try:
                    value = json.loads(text)
                except (json.JSONDecodeError, RecursionError, ValueError):
                    value = text
            elif _wants_integer(self._resolve(properties.get(name))):
                number = _int64(text.strip())
                value = text if number is None else number
            decoded[name] = value
        return decoded

    def invalid_code(self, op: str, field: str) -> int | None:
        """The result code the spec gives a missing or invalid `field` of `op`
        (`x-payamak-invalid-code`), if it gives one."""
        prop = self._resolve((self.operations[op].schema.get("properties") or {}).get(field))
        code = prop.get("x-payamak-invalid-code") if isinstance(prop, Mapping) else None
        return code if isinstance(code, int) and not isinstance(code, bool) else None

    def errors(self, op: str, instance: Any, limit: int = MAX_ERRORS) -> list[SchemaError]:
        """The first `limit` violations of the operation's schema (empty when valid); a missing
        required field is reported at its own name."""
        return [
            SchemaError(_where(error), str(error.validator), str(error.message))
            for error in itertools.islice(self._validators[op].iter_errors(instance), limit)
        ]

    def _resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema and seen < 32:
            node: Any = self._doc
            for part in str(schema["$ref"])[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            # Siblings of $ref (3.1 allows them) add to what the target says.
            schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema


def _wants_integer(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    types = schema.get("type")
    wanted = {types} if isinstance(types, str) else set(types or ())
    return "integer" in wanted and "string" not in wanted


def _where(error: Any) -> tuple[str | int, ...]:
    path = tuple(error.absolute_path)
    if error.validator == "required" and not path:
        # jsonschema reports a missing property at the object; name the property instead.
        match = re.match(r"^'([^']*)' is a required property$", str(error.message))
        if match:
            return (match.group(1),)
    return path


def _int64(text: str) -> int | None:
    """``text`` as an integer, if it is one that a 64-bit integer holds."""
    if not _INTEGER_TEXT.match(text):
        return None
    number = int(text)
    return number if number in _INT64 else None
