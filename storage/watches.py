"""Numbers whose provisioning (SMS, voice, emergency address...) is still settling at Sinch.

The scheduler polls the due ones; a callback or a poll settles them, whichever comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Store, from_iso, optional_from_iso, to_iso
from storage.events import EventApi


@dataclass(frozen=True)
class Watch:
    phone_number: str
    api: EventApi
    request_id: str | None
    region: str | None
    number_type: str | None
    # The parts still provisioning, comma-separated ("sms,voice"): the watch settles when all have ended.
    parts: str
    since: datetime
    next_check_at: datetime
    checks: int
    settled_at: datetime | None
    outcome: str | None


def watch(
    store: Store,
    *,
    phone_number: str,
    api: EventApi,
    parts: str,
    now: datetime,
    next_check_at: datetime,
    request_id: str | None = None,
    region: str | None = None,
    number_type: str | None = None,
) -> None:
    """Start watching a number; watching one that is still unsettled keeps its `since` and check count."""
    store.db.execute(
        """INSERT INTO watches
               (phone_number, api, request_id, region, number_type, what, since, next_check_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (phone_number, api) DO UPDATE SET
               request_id = excluded.request_id,
               region = excluded.region,
               number_type = excluded.number_type,
               what = excluded.what,
               next_check_at = excluded.next_check_at,
               since = CASE WHEN settled_at IS NULL THEN since ELSE excluded.since END,
               checks = CASE WHEN settled_at IS NULL THEN checks ELSE 0 END,
               settled_at = NULL,
               outcome = NULL""",
        [phone_number, api, request_id, region, number_type, parts, to_iso(now), to_iso(next_check_at)],
    )


def due(store: Store, now: datetime, limit: int = 100) -> list[Watch]:
    """Unsettled watches whose next check has come, most overdue first."""
    return _select(
        store,
        "settled_at IS NULL AND next_check_at <= ? ORDER BY next_check_at LIMIT ?",
        [to_iso(now), limit],
    )


def pending(store: Store) -> list[Watch]:
    """Everything still settling, longest waiting first (for a status command)."""
    return _select(store, "settled_at IS NULL ORDER BY since, phone_number", [])


def pending_in_group(store: Store, api: EventApi, region: str | None, number_type: str | None) -> list[Watch]:
    """Unsettled watches one list call of `api` (by region and type) can settle together."""
    return _select(
        store,
        "settled_at IS NULL AND api = ? AND region IS ? AND number_type IS ? ORDER BY phone_number",
        [api, region, number_type],
    )


def get_watch(store: Store, phone_number: str, api: EventApi) -> Watch | None:
    found = _select(store, "phone_number = ? AND api = ?", [phone_number, api])
    return found[0] if found else None


def reschedule(store: Store, phone_number: str, api: EventApi, next_check_at: datetime) -> bool:
    """Count a check that found nothing final and plan the next; False if the watch is settled or unknown."""
    cursor = store.db.execute(
        """UPDATE watches SET next_check_at = ?, checks = checks + 1
           WHERE phone_number = ? AND api = ? AND settled_at IS NULL""",
        [to_iso(next_check_at), phone_number, api],
    )
    return cursor.rowcount == 1


def settle(store: Store, phone_number: str, api: EventApi, outcome: str, now: datetime) -> bool:
    """Record the final outcome; True only for the first settle, so a callback racing a poll reports once."""
    cursor = store.db.execute(
        """UPDATE watches SET settled_at = ?, outcome = ?
           WHERE phone_number = ? AND api = ? AND settled_at IS NULL""",
        [to_iso(now), outcome, phone_number, api],
    )
    return cursor.rowcount == 1


def _select(store: Store, where_and_order: str, params: list[Any]) -> list[Watch]:
    rows = store.db.query(f"SELECT * FROM watches WHERE {where_and_order}", params)  # noqa: S608
    return [_watch(row) for row in rows]


def _watch(row: dict[str, Any]) -> Watch:
    return Watch(
        phone_number=row["phone_number"],
        api=row["api"],
        request_id=row["request_id"],
        region=row["region"],
        number_type=row["number_type"],
        parts=row["what"],
        since=from_iso(row["since"]),
        next_check_at=from_iso(row["next_check_at"]),
        checks=row["checks"],
        settled_at=optional_from_iso(row["settled_at"]),
        outcome=row["outcome"],
    )
