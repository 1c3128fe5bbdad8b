"""The two error shapes the Sinch APIs answer with, and the exception handlers raise to produce them.

Numbers API (and both callbackConfiguration endpoints): Google-style nested errors,
`{"error": {"code": 400, "message", "status": "INVALID_ARGUMENT", "details": [...]}}`.
Imported Numbers API: a flat `{"code": "404", "message", "status": "NOT_FOUND"}` whose code is a string,
as its ErrorResponse schema says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ALREADY_EXISTS",
    413: "CONTENT_TOO_LARGE",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class ErrorStyle(Enum):
    NESTED = "nested"
    FLAT = "flat"


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


@dataclass
class ApiError(Exception):
    """An answer other than 200; handlers raise it and the app renders it in the route's style."""

    status: int
    message: str
    field_violations: list[FieldViolation] = field(default_factory=list)
    details: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.message}"

    def body(self, style: ErrorStyle) -> dict[str, Any]:
        status_name = _STATUS_NAMES.get(self.status, "UNKNOWN")
        if style is ErrorStyle.FLAT:
            return {"code": str(self.status), "message": self.message, "status": status_name}
        details = list(self.details)
        if self.field_violations:
            violations = [{"field": v.field, "description": v.description} for v in self.field_violations]
            details.insert(0, {"type": "BadRequest", "fieldViolations": violations})
        return {
            "error": {"code": self.status, "message": self.message, "status": status_name, "details": details}
        }


def invalid_argument(violations: list[FieldViolation]) -> ApiError:
    message = "; ".join(f"{v.field}: {v.description}" for v in violations)
    return ApiError(400, f"Invalid argument: {message}", field_violations=violations)


def invalid_field(field_name: str, description: str) -> ApiError:
    return invalid_argument([FieldViolation(field_name, description)])


def not_found(resource_type: str, resource_name: str) -> ApiError:
    detail = {
        "type": "ResourceInfo",
        "resourceType": resource_type,
        "resourceName": resource_name,
        "owner": "",
        "description": "",
    }
    return ApiError(404, f"Requested {resource_type} not found: {resource_name}", details=[detail])


class Violations:
    """Collects every problem with a request body so the caller sees them all in one 400."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, field_name: str, description: str) -> None:
        self.items.append(FieldViolation(field_name, description))

    def raise_if_any(self) -> None:
        if self.items:
            raise invalid_argument(self.items)
