"""Sinch answers 429, 5xx or nothing at all during each workflow step.

Reads (search, list, polling) ride out short trouble and say clearly when it lasts; a rent is never sent
twice, and a request whose rent went unanswered ends in the state Sinch actually has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot import approvals
from bot.approvals.policy import STUCK_AFTER
from bot.blockkit import ids
from bot.sinch import OAuth2ClientCredentials, SinchClient
from bot.sinch.models import SmsConfiguration, UpdateActiveNumber
from bot.sinch.retry import RetryPolicy
from bot.watching import watcher
from bot.watching.provisioning import watch_if_pending
from sandbox.sinch import SandboxConfig
from serving import BackgroundServer
from storage import requests, watches
from tests.faults.flows import (
    CallbackRecorder,
    acked,
    card_in_state,
    reply_under,
    request_rent,
    request_through_modal,
    sms_number_for_sale,
)
from tests.harness import (
    ADMIN,
    ALERTS,
    OPS,
    PROJECT_ID,
    REQUESTER,
    SINCH_KEY_ID,
    SINCH_KEY_SECRET,
    World,
    ephemeral_containing,
    running_world,
    seed_active,
    shown,
)

SEARCH = "search US LOCAL --limit 3"
# Impatient on purpose, so a Sinch that never answers costs a test a second, not Sinch's real timeouts.
TIMEOUT_SECONDS = 0.3
QUICK_RETRIES = RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.1)


def calls_to(world: World, suffix: str, method: str = "GET") -> int:
    return sum(1 for r in world.sinch.requests if r.method == method and r.path.endswith(suffix))


def api_calls(world: World) -> int:
    """Requests to the Numbers API (token requests aside), retries included."""
    return sum(1 for r in world.sinch.requests if r.path.startswith("/v1/"))


def impatient(world: World) -> None:
    """Give the running bot a Sinch client that gives up after TIMEOUT_SECONDS (the real one waits 10 s).

    The previous client is left open: a scheduler job may be using it this very moment.
    """
    world.services.sinch = SinchClient(
        PROJECT_ID,
        OAuth2ClientCredentials(SINCH_KEY_ID, SINCH_KEY_SECRET, token_url=world.sinch.token_url),
        numbers_url=world.sinch.url,
        imported_url=world.sinch.imported_url,
        timeout=TIMEOUT_SECONDS,
        retry=QUICK_RETRIES,
    )


def test_search_rides_out_a_rate_limit_and_a_server_error(world: World) -> None:
    world.sinch.faults.fail_next(1, 429, retry_after=0)
    world.sinch.faults.fail_next(1, 503)

    acked(world.requester.slash("/numbers", SEARCH, channel=OPS.id))

    ephemeral_containing(world, REQUESTER.id, "Request this number")
    unhindered = 2  # the region check and the search itself
    assert api_calls(world) == unhindered + 2


def test_a_lasting_outage_is_named_after_a_bounded_number_of_retries(world: World) -> None:
    world.sinch.faults.fail_next(50, 503)

    acked(world.requester.slash("/numbers", SEARCH, channel=OPS.id))

    ephemeral_containing(world, REQUESTER.id, "Sinch had an internal error (HTTP 503)")
    assert api_calls(world) == RetryPolicy().attempts  # the first call, retried, then the user is told


def test_a_sinch_that_never_answers_is_reported_not_waited_on(world: World) -> None:
    impatient(world)
    world.sinch.faults.latency_seconds = TIMEOUT_SECONDS * 2

    acked(world.requester.slash("/numbers", SEARCH, channel=OPS.id))

    ephemeral_containing(world, REQUESTER.id, "Sinch did not answer in time")
    assert api_calls(world) == QUICK_RETRIES.attempts


def test_the_list_counts_every_number_while_a_quarter_of_sinch_calls_fail(world: World) -> None:
    seed_active(world, 150)  # two of Sinch's default pages
    world.sinch.faults.error_5xx_rate = 0.25

    acked(world.requester.slash("/numbers", "list US LOCAL", channel=OPS.id))

    ephemeral_containing(world, REQUESTER.id, "Active numbers: US LOCAL: 150 numbers")


def test_a_rate_limited_rent_fails_clearly_and_is_not_repeated(world: World) -> None:
    phone_number = sms_number_for_sale(world.sinch)
    card = request_rent(world.slack, phone_number)
    world.sinch.faults.fail_next(1, 429, retry_after=0)

    acked(world.approver.click(card, ids.APPROVE))

    failed = card_in_state(world.slack, "failed")
    assert "Sinch is rate limiting us (HTTP 429)" in shown(failed)
    reply_under(world.slack, failed, "but failed")
    assert calls_to(world, ":rent", "POST") == 1
    assert world.sinch.state.active_number(phone_number, PROJECT_ID) is None


@pytest.fixture
def world_with_recorder(tmp_path: Path) -> Iterator[tuple[World, CallbackRecorder]]:
    """A world whose Sinch provisions at once and reports it to a recorder, to await what Sinch finished."""
    recorder = CallbackRecorder()
    with BackgroundServer(recorder) as server:
        config = SandboxConfig(seed=7, provisioning_seconds=0, default_callback_url=server.url)
        with running_world(tmp_path, sandbox=config, numbot_legacy_rent=True) as world:
            yield world, recorder


def approve_a_rent_sinch_answers_too_late(world: World) -> str:
    """Approve a rent that Sinch performs only after the bot's (impatient) client gave up waiting."""
    impatient(world)
    phone_number = sms_number_for_sale(world.sinch)
    card = request_rent(world.slack, phone_number)
    world.sinch.faults.latency_seconds = TIMEOUT_SECONDS * 2
    acked(world.approver.click(card, ids.APPROVE))
    return phone_number


