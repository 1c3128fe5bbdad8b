"""The scheduler's watcher jobs: poll pending provisioning, handle stored callbacks, reconcile stuck requests.

Every job works from numbot's own tables, so a restart resumes whatever was pending. Callbacks and polls
race freely: `watches.settle` lets only the first one report. A callback is only a hint that something
changed (Sinch does not keep their order): the number's state is always read back from the API first.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from bot import approvals
from bot.approvals.policy import STUCK_AFTER
from bot.blockkit.blocks import section, to_dicts, with_sandbox_note
from bot.inventory import snapshot
from bot.services import Services
from bot.sinch import (
    CallbackEvent,
    EventType,
    MalformedEventError,
    NotFound,
    NumberType,
    ResourceType,
    SinchError,
)
from bot.watching import orders
from bot.watching.callbacks import api_of, parse
from bot.watching.provisioning import (
    PartStatus,
    Report,
    active_parts,
    backoff,
    imported_parts,
    report,
    report_gone,
    settlement,
)
from bot.watching.telling import card_of, tell
from storage import events, requests, watches
from storage.events import EventApi, StoredEvent
from storage.outbox import OutboxMessage
from storage.watches import Watch

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
# From this many due numbers in one region and type, listing their pages is cheaper than a GET each.
LIST_FROM = 3
POLL_BATCH = 2000
EVENT_BATCH = 200
# Outcomes read back from Sinch are applied in one transaction per this many (for callbacks, or sooner
# once the first has waited this long): few takes of the write lock in a burst, little delay for one.
APPLY_EVERY = 50
APPLY_WITHIN_SECONDS = 0.25
DIGEST_KEY = "provisioning"

# A number's parts, or None when Sinch no longer has it.
NumberState = list[PartStatus] | None
GroupKey = tuple[EventApi, str | None, str | None]


@dataclass
class _Reads:
    """Numbers read from Sinch during one cycle, and how many API calls that took."""

    states: dict[str, NumberState] = field(default_factory=dict)
    calls: int = 0


def poll_once(services: Services) -> int:
    """One poll cycle over due watches; returns the number of Sinch API calls it made."""
    now = services.clock()
    due = watches.due(services.store, now, limit=POLL_BATCH)
    groups: dict[GroupKey, set[str]] = {}
    for watch in due:
        groups.setdefault((watch.api, watch.region, watch.number_type), set()).add(watch.phone_number)
    calls = 0
    for key, due_numbers in groups.items():
        group = watches.pending_in_group(services.store, *key)
        try:
            reads = _read_group(services, key, due_numbers)
        except SinchError as error:
            log.warning("polling %s numbers in %s/%s failed: %s", *key, error)
            _reschedule(services, [watch for watch in group if watch.phone_number in due_numbers])
            continue
        calls += reads.calls
        # Watches not due and not on the pages read are left alone: their own turn comes.
        endings = [
            (watch, _watch_ending(services, watch, reads.states[watch.phone_number]))
            for watch in group
            if watch.phone_number in reads.states
        ]
        for start in range(0, len(endings), APPLY_EVERY):
            with services.store.transaction():  # few lock takes, as for callbacks
                for watch, ending in endings[start : start + APPLY_EVERY]:
                    if ending is not None:
                        _settle(services, watch, ending)
                    elif watch.phone_number in due_numbers:
                        _reschedule(services, [watch])
    return calls


def process_events(services: Services) -> int:
    """Handle stored callbacks in arrival order, including any stored meanwhile; returns how many."""
    handled = 0
    while True:
        batch = _process_event_batch(services)
        handled += batch
        if batch == 0:
            return handled


def _process_event_batch(services: Services) -> int:
    handled = 0
    planned: list[tuple[StoredEvent, _Plan]] = []
    first_planned_at = 0.0
    for stored in events.unprocessed(services.store, limit=EVENT_BATCH):
        try:
            planned.append((stored, _plan_event(services, stored)))
        except SinchError as error:
            # Reading the state back failed: leave the event for the next run rather than guess.
            log.warning("callback %s kept for later: %s", stored.event_id, error)
            continue
        if len(planned) == 1:
            first_planned_at = time.monotonic()
        if len(planned) >= APPLY_EVERY or time.monotonic() - first_planned_at >= APPLY_WITHIN_SECONDS:
            handled += _apply(services, planned)
            planned = []
    return handled + _apply(services, planned)


@dataclass(frozen=True)
class _Plan:
    """What a stored callback means (`outcome`, kept on the event) and what handling it does (`effect`,
    run in the transaction that marks it handled)."""

    outcome: str
    effect: Callable[[], None] | None = None


def _apply(services: Services, planned: list[tuple[StoredEvent, _Plan]]) -> int:
    """Mark the events handled and do what they cause, in one transaction.

    Together: a second worker handling the same event (or a crash in between) can neither report it twice
    nor mark it handled without reporting it. Several events per transaction: callback receivers then
    wait for the write lock once per batch, not once per event.
    """
    if not planned:
        return 0
    handled = 0
    with services.store.transaction():
        for stored, plan in planned:
            if events.mark_processed(services.store, stored.event_id, plan.outcome, services.clock()):
                if plan.effect is not None:
                    plan.effect()
                handled += 1
    return handled


def reconcile_executing(services: Services) -> int:
    """Settle requests left "executing" by a crash, from Sinch's state; never repeats the operation."""
    finished = 0
    cutoff = services.clock() - STUCK_AFTER
    for request in requests.stuck_executing(services.store, cutoff):
        reconcile = services.after_approval[request.kind].reconcile
        if isinstance(reconcile, approvals.SettledByHand):
            log.warning(
                "request %s is stuck executing. %s", request.id, approvals.settle_hint(request, reconcile)
            )
            continue
        try:
            outcome = reconcile(services, request)
        except SinchError as error:
            log.warning("reconciling %s failed, retrying later: %s", request.id, error)
            continue
        if outcome is not None:
            approvals.finish(services, request, outcome)
            finished += 1
    return finished


