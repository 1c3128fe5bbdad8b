"""Sinch callback events, stored before the receiver answers 200 and processed afterwards.

Sinch redelivers until it gets a 2xx, so the unique eventId turns redeliveries into no-ops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from storage.db import Store, from_iso, optional_from_iso, to_iso

EventApi = Literal["numbers", "imported"]


@dataclass(frozen=True)
class StoredEvent:
    event_id: str
    api: EventApi
    resource_id: str | None
    resource_type: str | None
    event_type: str | None
    status: str | None
    raw_body: bytes
    received_at: datetime
    processed_at: datetime | None
    outcome: str | None


def store_event(
    store: Store,
    *,
    event_id: str,
    api: EventApi,
    resource_id: str | None,
    resource_type: str | None,
    event_type: str | None,
    status: str | None,
    raw_body: bytes | str,
    received_at: datetime,
) -> bool:
    """Persist a callback; True if it is new, False for a redelivery of an event already stored."""
    body = raw_body.encode() if isinstance(raw_body, str) else raw_body
    # ON CONFLICT(event_id) rather than INSERT OR IGNORE: only a duplicate id is ignored, while a CHECK or
    # NOT NULL violation still raises instead of passing silently for a redelivery.
    cursor = store.db.execute(
        """INSERT INTO events (event_id, api, resource_id, resource_type, event_type, status, raw_body,
               received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (event_id) DO NOTHING""",
        [event_id, api, resource_id, resource_type, event_type, status, body, to_iso(received_at)],
    )
    return cursor.rowcount == 1


def unprocessed(store: Store, limit: int = 100) -> list[StoredEvent]:
    """Events not yet handled, in the order they arrived."""
    rows = store.db.query(
        "SELECT * FROM events WHERE processed_at IS NULL ORDER BY received_at, rowid LIMIT ?", [limit]
    )
    return [_event(row) for row in rows]


def mark_processed(store: Store, event_id: str, outcome: str, now: datetime) -> bool:
    """Record how an event was handled; False if it was already processed (or is unknown)."""
    cursor = store.db.execute(
        "UPDATE events SET processed_at = ?, outcome = ? WHERE event_id = ? AND processed_at IS NULL",
        [to_iso(now), outcome, event_id],
    )
    return cursor.rowcount == 1


def _event(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        event_id=row["event_id"],
        api=row["api"],
        resource_id=row["resource_id"],
        resource_type=row["resource_type"],
        event_type=row["event_type"],
        status=row["status"],
        raw_body=row["raw_body"],
        received_at=from_iso(row["received_at"]),
        processed_at=optional_from_iso(row["processed_at"]),
        outcome=row["outcome"],
    )
