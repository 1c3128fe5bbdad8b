from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.approvals.policy import (
    STUCK_AFTER,
    ApprovalRules,
    Change,
    may_admin,
    may_approve,
    may_cancel,
    may_settle,
    needs_approval,
)
from storage.request_types import ALLOWED_TRANSITIONS, RequestKind, RequestState, can_transition, expires_at

S = RequestState
RULES = ApprovalRules(approvers=frozenset({"U_BOB", "U_CAROL"}), admins=frozenset({"U_ADA"}))
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("requester", "actor", "allowed", "reason"),
    [
        ("U_ALICE", "U_BOB", True, "You may decide on this request."),
        ("U_ALICE", "U_ADA", True, "You may decide on this request."),
        (
            "U_BOB",
            "U_BOB",
            False,
            "You requested this yourself; another approver must decide: ask one of <@U_ADA>, <@U_CAROL>.",
        ),
        (
            "U_ADA",
            "U_ADA",
            False,
            "You requested this yourself; another approver must decide: ask one of <@U_BOB>, <@U_CAROL>.",
        ),
        ("U_ALICE", "U_DAVE", False, "Only approvers can decide: ask one of <@U_ADA>, <@U_BOB>, <@U_CAROL>."),
        ("U_BOB", "U_DAVE", False, "Only approvers can decide: ask one of <@U_ADA>, <@U_CAROL>."),
    ],
)
def test_may_approve(requester: str, actor: str, allowed: bool, reason: str) -> None:
    verdict = may_approve(RULES, requester, actor)

    assert (verdict.allowed, verdict.reason) == (allowed, reason)


def test_may_approve_says_when_nobody_can_decide() -> None:
    verdict = may_approve(ApprovalRules(frozenset(), frozenset()), "U_ALICE", "U_DAVE")

    assert not verdict.allowed
    assert verdict.reason == (
        "Only approvers can decide, and none is configured: "
        "ask whoever runs numbot to add approvers (NUMBOT_APPROVERS)."
    )


def test_may_approve_names_the_requester_when_they_are_the_only_approver() -> None:
    rules = ApprovalRules(approvers=frozenset({"U_BOB"}), admins=frozenset())

    by_someone_else = may_approve(rules, "U_BOB", "U_DAVE")
    by_the_requester = may_approve(rules, "U_BOB", "U_BOB")

    only_bob = "the only approver is <@U_BOB>, who made this request; ask whoever runs numbot to add"
    assert by_someone_else.reason.startswith("Only approvers can decide, and another approver must: ")
    assert by_the_requester.reason.startswith("You requested this yourself; another approver must decide: ")
    assert only_bob in by_someone_else.reason and only_bob in by_the_requester.reason
    assert "none is configured" not in by_someone_else.reason


def test_may_approve_names_a_few_approvers_and_counts_the_rest() -> None:
    rules = ApprovalRules(approvers=frozenset(f"U_{n}" for n in range(8)), admins=frozenset())

    verdict = may_approve(rules, "U_ALICE", "U_DAVE")

    assert (
        verdict.reason
        == "Only approvers can decide: ask one of <@U_0>, <@U_1>, <@U_2>, <@U_3>, <@U_4> and 3 more."
    )


user_ids = st.sampled_from(["U_ALICE", "U_BOB", "U_CAROL", "U_ADA", "U_DAVE"])
user_sets = st.frozensets(user_ids)


@given(approvers=user_sets, admins=user_sets, requester=user_ids)
def test_the_requester_can_never_approve_their_own_request(
    approvers: frozenset[str], admins: frozenset[str], requester: str
) -> None:
    assert not may_approve(ApprovalRules(approvers, admins), requester, requester).allowed


@given(approvers=user_sets, admins=user_sets, requester=user_ids, actor=user_ids)
def test_only_approvers_and_admins_other_than_the_requester_may_approve(
    approvers: frozenset[str], admins: frozenset[str], requester: str, actor: str
) -> None:
    verdict = may_approve(ApprovalRules(approvers, admins), requester, actor)

    assert verdict.allowed == (actor != requester and actor in approvers | admins)
    assert verdict.reason.endswith(".")


@pytest.mark.parametrize(
    ("actor", "allowed", "reason"),
    [
        ("U_ALICE", True, "You may cancel your request."),
        ("U_BOB", False, "Only <@U_ALICE>, who made this request, can cancel it."),
    ],
)
def test_may_cancel(actor: str, allowed: bool, reason: str) -> None:
    verdict = may_cancel("U_ALICE", actor)

    assert (verdict.allowed, verdict.reason) == (allowed, reason)


