"""The watcher against the Sinch sandbox: polling cost, backoff, restarts, the lease, stuck requests."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import approvals
from bot.approvals import Executor, Outcome
from bot.scheduler import LEASE_NAME, LEASE_SECONDS
from bot.services import Services
from bot.sinch import (
    ActiveNumber,
    BasicAuth,
    Capability,
    NumberType,
    SinchClient,
    SmsConfiguration,
    UpdateActiveNumber,
)
from bot.watching import callbacks, watcher
from bot.watching.provisioning import MAX_BACKOFF, backoff, watch_if_pending
from sandbox.sinch import RunningSandbox
from storage import Store, leases, outbox, watches
from storage.outbox import OutboxMessage
from storage.request_types import RequestKind, RequestState
from storage.requests import Request
from tests.e2e.provisioning_world import (
    ClockedWorld,
    channel_message,
    clocked_world,
    stuck_request,
    submit_rent,
    thread_reply,
)
from tests.harness import (
    ALERTS,
    PROJECT_ID,
    SINCH_KEY_ID,
    SINCH_KEY_SECRET,
    outbox_refusing_rows,
    run_after_approval,
)

POLL = "poll-provisioning"


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[ClockedWorld]:
    with clocked_world(tmp_path) as started:
        yield started


def start_provisioning(services: Services, numbers: list[str]) -> None:
    """Link each number to a service plan (provisioned asynchronously) and watch it, with no request."""
    for number in numbers:
        update = UpdateActiveNumber(sms_configuration=SmsConfiguration(service_plan_id="plan-bulk"))
        watch_if_pending(services, services.sinch.update_active(number, update), request_id=None)


def sms_capable(clocked: ClockedWorld, count: int) -> list[str]:
    """`count` active numbers that can take an SMS configuration (the sandbox mixes in voice-only ones)."""
    world = clocked.world
    world.sinch.state.seed_active_numbers(count * 2, project_id=PROJECT_ID)
    listed = world.services.sinch.list_active(
        "US", NumberType.LOCAL, capabilities=[Capability.SMS], limit=count
    )
    numbers = [number.phone_number for number in listed]
    assert len(numbers) == count
    return numbers


def test_polling_500_pending_numbers_takes_one_list_call_not_500(clocked: ClockedWorld) -> None:
    world, services = clocked.world, clocked.world.services
    numbers = sms_capable(clocked, 500)
    start_provisioning(services, numbers)
    clocked.clock.advance(timedelta(seconds=11))
    world.sinch.requests.clear()

    calls = world.runtime.scheduler.run_now(POLL)

    assert calls == len(world.sinch.requests) == 1
    assert all(w.checks == 1 for w in watches.pending(services.store))  # still provisioning: backed off

    world.sinch.complete_provisioning()
    clocked.clock.advance(timedelta(seconds=21))
    world.sinch.requests.clear()
    assert world.runtime.scheduler.run_now(POLL) == len(world.sinch.requests) == 1

    assert watches.pending(services.store) == []
    last = numbers[-1]
    channel_message(world, ALERTS.id, last, timeout=15)
    posted = world.slack.messages(ALERTS.id)
    # Digests form from whatever is waiting while the watcher still queues outcomes, so their count
    # varies a little with timing; 500 single posts would take 8 minutes at Slack's rate.
    assert len(posted) <= 25, "a burst of outcomes is digested, not posted one by one"
    everything = "".join(message.text + str(message.blocks) for message in posted)
    assert all(number in everything for number in numbers)


def test_a_number_still_provisioning_is_polled_less_and_less_often(clocked: ClockedWorld) -> None:
    world, services = clocked.world, clocked.world.services
    [number] = sms_capable(clocked, 1)
    start_provisioning(services, [number])

    waits = []
    for _ in range(4):
        watch = watches.get_watch(services.store, number, "numbers")
        assert watch is not None
        clocked.clock.advance(watch.next_check_at - services.clock() + timedelta(milliseconds=1))
        world.runtime.scheduler.run_now(POLL)
        after = watches.get_watch(services.store, number, "numbers")
        assert after is not None
        waits.append(round((after.next_check_at - services.clock()).total_seconds()))

    assert waits == [20, 40, 80, 160]
    assert backoff(20) == MAX_BACKOFF


def test_polling_reports_the_outcome_in_the_request_thread_without_callbacks(clocked: ClockedWorld) -> None:
    world = clocked.world
    number, request = submit_rent(world, with_callbacks=False)
    world.sinch.fail_provisioning(number, ["CAMPAIGN_EXPIRED"])
    world.sinch.complete_provisioning(number)
    clocked.clock.advance(timedelta(seconds=11))

    world.runtime.scheduler.run_now(POLL)

    reply = thread_reply(world, request, "provisioning failed")
    assert "`CAMPAIGN_EXPIRED`" in reply.text and "Renew the campaign" in reply.text
    assert request.id in channel_message(world, ALERTS.id, number).text


def test_a_restart_resumes_pending_watches_and_undelivered_messages(clocked: ClockedWorld) -> None:
    world = clocked.world
    number, request = submit_rent(world, with_callbacks=False)
    thread_reply(world, request, "approved by")
    world.runtime.stop()
    # While no bot runs: Sinch finishes provisioning, and a message is left undelivered in the outbox.
    world.sinch.complete_provisioning(number)
    left_behind = Store(clocked.settings.numbot_database)
    outbox.enqueue(left_behind, OutboxMessage(ALERTS.id, "queued before the restart"), clocked.clock())
    left_behind.close_all()

    world.runtime = clocked.start_another_bot()
    clocked.deliver_slack_to(world.runtime)
    clocked.clock.advance(timedelta(seconds=11))
    world.runtime.scheduler.run_now(POLL)

    assert number in thread_reply(world, request, "is ready").text
    channel_message(world, ALERTS.id, "queued before the restart")


def test_only_the_bot_holding_the_lease_runs_the_jobs(clocked: ClockedWorld) -> None:
    world = clocked.world
    [number] = sms_capable(clocked, 1)
    start_provisioning(world.services, [number])
    clocked.clock.advance(timedelta(seconds=11))
    assert world.runtime.scheduler.holds_lease()
    other = clocked.start_another_bot()
    try:
        world.sinch.requests.clear()
        assert other.scheduler.run_now(POLL) is None
        assert len(world.sinch.requests) == 0
    except BaseException:
        other.stop()
        raise

    world.runtime.stop()  # a clean shutdown releases the lease at once
    world.runtime = other

    assert other.scheduler.run_now(POLL) == 1


def test_a_request_stuck_executing_is_reconciled_from_sinch_and_never_run_twice(
    clocked: ClockedWorld,
) -> None:
    world, services = clocked.world, clocked.world.services
    [number] = world.sinch.state.seed_active_numbers(1, project_id=PROJECT_ID)

    def found_rented(services: Services, request: Request) -> Outcome | None:
        active = services.sinch.get_active(request.subject)
        return Outcome(True, f"{active.phone_number} is in the project: the rent went through.")

    run_after_approval(
        services,
        RequestKind.RENT,
        Executor(describe="rent, read back by a test", execute=_never_called, reconcile=found_rented),
    )
    request = stuck_request(services, number, kind=RequestKind.RENT)
    world.sinch.requests.clear()

    assert world.runtime.scheduler.run_now("reconcile-executing") == 0  # too recent: may still be running
    clocked.clock.advance(timedelta(minutes=3))
    assert world.runtime.scheduler.run_now("reconcile-executing") == 1

    done = approvals.load(services, request.id)
    assert done.state is RequestState.DONE
    assert "the rent went through" in thread_reply(world, request, "the rent went through").text
    sinch_calls = [f"{record.method} {record.path}" for record in world.sinch.requests]
    assert [call for call in sinch_calls if "/activeNumbers" in call or "availableNumbers" in call] == [
        f"GET /v1/projects/{PROJECT_ID}/activeNumbers/{number}"
    ]


def _never_called(services: Services, request: Request) -> Outcome:
    raise AssertionError("a stuck request must be reconciled, not executed again")


def test_an_outcome_whose_message_could_not_be_queued_is_not_settled_and_is_reported_next_poll(
    clocked: ClockedWorld,
) -> None:
    world, services = clocked.world, clocked.world.services
    [number] = sms_capable(clocked, 1)
    start_provisioning(services, [number])
    world.sinch.complete_provisioning(number)
    clocked.clock.advance(timedelta(seconds=11))

    # The outbox row cannot be written right after the watch was marked settled.
    with outbox_refusing_rows(services.store), pytest.raises(sqlite3.IntegrityError, match="disk full"):
        watcher.poll_once(services)

    watch = watches.get_watch(services.store, number, "numbers")
    assert watch is not None and watch.settled_at is None
    world.runtime.scheduler.run_now(POLL)
    assert "is ready" in channel_message(world, ALERTS.id, number).text


class HandsOverOnFirstRead(SinchClient):
    """A real client whose first number read lets `meanwhile` run before the answer is used: another
    worker handling the same callback at that very moment."""

    def __init__(self, meanwhile: Callable[[], object], sandbox: RunningSandbox) -> None:
        super().__init__(
            PROJECT_ID,
            BasicAuth(SINCH_KEY_ID, SINCH_KEY_SECRET),
            numbers_url=sandbox.url,
            imported_url=sandbox.imported_url,
        )
        self._meanwhile: Callable[[], object] | None = meanwhile

    def get_active(self, phone_number: str) -> ActiveNumber:
        number = super().get_active(phone_number)
        if self._meanwhile is not None:
            meanwhile, self._meanwhile = self._meanwhile, None
            meanwhile()
        return number


def test_two_workers_handling_the_same_callback_at_once_report_it_once(clocked: ClockedWorld) -> None:
    world, services = clocked.world, clocked.world.services
    store = services.store
    with store.transaction():  # a second bot takes over the lease: this bot's own jobs stand aside
        leases.release(store, LEASE_NAME, world.runtime.scheduler.owner)
        assert leases.acquire(store, LEASE_NAME, "another-bot", LEASE_SECONDS, services.clock())
    [number] = world.sinch.state.seed_active_numbers(1, project_id=PROJECT_ID, service_plan_id="plan-x")
    event = {
        "eventId": "01twice",
        "projectId": PROJECT_ID,
        "resourceId": number,
        "resourceType": "ACTIVE_NUMBER",
        "eventType": "PROVISIONING_TO_SMS_PLATFORM",
        "status": "SUCCEEDED",
    }
    assert callbacks.ingest(
        store, json.dumps(event).encode(), services.clock()
    )  # stored, as the receiver does
    other_worker: list[int] = []
    sinch = HandsOverOnFirstRead(lambda: other_worker.append(watcher.process_events(services)), world.sinch)

    try:
        handled_here = watcher.process_events(dataclasses.replace(services, sinch=sinch))
    finally:
        sinch.close()

    assert (other_worker, handled_here) == ([1], 0)
    channel_message(world, ALERTS.id, number)
    queued = store.db.execute("SELECT COUNT(*) FROM outbox WHERE text LIKE ?", [f"%{number}%"]).fetchone()[0]
    assert queued == 1
