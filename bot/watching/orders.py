"""Number Orders after the submit: follow each one to its end and tell the request's thread every change.

Workflows call `remember` when they create an order (Sinch cannot list orders, so numbot must keep every
id) and `follow` once it is submitted. From then on a NUMBER_ORDER_PROCESSING callback (planned by the
watcher like every stored callback) or a poll (`poll_due`, for callbacks that never arrive) reads the
order back from Sinch: the state Sinch answers is the truth, whatever a callback said, so a duplicate or
late callback finds nothing new and an order never moves backwards. Each change is recorded and its
message queued in one transaction, conditionally, so a callback racing a poll tells it once.

Before the submit the order waits on its request: the request's deadline is the reservation's end
(`reservation_end`), so the approvals engine expires both together; `remind_expiring` warns the card's
thread once, shortly before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blockkit import ids
from bot.blockkit.blocks import MESSAGE_BLOCKS, SECTION_TEXT, chunks, section, to_dicts, with_sandbox_note
from bot.blockkit.dates import slack_date
from bot.blockkit.metadata import OrderAgain, OrderRef
from bot.blockkit.text import escape
from bot.errors import UserFacingError
from bot.inventory import snapshot
from bot.services import Services
from bot.sinch import ActiveNumber, NotFound, NumberOrder, NumberOrderState, SinchError
from bot.watching.provisioning import (
    FIRST_CHECK,
    PartState,
    Report,
    active_parts,
    backoff,
    provisioning_note,
    watch_if_pending,
)
from bot.watching.telling import card_of, tell
from storage import orders
from storage.orders import CREATED, TrackedOrder
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

DIGEST_KEY = "number order"
POLL_BATCH = 200
# Time enough for an approver to read the card and decide; a reservation shorter than four times this (the
# spec allows 30 minutes) is reminded a quarter before its end, so the reminder never comes at creation.
REMINDER_LEAD = timedelta(minutes=30)
_SUMMARIZED = frozenset(
    {
        NumberOrderState.COMPLETED,
        NumberOrderState.REJECTED,
        NumberOrderState.BLOCKED,
        NumberOrderState.EXPIRED,
    }
)
# What a settled row records when Sinch no longer knows the order.
GONE = "GONE"


def reminder_lead(reservation: timedelta) -> timedelta:
    """How long before a reservation of this length ends its pending request is reminded."""
    return min(REMINDER_LEAD, reservation / 4)


def reservation_end(order: NumberOrder, now: datetime) -> datetime:
    """The deadline of the order's request (`RequestDraft.deadline`): it expires when the reservation does."""
    if order.expire_time is None or order.expire_time <= now:
        raise UserFacingError(
            f"The reservation of number order {escape(order.id_number_order)} has already lapsed: "
            "create a new order."
        )
    return order.expire_time


def remember(
    services: Services, order: NumberOrder, *, request_id: str | None, form: str | None = None
) -> None:
    """Keep an order numbot created, with the request that decides on it (and the order form that made it,
    see `storage.orders.made_by_form`)."""
    now = services.clock()
    remind_at = None
    if order.expire_time is not None:
        reservation = order.expire_time - (order.create_time or now)
        remind_at = order.expire_time - reminder_lead(reservation)
    orders.remember(
        services.store,
        order_id=order.id_number_order,
        request_id=request_id,
        region=order.region_code,
        number_type=order.number_type.value if order.number_type else None,
        state=order.state.value,
        expire_time=order.expire_time,
        numbers=tuple(order.phone_numbers),
        now=now,
        remind_at=remind_at,
        form=form,
    )


def follow(services: Services, order: NumberOrder, *, request_id: str) -> None:
    """The order was submitted (the request's outcome says so): report every change from here on, in
    `request_id`'s thread (a fixed order resubmitted by a new request moves to the new one's thread)."""
    now = services.clock()
    with services.store.transaction():
        remember(services, order, request_id=request_id)
        orders.follow(
            services.store,
            order.id_number_order,
            state=NumberOrderState.IN_REVIEW.value,
            next_check_at=now + FIRST_CHECK,
            request_id=request_id,
        )


@dataclass(frozen=True)
class Check:
    """What reading an order back found (`outcome`, kept on a callback) and what telling it takes (`effect`,
    run inside the transaction that records it)."""

    outcome: str
    effect: Callable[[], None] | None = None


def plan_event(services: Services, order_id: str) -> Check:
    """A NUMBER_ORDER_PROCESSING callback about `order_id`: only a hint to read the order back."""
    tracked = orders.get_order(services.store, order_id)
    if tracked is None:
        log.info("Sinch event for number order %s, which numbot did not create: ignored", order_id)
        return Check("ignored: an order numbot did not create")
    if tracked.settled_at is not None:
        return Check(f"already told: {tracked.state}")
    return check(services, tracked)


