from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from storage import Store
from storage.events import mark_processed, store_event, unprocessed
from tests.storage.helpers import T0


def _store(store: Store, event_id: str, offset_seconds: int = 0, body: bytes | str = b"{}") -> bool:
    return store_event(
        store,
        event_id=event_id,
        api="numbers",
        resource_id="+12025550123",
        resource_type="ACTIVE_NUMBER",
        event_type="PROVISIONING_TO_SMS_PLATFORM",
        status="SUCCEEDED",
        raw_body=body,
        received_at=T0 + timedelta(seconds=offset_seconds),
    )


def test_a_redelivered_event_is_recognised_and_not_stored_twice(store: Store) -> None:
    assert _store(store, "evt-1", body=b'{"eventId":"evt-1"}')
    assert not _store(store, "evt-1", body=b'{"eventId":"evt-1","retry":true}')

    [event] = unprocessed(store)
    assert event.event_id == "evt-1"
    assert event.raw_body == b'{"eventId":"evt-1"}'
    assert (event.api, event.resource_type, event.status) == ("numbers", "ACTIVE_NUMBER", "SUCCEEDED")


def test_a_text_body_is_kept_as_utf8_bytes(store: Store) -> None:
    _store(store, "evt-2", body='{"resourceId":"+33612345678","note":"déjà"}')

    [event] = unprocessed(store)
    assert json.loads(event.raw_body)["note"] == "déjà"


def test_events_are_processed_in_arrival_order_and_only_once(store: Store) -> None:
    _store(store, "evt-b", offset_seconds=2)
    _store(store, "evt-a", offset_seconds=1)
    _store(store, "evt-c", offset_seconds=3)

    assert [event.event_id for event in unprocessed(store)] == ["evt-a", "evt-b", "evt-c"]
    assert [event.event_id for event in unprocessed(store, limit=1)] == ["evt-a"]

    assert mark_processed(store, "evt-a", "watch settled", T0 + timedelta(seconds=5))
    assert not mark_processed(store, "evt-a", "again", T0 + timedelta(seconds=6))
    assert not mark_processed(store, "evt-unknown", "n/a", T0)

    assert [event.event_id for event in unprocessed(store)] == ["evt-b", "evt-c"]


def test_a_burst_of_events_is_stored_exactly_once_each(store: Store) -> None:
    new = [_store(store, f"evt-{n}", offset_seconds=n) for n in range(2000)]
    redelivered = [_store(store, f"evt-{n}", offset_seconds=n) for n in range(0, 2000, 10)]

    assert all(new)
    assert not any(redelivered)
    assert store.db["events"].count == 2000
    assert len(unprocessed(store, limit=5000)) == 2000


def test_an_unknown_api_is_an_error_not_a_silent_duplicate(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store_event(
            store,
            event_id="evt-x",
            api="voice",  # type: ignore[arg-type]
            resource_id=None,
            resource_type=None,
            event_type=None,
            status=None,
            raw_body=b"{}",
            received_at=T0,
        )
