"""Google's error JSON, and the one exception handlers raise to answer with it.

Every failure the emulator reports has the shape Google uses::

    {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT",
               "errors": [{"message": "...", "domain": "global", "reason": "invalid"}]}}
"""

from __future__ import annotations

from typing import Any

STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

REASON_BY_CODE = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    429: "rateLimitExceeded",
    500: "backendError",
    501: "notImplemented",
    503: "backendError",
}


class ApiError(Exception):
    """An error answered to the client as Google's error JSON with an HTTP status."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        reason: str | None = None,
        location: str | None = None,
        location_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.reason = reason or REASON_BY_CODE.get(code, "unknown")
        self.location = location
        self.location_type = location_type
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"message": self.message, "domain": "global", "reason": self.reason}
        if self.location:
            detail["location"] = self.location
            detail["locationType"] = self.location_type or "parameter"
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "status": STATUS_BY_CODE.get(self.code, "UNKNOWN"),
                "errors": [detail],
            }
        }


def invalid(message: str, **kwargs: Any) -> ApiError:
    """A 400 INVALID_ARGUMENT error."""
    return ApiError(400, message, reason=kwargs.pop("reason", "invalid"), **kwargs)


def not_found(kind: str, ident: str) -> ApiError:
    """A 404 for a resource of `kind` with id `ident`."""
    return ApiError(404, f"Requested entity was not found. ({kind} {ident!r})")
