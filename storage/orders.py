"""The Number Orders numbot created, and how far it has told their story.

Sinch has no endpoint that lists orders, so this table is the only record of them. A row is followed from
the submit (`next_check_at` set) until its order reaches a final state (`settled_at` set); `state` and
`logs_told` are what the request's thread has already heard, and every move is a conditional update, so a
callback and a poll racing tell each change once. A blocked order stays followed: when it is fixed and
submitted again, its later changes go to the thread of the request that resubmitted it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Store, dump_json, from_iso, in_clause, load_json, optional_from_iso, to_iso
from storage.request_types import RequestState

# What Sinch calls an order that was made and not yet submitted.
CREATED = "CREATED"
# What Sinch calls an order its review sent back to be fixed: a new request may submit it again.
BLOCKED = "BLOCKED"


@dataclass(frozen=True)
class TrackedOrder:
    order_id: str
    request_id: str | None
    region: str | None
    number_type: str | None
    # The last state the request's thread was told (or, before the submit, the state the order was made in).
    state: str
    expire_time: datetime | None
    numbers: tuple[str, ...]
    # How many of the registration's review messages (oldest first) the thread has already seen.
    logs_told: int
    created_at: datetime
    remind_at: datetime | None
    reminded_at: datetime | None
    checks: int
    last_checked_at: datetime | None
    # None until the order is submitted: before that its request, not Sinch's review, decides what happens.
    next_check_at: datetime | None
    settled_at: datetime | None
    # The review team's latest message as last read, so lists need not ask Sinch about every order.
    last_log: str | None = None


def remember(
    store: Store,
    *,
    order_id: str,
    request_id: str | None,
    region: str | None,
    number_type: str | None,
    state: str,
    expire_time: datetime | None,
    numbers: tuple[str, ...],
    now: datetime,
    remind_at: datetime | None = None,
    form: str | None = None,
) -> None:
    """Keep an order numbot made (by the order form `form`, when one made it); remembering it again fills
    in a request id it lacked and changes nothing else."""
    store.db.execute(
        """INSERT INTO number_orders (order_id, request_id, region, number_type, state, expire_time, numbers,
               created_at, remind_at, form)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (order_id) DO UPDATE SET request_id = COALESCE(request_id, excluded.request_id)""",
        [
            order_id,
            request_id,
            region,
            number_type,
            state,
            _optional_iso(expire_time),
            dump_json(list(numbers)),
            to_iso(now),
            _optional_iso(remind_at),
            form,
        ],
    )


def made_by_form(store: Store, form: str, now: datetime) -> TrackedOrder | None:
    """The order the form `form` made, while it waits for a request and its reservation lasts."""
    found = _select(
        store,
        "form = ? AND request_id IS NULL AND state = ? AND expire_time > ? ORDER BY created_at DESC LIMIT 1",
        [form, CREATED, to_iso(now)],
    )
    return found[0] if found else None


def follow(store: Store, order_id: str, *, state: str, next_check_at: datetime, request_id: str) -> bool:
    """The order was submitted by request `request_id`: record `state` as told and check it from now on,
    telling that request's thread. A blocked order submitted again by a new request moves to that request;
    False if it was already followed for this request (or is unknown or settled)."""
    cursor = store.db.execute(
        """UPDATE number_orders SET state = ?, next_check_at = ?, request_id = ?, checks = 0
           WHERE order_id = ? AND settled_at IS NULL
             AND (state = ? OR (state = ? AND request_id IS NOT ?))""",
        [state, to_iso(next_check_at), request_id, order_id, CREATED, BLOCKED, request_id],
    )
    return cursor.rowcount == 1


def get_order(store: Store, order_id: str) -> TrackedOrder | None:
    found = _select(store, "order_id = ?", [order_id])
    return found[0] if found else None


def due(store: Store, now: datetime, limit: int = 100) -> list[TrackedOrder]:
    """Followed orders whose next check has come, most overdue first."""
    return _select(
        store,
        "settled_at IS NULL AND next_check_at <= ? ORDER BY next_check_at LIMIT ?",
        [to_iso(now), limit],
    )


def advance(
    store: Store,
    seen: TrackedOrder,
    *,
    state: str,
    logs_told: int,
    numbers: tuple[str, ...],
    now: datetime,
    next_check_at: datetime | None,
    settled: bool,
    last_log: str | None = None,
) -> bool:
    """Record what the thread is about to be told, if nobody recorded anything since `seen` was read;
    True only for that first caller. A `last_log` of None keeps the message stored before."""
    cursor = store.db.execute(
        """UPDATE number_orders
           SET state = ?, logs_told = ?, numbers = ?, last_checked_at = ?, next_check_at = ?, checks = 0,
               settled_at = ?, last_log = COALESCE(?, last_log)
           WHERE order_id = ? AND state = ? AND logs_told = ? AND settled_at IS NULL""",
        [
            state,
            logs_told,
            dump_json(list(numbers)),
            to_iso(now),
            _optional_iso(next_check_at),
            to_iso(now) if settled else None,
            last_log,
            seen.order_id,
            seen.state,
            seen.logs_told,
        ],
    )
    return cursor.rowcount == 1


def reschedule(store: Store, order_id: str, *, now: datetime, next_check_at: datetime) -> bool:
    """Count a check that found nothing new and plan the next; False if the order is settled or unknown."""
    cursor = store.db.execute(
        """UPDATE number_orders SET checks = checks + 1, last_checked_at = ?, next_check_at = ?
           WHERE order_id = ? AND settled_at IS NULL""",
        [to_iso(now), to_iso(next_check_at), order_id],
    )
    return cursor.rowcount == 1


def due_reminders(store: Store, now: datetime, limit: int = 100) -> list[TrackedOrder]:
    """Orders whose reservation ends soon while their request still waits for a decision, not yet reminded."""
    return _select(
        store,
        """reminded_at IS NULL AND remind_at <= ? AND request_id IN
               (SELECT id FROM requests WHERE state = ?)
           ORDER BY remind_at LIMIT ?""",
        [to_iso(now), RequestState.PENDING, limit],
    )


def mark_reminded(store: Store, order_id: str, now: datetime) -> bool:
    """True only for the first caller, so the reminder is posted once."""
    cursor = store.db.execute(
        "UPDATE number_orders SET reminded_at = ? WHERE order_id = ? AND reminded_at IS NULL",
        [to_iso(now), order_id],
    )
    return cursor.rowcount == 1


# A request that ended in one of these never submitted its order: Sinch lets the reservation lapse.
_UNSUBMITTED_ENDS = (
    RequestState.REJECTED,
    RequestState.EXPIRED,
    RequestState.CANCELLED,
    RequestState.FAILED,
)


def count_blocked(store: Store) -> int:
    """Orders Sinch's review sent back and nobody has fixed yet: they wait on the team, not on Sinch."""
    row = store.db.execute(
        "SELECT COUNT(*) FROM number_orders WHERE state = ? AND settled_at IS NULL", [BLOCKED]
    ).fetchone()
    return int(row[0])


