"""Approval requests: the persistence half of the four-eyes state machine; who may move one is decided in
bot.approvals.policy.

Decisions are conditional updates, so among concurrent approvers or double clicks exactly one wins.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from storage import audit
from storage.db import (
    JsonDict,
    Store,
    dump_json,
    from_iso,
    in_clause,
    load_json,
    optional_decimal,
    optional_dump_json,
    optional_from_iso,
    optional_load_json,
    optional_str,
    to_iso,
)
from storage.request_types import DECISION_STATES, RequestKind, RequestState, can_transition, expires_at

__all__ = [
    "Request",
    "RequestDraft",
    "RequestKind",
    "RequestState",
    "count_requests",
    "create_request",
    "due_for_expiry",
    "find_requests",
    "get_request",
    "set_card",
    "stuck_executing",
    "transition",
]

# No 0/O, 1/I/L or U: ids are read aloud and typed back by people.
_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_ID_LENGTH = 5


@dataclass(frozen=True)
class RequestDraft:
    """What a workflow asks for; `payload` and `summary` must be JSON-serialisable."""

    kind: RequestKind
    requester: str
    subject: str
    payload: JsonDict
    summary: JsonDict
    ttl: timedelta
    setup_cost: Decimal | None = None
    monthly_cost: Decimal | None = None
    currency: str | None = None
    origin_channel: str | None = None
    origin_ts: str | None = None
    idempotency_key: str | None = None
    # A moment the request must not outlive, whatever `ttl` says (a number order's reservation end).
    deadline: datetime | None = None

    def expiry(self, created_at: datetime) -> datetime:
        """When the request expires if nobody decides: `ttl` after creation, or its deadline if sooner."""
        by_ttl = expires_at(created_at, self.ttl)
        return by_ttl if self.deadline is None else min(by_ttl, self.deadline)


@dataclass(frozen=True)
class Request:
    """A stored request. `updated_at` is the time of the last state transition."""

    id: str
    kind: RequestKind
    state: RequestState
    requester: str
    subject: str
    payload: JsonDict
    summary: JsonDict
    setup_cost: Decimal | None
    monthly_cost: Decimal | None
    currency: str | None
    origin_channel: str | None
    origin_ts: str | None
    card_outbox_id: int | None
    created_at: datetime
    expires_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    result: JsonDict | None
    error: str | None
    updated_at: datetime
    idempotency_key: str | None


def create_request(store: Store, draft: RequestDraft, now: datetime) -> Request:
    """Store a new pending request, or return the one already stored under the same idempotency key."""
    with store.transaction():
        if draft.idempotency_key is not None:
            existing = _select_one(store, "idempotency_key = ?", [draft.idempotency_key])
            if existing is not None:
                return existing
        request_id = _unused_id(store)
        rows = store.db.query(
            """INSERT INTO requests (id, kind, state, requester, subject, payload, summary, setup_cost,
                   monthly_cost, currency, origin_channel, origin_ts, created_at, expires_at, updated_at,
                   idempotency_key)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING *""",
            [
                request_id,
                draft.kind,
                RequestState.PENDING,
                draft.requester,
                draft.subject,
                dump_json(draft.payload),
                dump_json(draft.summary),
                optional_str(draft.setup_cost),
                optional_str(draft.monthly_cost),
                draft.currency,
                draft.origin_channel,
                draft.origin_ts,
                to_iso(now),
                to_iso(draft.expiry(now)),
                to_iso(now),
                draft.idempotency_key,
            ],
        )
        created = _request(next(rows))
        audit.record(
            store,
            actor=draft.requester,
            action="request.created",
            subject=draft.subject,
            request_id=request_id,
            detail={"kind": draft.kind},
            now=now,
        )
        return created


def get_request(store: Store, request_id: str) -> Request | None:
    return _select_one(store, "id = ?", [request_id])


def find_requests(
    store: Store,
    *,
    states: Collection[RequestState] | None = None,
    subject: str | None = None,
    requester: str | None = None,
    limit: int = 50,
) -> list[Request]:
    """Requests matching every given filter, newest first."""
    conditions: list[str] = []
    params: list[Any] = []
    if states is not None:
        ordered_states = tuple(sorted(states))
        conditions.append(f"state IN {in_clause(ordered_states)}")
        params.extend(ordered_states)
    for column, value in (("subject", subject), ("requester", requester)):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(value)
    where = " AND ".join(conditions) or "1"
    return _select(store, f"{where} ORDER BY created_at DESC, id LIMIT ?", [*params, limit])


def count_requests(store: Store, states: Collection[RequestState]) -> int:
    ordered_states = tuple(sorted(states))
    row = store.db.execute(
        f"SELECT COUNT(*) FROM requests WHERE state IN {in_clause(ordered_states)}",  # noqa: S608
        ordered_states,
    ).fetchone()
    return int(row[0])


def transition(
    store: Store,
    request_id: str,
    *,
    expected: Collection[RequestState],
    to: RequestState,
    actor: str,
    now: datetime,
    reason: str | None = None,
    result: JsonDict | None = None,
    error: str | None = None,
) -> Request | None:
    """Move the request to `to` if it is still in one of the `expected` states.

    Returns the updated request if this caller won, None if the request is unknown or its state had
    already moved on. Leaving `pending` records `actor` as the decider. Raises ValueError for a move the
    state machine does not allow.
    """
    illegal = sorted(state for state in expected if not can_transition(state, to))
    if not expected or illegal:
        sources = ", ".join(illegal) or "no expected state"
        raise ValueError(f"a request cannot move from {sources} to {to}")
    changes: dict[str, Any] = {"state": to, "updated_at": to_iso(now)}
    if to in DECISION_STATES:
        changes |= {"decided_by": actor, "decided_at": to_iso(now)}
    optional = {"reason": reason, "result": optional_dump_json(result), "error": error}
    changes |= {column: value for column, value in optional.items() if value is not None}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    ordered_expected = tuple(sorted(expected))
    with store.transaction():
        before = get_request(store, request_id)
        if before is None:
            return None
        rows = list(
            store.db.query(
                f"UPDATE requests SET {assignments} WHERE id = ? AND state IN {in_clause(ordered_expected)} "  # noqa: S608
                "RETURNING *",
                [*changes.values(), request_id, *ordered_expected],
            )
        )
        if not rows:
            return None
        detail: JsonDict = {"from": before.state, "to": to}
        if reason is not None:
            detail["reason"] = reason
        if error is not None:
            detail["error"] = error
        audit.record(
            store,
            actor=actor,
            action=f"request.{to}",
            subject=before.subject,
            request_id=request_id,
            detail=detail,
            now=now,
        )
        return _request(rows[0])


def set_card(store: Store, request_id: str, outbox_id: int) -> None:
    """Remember which outbox message is the request's approval card, so later updates can replace it."""
    cursor = store.db.execute("UPDATE requests SET card_outbox_id = ? WHERE id = ?", [outbox_id, request_id])
    if cursor.rowcount == 0:
        raise KeyError(f"no request {request_id}")


