"""What the tests of every generated provider share."""

from __future__ import annotations

from payamak_gen import errors

# Written out here rather than read from the runtime, so the tests check the runtime's mapping.
ERROR_CLASS_BY_KIND: dict[str, type[errors.ApiError]] = {
    "invalid_request": errors.InvalidRequestError,
    "authentication": errors.AuthenticationError,
    "permission": errors.PermissionDeniedError,
    "insufficient_credit": errors.InsufficientCreditError,
    "limit_exceeded": errors.LimitExceededError,
    "not_found": errors.NotFoundError,
    "server": errors.ServerError,
    "partial_failure": errors.PartialFailureError,
}
