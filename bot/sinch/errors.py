"""Typed errors for everything that can go wrong talking to Sinch, and the parser that builds them.

Every error carries a `message` written for the person in Slack who asked for the operation, so that
callers can show `str(error)` without rewording it.
"""

# The class names (NotFound, Conflict, ...) are the vocabulary the rest of numbot was promised; an
# "Error" suffix on each would add nothing.
# ruff: noqa: N818

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class FieldViolation:
    """One rejected request field, as Sinch's `BadRequest.fieldViolations` reports it."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}" if self.field else self.description


class SinchError(Exception):
    """Base class: Sinch (or our own validation on its behalf) refused or failed an operation."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        field_violations: tuple[FieldViolation, ...] = (),
        raw_body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field_violations = field_violations
        self.raw_body = raw_body


class InvalidArgument(SinchError):
    """400: the request was malformed; `field_violations` says which fields and why."""


class Unauthorized(SinchError):
    """401: the credentials were rejected (even after fetching a fresh token)."""


class PermissionDenied(SinchError):
    """403: the credentials are valid but may not touch this project or resource."""


class NotFound(SinchError):
    """404: the number, project or configuration does not exist."""


class Conflict(SinchError):
    """409: the resource already exists (e.g. an imported number)."""


class DocumentTooLarge(SinchError):
    """413: an uploaded document is larger than Sinch accepts."""


class RateLimited(SinchError):
    """429: too many requests; `retry_after` is Sinch's requested pause in seconds, when it sent one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.retry_after = retry_after


class Upstream(SinchError):
    """5xx: Sinch failed on its side."""


class Transport(SinchError):
    """The network failed. `may_have_reached_server` tells whether Sinch may have acted on the request."""

    def __init__(self, message: str, *, may_have_reached_server: bool) -> None:
        super().__init__(message)
        self.may_have_reached_server = may_have_reached_server


class InvalidPhoneNumber(SinchError):
    """Raised locally, before any request, for text that is not a valid E.164 phone number."""


_STATUS_CLASSES: Mapping[int, type[SinchError]] = {
    400: InvalidArgument,
    401: Unauthorized,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: DocumentTooLarge,
    429: RateLimited,
}

_HEADLINES: Mapping[type[SinchError], str] = {
    InvalidArgument: "Sinch rejected the request",
    Unauthorized: "Sinch did not accept our credentials",
    PermissionDenied: "Sinch denied permission",
    NotFound: "Sinch could not find it",
    Conflict: "Sinch reports a conflict",
    DocumentTooLarge: "Sinch refused the document as too large",
    RateLimited: "Sinch is rate limiting us",
    Upstream: "Sinch had an internal error",
    SinchError: "Sinch refused the request",
}


@dataclass(frozen=True)
class _ErrorBody:
    message: str
    code: str | None
    field_violations: tuple[FieldViolation, ...]


def error_from_response(status: int, body: bytes, headers: Mapping[str, str]) -> SinchError:
    """Build the typed error for a non-2xx response (pure: no I/O, easy to test with spec examples)."""
    error_class = _class_for_status(status)
    text = body.decode("utf-8", errors="replace")
    parsed = _parse_body(text)
    detail = "; ".join(str(v) for v in parsed.field_violations) or parsed.message
    headline = f"{_HEADLINES[error_class]} (HTTP {status})"
    message = f"{headline}: {detail}" if detail else headline
    details: dict[str, Any] = {
        "status": status,
        "code": parsed.code,
        "field_violations": parsed.field_violations,
        "raw_body": text,
    }
    if error_class is RateLimited:
        return RateLimited(message, retry_after=parse_retry_after(headers.get("retry-after")), **details)
    return error_class(message, **details)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header; None when absent or not a non-negative number of seconds."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _class_for_status(status: int) -> type[SinchError]:
    if status >= 500:
        return Upstream
    return _STATUS_CLASSES.get(status, SinchError)


def _parse_body(text: str) -> _ErrorBody:
    """Read both documented shapes.

    Numbers API: `{"error": {"code": 400, "message", "status", "details": [...]}}`; Imported Numbers API:
    flat `{"code": "400", "message", "status", "details"?}`. Anything else (an HTML page from a proxy,
    an empty body) keeps a short excerpt as the message.
    """
    try:
        document = json.loads(text) if text.strip() else {}
    except ValueError:
        return _ErrorBody(message=text.strip()[:200], code=None, field_violations=())
    if not isinstance(document, dict):
        return _ErrorBody(message=text.strip()[:200], code=None, field_violations=())
    inner = document.get("error")
    error = inner if isinstance(inner, dict) else document
    status_name = error.get("status")
    return _ErrorBody(
        message=str(error.get("message") or status_name or ""),
        code=str(status_name) if status_name else None,
        field_violations=_field_violations(error.get("details")),
    )


def _field_violations(details: object) -> tuple[FieldViolation, ...]:
    if not isinstance(details, list):
        return ()
    violations: list[FieldViolation] = []
    for detail in details:
        if not isinstance(detail, dict):
            continue
        for violation in detail.get("fieldViolations") or ():
            if isinstance(violation, dict):
                violations.append(
                    FieldViolation(
                        field=str(violation.get("field") or ""),
                        description=str(violation.get("description") or ""),
                    )
                )
    return tuple(violations)


# Failures that happen before any byte of the request leaves: Sinch cannot have acted on it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def transport_failure(error: httpx.TransportError) -> Transport:
    """Classify a network failure by whether Sinch may have received (and acted on) the request."""
    kind = type(error).__name__
    if isinstance(error, _NOT_SENT):
        return Transport(
            f"Could not connect to Sinch ({kind}); nothing was sent.", may_have_reached_server=False
        )
    if isinstance(error, httpx.TimeoutException):
        message = "Sinch did not answer in time; the operation may still have happened."
    else:
        message = f"The connection to Sinch broke mid-request ({kind}); the operation may have happened."
    return Transport(message, may_have_reached_server=True)