def check(services: Services, tracked: TrackedOrder) -> Check:
    """Read the order from Sinch (and, when it changed, its review log); outside any transaction."""
    if tracked.state == CREATED:
        return Check("ignored: not submitted, its request decides")
    try:
        order = services.sinch.get_number_order(tracked.order_id)
    except NotFound:
        return Check("gone", partial(_tell_gone, services, tracked))
    state = order.state.value
    if state == tracked.state:
        return Check(f"nothing new: still {state}")
    logs = services.sinch.get_number_order_registration(tracked.order_id).logs
    news = [entry.message for entry in logs[tracked.logs_told :]]
    actives = _activated(services, order) if order.state is NumberOrderState.COMPLETED else []
    pending = sorted(
        {part.part for number in actives for part in active_parts(number) if part.state is PartState.PENDING}
    )
    message = order_report(
        order, news, pending=pending, request_id=tracked.request_id, sandbox=services.sandbox
    )
    last_log = logs[-1].message if logs else None
    change = _Change(tracked, order, len(logs), message, actives, last_log)
    return Check(f"told {state}", partial(_tell_change, services, change))


def poll_due(services: Services) -> int:
    """One poll over followed orders whose check is due; returns how many were read."""
    now = services.clock()
    due = orders.due(services.store, now, limit=POLL_BATCH)
    for tracked in due:
        try:
            found = check(services, tracked)
        except SinchError as error:
            log.warning("checking number order %s failed: %s", tracked.order_id, error)
            found = Check("unread")
        with services.store.transaction():
            if found.effect is not None:
                found.effect()
            else:
                later = now + backoff(tracked.checks + 1)
                orders.reschedule(services.store, tracked.order_id, now=now, next_check_at=later)
    return len(due)


def remind_expiring(services: Services) -> int:
    """Warn each pending order request's thread, once, that its reservation ends soon; returns how many."""
    now = services.clock()
    reminded = 0
    for tracked in orders.due_reminders(services.store, now):
        card = card_of(services, tracked.request_id)
        with services.store.transaction():
            if not orders.mark_reminded(services.store, tracked.order_id, now) or card is None:
                continue
            text = reminder_text(tracked)
            blocks = to_dicts(with_sandbox_note([section(text)], services.sandbox))
            services.notifier.post(OutboxMessage(card.channel, text, blocks, parent_id=card.id))
            reminded += 1
    return reminded


def reminder_text(tracked: TrackedOrder) -> str:
    until = slack_date(tracked.expire_time) if tracked.expire_time else "soon"
    return (
        f":alarm_clock: The numbers of this order are reserved only until {until}. Unless someone approves "
        "it before then, the request expires and the reservation lapses."
    )


# Telling


@dataclass(frozen=True)
class _Change:
    seen: TrackedOrder
    order: NumberOrder
    logs_told: int
    message: Report
    actives: list[ActiveNumber]
    last_log: str | None


def _tell_change(services: Services, change: _Change) -> None:
    """Record the new state and queue its messages (and watch completed numbers), unless told already."""
    now = services.clock()
    final = change.order.state.is_final
    recorded = orders.advance(
        services.store,
        change.seen,
        state=change.order.state.value,
        logs_told=change.logs_told,
        numbers=tuple(change.order.phone_numbers) or change.seen.numbers,
        now=now,
        next_check_at=None if final else now + FIRST_CHECK,
        settled=final,
        last_log=change.last_log,
    )
    if not recorded:
        return
    if change.actives:
        snapshot.changed(services)
    for number in change.actives:
        watch_if_pending(services, number, request_id=change.seen.request_id)
    # How an order ended, or that it needs the team (BLOCKED), is news for the notifications channel too.
    outcome = change.order.state in _SUMMARIZED
    tell(services, change.seen.request_id, change.message, digest_key=DIGEST_KEY, summarize=outcome)


def _tell_gone(services: Services, tracked: TrackedOrder) -> None:
    now = services.clock()
    recorded = orders.advance(
        services.store,
        tracked,
        state=GONE,
        logs_told=tracked.logs_told,
        numbers=tracked.numbers,
        now=now,
        next_check_at=None,
        settled=True,
    )
    if recorded:
        text = (
            f":grey_question: Sinch no longer knows number order `{escape(tracked.order_id)}`; "
            "numbot stopped following it."
        )
        message = Report(text, to_dicts(with_sandbox_note([section(text)], services.sandbox)), text)
        tell(services, tracked.request_id, message, digest_key=DIGEST_KEY, summarize=False)


