"""Sinch callback events, stored before the receiver answers 200 and processed afterwards, and the HMAC
secret they are signed with.

Sinch redelivers until it gets a 2xx, so the unique eventId turns redeliveries into no-ops. The secret an
admin rotates from Slack is kept here, so the receiver accepts it after a restart too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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


@dataclass(frozen=True)
class Backlog:
    """Callback events stored but not yet handled: a growing backlog means the watcher is not running."""

    count: int
    oldest_received_at: datetime | None


def backlog(store: Store) -> Backlog:
    rows = store.db.query(
        "SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM events WHERE processed_at IS NULL"
    )
    row = next(iter(rows))
    return Backlog(row["n"], optional_from_iso(row["oldest"]))


@dataclass(frozen=True)
class CallbackSecret:
    secret: str
    previous: str | None
    rotated_at: datetime

    def accepted(self, now: datetime, grace: timedelta) -> list[str]:
        """The secrets a signature may use now: events signed just before a rotation still arrive."""
        keep_previous = self.previous is not None and now - self.rotated_at < grace
        return [self.secret, self.previous] if keep_previous and self.previous else [self.secret]


def callback_secret(store: Store) -> CallbackSecret | None:
    rows = list(store.db.query("SELECT * FROM callback_secret WHERE id = 1"))
    if not rows:
        return None
    row = rows[0]
    return CallbackSecret(row["secret"], row["previous"], from_iso(row["rotated_at"]))


def save_callback_secret(store: Store, secret: str, now: datetime, *, replaces: str | None = None) -> None:
    """Make `secret` the one callbacks are verified with; the one it replaces stays accepted for a while.

    `replaces` is the secret in use before the first stored one (the configured SINCH_CALLBACK_SECRET).
    """
    store.db.execute(
        """INSERT INTO callback_secret (id, secret, previous, rotated_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET
               previous = CASE WHEN secret = excluded.secret THEN previous ELSE secret END,
               secret = excluded.secret,
               rotated_at = excluded.rotated_at""",
        [secret, replaces, to_iso(now)],
    )


def forget_previous_callback_secret(store: Store, rotated_before: datetime) -> bool:
    """Delete the replaced secret of a rotation made before `rotated_before`; True if one was deleted."""
    cursor = store.db.execute(
        "UPDATE callback_secret SET previous = NULL WHERE previous IS NOT NULL AND rotated_at <= ?",
        [to_iso(rotated_before)],
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
