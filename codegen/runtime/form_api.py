"""Form-encoded operations dispatched by an ``op`` field, answered by a ``[code, data]`` array.

The shape of the IPPanel "op" family: every operation POSTs a form to one path, and the answer is
a JSON array whose first item is the result code and whose second is the data; some data is JSON
again, inside a JSON string. As in ``json_api``, the status is checked first, then the body must
be JSON, then a non-success code raises its typed error, and only then is the data validated.

Some answers of the family are not ``[code, data]``: whole bodies the spec maps to a code (the
literal ``null``, a plain-text error) raise that code's error, and an operation the spec marks
``x-payamak-bare-result`` answers its data itself on success (an array is still the envelope).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar
from urllib.parse import urlencode

import pydantic

from .catalog import ResultCodeTable
from .errors import ResponseValidationError, api_error_for
from .http import HttpRequest, HttpResponse
from .json_api import UnacceptableNumber, as_result_code, loads, read_json

__all__ = ["ArrayEnvelope", "decode_json_string", "form_request", "validate_result"]

T = TypeVar("T")

_HEADERS: Final = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
}


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_request(
    method: str, path: str, body: pydantic.BaseModel, *, json_fields: Collection[str]
) -> HttpRequest:
    """The form-encoded request for ``body`` (by wire names, absent fields left out).

    Args:
        method: The HTTP method.
        path: The path below the base URL.
        body: The operation's request model, its ``op`` field included.
        json_fields: Wire names of the fields sent as JSON text inside the form (lists).
    """
    data = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    pairs = [
        (
            name,
            json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            if name in json_fields
            else _form_value(value),
        )
        for name, value in data.items()
    ]
    return HttpRequest(
        method=method, path=path, headers=_HEADERS, content=urlencode(pairs).encode("ascii")
    )


@dataclass(frozen=True, slots=True)
class ArrayEnvelope:
    """A ``[code, data]`` answer: where the code and the data sit, and which code is success.

    Attributes:
        provider: Provider id.
        code_index: Position of the result code.
        result_index: Position of the data (kept on errors, as ``ApiError.result``).
        success_code: The code that means success.
        result_codes: The provider's documented result codes.
        auth_failure_fa: Persian text for an HTTP 401, which the catalog does not cover.
        answers: Whole bodies (their text, trimmed) that stand for a code of the catalog.
    """

    provider: str
    code_index: int
    result_index: int
    success_code: int
    result_codes: ResultCodeTable
    auth_failure_fa: str
    answers: Mapping[str, int | str] = field(default_factory=dict)

    def unwrap(self, operation: str, response: HttpResponse, *, bare: bool = False) -> Any:
        """Check status, JSON and result code; return the data of a success.

        Args:
            operation: The operation's wire name, for errors.
            response: The answer.
            bare: A success answers the data itself, not ``[code, data]``: any answer but an
                array is returned as it is.

        Raises:
            AuthenticationError: HTTP 401, or an answer that stands for such a code.
            HttpStatusError: any other status outside 2xx.
            MalformedResponseError: the body is not JSON.
            ResponseValidationError: the body is not an array with an integer code.
            ApiError: a subclass matching the kind of a non-success code.
        """
        answer = self._answer_code(response)
        if answer is not None:
            raise api_error_for(
                provider=self.provider,
                operation=operation,
                code=answer,
                table=self.result_codes,
                server_message=None,
                http_status=response.status_code,
                raw=response.content,
            )
        data = read_json(
            response,
            provider=self.provider,
            operation=operation,
            auth_failure_fa=self.auth_failure_fa,
        )
        if bare and not isinstance(data, list):
            return data
        if not isinstance(data, list) or len(data) <= max(self.code_index, self.result_index):
            raise self._invalid(operation, response, "body is not a [code, data] array")
        code = as_result_code(data[self.code_index])
        if code is None:
            raise self._invalid(operation, response, f"item {self.code_index} is not a code")
        if code != self.success_code:
            raise api_error_for(
                provider=self.provider,
                operation=operation,
                code=code,
                table=self.result_codes,
                server_message=None,
                http_status=response.status_code,
                raw=response.content,
                result=data[self.result_index],
            )
        return data[self.result_index]

    def _answer_code(self, response: HttpResponse) -> int | str | None:
        """The code a whole body stands for, when it is one of ``answers`` (a 2xx answer only:
        other statuses are reported as such)."""
        # Only short bodies can be one; the limit keeps a large answer from being decoded twice.
        if not self.answers or not 200 <= response.status_code < 300 or len(response.content) > 512:
            return None
        try:
            text = response.content.decode("utf-8").strip()
        except UnicodeDecodeError:
            return None
        # Some servers quote the text as a JSON string.
        if len(text) > 1 and text[0] == text[-1] == '"':
            text = text[1:-1].strip()
        return self.answers.get(text)

    def _invalid(
        self, operation: str, response: HttpResponse, detail: str
    ) -> ResponseValidationError:
        return ResponseValidationError(
            detail, provider=self.provider, operation=operation, raw=response.content
        )


def decode_json_string(value: Any, *, provider: str, operation: str, response: HttpResponse) -> Any:
    """Decode data that is JSON text inside the JSON answer (double-encoded).

    Raises:
        ResponseValidationError: the data is not a string holding JSON.
    """
    if isinstance(value, str):
        try:
            return loads(value)
        except json.JSONDecodeError as exc:
            detail = f"data is not JSON text ({exc})"
        except UnacceptableNumber as exc:
            detail = f"data is JSON text with {exc}"
        except RecursionError:
            detail = "data is JSON text nested deeper than the parser allows"
    else:
        detail = f"data is {type(value).__name__}, not JSON text"
    raise ResponseValidationError(
        detail, provider=provider, operation=operation, raw=response.content
    )


def validate_result(
    adapter: pydantic.TypeAdapter[T],
    data: Any,
    *,
    provider: str,
    operation: str,
    response: HttpResponse,
) -> T:
    """Validate an operation's data against its result type.

    Raises:
        ResponseValidationError: the data does not fit.
    """
    try:
        return adapter.validate_python(data)
    except RecursionError:
        raise ResponseValidationError(
            "data does not fit the result: nested too deeply",
            provider=provider,
            operation=operation,
            raw=response.content,
        ) from None
    except pydantic.ValidationError as exc:
        raise ResponseValidationError(
            f"data does not fit the result: {exc.error_count()} error(s): "
            f"{exc.errors(include_url=False, include_input=False)}",
            provider=provider,
            operation=operation,
            raw=response.content,
        ) from exc
