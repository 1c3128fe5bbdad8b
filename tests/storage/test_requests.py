from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from storage import Store, audit
from storage.outbox import OutboxMessage, enqueue
from storage.request_types import RequestKind
from storage.requests import (
    RequestDraft,
    RequestState,
    create_request,
    due_for_expiry,
    find_requests,
    get_request,
    set_card,
    stuck_executing,
    transition,
)
from tests.storage.helpers import T0, race

PENDING = {RequestState.PENDING}

RENT = RequestDraft(
    kind=RequestKind.RENT,
    requester="U_ALICE",
    subject="+12025550123",
    payload={"phoneNumber": "+12025550123", "smsConfiguration": {"servicePlanId": "plan-1"}},
    summary={"title": "Rent +1 202-555-0123", "region": "US"},
    ttl=timedelta(hours=24),
    setup_cost=Decimal("1.50"),
    monthly_cost=Decimal("0.80"),
    currency="USD",
    origin_channel="C_OPS",
    origin_ts="1700000000.000100",
)


def test_a_new_request_is_pending_with_everything_the_card_needs(store: Store) -> None:
    created = create_request(store, RENT, T0)

    assert re.fullmatch(r"R-[2-9A-HJKMNP-TV-Z]{5}", created.id)
    assert created.state is RequestState.PENDING
    assert created.expires_at == T0 + timedelta(hours=24)
    assert (created.setup_cost, created.monthly_cost, created.currency) == (
        Decimal("1.50"),
        Decimal("0.80"),
        "USD",
    )
    assert get_request(store, created.id) == created
    assert created.payload == RENT.payload
    assert created.summary == RENT.summary
    assert (created.decided_by, created.result, created.card_outbox_id) == (None, None, None)


def test_creation_is_audited(store: Store) -> None:
    created = create_request(store, RENT, T0)

    [entry] = audit.query(store, subject=RENT.subject)
    assert (entry.actor, entry.action, entry.request_id) == ("U_ALICE", "request.created", created.id)


def test_unknown_request_is_none(store: Store) -> None:
    assert get_request(store, "R-NOPE2") is None


def test_a_retried_submission_returns_the_first_request(store: Store) -> None:
    draft = replace(RENT, idempotency_key="view-123")

    first = create_request(store, draft, T0)
    again = create_request(store, draft, T0 + timedelta(seconds=2))

    assert again == first
    assert len(find_requests(store)) == 1
    assert len(audit.query(store, subject=RENT.subject)) == 1


def test_concurrent_double_submits_create_one_request(store: Store) -> None:
    draft = replace(RENT, idempotency_key="view-456")

    created = race(store, 6, lambda _: create_request(store, draft, T0))

    assert len({request.id for request in created}) == 1
    assert len(find_requests(store)) == 1


def test_requests_without_key_are_distinct(store: Store) -> None:
    first = create_request(store, RENT, T0)
    second = create_request(store, RENT, T0)

    assert first.id != second.id


def test_full_lifecycle_records_decider_result_and_one_audit_row_per_step(store: Store) -> None:
    request = create_request(store, RENT, T0)
    approved_at = T0 + timedelta(minutes=5)

    approved = transition(
        store, request.id, expected=PENDING, to=RequestState.APPROVED, actor="U_BOB", now=approved_at
    )
    executing = transition(
        store,
        request.id,
        expected={RequestState.APPROVED},
        to=RequestState.EXECUTING,
        actor="numbot",
        now=approved_at,
    )
    done = transition(
        store,
        request.id,
        expected={RequestState.EXECUTING},
        to=RequestState.DONE,
        actor="numbot",
        now=approved_at + timedelta(seconds=3),
        result={"phoneNumber": "+12025550123"},
    )

    assert approved is not None and executing is not None and done is not None
    assert (approved.decided_by, approved.decided_at) == ("U_BOB", approved_at)
    assert done.state is RequestState.DONE
    assert done.decided_by == "U_BOB"  # executing steps do not overwrite who decided
    assert done.result == {"phoneNumber": "+12025550123"}
    assert done.updated_at == approved_at + timedelta(seconds=3)
    history = audit.query(store, request_id=request.id)
    assert [(entry.action, entry.actor) for entry in reversed(history)] == [
        ("request.created", "U_ALICE"),
        ("request.approved", "U_BOB"),
        ("request.executing", "numbot"),
        ("request.done", "numbot"),
    ]
    assert history[0].detail == {"from": "executing", "to": "done"}


def test_rejection_keeps_the_reason(store: Store) -> None:
    request = create_request(store, RENT, T0)

    rejected = transition(
        store,
        request.id,
        expected=PENDING,
        to=RequestState.REJECTED,
        actor="U_BOB",
        now=T0,
        reason="Wrong region",
    )

    assert rejected is not None
    assert (rejected.state, rejected.reason, rejected.decided_by) == (
        RequestState.REJECTED,
        "Wrong region",
        "U_BOB",
    )
    assert audit.query(store, request_id=request.id)[0].detail == {
        "from": "pending",
        "to": "rejected",
        "reason": "Wrong region",
    }


def test_failure_keeps_the_error(store: Store) -> None:
    request = create_request(store, RENT, T0)
    for source, target in [
        (RequestState.PENDING, RequestState.APPROVED),
        (RequestState.APPROVED, RequestState.EXECUTING),
    ]:
        transition(store, request.id, expected={source}, to=target, actor="U_BOB", now=T0)

    failed = transition(
        store,
        request.id,
        expected={RequestState.EXECUTING},
        to=RequestState.FAILED,
        actor="numbot",
        now=T0,
        error="Sinch said 409: number no longer available",
    )

    assert failed is not None
    assert failed.error == "Sinch said 409: number no longer available"


