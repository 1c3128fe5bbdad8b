"""Who may do what, and which changes need four eyes: pure decisions, no I/O.

Workflows gather the facts (Slack user ids after group expansion, the request's kind and state, the clock)
and ask here; storage enforces the same state machine through `can_transition`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.request_types import ALLOWED_TRANSITIONS, RequestKind, RequestState, require_aware

# A longer list in a Slack message reads like noise; the rest is summarised as "and N more".
_MAX_NAMED_DECIDERS = 5


# Longer than any single Sinch call with its retries: a request executing for this long has lost its thread.
STUCK_AFTER = timedelta(minutes=2)


class Change(StrEnum):
    """What an update touches; the update workflows report these names to `needs_approval`."""

    DISPLAY_NAME = "display_name"
    SMS = "sms"
    VOICE = "voice"


# Kinds that spend money, give numbers away or change emergency routing: always four eyes.
_ALWAYS_APPROVED_KINDS = frozenset(
    {
        RequestKind.RENT,
        RequestKind.RENT_ANY,
        RequestKind.RELEASE,
        RequestKind.IMPORT,
        RequestKind.IMPORTED_REMOVE,
        RequestKind.E911_PROVISION,
        RequestKind.E911_REMOVE,
        RequestKind.NUMBER_ORDER,
    }
)
# Updates only matter when they re-route traffic; renaming a number is harmless.
_UPDATE_KINDS = frozenset({RequestKind.UPDATE, RequestKind.IMPORTED_UPDATE})
_ROUTING_CHANGES = frozenset({Change.SMS, Change.VOICE})


def needs_approval(kind: RequestKind, changes: frozenset[str] = frozenset()) -> bool:
    """Whether a request of `kind` touching `changes` must wait for another person's approval."""
    if kind in _UPDATE_KINDS:
        return not changes.isdisjoint(_ROUTING_CHANGES)
    return kind in _ALWAYS_APPROVED_KINDS


@dataclass(frozen=True)
class ApprovalRules:
    """Slack user ids allowed to decide (approvers) and to administer the bot (admins)."""

    approvers: frozenset[str]
    admins: frozenset[str]

    @property
    def deciders(self) -> frozenset[str]:
        # Admins can do everything approvers can.
        return self.approvers | self.admins


@dataclass(frozen=True)
class Verdict:
    """`reason` is a sentence meant for the user, whichever way the verdict goes."""

    allowed: bool
    reason: str


def may_approve(rules: ApprovalRules, requester: str, actor: str) -> Verdict:
    """Approve or reject: any approver or admin except the requester (four eyes)."""
    others = rules.deciders - {requester}
    ask = _ask(rules, others)
    if actor == requester:
        return Verdict(False, f"You requested this yourself; another approver must decide: {ask}")
    if actor not in rules.deciders:
        if not rules.deciders:
            return Verdict(False, f"Only approvers can decide, and none is configured: {_ADD_APPROVERS}.")
        if not others:
            return Verdict(False, f"Only approvers can decide, and another approver must: {ask}")
        return Verdict(False, f"Only approvers can decide: {ask}")
    return Verdict(True, "You may decide on this request.")


_ADD_APPROVERS = "ask whoever runs numbot to add approvers (NUMBOT_APPROVERS)"


def _ask(rules: ApprovalRules, others: frozenset[str]) -> str:
    """Whom to ask, `others` being the deciders other than the requester."""
    if others:
        return f"ask one of {_mentions(others)}."
    if rules.deciders:
        # Only the requester: naming them says why someone is configured and still nobody can decide.
        return f"the only approver is {_mentions(rules.deciders)}, who made this request; {_ADD_APPROVERS}."
    return f"none is configured; {_ADD_APPROVERS}."


def may_cancel(requester: str, actor: str) -> Verdict:
    """Cancel: only the person who asked (the state machine allows it only while pending)."""
    if actor != requester:
        return Verdict(False, f"Only <@{requester}>, who made this request, can cancel it.")
    return Verdict(True, "You may cancel your request.")


def may_admin(rules: ApprovalRules, actor: str) -> Verdict:
    if actor not in rules.admins:
        if not rules.admins:
            return Verdict(False, "Only admins can do this, and none is configured.")
        return Verdict(False, f"Only admins can do this: ask one of {_mentions(rules.admins)}.")
    return Verdict(True, "You are an admin.")


def may_settle(
    rules: ApprovalRules, actor: str, state: RequestState, executing_since: datetime, now: datetime
) -> Verdict:
    """Record by hand how an executing request ended: admins only, and only once it is stuck (its own
    thread would have finished by now), so a person never races the bot's own outcome."""
    admin = may_admin(rules, actor)
    if not admin.allowed:
        return admin
    if not ALLOWED_TRANSITIONS[state]:
        return Verdict(False, f"It already ended ({state.value}): there is nothing to settle.")
    if state is not RequestState.EXECUTING:
        return Verdict(
            False, f"It is {state.value} and has not started executing: there is nothing to settle."
        )
    require_aware(executing_since)
    require_aware(now)
    stuck_at = executing_since + STUCK_AFTER
    if now < stuck_at:
        wait = max(1, round((stuck_at - now).total_seconds()))
        return Verdict(
            False, f"It started executing moments ago and may still finish on its own: try again in {wait} s."
        )
    return Verdict(True, "You may record how it ended.")


def _mentions(user_ids: Iterable[str]) -> str:
    ordered = sorted(user_ids)
    named = ", ".join(f"<@{user_id}>" for user_id in ordered[:_MAX_NAMED_DECIDERS])
    hidden = len(ordered) - _MAX_NAMED_DECIDERS
    return f"{named} and {hidden} more" if hidden > 0 else named