def _activated(services: Services, order: NumberOrder) -> list[ActiveNumber]:
    """The completed order's numbers as active numbers, to watch their SMS and voice provisioning."""
    found = []
    for phone_number in order.phone_numbers:
        try:
            found.append(services.sinch.get_active(phone_number))
        except NotFound:
            log.warning("number %s of completed order %s is not active", phone_number, order.id_number_order)
    return found


def order_report(
    order: NumberOrder, news: Sequence[str], *, pending: Sequence[str], request_id: str | None, sandbox: bool
) -> Report:
    """Pure: the thread message for the order's new state, quoting the review team's new messages."""
    name = f"number order `{escape(order.id_number_order)}`"
    numbers = [f"`{escape(number)}`" for number in order.phone_numbers]
    state = order.state
    quoted = [_quote(message) for message in news]
    if state is NumberOrderState.COMPLETED:
        lines = [f":white_check_mark: The {name} is complete; these numbers are now active:"]
        lines += [f"• {number}" for number in numbers]
        if pending:
            lines.append(provisioning_note(pending))
        lines += _wrote(quoted)
    elif state is NumberOrderState.REJECTED:
        lines = [
            f":no_entry_sign: Sinch rejected the {name}; its numbers went back to Sinch. A rejection is "
            "final: this order cannot be fixed, but a new one can be started."
        ]
        lines += _reason(quoted)
    elif state is NumberOrderState.BLOCKED:
        until = (
            f" (the numbers stay reserved until {slack_date(order.expire_time)})" if order.expire_time else ""
        )
        lines = [
            f":warning: Sinch blocked the {name} until its registration is fixed{until}. The requester can "
            "fix it and resubmit it; a second person approves the resubmission."
        ]
        lines += _reason(quoted)
    elif state is NumberOrderState.EXPIRED:
        lines = [
            f":hourglass: The {name} expired: the reservation lapsed and its numbers went back to Sinch."
        ]
        lines += _wrote(quoted)
    elif state is NumberOrderState.IN_REVIEW:
        lines = [f":mag: The {name} is in Sinch's review; numbot reports its outcome here.", *_wrote(quoted)]
    else:
        lines = [f":grey_question: The {name} is now {escape(state.value)}.", *_wrote(quoted)]
    suffix = f" (request {request_id})" if request_id else ""
    if state is NumberOrderState.COMPLETED:
        summary = f":white_check_mark: The {name} completed: {', '.join(numbers)} active{suffix}."
    else:
        summary = f"{lines[0]}{suffix}"
    actions = _next_step(order)
    room = MESSAGE_BLOCKS - 1 - (1 if actions else 0)
    shown: list[Block] = [section(text) for text in chunks(lines, SECTION_TEXT)[:room]]
    blocks = to_dicts(with_sandbox_note(shown + ([actions] if actions else []), sandbox))
    return Report("\n".join(lines), blocks, summary)


def order_again(order: NumberOrder) -> OrderAgain | None:
    """The same order again: its one number, or as many numbers of its region and type."""
    if not order.region_code or order.number_type is None:
        return None
    numbers = order.phone_numbers
    return OrderAgain(
        region=order.region_code,
        type=order.number_type.value,
        phone_number=numbers[0] if len(numbers) == 1 else None,
        quantity=max(len(numbers), 1),
    )


def _next_step(order: NumberOrder) -> ActionsBlock | None:
    """A blocked order can be fixed; a rejected one only replaced by a new order."""
    if order.state is NumberOrderState.BLOCKED:
        button = ButtonElement(
            text="Fix and resubmit",
            action_id=ids.ORDER_FIX,
            value=OrderRef(order_id=order.id_number_order).encode(),
            style="primary",
        )
    elif order.state is NumberOrderState.REJECTED and (again := order_again(order)) is not None:
        button = ButtonElement(text="Start a new order", action_id=ids.ORDER_AGAIN, value=again.encode())
    else:
        return None
    return ActionsBlock(block_id=f"order-next:{order.id_number_order}", elements=[button])


def _quote(message: str) -> str:
    return "\n".join(f">{escape(line)}" for line in message.splitlines() or [""])


def _reason(quoted: list[str]) -> list[str]:
    return ["Sinch's review team wrote:", *quoted] if quoted else ["Sinch gave no reason."]


def _wrote(quoted: list[str]) -> list[str]:
    return ["Sinch's review team wrote:", *quoted] if quoted else []
