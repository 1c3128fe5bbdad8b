"""Callback events: the signature check uses Sinch's own published vectors; parsing keeps new values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.sinch import (
    CallbackEvent,
    EventStatus,
    EventType,
    MalformedEventError,
    ResourceType,
    compute_signature,
    parse_event,
    verify_signature,
)
from tests.sinch_client.spec_examples import as_json, signature_vectors

# The vectors are read when a test runs, not when it is collected: a clone without them skips these two only.


def test_public_sinch_vectors_verify() -> None:
    for vector in signature_vectors():
        body = vector["body"].encode()

        assert compute_signature(vector["secret"], body) == vector["x_sinch_signature"], vector["secret"]
        assert verify_signature(vector["secret"], body, vector["x_sinch_signature"])
        assert verify_signature(vector["secret"], body, vector["x_sinch_signature"].upper())


def test_tampering_or_the_wrong_secret_fails_verification() -> None:
    for vector in signature_vectors():
        body = vector["body"].encode()
        signature = vector["x_sinch_signature"]

        assert not verify_signature(vector["secret"], body.replace(b"SUCCEEDED", b"FAILED"), signature)
        assert not verify_signature(vector["secret"] + "x", body, signature)
        assert not verify_signature(vector["secret"], body + b" ", signature)


@pytest.mark.parametrize(
    ("secret", "header"), [(None, "8e58"), ("", "8e58"), ("my-callback-secret", None), ("s", ""), ("s", "é")]
)
def test_missing_secret_or_header_or_garbage_header_is_false(secret: str | None, header: str | None) -> None:
    assert not verify_signature(secret, b"{}", header)


def test_vector_bodies_parse_with_nanosecond_timestamps_read_as_utc() -> None:
    event = parse_event(signature_vectors()[0]["body"].encode())

    assert event.event_id == "01jr7stexp0znky34pj07dwp41"
    assert event.resource_type is ResourceType.ACTIVE_NUMBER
    assert event.event_type is EventType.PROVISIONING_TO_VOICE_PLATFORM
    assert event.status is EventStatus.SUCCEEDED
    assert event.resource_id == "+1234567890"
    assert event.timestamp == datetime(2025, 4, 7, 9, 38, 4, 854087, tzinfo=UTC)
    assert event.failure_code is None
    assert not event.failed


def test_imported_numbers_event_parses_with_its_own_vocabulary() -> None:
    event = parse_event(
        as_json(
            {
                "eventId": "abcd1234efghijklmnop567890",
                "timestamp": "2023-06-06T07:45:27.785357Z",
                "projectId": "p",
                "resourceId": "+12345612345",
                "resourceType": "IMPORTED_NUMBER",
                "eventType": "LINK_TO_10DLC_CAMPAIGN",
                "status": "FAILED",
                "failureCode": "CAMPAIGN_NOT_AVAILABLE",
            }
        )
    )

    assert event.resource_type is ResourceType.IMPORTED_NUMBER
    assert event.event_type is EventType.LINK_TO_10DLC_CAMPAIGN
    assert event.failed
    assert event.failure_code == "CAMPAIGN_NOT_AVAILABLE"


def test_unknown_resource_and_event_types_are_kept() -> None:
    event = parse_event(b'{"eventId": "e1", "resourceType": "BRAND", "eventType": "BRAND_VETTED", "x": 1}')

    assert event.resource_type == "BRAND"
    assert not event.resource_type.is_known
    assert event.event_type == "BRAND_VETTED"
    assert event.model_extra == {"x": 1}


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"resourceType": "ACTIVE_NUMBER"}'])
def test_bodies_that_are_not_events_raise_malformed_event(body: bytes) -> None:
    with pytest.raises(MalformedEventError):
        parse_event(body)


def test_callback_event_is_the_model_parse_event_returns() -> None:
    assert isinstance(parse_event(signature_vectors()[1]["body"].encode()), CallbackEvent)