@pytest.mark.parametrize(
    ("rules", "actor", "allowed", "reason"),
    [
        (RULES, "U_ADA", True, "You are an admin."),
        (RULES, "U_BOB", False, "Only admins can do this: ask one of <@U_ADA>."),
        (
            ApprovalRules(frozenset({"U_BOB"}), frozenset()),
            "U_BOB",
            False,
            "Only admins can do this, and none is configured.",
        ),
    ],
)
def test_may_admin(rules: ApprovalRules, actor: str, allowed: bool, reason: str) -> None:
    verdict = may_admin(rules, actor)

    assert (verdict.allowed, verdict.reason) == (allowed, reason)


@pytest.mark.parametrize(
    ("actor", "state", "executing_for", "allowed", "reason"),
    [
        ("U_ADA", S.EXECUTING, STUCK_AFTER, True, "You may record how it ended."),
        ("U_ADA", S.EXECUTING, timedelta(days=3), True, "You may record how it ended."),
        (
            "U_ADA",
            S.EXECUTING,
            STUCK_AFTER - timedelta(seconds=30),
            False,
            "It started executing moments ago and may still finish on its own: try again in 30 s.",
        ),
        ("U_ADA", S.DONE, timedelta(days=3), False, "It already ended (done): there is nothing to settle."),
        (
            "U_ADA",
            S.PENDING,
            timedelta(days=3),
            False,
            "It is pending and has not started executing: there is nothing to settle.",
        ),
        ("U_BOB", S.EXECUTING, timedelta(days=3), False, "Only admins can do this: ask one of <@U_ADA>."),
    ],
)
def test_may_settle_by_hand_only_admins_and_only_requests_stuck_executing(
    actor: str, state: RequestState, executing_for: timedelta, allowed: bool, reason: str
) -> None:
    verdict = may_settle(RULES, actor, state, T0, T0 + executing_for)

    assert (verdict.allowed, verdict.reason) == (allowed, reason)


@pytest.mark.parametrize(
    ("kind", "changes", "needed"),
    [
        ("rent", frozenset(), True),
        ("rent_any", frozenset(), True),
        ("release", frozenset(), True),
        ("import", frozenset(), True),
        ("imported_remove", frozenset(), True),
        ("e911_provision", frozenset(), True),
        ("e911_remove", frozenset(), True),
        ("number_order", frozenset(), True),
        ("update", frozenset({Change.DISPLAY_NAME}), False),
        ("update", frozenset(), False),
        ("update", frozenset({Change.SMS}), True),
        ("update", frozenset({Change.VOICE, Change.DISPLAY_NAME}), True),
        ("imported_update", frozenset({"display_name"}), False),
        ("imported_update", frozenset({"sms"}), True),
        ("imported_update", frozenset({"voice"}), True),
    ],
)
def test_needs_approval(kind: str, changes: frozenset[str], needed: bool) -> None:
    assert needs_approval(RequestKind(kind), changes) is needed


@pytest.mark.parametrize("kind", list(RequestKind))
def test_every_kind_that_moves_traffic_or_money_needs_approval_whatever_it_touches(kind: RequestKind) -> None:
    assert needs_approval(kind, frozenset({Change.SMS}))


def test_expiry_deadline() -> None:
    assert expires_at(T0, timedelta(hours=24)) == T0 + timedelta(hours=24)


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1)])
def test_expiry_needs_a_positive_ttl(ttl: timedelta) -> None:
    with pytest.raises(ValueError, match="positive"):
        expires_at(T0, ttl)


def test_expiry_refuses_naive_times() -> None:
    naive = datetime(2025, 3, 1, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        expires_at(naive, timedelta(hours=1))


LEGAL = {
    (S.PENDING, S.APPROVED),
    (S.PENDING, S.REJECTED),
    (S.PENDING, S.EXPIRED),
    (S.PENDING, S.CANCELLED),
    (S.APPROVED, S.EXECUTING),
    (S.EXECUTING, S.DONE),
    (S.EXECUTING, S.FAILED),
}


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_the_state_machine_allows_exactly_the_documented_moves(
    source: RequestState, target: RequestState
) -> None:
    assert can_transition(source, target) is ((source, target) in LEGAL)


def test_every_state_has_an_entry_in_the_transition_table() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S)