# Reading state


def _read_group(services: Services, key: GroupKey, due_numbers: set[str]) -> _Reads:
    api, region, number_type = key
    reads = _Reads()
    listable = region is not None and (api == "imported" or number_type is not None)
    if listable and len(due_numbers) >= LIST_FROM:
        _read_pages(services, key, due_numbers, reads)
    for phone_number in sorted(due_numbers - reads.states.keys()):
        reads.states[phone_number] = _read_one(services, api, phone_number)
        reads.calls += 1
    return reads


def _read_pages(services: Services, key: GroupKey, wanted: set[str], reads: _Reads) -> None:
    """List the group page by page until every wanted number was seen, or single reads get cheaper."""
    api, region, number_type = key
    pages = (
        services.sinch.imported_list(region, page_size=PAGE_SIZE).pages()
        if api == "imported"
        else services.sinch.list_active(region, NumberType(number_type or ""), page_size=PAGE_SIZE).pages()
    )
    listed = 0
    for page in pages:
        reads.calls += 1
        listed += len(page.items)
        for number in page.items:
            parts = imported_parts(number) if api == "imported" else active_parts(number)  # type: ignore[arg-type]
            reads.states[number.phone_number] = parts
        unseen = len(wanted - reads.states.keys())
        pages_left = math.ceil(max((page.total_size or 0) - listed, 0) / PAGE_SIZE)
        if unseen == 0 or unseen <= pages_left:
            return
    # Listed to the end: a wanted number that never showed up is gone (or its read below says why not).


def _read_one(services: Services, api: EventApi, phone_number: str) -> NumberState:
    try:
        if api == "imported":
            return imported_parts(services.sinch.imported_get(phone_number))
        return active_parts(services.sinch.get_active(phone_number))
    except NotFound:
        return None


# Settling and telling


@dataclass(frozen=True)
class _Ending:
    outcome: str
    report: Report


def _ending(
    services: Services, phone_number: str, watched: str, state: NumberState, *, request_id: str | None
) -> _Ending | None:
    """How the watched parts ended, or None while any of them is still provisioning."""
    if state is None:
        return _Ending("gone", report_gone(phone_number, request_id=request_id, sandbox=services.sandbox))
    settled = settlement(phone_number, state, watched)
    if settled is None:
        return None
    return _Ending(settled.outcome, report(settled, request_id=request_id, sandbox=services.sandbox))


def _watch_ending(services: Services, watch: Watch, state: NumberState) -> _Ending | None:
    return _ending(services, watch.phone_number, watch.parts, state, request_id=watch.request_id)


def _settle(services: Services, watch: Watch, ending: _Ending) -> None:
    """Record the outcome and queue its messages together; a poll and a callback racing report once."""
    with services.store.transaction():
        if watches.settle(services.store, watch.phone_number, watch.api, ending.outcome, services.clock()):
            snapshot.changed(services)  # provisioning ended: the number's configuration is new
            tell(services, watch.request_id, ending.report, digest_key=DIGEST_KEY)


