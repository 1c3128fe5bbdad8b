"""`/numbers release`, end to end: confirmation, approval, the release itself, and its reconciliation."""

from __future__ import annotations

from commands.release.execute import reconcile_release
from commands.release.listeners import REASON_BLOCK
from sandbox.sinch import RequestRecord
from sandbox.slack import Message, View
from storage import requests
from tests.harness import (
    APPROVALS,
    OPS,
    PROJECT_ID,
    SPRINGFIELD,
    World,
    answer_to,
    ephemeral_containing,
    open_modal,
    shown,
    sms_and_voice_number,
)


def open_release(world: World, phone: str) -> View:
    return open_modal(world, world.requester, f"release {phone}", "release.modal")


def card(world: World) -> Message:
    return world.wait_for(lambda slack: next(iter(slack.messages(APPROVALS.id)), None))


def card_saying(world: World, text: str) -> Message:
    return world.wait_for(
        lambda slack: next((m for m in slack.messages(APPROVALS.id) if text in shown(m)), None)
    )


def releases(world: World) -> list[RequestRecord]:
    return [record for record in world.sinch.requests if record.path.endswith(":release")]


def test_release_shows_what_stops_working_and_runs_once_approved(world: World) -> None:
    phone = sms_and_voice_number(world, service_plan_id="plan-a", campaign_id="camp-1", app_id="app-7")
    world.services.sinch.emergency_provision(phone, "SPRINGFIELD", SPRINGFIELD)

    confirmation = open_release(world, phone)
    text = shown(confirmation)
    assert "SMS through service plan `plan-a` stops." in text
    assert "The number leaves 10DLC campaign `camp-1`." in text
    assert "Calls stop reaching voice RTC `app-7`." in text
    assert "The emergency (E911) address is dropped: 12345 Main St, Springfield, IL 62701-1234." in text
    assert "*Saves per month*\n1.00 USD" in text

    world.requester.submit(confirmation, {REASON_BLOCK: "Campaign ended"})

    pending = card(world)
    assert "Campaign ended" in shown(pending) and "12345 Main St" in shown(pending)
    assert world.slack.views(world.requester.user_id)[-1].title.startswith("Sent: R-")
    assert releases(world) == []

    world.requester.click(pending, "approval.approve")
    ephemeral_containing(world, world.requester.user_id, "You requested this yourself")
    assert releases(world) == []
    world.approver.click(pending, "approval.approve")

    done = card_saying(world, "and done")
    assert f"Released {phone}. Sinch keeps it billed until <!date^" in shown(done)
    world.wait_for(
        lambda slack: any(
            f"Released {phone}." in shown(reply) and world.requester.user_id in reply.text
            for reply in slack.thread(APPROVALS.id, done.ts)
        )
    )
    assert len(releases(world)) == 1
    assert world.sinch.state.active_number(phone, PROJECT_ID) is None
    assert world.sinch.state.is_available(phone)
    (request,) = requests.find_requests(world.services.store, subject=phone)
    confirmed = reconcile_release(world.services, request)
    assert confirmed is not None and confirmed.ok


def test_release_of_an_unlinked_number_says_nothing_is_linked_and_refuses_a_second_request(
    world: World,
) -> None:
    phone = sms_and_voice_number(world)
    confirmation = open_release(world, phone)
    assert "Nothing is linked to it." in shown(confirmation)
    world.requester.submit(confirmation)
    card(world)

    world.requester.slash("/numbers", f"release {phone}", channel=OPS.id)

    world.wait_for(
        lambda slack: next(
            (v for v in slack.views(world.requester.user_id) if "already asks to release" in shown(v)), None
        )
    )
    assert len(world.slack.messages(APPROVALS.id)) == 1


def test_a_failed_release_is_reported_on_the_card_and_never_retried(world: World) -> None:
    phone = sms_and_voice_number(world)
    world.requester.submit(open_release(world, phone))
    pending = card(world)
    world.sinch.faults.fail_next(1, 500)

    world.approver.click(pending, "approval.approve")

    failed = card_saying(world, "but it failed")
    assert "Sinch had an internal error (HTTP 500)" in shown(failed)
    assert len(releases(world)) == 1
    assert world.sinch.state.active_number(phone, PROJECT_ID) is not None
    (request,) = requests.find_requests(world.services.store, subject=phone)
    outcome = reconcile_release(world.services, request)
    assert outcome is not None and not outcome.ok and "still active" in outcome.text


def test_release_refuses_bad_input_without_changing_anything(world: World) -> None:
    user = world.requester.user_id
    answer_to(world, world.requester, "release", "Which number?")
    answer_to(world, world.requester, "release +1202555 extra", "Unexpected `extra`.")
    world.requester.slash("/numbers", "release +12025550134", channel=OPS.id)
    world.wait_for(
        lambda slack: next((v for v in slack.views(user) if "not one of your numbers" in shown(v)), None)
    )
    assert world.slack.messages(APPROVALS.id) == [] and releases(world) == []
