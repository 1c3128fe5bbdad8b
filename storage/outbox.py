"""Durable Slack outbox: every notification is stored first and marked sent only after Slack said ok.

A message may depend on another one: a thread reply needs its parent's `ts` (`parent_id`), an edit needs
the `ts` of the message it replaces (`update_of`). Such rows are not due until that message is sent.

Several processes may deliver from one database. A process `claim`s the rows it is about to send in one
conditional UPDATE; a live claim hides the row, and every later row of its channel, from everyone else until
the row is marked sent or deferred (which ends the claim) or the claim expires (its process died).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlite_utils import Database

from storage.db import (
    JsonDict,
    Store,
    from_iso,
    in_clause,
    optional_dump_json,
    optional_from_iso,
    optional_load_json,
    to_iso,
)

OutboxStatus = Literal["pending", "sent"]


@dataclass(frozen=True)
class OutboxMessage:
    """A message to post (or, with `update_of`, an edit of a message posted earlier)."""

    channel: str
    text: str
    blocks: list[JsonDict] | None = None
    thread_ts: str | None = None
    parent_id: int | None = None
    update_of: int | None = None
    digest_key: str | None = None

    def __post_init__(self) -> None:
        if self.thread_ts is not None and self.parent_id is not None:
            raise ValueError("a message is threaded under a known ts or under an outbox parent, not both")
        if self.update_of is not None and (self.thread_ts is not None or self.parent_id is not None):
            raise ValueError("an edit keeps the thread of the message it replaces")


@dataclass(frozen=True)
class OutboxRow:
    """A stored message. `thread_ts` is resolved from the parent once it is sent; `update_ts` is the ts of
    the message an edit replaces (None until that message is sent, or when this row is not an edit)."""

    id: int
    channel: str
    text: str
    blocks: list[JsonDict] | None
    thread_ts: str | None
    parent_id: int | None
    update_of: int | None
    update_ts: str | None
    digest_key: str | None
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    sent_ts: str | None
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


_SELECT_ROWS = """
SELECT o.id, o.channel, o.text, o.blocks, COALESCE(o.thread_ts, parent.sent_ts) AS thread_ts, o.parent_id,
       o.update_of, target.sent_ts AS update_ts, o.digest_key, o.status, o.attempts, o.next_attempt_at,
       o.sent_ts, o.last_error, o.created_at, o.sent_at
