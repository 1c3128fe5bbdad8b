"""Four-eyes approvals: submit a request, decide on it, run it exactly once, and tell everyone.

The state machine (`policy`, enforced by storage.requests.transition):
pending → approved → executing → done | failed; pending → rejected | expired | cancelled.
Every step is a conditional update, so double clicks and concurrent approvers yield exactly one decision
and at most one execution; the card in the approvals channel is re-rendered from the stored request after
each step, and outcomes are posted in its thread for the requester.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from bot.approvals import policy
from bot.approvals.card import render_card, render_outcome_reply
from bot.approvals.spend import with_spend
from bot.blockkit.blocks import mention
from bot.blockkit.text import escape
from bot.errors import UserFacingError
from bot.inventory import snapshot
from bot.inventory.budget import MonthlyCost
from bot.services import Services
from bot.sinch import SinchError, Transport
from storage import outbox, requests
from storage.outbox import OutboxMessage
from storage.request_types import RequestState
from storage.requests import Request, RequestDraft

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "numbot"


class CardSummary(BaseModel):
    """What the approval card shows about a request; workflows build it, storage keeps it as JSON."""

    title: str
    fields: list[tuple[str, str]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # What a removal takes off the monthly bill (costs a request adds are its draft's `monthly_cost`).
    removes_monthly: MonthlyCost | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class Outcome:
    """How an approved request ended: `text` is the sentence users read, `result` is kept on the request.

    `text` is mrkdwn (it may mention people and show dates): its builder escapes every value it quotes.
    """

    ok: bool
    text: str
    result: dict[str, Any] | None = None


Execute = Callable[[Services, Request], Outcome]
# None while the truth is still unknown (Sinch may not have finished): the reconciler reads again later.
Reconcile = Callable[[Services, Request], "Outcome | None"]


@dataclass(frozen=True)
class SettledByHand:
    """A kind whose lost Sinch answer cannot be read back: `why` tells the admin who settles it by hand
    (`/numbers settle`)."""

    why: str


@dataclass(frozen=True)
class Executor:
    """What runs once a request of one kind is approved.

    `describe` names the kind for people ("rent a number"). `reconcile` reads the true state back from Sinch
    when `execute` could not tell whether its call took effect (a timeout after sending, a crash mid-call).
    """

    describe: str
    execute: Execute
    reconcile: Reconcile | SettledByHand


def submit(services: Services, draft: RequestDraft) -> Request:
    """Store a pending request and queue its card atomically: a retried submit posts no second card."""
    channel = services.settings.numbot_approvals_channel
    if channel is None:
        raise UserFacingError("No approvals channel is configured (NUMBOT_APPROVALS_CHANNEL); ask an admin.")
    store = services.store
    now = services.clock()
    draft = with_spend(services, draft)
    with store.transaction():
        request = requests.create_request(store, draft, now)
        if request.card_outbox_id is None:
            text, blocks = render_card(request, now=now, sandbox=services.sandbox)
            card_id = outbox.enqueue(store, OutboxMessage(channel=channel, text=text, blocks=blocks), now)
            requests.set_card(store, request.id, card_id)
            request = _reload(services, request.id)
    services.notifier.kick()
    return request


def decide(
    services: Services, request_id: str, actor: str, *, approve: bool, reason: str | None = None
) -> Request:
    """Approve (and then run) or reject a pending request; UserFacingError explains any refusal."""
    request = load(services, request_id)
    verdict = policy.may_approve(services.directory.rules_now(), request.requester, actor)
    if not verdict.allowed:
        raise UserFacingError(verdict.reason)
    if not approve:
        with services.store.transaction():
            rejected = _move(
                services, request, {RequestState.PENDING}, RequestState.REJECTED, actor, reason=reason
            )
            _reply(services, rejected, f"Reason: {escape(reason)}" if reason else None)
        return rejected
    approved = _move(services, request, {RequestState.PENDING}, RequestState.APPROVED, actor, reason=reason)
    return _execute(services, approved)


def cancel(services: Services, request_id: str, actor: str) -> Request:
    request = load(services, request_id)
    verdict = policy.may_cancel(request.requester, actor)
    if not verdict.allowed:
        raise UserFacingError(verdict.reason)
    return _move(services, request, {RequestState.PENDING}, RequestState.CANCELLED, actor)


def expire_due(services: Services) -> int:
    """Expire pending requests past their deadline; returns how many this call expired."""
    expired = 0
    for request in requests.due_for_expiry(services.store, services.clock()):
        try:
            with services.store.transaction():
                moved = _move(services, request, {RequestState.PENDING}, RequestState.EXPIRED, SYSTEM_ACTOR)
                _reply(services, moved)
        except UserFacingError:
            continue  # decided a moment ago by a person: their decision stands
        expired += 1
    return expired


def _execute(services: Services, approved: Request) -> Request:
    # Persist the intent before the call: if we die mid-call, the reconciler finds it "executing".
    executing = _move(services, approved, {RequestState.APPROVED}, RequestState.EXECUTING, SYSTEM_ACTOR)
    executor = services.after_approval[executing.kind]
    try:
        outcome = executor.execute(services, executing)
    except Transport as exc:
        if not exc.may_have_reached_server:
            outcome = Outcome(False, f"Sinch could not be reached, so nothing was done: {escape(str(exc))}")
        else:
            checked = (
                None
                if isinstance(executor.reconcile, SettledByHand)
                else executor.reconcile(services, executing)
            )
            # A read right after a lost answer can come before Sinch finished the work: only success is
            # conclusive now; the stuck-request reconciler reads again later and records the truth.
            if checked is None or not checked.ok:
                log.warning("outcome of %s unknown after %s; the reconciler will check", executing.id, exc)
                _reply(services, executing, _lost_answer(executing, executor, exc))
                return executing
            outcome = checked
    except SinchError as exc:
        outcome = Outcome(False, escape(str(exc)))
    return finish(services, executing, outcome)


def settle_by_hand(services: Services, request_id: str, actor: str, *, ok: bool, note: str) -> Request:
    """An admin records how a stuck request ended, from what they found (numbot cannot tell, e.g. a
    rent-any whose answer was lost); nothing is sent to Sinch."""
    request = load(services, request_id)
    verdict = policy.may_settle(
        services.directory.rules_now(), actor, request.state, request.updated_at, services.clock()
    )
    if not verdict.allowed:
        raise UserFacingError(f"Request {request.id} cannot be settled by hand. {verdict.reason}")
    text = f"Settled by {mention(actor)} as {'done' if ok else 'failed'}: {escape(note)}"
    settled = _finish(services, request, Outcome(ok, text, {"text": text} if ok else None), actor)
    if settled is None:
        raise UserFacingError(already_moved(_reload(services, request.id)))  # the reconciler got there first
    return settled


def _lost_answer(executing: Request, executor: Executor, error: Transport) -> str:
    said = f"Sinch's answer was lost ({escape(str(error))}). Nothing will be done twice."
    if isinstance(executor.reconcile, SettledByHand):
        return f"{said} {settle_hint(executing, executor.reconcile)}"
    return said


def settle_hint(request: Request, settled_by_hand: SettledByHand) -> str:
    """How a person closes a request numbot cannot settle itself."""
    return (
        f"{settled_by_hand.why} An admin can record how it ended: "
        f"`/numbers settle {request.id} done|failed <what they found>`"
    )


def finish(services: Services, executing: Request, outcome: Outcome) -> Request:
    """Record how an executing request ended and tell the approvals channel and the requester."""
    finished = _finish(services, executing, outcome, SYSTEM_ACTOR)
    return finished or _reload(services, executing.id)  # None: the reconciler got there first


def _finish(services: Services, executing: Request, outcome: Outcome, actor: str) -> Request | None:
    """Finish the request if it is still executing; None if someone else already did."""
    target = RequestState.DONE if outcome.ok else RequestState.FAILED
    with services.store.transaction():  # the new state and the messages saying so commit together
        finished = requests.transition(
            services.store,
            executing.id,
            expected={RequestState.EXECUTING},
            to=target,
            actor=actor,
            now=services.clock(),
            result=outcome.result,
            error=None if outcome.ok else outcome.text,
        )
        if finished is not None:
            # Whatever the request did (or half did), the inventory snapshot reads Sinch again soon.
            snapshot.changed(services)
            _update_card(services, finished)
            _reply(services, finished, outcome.text)
    return finished


def _move(
    services: Services,
    request: Request,
    expected: set[RequestState],
    target: RequestState,
    actor: str,
    *,
    reason: str | None = None,
) -> Request:
    with services.store.transaction():  # the new state and the card showing it commit together
        moved = requests.transition(
            services.store,
            request.id,
            expected=expected,
            to=target,
            actor=actor,
            now=services.clock(),
            reason=reason,
        )
        if moved is None:
            raise UserFacingError(already_moved(_reload(services, request.id)))
        _update_card(services, moved)
    return moved


def already_moved(request: Request) -> str:
    by = f" by <@{request.decided_by}>" if request.decided_by and request.decided_by != SYSTEM_ACTOR else ""
    return f"Request {request.id} is already {request.state.value}{by}; nothing more to do."


def _update_card(services: Services, request: Request) -> None:
    if request.card_outbox_id is not None:
        text, blocks = render_card(request, now=services.clock(), sandbox=services.sandbox)
        _post_on_card(services, request.card_outbox_id, text, blocks, edit=True)


def _reply(services: Services, request: Request, detail: str | None = None) -> None:
    """Tell the requester, in the card's thread, how their request ended."""
    if request.card_outbox_id is not None:
        text, blocks = render_outcome_reply(request, detail, sandbox=services.sandbox)
        _post_on_card(services, request.card_outbox_id, text, blocks, edit=False)


def _post_on_card(
    services: Services, card_id: int, text: str, blocks: list[dict[str, Any]], *, edit: bool
) -> None:
    """Replace the card (`edit`) or reply in its thread, in the card's own channel: the configured one may
    have changed since the card was posted."""
    card = outbox.get_message(services.store, card_id)
    assert card is not None, "outbox rows are never deleted"
    services.notifier.post(
        OutboxMessage(
            channel=card.channel,
            text=text,
            blocks=blocks,
            update_of=card_id if edit else None,
            parent_id=None if edit else card_id,
        )
    )


def load(services: Services, request_id: str) -> Request:
    request = requests.get_request(services.store, request_id)
    if request is None:
        raise UserFacingError(f"There is no request {request_id}.")
    return request


def _reload(services: Services, request_id: str) -> Request:
    request = requests.get_request(services.store, request_id)
    assert request is not None, "requests are never deleted"
    return request