def test_exactly_one_of_many_concurrent_deciders_wins(store: Store) -> None:
    request = create_request(store, RENT, T0)
    targets = [RequestState.APPROVED, RequestState.REJECTED, RequestState.CANCELLED, RequestState.EXPIRED] * 2

    outcomes = race(
        store,
        len(targets),
        lambda index: transition(
            store, request.id, expected=PENDING, to=targets[index], actor=f"U_{index}", now=T0
        ),
    )

    winners = [(index, outcome) for index, outcome in enumerate(outcomes) if outcome is not None]
    assert len(winners) == 1
    [(winner_index, winner)] = winners
    assert winner.state is targets[winner_index]
    assert get_request(store, request.id) == winner
    decisions = [
        entry for entry in audit.query(store, request_id=request.id) if entry.action != "request.created"
    ]
    assert [entry.actor for entry in decisions] == [f"U_{winner_index}"]


def test_a_second_click_loses_quietly(store: Store) -> None:
    request = create_request(store, RENT, T0)
    transition(store, request.id, expected=PENDING, to=RequestState.APPROVED, actor="U_BOB", now=T0)

    again = transition(store, request.id, expected=PENDING, to=RequestState.APPROVED, actor="U_BOB", now=T0)

    assert again is None
    assert len(audit.query(store, request_id=request.id)) == 2


def test_transition_of_unknown_request_is_none(store: Store) -> None:
    assert transition(store, "R-NOPE2", expected=PENDING, to=RequestState.APPROVED, actor="U", now=T0) is None


@pytest.mark.parametrize(
    ("expected", "target"),
    [
        ({RequestState.PENDING}, RequestState.DONE),
        ({RequestState.PENDING}, RequestState.EXECUTING),
        ({RequestState.APPROVED}, RequestState.CANCELLED),
        ({RequestState.DONE}, RequestState.PENDING),
        ({RequestState.PENDING, RequestState.EXECUTING}, RequestState.APPROVED),
        (set(), RequestState.APPROVED),
    ],
)
def test_illegal_transition_is_refused_and_changes_nothing(
    store: Store, expected: set[RequestState], target: RequestState
) -> None:
    request = create_request(store, RENT, T0)

    with pytest.raises(ValueError, match="cannot move"):
        transition(store, request.id, expected=expected, to=target, actor="U_BOB", now=T0)

    assert get_request(store, request.id) == request


def test_card_outbox_id_is_remembered(store: Store) -> None:
    request = create_request(store, RENT, T0)
    card = enqueue(store, OutboxMessage(channel="C_APPROVALS", text="Approval needed"), T0)

    set_card(store, request.id, card)

    stored = get_request(store, request.id)
    assert stored is not None and stored.card_outbox_id == card


def test_card_for_unknown_request_is_an_error(store: Store) -> None:
    with pytest.raises(KeyError):
        set_card(store, "R-NOPE2", 1)


def test_only_pending_requests_past_their_deadline_are_due_for_expiry(store: Store) -> None:
    short = create_request(store, replace(RENT, ttl=timedelta(minutes=10)), T0)
    create_request(store, replace(RENT, ttl=timedelta(hours=1)), T0)
    decided = create_request(store, replace(RENT, ttl=timedelta(minutes=5)), T0)
    transition(store, decided.id, expected=PENDING, to=RequestState.APPROVED, actor="U_BOB", now=T0)

    assert due_for_expiry(store, T0 + timedelta(minutes=9)) == []
    assert [r.id for r in due_for_expiry(store, T0 + timedelta(minutes=10))] == [short.id]


def test_requests_stuck_executing_are_found_for_the_reconciler(store: Store) -> None:
    stuck = create_request(store, RENT, T0)
    recent = create_request(store, RENT, T0)
    for request, started in [(stuck, T0), (recent, T0 + timedelta(minutes=9))]:
        transition(store, request.id, expected=PENDING, to=RequestState.APPROVED, actor="U_BOB", now=started)
        transition(
            store,
            request.id,
            expected={RequestState.APPROVED},
            to=RequestState.EXECUTING,
            actor="numbot",
            now=started,
        )

    found = stuck_executing(store, older_than=T0 + timedelta(minutes=5))

    assert [request.id for request in found] == [stuck.id]


def test_find_requests_filters_and_lists_newest_first(store: Store) -> None:
    older = create_request(store, RENT, T0)
    newer = create_request(store, RENT, T0 + timedelta(minutes=1))
    other = create_request(
        store,
        replace(RENT, requester="U_CAROL", subject="US LOCAL", kind=RequestKind.RENT_ANY),
        T0 + timedelta(minutes=2),
    )
    transition(store, older.id, expected=PENDING, to=RequestState.CANCELLED, actor="U_ALICE", now=T0)

    assert [r.id for r in find_requests(store)] == [other.id, newer.id, older.id]
    assert [r.id for r in find_requests(store, states={RequestState.PENDING})] == [other.id, newer.id]
    assert [r.id for r in find_requests(store, subject="US LOCAL")] == [other.id]
    assert [r.id for r in find_requests(store, requester="U_ALICE", states={RequestState.CANCELLED})] == [
        older.id
    ]
    assert [r.id for r in find_requests(store, limit=1)] == [other.id]