def settle_stuck_request_later(world: World) -> None:
    """The stuck-request reconciler, run once the request has been executing for long, records the rent."""
    [request] = requests.find_requests(world.services.store)
    assert request.state == "executing"  # not "failed": the bot does not guess
    later = replace(world.services, clock=lambda: request.updated_at + STUCK_AFTER * 2)
    assert watcher.reconcile_executing(later) == 1
    reply_under(world.slack, card_in_state(world.slack, "done"), "is done")
    assert calls_to(world, ":rent", "POST") == 1


def test_an_unanswered_rent_stays_executing_until_sinch_is_read_back(
    world_with_recorder: tuple[World, CallbackRecorder],
) -> None:
    world, sinch_finished = world_with_recorder
    approve_a_rent_sinch_answers_too_late(world)

    card_in_state(world.slack, "executing")
    assert sinch_finished.arrived.wait(timeout=10)  # Sinch did rent it, after the bot stopped listening
    world.sinch.faults.latency_seconds = 0

    settle_stuck_request_later(world)


def test_an_unanswered_rent_any_stays_executing_until_an_admin_records_what_sinch_shows(
    world_with_recorder: tuple[World, CallbackRecorder],
) -> None:
    world, sinch_finished = world_with_recorder
    impatient(world)
    card = request_through_modal(world.slack, "rent-any US LOCAL --sms")
    world.sinch.faults.latency_seconds = TIMEOUT_SECONDS * 2
    acked(world.approver.click(card, ids.APPROVE))

    told = reply_under(
        world.slack, card_in_state(world.slack, "executing"), "An admin can record how it ended"
    )
    # Read once it is executing: the settle rule counts from the request's last move.
    [request] = requests.find_requests(world.services.store)
    assert f"/numbers settle {request.id} done|failed" in shown(told)
    assert sinch_finished.arrived.wait(timeout=10)  # Sinch did rent one, after the bot stopped listening
    world.sinch.faults.latency_seconds = 0
    [rented] = world.sinch.state.active_phone_numbers(PROJECT_ID)
    later = replace(world.services, clock=lambda: request.updated_at + STUCK_AFTER)
    assert watcher.reconcile_executing(later) == 0  # which number Sinch picked cannot be read back

    approvals.settle_by_hand(later, request.id, ADMIN.id, ok=True, note=f"Sinch shows {rented} rented")

    reply_under(world.slack, card_in_state(world.slack, "done"), f"Sinch shows {rented} rented")
    assert calls_to(world, ":rentAny", "POST") == 1


def test_polling_through_an_outage_reports_the_outcome_once_sinch_is_back(world: World) -> None:
    [phone_number] = seed_active(world, 1, service_plan_id="")
    sms = UpdateActiveNumber(sms_configuration=SmsConfiguration(service_plan_id="plan-1"))
    assert watch_if_pending(
        world.services, world.services.sinch.update_active(phone_number, sms), request_id=None
    )
    world.sinch.complete_provisioning(phone_number)
    due = replace(world.services, clock=lambda: world.services.clock() + timedelta(hours=1))
    world.sinch.faults.fail_next(RetryPolicy().attempts, 503)

    watcher.poll_once(due)

    assert watches.get_watch(world.services.store, phone_number, "numbers").settled_at is None  # type: ignore[union-attr]
    watcher.poll_once(replace(due, clock=lambda: world.services.clock() + timedelta(days=1)))

    told = world.wait_for(
        lambda slack: [m for m in slack.messages(ALERTS.id) if phone_number in shown(m)] or None
    )
    assert len(told) == 1


def test_a_read_right_after_a_lost_rent_answer_does_not_declare_it_failed(
    world_with_recorder: tuple[World, CallbackRecorder],
) -> None:
    world, sinch_finished = world_with_recorder
    phone_number = approve_a_rent_sinch_answers_too_late(world)
    # Sinch holds the rent; the bot's read-back after its timeout is answered at once, before the rent.
    assert world.sinch.requests.wait_for(lambda records: any(r.path.endswith(":rent") for r in records))
    world.sinch.faults.latency_seconds = 0

    reply_under(world.slack, card_in_state(world.slack, "executing"), "checking with Sinch")
    assert sinch_finished.arrived.wait(timeout=10)

    settle_stuck_request_later(world)  # a "not found" that early proved nothing
    assert calls_to(world, f"/activeNumbers/{phone_number}") >= 2  # read back early, and again later
