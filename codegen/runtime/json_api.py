"""Response handling for JSON providers: HTTP status, JSON decoding, result envelope, schema.

The order matters: a 401 is an authentication error whatever the body says; another non-2xx
status is an HTTP error; then the body must be JSON; then a non-success code raises the
provider's typed error before the narrowed result schema is applied (an error answer's result
does not have the success type); only then is the body validated against the operation's model.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import pydantic

from .catalog import ResultCodeTable
from .errors import MalformedResponseError, ResponseValidationError, api_error_for
from .http import HttpResponse, raise_for_status

__all__ = [
    "JsonEnvelope",
    "UnacceptableNumber",
    "as_result_code",
    "decode_json",
    "loads",
    "read_json",
    "validate_response",
]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

MAX_INTEGER_DIGITS: Final = 64
"""The longest integer an answer may hold. No code, id or amount comes near it, and converting
a longer one costs time quadratic in its length (Python refuses past 4,300 digits anyway)."""

_RESULT_CODE: Final = re.compile(rf"[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}")


class UnacceptableNumber(ValueError):
    """A JSON number that is not finite (NaN, Infinity, 1e999) or has too many digits."""


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise UnacceptableNumber(f"an integer of {len(text)} characters")
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnacceptableNumber(f"{text[:20]!r} is not a finite number")
    return value


def _constant(name: str) -> Any:
    raise UnacceptableNumber(f"{name} is not a finite number")


def loads(text: str | bytes) -> Any:
    """``json.loads`` within bounds: finite numbers only, integers of at most
    ``MAX_INTEGER_DIGITS`` digits.

    Raises:
        UnacceptableNumber: a number out of those bounds.
        json.JSONDecodeError, UnicodeDecodeError: not JSON.
        RecursionError: nested deeper than the interpreter's recursion limit.
    """
    return json.loads(text, parse_int=_integer, parse_float=_finite, parse_constant=_constant)


def decode_json(provider: str, operation: str, response: HttpResponse) -> Any:
    """Decode a JSON body.

    Raises:
        MalformedResponseError: not JSON, or nested deeper than the parser allows.
        ResponseValidationError: a number that is not finite, or an integer of too many digits.
    """
    try:
        return loads(response.content)
    except UnacceptableNumber as exc:
        raise ResponseValidationError(
            str(exc), provider=provider, operation=operation, raw=response.content
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedResponseError(
            f"body is not valid JSON ({exc})",
            provider=provider,
            operation=operation,
            raw=response.content,
        ) from exc
    except RecursionError:
        # from None: the recursion's own traceback is thousands of frames of nothing.
        raise MalformedResponseError(
            "body is nested deeper than the JSON parser allows",
            provider=provider,
            operation=operation,
            raw=response.content,
        ) from None


def read_json(
    response: HttpResponse, *, provider: str, operation: str, auth_failure_fa: str
) -> Any:
    """Check the HTTP status, then decode the JSON body.

    Raises:
        AuthenticationError: HTTP 401.
        HttpStatusError: any other status outside 2xx.
        MalformedResponseError: the body is not JSON.
    """
    raise_for_status(
        response, provider=provider, operation=operation, auth_failure_fa=auth_failure_fa
    )
    return decode_json(provider, operation, response)


def as_result_code(raw: Any) -> int | None:
    """A result code as the wire gives it (an integer, or a string of ASCII digits), else
    ``None``."""
    # bool is an int subclass; a code of true/false is not a code.
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    # Not str.isdigit(): it accepts "²" and other digits that int() refuses.
    if isinstance(raw, str) and _RESULT_CODE.fullmatch(raw.strip()) is not None:
        return int(raw)
    return None


def validate_response(
    model: type[ModelT], data: Any, *, provider: str, operation: str, response: HttpResponse
) -> ModelT:
    """Validate decoded JSON against an operation's response model."""
    try:
        return model.model_validate(data)
    except RecursionError:
        raise ResponseValidationError(
            f"body does not fit {model.__name__}: nested too deeply",
            provider=provider,
            operation=operation,
            raw=response.content,
        ) from None
    except pydantic.ValidationError as exc:
        raise ResponseValidationError(
            f"body does not fit {model.__name__}: {exc.error_count()} error(s): "
            f"{exc.errors(include_url=False, include_input=False)}",
            provider=provider,
            operation=operation,
            raw=response.content,
        ) from exc


@dataclass(frozen=True, slots=True)
class JsonEnvelope:
    """A provider's JSON result envelope: which field holds the code, which the message.

    Attributes:
        provider: Provider id.
        code_field: Wire name of the result code.
        message_field: Wire name of the server's message text.
        result_field: Wire name of the payload (kept on errors: a partial failure lists there
            which messages went out).
        success_code: The code that means success.
        result_codes: The provider's documented result codes.
        auth_failure_fa: Persian text for an HTTP 401, which the catalog does not cover.
    """

    provider: str
    code_field: str
    message_field: str
    result_field: str
    success_code: int
    result_codes: ResultCodeTable
    auth_failure_fa: str

    def unwrap(self, operation: str, response: HttpResponse) -> Any:
        """Check status, JSON and result code; return the decoded body of a success.

        The returned body holds the result code as an integer, however the wire wrote it.

        Raises:
            AuthenticationError: HTTP 401.
            HttpStatusError: any other status outside 2xx.
            MalformedResponseError: the body is not JSON.
            ResponseValidationError: the body has no integer result code.
            ApiError: a subclass matching the kind of a non-success code.
        """
        data = read_json(
            response,
            provider=self.provider,
            operation=operation,
            auth_failure_fa=self.auth_failure_fa,
        )
        code = self._code_of(operation, data, response)
        if code != self.success_code:
            message = data.get(self.message_field)
            raise api_error_for(
                provider=self.provider,
                operation=operation,
                code=code,
                table=self.result_codes,
                server_message=message if isinstance(message, str) else None,
                http_status=response.status_code,
                raw=response.content,
                result=data.get(self.result_field),
            )
        # Servers may send the code as a numeric string ("0"); the success models pin it to the
        # integer (the spec's success/error oneOf is keyed by it), so they get the value as read.
        return {**data, self.code_field: code}

    def _code_of(self, operation: str, data: Any, response: HttpResponse) -> int:
        code = as_result_code(data.get(self.code_field) if isinstance(data, dict) else None)
        if code is not None:
            return code
        raise ResponseValidationError(
            f"body has no integer {self.code_field!r} field",
            provider=self.provider,
            operation=operation,
            raw=response.content,
        )
