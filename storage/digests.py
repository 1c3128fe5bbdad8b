"""Digest occurrences: each is posted once, or skipped once, however many processes share the file.

An occurrence is a key (the scheduled time in UTC, or one asked for by hand). Whoever posts it first
`claim`s it; a live claim keeps every other process off it, and a claim whose process died expires. The
chart's file id is kept with the claim (`record_file`), so a retry uploads nothing twice, and `settle`
commits in the same transaction as the outbox row that carries the digest: the digest is queued exactly
once, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Store, to_iso


@dataclass(frozen=True)
class DigestClaim:
    occurrence: str
    owner: str
    file_id: str | None  # the chart an earlier attempt uploaded, None when none did


def claim(store: Store, occurrence: str, owner: str, now: datetime, ttl: timedelta) -> DigestClaim | None:
    """Take `occurrence` for `owner` until `now + ttl`; None if it is settled or another live claim has it."""
    with store.transaction() as db:
        cursor = db.execute(
            """INSERT INTO digests (occurrence, claimed_by, claim_expires_at, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (occurrence) DO UPDATE
                   SET claimed_by = excluded.claimed_by, claim_expires_at = excluded.claim_expires_at
               WHERE digests.settled_at IS NULL
                 AND (digests.claim_expires_at IS NULL OR digests.claim_expires_at <= ?)""",
            [occurrence, owner, to_iso(now + ttl), to_iso(now), to_iso(now)],
        )
        if cursor.rowcount != 1:
            return None
        rows = db.query("SELECT file_id FROM digests WHERE occurrence = ?", [occurrence])
        return DigestClaim(occurrence, owner, next(rows)["file_id"])


def record_file(store: Store, held: DigestClaim, file_id: str) -> DigestClaim:
    """Keep the uploaded chart's id with the claim, for a retry to reuse."""
    store.db.execute(
        "UPDATE digests SET file_id = ? WHERE occurrence = ? AND claimed_by = ?",
        [file_id, held.occurrence, held.owner],
    )
    return DigestClaim(held.occurrence, held.owner, file_id)


def release(store: Store, held: DigestClaim) -> None:
    """Give the claim up after a failed attempt (Slack said no), so the next attempt need not wait for it to
    expire; the chart's file id stays."""
    store.db.execute(
        """UPDATE digests SET claimed_by = NULL, claim_expires_at = NULL
           WHERE occurrence = ? AND claimed_by = ?""",
        [held.occurrence, held.owner],
    )


def settle(store: Store, held: DigestClaim, outbox_id: int, now: datetime) -> bool:
    """Mark the occurrence posted by outbox message `outbox_id`; False when the claim was lost (it expired and
    another process took it, or settled it): the caller's transaction must then roll its message back."""
    cursor = store.db.execute(
        """UPDATE digests SET outbox_id = ?, settled_at = ?, claimed_by = NULL, claim_expires_at = NULL
           WHERE occurrence = ? AND claimed_by = ? AND settled_at IS NULL""",
        [outbox_id, to_iso(now), held.occurrence, held.owner],
    )
    return cursor.rowcount == 1


def skip(store: Store, occurrence: str, reason: str, now: datetime) -> bool:
    """Settle `occurrence` without posting it; True the first time (so the caller logs it once)."""
    cursor = store.db.execute(
        """INSERT INTO digests (occurrence, skipped, created_at, settled_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (occurrence) DO NOTHING""",
        [occurrence, reason, to_iso(now), to_iso(now)],
    )
    return cursor.rowcount == 1


def is_settled(store: Store, occurrence: str) -> bool:
    rows = store.db.query(
        "SELECT 1 FROM digests WHERE occurrence = ? AND settled_at IS NOT NULL", [occurrence]
    )
    return next(iter(rows), None) is not None
