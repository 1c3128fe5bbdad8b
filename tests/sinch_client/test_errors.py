"""Every Sinch failure becomes a typed error with a message fit to show the person who asked."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.sinch import (
    Conflict,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    RateLimited,
    SinchError,
    Transport,
    Unauthorized,
    Upstream,
)
from bot.sinch.errors import error_from_response, parse_retry_after, transport_failure
from tests.sinch_client.spec_examples import as_json, imported_example

NUMBERS_400 = {
    "error": {
        "code": 400,
        "message": "Invalid argument",
        "status": "INVALID_ARGUMENT",
        "details": [
            {
                "type": "BadRequest",
                "fieldViolations": [
                    {"field": "smsConfiguration.servicePlanId", "description": "unknown service plan"},
                    {"field": "callbackUrl", "description": "must be https"},
                ],
            }
        ],
    }
}


def test_numbers_api_400_lists_every_field_violation_in_the_message() -> None:
    error = error_from_response(400, as_json(NUMBERS_400), {})

    assert isinstance(error, InvalidArgument)
    assert error.status == 400
    assert error.code == "INVALID_ARGUMENT"
    assert error.field_violations == (
        FieldViolation("smsConfiguration.servicePlanId", "unknown service plan"),
        FieldViolation("callbackUrl", "must be https"),
    )
    assert str(error) == (
        "Sinch rejected the request (HTTP 400): smsConfiguration.servicePlanId: unknown service plan; "
        "callbackUrl: must be https"
    )
    assert json.loads(error.raw_body or "") == NUMBERS_400


def test_imported_api_flat_error_example_is_read_too() -> None:
    error = error_from_response(400, as_json(imported_example("invalidServicePlanId")), {})

    assert isinstance(error, InvalidArgument)
    assert error.field_violations == (
        FieldViolation("smsConfiguration.servicePlanId", "Invalid servicePlanId"),
    )
    assert "smsConfiguration.servicePlanId: Invalid servicePlanId" in error.message


@pytest.mark.parametrize(
    ("status", "body", "error_class", "message"),
    [
        (401, {"error": {"code": 401, "message": "Bad token", "status": "UNAUTHENTICATED"}}, Unauthorized,
         "Sinch did not accept our credentials (HTTP 401): Bad token"),
        (403, {"error": {"code": 403, "message": "", "status": "PERMISSION_DENIED", "details": []}},
         PermissionDenied, "Sinch denied permission (HTTP 403): PERMISSION_DENIED"),
        (404, {"code": "404", "message": "The imported number could not be found.", "status": "NOT_FOUND"},
         NotFound, "Sinch could not find it (HTTP 404): The imported number could not be found."),
        (409, {"code": "409", "message": "Number already imported", "status": "ALREADY_EXISTS"}, Conflict,
         "Sinch reports a conflict (HTTP 409): Number already imported"),
        (500, {"error": {"code": 500, "message": "boom", "status": "INTERNAL"}}, Upstream,
         "Sinch had an internal error (HTTP 500): boom"),
        (418, {}, SinchError, "Sinch refused the request (HTTP 418)"),
    ],
)  # fmt: skip
def test_status_decides_the_error_class_and_headline(
    status: int, body: object, error_class: type[SinchError], message: str
) -> None:
    error = error_from_response(status, as_json(body), {})

    assert type(error) is error_class
    assert error.message == message


def test_a_proxy_page_instead_of_json_still_gives_a_readable_upstream_error() -> None:
    error = error_from_response(502, b"<html><body>Bad Gateway</body></html>", {})

    assert isinstance(error, Upstream)
    assert error.message == "Sinch had an internal error (HTTP 502): <html><body>Bad Gateway</body></html>"


def test_rate_limit_carries_retry_after_seconds() -> None:
    error = error_from_response(429, b"", {"retry-after": "2.5"})

    assert isinstance(error, RateLimited)
    assert error.retry_after == 2.5
    assert error.message == "Sinch is rate limiting us (HTTP 429)"


@pytest.mark.parametrize(
    ("header", "seconds"), [("3", 3.0), (" 0 ", 0.0), ("-1", None), ("soon", None), (None, None)]
)
def test_retry_after_header_parsing(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_network_failures_say_whether_sinch_may_have_acted() -> None:
    request = httpx.Request("POST", "https://numbers.api.sinch.com/x")
    refused = transport_failure(httpx.ConnectError("refused", request=request))
    timed_out = transport_failure(httpx.ReadTimeout("slow", request=request))
    broken = transport_failure(httpx.RemoteProtocolError("closed", request=request))

    assert isinstance(refused, Transport)
    assert not refused.may_have_reached_server
    assert "nothing was sent" in refused.message
    assert timed_out.may_have_reached_server
    assert "may still have happened" in timed_out.message
    assert broken.may_have_reached_server