def find_orders(
    store: Store, *, now: datetime, open_only: bool = False, requester: str | None = None, limit: int = 50
) -> tuple[list[TrackedOrder], int]:
    """Orders numbot made, newest first, with how many match in all. Open ones are not settled, and an
    unsubmitted one is open only while its reservation lasts and its request has not ended without it;
    `requester` keeps the orders whose request that user made."""
    conditions: list[str] = []
    params: list[Any] = []
    if open_only:
        ended = in_clause(_UNSUBMITTED_ENDS)
        conditions.append(
            f"""o.settled_at IS NULL AND NOT (o.state = ? AND (o.expire_time <= ? OR r.state IN {ended}))"""
        )
        params += [CREATED, to_iso(now), *_UNSUBMITTED_ENDS]
    if requester is not None:
        conditions.append("r.requester = ?")
        params.append(requester)
    matching = f"""FROM number_orders o LEFT JOIN requests r ON r.id = o.request_id
                   WHERE {" AND ".join(conditions) or "1"}"""
    total = store.db.execute(f"SELECT COUNT(*) {matching}", params).fetchone()[0]
    rows = store.db.query(
        f"SELECT o.* {matching} ORDER BY o.created_at DESC, o.order_id LIMIT ?",
        [*params, limit],
    )
    return [_order(row) for row in rows], total


def _optional_iso(moment: datetime | None) -> str | None:
    return to_iso(moment) if moment is not None else None


def _select(store: Store, where_and_order: str, params: list[Any]) -> list[TrackedOrder]:
    rows = store.db.query(f"SELECT * FROM number_orders WHERE {where_and_order}", params)  # noqa: S608
    return [_order(row) for row in rows]


def _order(row: dict[str, Any]) -> TrackedOrder:
    return TrackedOrder(
        order_id=row["order_id"],
        request_id=row["request_id"],
        region=row["region"],
        number_type=row["number_type"],
        state=row["state"],
        expire_time=optional_from_iso(row["expire_time"]),
        numbers=tuple(load_json(row["numbers"])),
        logs_told=row["logs_told"],
        created_at=from_iso(row["created_at"]),
        remind_at=optional_from_iso(row["remind_at"]),
        reminded_at=optional_from_iso(row["reminded_at"]),
        checks=row["checks"],
        last_checked_at=optional_from_iso(row["last_checked_at"]),
        next_check_at=optional_from_iso(row["next_check_at"]),
        settled_at=optional_from_iso(row["settled_at"]),
        last_log=row["last_log"],
    )