def _reschedule(services: Services, pending: Iterable[Watch]) -> None:
    now = services.clock()
    for watch in pending:
        watches.reschedule(services.store, watch.phone_number, watch.api, now + backoff(watch.checks + 1))


def _plan_event(services: Services, stored: StoredEvent) -> _Plan:
    """What a stored callback means: its outcome, and what to do once it is marked handled.

    A number order's callback is planned by `bot.watching.orders`; every other is about a number. Sinch is
    read here, outside any transaction, so no database lock is held across an HTTP call.
    """
    try:
        event = parse(stored.raw_body)
    except MalformedEventError:
        return _Plan("malformed")
    if not event.resource_id:
        return _Plan("ignored: not about a number")
    if event.resource_type is ResourceType.NUMBER_ORDER:
        checked = orders.plan_event(services, event.resource_id)
        return _Plan(checked.outcome, checked.effect)
    return _plan_number(services, event, event.resource_id)


def _plan_number(services: Services, event: CallbackEvent, phone_number: str) -> _Plan:
    api = api_of(event)
    watch = watches.get_watch(services.store, phone_number, api)
    if watch is not None and watch.settled_at is not None:
        return _Plan(f"already settled: {watch.outcome}")
    if watch is None:
        return _plan_unrequested(services, event, api)
    state = _read_one(services, api, phone_number)
    ending = _watch_ending(services, watch, state)
    if ending is None:
        return _Plan("still pending")
    return _Plan("settled", partial(_settle, services, watch, ending))


# The part of a number each provisioning event is about; other events (unlinks, deletions) end nothing
# numbot reports.
_EVENT_PARTS: dict[EventApi, dict[EventType, str]] = {
    "numbers": {
        EventType.PROVISIONING_TO_SMS_PLATFORM: "sms",
        EventType.PROVISIONING_TO_CAMPAIGN: "sms",
        EventType.PROVISIONING_TO_VOICE_PLATFORM: "voice",
    },
    "imported": {
        EventType.PROVISIONING_TO_SMS_PLATFORM: "sms",
        EventType.LINK_TO_10DLC_CAMPAIGN: "campaign",
    },
}


def _plan_unrequested(services: Services, event: CallbackEvent, api: EventApi) -> _Plan:
    """An event about a number numbot never watched: report the part it is about, as Sinch has it now.

    A number no longer in the project, or an event that ends no provisioning, is only logged: numbot has
    nothing true to add in a channel.
    """
    phone_number = event.resource_id or ""
    what = f"{event.event_type} {event.status}"
    part = _EVENT_PARTS[api].get(event.event_type) if event.event_type is not None else None
    state = _read_one(services, api, phone_number) if part is not None else None
    if part is None or state is None:
        log.info("Sinch event %s for %s, which numbot never watched: nothing to report", what, phone_number)
        return _Plan("ignored: not watched by numbot")
    settled = settlement(phone_number, state, part)
    if settled is None:
        return _Plan("still running: not requested by numbot")  # its final event will come
    message = report(settled, request_id=None, sandbox=services.sandbox, unrequested=True)
    effect = partial(_tell_unrequested, services, phone_number, what, message)
    return _Plan("reported: not requested by numbot", effect)


def _tell_unrequested(services: Services, phone_number: str, what: str, message: Report) -> None:
    """Sinch changed a number numbot did not ask about: say so, with its current state from the API."""
    log.info("Sinch event %s for %s, which numbot did not request", what, phone_number)
    tell(services, None, message, digest_key=DIGEST_KEY)


def end_watch_on_removal(services: Services, phone_number: str, api: EventApi, request_id: str) -> None:
    """A number removed by an approved request is no longer watched. The request that started the watch
    hears in its thread which request removed the number, instead of a later "gone"."""
    watch = watches.get_watch(services.store, phone_number, api)
    if watch is None:
        return
    with services.store.transaction():
        outcome = f"removed by request {request_id}"
        if not watches.settle(services.store, phone_number, api, outcome, services.clock()):
            return
        card = card_of(services, watch.request_id) if watch.request_id != request_id else None
        if card is not None:
            text = (
                f":wastebasket: `{phone_number}` was removed by request {request_id} before its provisioning "
                "ended; numbot stopped watching it."
            )
            blocks = to_dicts(with_sandbox_note([section(text)], services.sandbox))
            services.notifier.post(OutboxMessage(card.channel, text, blocks, parent_id=card.id))
