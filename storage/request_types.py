"""What a request is and where it may go: its kind, its states and the transitions between them.

Storage owns these types because it enforces the state machine (every move is a conditional update);
the rules about who may move a request live in `bot.approvals.policy`, which imports them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum


class RequestKind(StrEnum):
    """Everything numbot asks a second person to approve; the values are stored in the database."""

    RENT = "rent"
    RENT_ANY = "rent_any"
    UPDATE = "update"
    RELEASE = "release"
    IMPORT = "import"
    IMPORTED_UPDATE = "imported_update"
    IMPORTED_REMOVE = "imported_remove"
    E911_PROVISION = "e911_provision"
    E911_REMOVE = "e911_remove"
    NUMBER_ORDER = "number_order"


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    EXECUTING = "executing"
    DONE = "done"
    FAILED = "failed"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


ALLOWED_TRANSITIONS: Mapping[RequestState, frozenset[RequestState]] = {
    RequestState.PENDING: frozenset(
        {RequestState.APPROVED, RequestState.REJECTED, RequestState.EXPIRED, RequestState.CANCELLED}
    ),
    RequestState.APPROVED: frozenset({RequestState.EXECUTING}),
    RequestState.EXECUTING: frozenset({RequestState.DONE, RequestState.FAILED}),
    RequestState.DONE: frozenset(),
    RequestState.FAILED: frozenset(),
    RequestState.REJECTED: frozenset(),
    RequestState.EXPIRED: frozenset(),
    RequestState.CANCELLED: frozenset(),
}

# Leaving `pending` is a decision: whoever moved it is recorded as the decider.
DECISION_STATES = ALLOWED_TRANSITIONS[RequestState.PENDING]


def can_transition(source: RequestState, target: RequestState) -> bool:
    return target in ALLOWED_TRANSITIONS[source]


def expires_at(created_at: datetime, ttl: timedelta) -> datetime:
    """When a request created at `created_at` with time to live `ttl` expires if nobody decides."""
    require_aware(created_at)
    if ttl <= timedelta(0):
        raise ValueError(f"a request's time to live must be positive, got {ttl}")
    return created_at + ttl


def require_aware(moment: datetime) -> None:
    # A naive datetime would be compared against UTC times and silently shift every deadline.
    if moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment.isoformat()}")
