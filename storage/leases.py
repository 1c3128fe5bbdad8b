"""Named leases in SQLite, so that only one scheduler runs per database however many bots share it."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.db import Store, to_iso


def acquire(store: Store, name: str, owner: str, ttl_seconds: float, now: datetime) -> bool:
    """Take the lease if it is free, expired or already ours (which renews it); True if we hold it now."""
    cursor = store.db.execute(
        """INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE leases.owner = excluded.owner OR leases.expires_at <= ?""",
        [name, owner, to_iso(now + timedelta(seconds=ttl_seconds)), to_iso(now)],
    )
    return cursor.rowcount == 1


def release(store: Store, name: str, owner: str) -> bool:
    """Give the lease up so another instance need not wait for it to expire; False if it was not ours."""
    cursor = store.db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [name, owner])
    return cursor.rowcount == 1


def holder(store: Store, name: str, now: datetime) -> str | None:
    rows = list(
        store.db.query("SELECT owner FROM leases WHERE name = ? AND expires_at > ?", [name, to_iso(now)])
    )
    return rows[0]["owner"] if rows else None