def due_for_expiry(store: Store, now: datetime, limit: int = 100) -> list[Request]:
    """Pending requests whose deadline has passed, earliest deadline first."""
    return _select(
        store,
        "state = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?",
        [RequestState.PENDING, to_iso(now), limit],
    )


def stuck_executing(store: Store, older_than: datetime, limit: int = 100) -> list[Request]:
    """Requests that started executing at or before `older_than` and never finished (crash, lost reply)."""
    return _select(
        store,
        "state = ? AND updated_at <= ? ORDER BY updated_at LIMIT ?",
        [RequestState.EXECUTING, to_iso(older_than), limit],
    )


def _unused_id(store: Store) -> str:
    # Called under the write lock, so a free id stays free until our INSERT.
    while True:
        candidate = "R-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
        if get_request(store, candidate) is None:
            return candidate


def _select(store: Store, where_and_order: str, params: list[Any]) -> list[Request]:
    rows = store.db.query(f"SELECT * FROM requests WHERE {where_and_order}", params)  # noqa: S608
    return [_request(row) for row in rows]


def _select_one(store: Store, where: str, params: list[Any]) -> Request | None:
    found = _select(store, f"{where} LIMIT 1", params)
    return found[0] if found else None


def _request(row: dict[str, Any]) -> Request:
    return Request(
        id=row["id"],
        kind=RequestKind(row["kind"]),
        state=RequestState(row["state"]),
        requester=row["requester"],
        subject=row["subject"],
        payload=load_json(row["payload"]),
        summary=load_json(row["summary"]),
        setup_cost=optional_decimal(row["setup_cost"]),
        monthly_cost=optional_decimal(row["monthly_cost"]),
        currency=row["currency"],
        origin_channel=row["origin_channel"],
        origin_ts=row["origin_ts"],
        card_outbox_id=row["card_outbox_id"],
        created_at=from_iso(row["created_at"]),
        expires_at=from_iso(row["expires_at"]),
        decided_by=row["decided_by"],
        decided_at=optional_from_iso(row["decided_at"]),
        reason=row["reason"],
        result=optional_load_json(row["result"]),
        error=row["error"],
        updated_at=from_iso(row["updated_at"]),
        idempotency_key=row["idempotency_key"],
    )