FROM outbox AS o
LEFT JOIN outbox AS parent ON parent.id = o.parent_id
LEFT JOIN outbox AS target ON target.id = o.update_of
"""


def enqueue(store: Store, message: OutboxMessage, now: datetime) -> int:
    """Queue a message, due immediately; returns its outbox id."""
    rows = store.db.query(
        """INSERT INTO outbox (channel, text, blocks, thread_ts, parent_id, update_of, digest_key,
               next_attempt_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id""",
        [
            message.channel,
            message.text,
            optional_dump_json(message.blocks),
            message.thread_ts,
            message.parent_id,
            message.update_of,
            message.digest_key,
            to_iso(now),
            to_iso(now),
        ],
    )
    outbox_id: int = next(rows)["id"]
    return outbox_id


def due(store: Store, now: datetime, limit: int = 100) -> list[OutboxRow]:
    """Pending messages ready to go, oldest first: retry time reached and what they depend on sent.

    A channel is first in, first out: while an earlier message of the channel waits for its retry (a 429's
    Retry-After, a server error's backoff), later ones wait behind it. Nothing overtakes it (an older edit
    must never land after a newer one), and a rate-limited channel is not hit again before Slack allows.
    A message another process has claimed (it is being sent) holds its channel back the same way.
    """
    rows = store.db.query(
        _SELECT_ROWS  # noqa: S608 - constant SQL; the values travel as parameters
        + """WHERE o.status = 'pending' AND o.next_attempt_at <= ?
               AND (o.claim_expires_at IS NULL OR o.claim_expires_at <= ?)
               AND (o.parent_id IS NULL OR parent.status = 'sent')
               AND (o.update_of IS NULL OR target.status = 'sent')
               AND NOT EXISTS (
                   SELECT 1 FROM outbox AS earlier
                   WHERE earlier.channel = o.channel AND earlier.status = 'pending' AND earlier.id < o.id
                     AND (earlier.next_attempt_at > ? OR earlier.claim_expires_at > ?))
             ORDER BY o.id
             LIMIT ?""",
        [to_iso(now), to_iso(now), to_iso(now), to_iso(now), limit],
    )
    return [_row(row) for row in rows]


def get_message(store: Store, outbox_id: int) -> OutboxRow | None:
    rows = list(store.db.query(_SELECT_ROWS + "WHERE o.id = ?", [outbox_id]))
    return _row(rows[0]) if rows else None


class _ClaimContendedError(Exception):
    """Another process holds (or has finished) one of the rows: the whole claim is rolled back."""


def claim(store: Store, outbox_ids: Sequence[int], owner: str, now: datetime, ttl: timedelta) -> bool:
    """Take every one of these pending rows for `owner` until `now + ttl`, or none of them; True if taken.

    One conditional UPDATE decides: a row that is sent, or claimed by a live claim, is not taken, and then
    nothing is. A claim whose process died expires, and the rows become deliverable again.
    """
    if not outbox_ids:
        return False
    try:
        with store.transaction() as db:
            if _claim_rows(db, outbox_ids, owner, now, ttl) != len(outbox_ids):
                raise _ClaimContendedError
    except _ClaimContendedError:
        return False
    return True


def _claim_rows(db: Database, outbox_ids: Sequence[int], owner: str, now: datetime, ttl: timedelta) -> int:
    cursor = db.execute(
        f"""UPDATE outbox SET claimed_by = ?, claim_expires_at = ?
            WHERE id IN {in_clause(tuple(map(str, outbox_ids)))} AND status = 'pending'
              AND (claim_expires_at IS NULL OR claim_expires_at <= ?)""",  # noqa: S608
        [owner, to_iso(now + ttl), *outbox_ids, to_iso(now)],
    )
    return cursor.rowcount


def renew_claim(store: Store, outbox_ids: Sequence[int], owner: str, expires_at: datetime) -> int:
    """Extend `owner`'s live claim on these rows while it is still sending them; returns how many."""
    cursor = store.db.execute(
        f"""UPDATE outbox SET claim_expires_at = ?
            WHERE id IN {in_clause(tuple(map(str, outbox_ids)))} AND status = 'pending'
              AND claimed_by = ?""",  # noqa: S608 - placeholders only
        [to_iso(expires_at), *outbox_ids, owner],
    )
    return cursor.rowcount


def mark_sent(store: Store, outbox_id: int, ts: str, now: datetime) -> bool:
    """Record Slack's ts for a delivered message; False if it was already marked sent."""
    return mark_all_sent(store, [outbox_id], ts, now) == 1


def mark_all_sent(store: Store, outbox_ids: Sequence[int], ts: str, now: datetime) -> int:
    """Record one Slack ts for messages delivered together (a digest); returns how many were pending."""
    if not outbox_ids:
        return 0
    cursor = store.db.execute(
        f"""UPDATE outbox SET status = 'sent', sent_ts = ?, sent_at = ?, claimed_by = NULL,
                claim_expires_at = NULL
            WHERE id IN {in_clause(tuple(map(str, outbox_ids)))} AND status = 'pending'""",  # noqa: S608
        [ts, to_iso(now), *outbox_ids],
    )
    return cursor.rowcount


def defer(store: Store, outbox_id: int, until: datetime, error: str) -> bool:
    """Count a failed attempt and retry at `until`; False if the message is no longer pending."""
    return defer_all(store, [outbox_id], until, error) == 1


def defer_all(store: Store, outbox_ids: Sequence[int], until: datetime, error: str) -> int:
    """`defer` for messages that failed together (a digest); returns how many were still pending."""
    if not outbox_ids:
        return 0
    cursor = store.db.execute(
        f"""UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
                claimed_by = NULL, claim_expires_at = NULL
            WHERE id IN {in_clause(tuple(map(str, outbox_ids)))} AND status = 'pending'""",  # noqa: S608
        [to_iso(until), error, *outbox_ids],
    )
    return cursor.rowcount


def digest_batch(store: Store, lead: OutboxRow, now: datetime, limit: int) -> list[OutboxRow]:
    """Due top-level messages sharing `lead`'s channel and digest key, oldest first, `lead` included.

    Replies and edits never join a digest: their place (a thread, a message) is part of their meaning.
    """
    if lead.digest_key is None or not _digestible(lead):
        return [lead]
    rows = store.db.query(
        _SELECT_ROWS
        + """WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND o.channel = ? AND o.digest_key = ?
               AND (o.claim_expires_at IS NULL OR o.claim_expires_at <= ?)
               AND o.parent_id IS NULL AND o.thread_ts IS NULL AND o.update_of IS NULL
             ORDER BY o.id
             LIMIT ?""",
        [to_iso(now), lead.channel, lead.digest_key, to_iso(now), limit],
    )
    batch = [_row(row) for row in rows]
    return batch if any(row.id == lead.id for row in batch) else [lead]


def has_newer_edit(store: Store, row: OutboxRow) -> bool:
    """True when a later pending edit replaces the same message as this edit (so this one is stale)."""
    if row.update_of is None:
        return False
    rows = store.db.query(
        "SELECT 1 FROM outbox WHERE update_of = ? AND status = 'pending' AND id > ? LIMIT 1",
        [row.update_of, row.id],
    )
    return next(iter(rows), None) is not None


def drop_blocks(store: Store, outbox_id: int) -> None:
    """Keep only the fallback text of a message whose blocks Slack refused."""
    store.db.execute("UPDATE outbox SET blocks = NULL WHERE id = ?", [outbox_id])


def sent_ts(store: Store, outbox_id: int) -> str | None:
    rows = list(store.db.query("SELECT sent_ts FROM outbox WHERE id = ?", [outbox_id]))
    return rows[0]["sent_ts"] if rows else None


def pending_counts(store: Store) -> dict[str, int]:
    """Undelivered messages per channel: a growing count means a burst worth turning into a digest."""
    rows = store.db.query(
        "SELECT channel, COUNT(*) AS n FROM outbox WHERE status = 'pending' GROUP BY channel"
    )
    return {row["channel"]: row["n"] for row in rows}


def oldest_pending(store: Store, now: datetime) -> timedelta | None:
    """How long the oldest undelivered message has been waiting (None when nothing is pending)."""
    rows = list(store.db.query("SELECT MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'"))
    oldest = optional_from_iso(rows[0]["oldest"])
    return None if oldest is None else now - oldest


def _digestible(row: OutboxRow) -> bool:
    return row.parent_id is None and row.thread_ts is None and row.update_of is None


def _row(row: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        channel=row["channel"],
        text=row["text"],
        blocks=optional_load_json(row["blocks"]),
        thread_ts=row["thread_ts"],
        parent_id=row["parent_id"],
        update_of=row["update_of"],
        update_ts=row["update_ts"],
        digest_key=row["digest_key"],
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=from_iso(row["next_attempt_at"]),
        sent_ts=row["sent_ts"],
        last_error=row["last_error"],
        created_at=from_iso(row["created_at"]),
        sent_at=optional_from_iso(row["sent_at"]),
    )
