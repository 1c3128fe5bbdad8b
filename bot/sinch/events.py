"""Callback events Sinch POSTs to us (both APIs), and verification of their `X-Sinch-Signature`.

Verify the signature over the raw request bytes first, then parse: re-serialised JSON would not match.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import ValidationError

from bot.sinch.models.base import OpenEnum, SinchModel, Timestamp
from bot.sinch.models.orders import NumberOrderState

SIGNATURE_HEADER = "X-Sinch-Signature"


class ResourceType(OpenEnum):
    ACTIVE_NUMBER = "ACTIVE_NUMBER"
    NUMBER_ORDER = "NUMBER_ORDER"
    IMPORTED_NUMBER = "IMPORTED_NUMBER"
    HOSTING_ORDER_NUMBER = "HOSTING_ORDER_NUMBER"


class EventType(OpenEnum):
    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_FROM_SMS_PLATFORM = "DEPROVISIONING_FROM_SMS_PLATFORM"
    PROVISIONING_TO_CAMPAIGN = "PROVISIONING_TO_CAMPAIGN"
    DEPROVISIONING_FROM_CAMPAIGN = "DEPROVISIONING_FROM_CAMPAIGN"
    PROVISIONING_TO_VOICE_PLATFORM = "PROVISIONING_TO_VOICE_PLATFORM"
    DEPROVISIONING_FROM_VOICE_PLATFORM = "DEPROVISIONING_FROM_VOICE_PLATFORM"
    NUMBER_ORDER_PROCESSING = "NUMBER_ORDER_PROCESSING"
    # Imported Numbers API (its "DEPROVISIONING_TO_..." spelling is as published).
    DEPROVISIONING_TO_SMS_PLATFORM = "DEPROVISIONING_TO_SMS_PLATFORM"
    LINK_TO_10DLC_CAMPAIGN = "LINK_TO_10DLC_CAMPAIGN"
    UNLINK_TO_10DLC_CAMPAIGN = "UNLINK_TO_10DLC_CAMPAIGN"
    HOSTING_PROCESS = "HOSTING_PROCESS"
    OSR_UPDATE = "OSR_UPDATE"
    DELETE = "DELETE"


class EventStatus(OpenEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    # NUMBER_ORDER_PROCESSING events carry the order's new state instead.
    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class CallbackEvent(SinchModel):
    """One event. Both APIs send the same fields; `resource_type` says which kind of resource it is about.

    `resource_id` is a phone number for ACTIVE_NUMBER / IMPORTED_NUMBER / HOSTING_ORDER_NUMBER and an
    order id for NUMBER_ORDER. Sinch does not guarantee delivery order: dedupe on `event_id`.
    """

    event_id: str
    resource_type: ResourceType
    event_type: EventType | None = None
    status: EventStatus | None = None
    timestamp: Timestamp = None
    project_id: str | None = None
    resource_id: str | None = None
    failure_code: str | None = None
    internal_failure_code: str | None = None

    @property
    def order_state(self) -> NumberOrderState | None:
        """The state a NUMBER_ORDER_PROCESSING event reports its order (`resource_id`) moved to."""
        if self.event_type != EventType.NUMBER_ORDER_PROCESSING or self.status is None:
            return None
        return NumberOrderState(self.status.value)

    @property
    def failed(self) -> bool:
        return self.status in {EventStatus.FAILED, EventStatus.REJECTED, EventStatus.EXPIRED}


class MalformedEventError(ValueError):
    """The callback body is not a Sinch event (not JSON, or missing eventId / resourceType)."""


def parse_event(raw_body: bytes) -> CallbackEvent:
    try:
        return CallbackEvent.model_validate_json(raw_body)
    except ValidationError as error:
        raise MalformedEventError(f"Not a Sinch callback event: {error.error_count()} problem(s)") from error


def compute_signature(secret: str, raw_body: bytes) -> str:
    """HMAC-SHA1 of the raw body, lowercase hex: the `X-Sinch-Signature` Sinch sends."""
    return hmac.new(secret.encode(), raw_body, hashlib.sha1).hexdigest()


def verify_signature(secret: str | None, raw_body: bytes, header: str | None) -> bool:
    """True only if `header` is the signature of `raw_body` under `secret`; no secret or header is False."""
    if not secret or not header:
        return False
    expected = compute_signature(secret, raw_body).encode()
    # Encoded first: compare_digest refuses non-ASCII str, and a header may contain anything.
    received = header.strip().lower().encode("utf-8", errors="replace")
    return hmac.compare_digest(expected, received)
