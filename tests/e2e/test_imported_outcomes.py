"""How an imported number's provisioning ends, told over Sinch callbacks: once, in the right thread, truly.

The bot gives Sinch its public callback URL, as an operator does with NUMBOT_PUBLIC_URL; the sandbox then
posts signed events to the bot's receiver, and every message is read back from the local Slack.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.blockkit import ids
from bot.sinch.models import ImportNumber, SmsConfiguration
from commands.imported.forms import PHONE_BLOCK, REGION_BLOCK
from commands.shared.number_forms import CAMPAIGN_BLOCK, SERVICE_PLAN_BLOCK
from sandbox.slack import Message
from storage import events, outbox, requests
from tests.e2e.modal_steps import top_view
from tests.e2e.provisioning_world import callback_world, post_callback
from tests.harness import ALERTS, APPROVALS, OPS, PROJECT_ID, World

PHONE = "+12062345678"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with callback_world(tmp_path) as started:
        # Known only once the bot listens; imports and updates read it when they run.
        started.runtime.settings.numbot_public_url = started.runtime.url
        yield started


def request_thread(world: World, request_id: str) -> list[Message]:
    card = next(m for m in world.slack.messages(APPROVALS.id) if m.text.startswith(request_id))
    return world.slack.thread(APPROVALS.id, card.ts)


def approved(world: World, kind: str) -> str:
    """The approver approves the pending request of `kind`; its id once it is done."""
    request = world.wait_for(
        lambda _: next(
            (r for r in requests.find_requests(world.services.store, subject=PHONE) if r.kind == kind), None
        )
    )
    card = world.wait_for(
        lambda slack: next((m for m in slack.messages(APPROVALS.id) if m.text.startswith(request.id)), None)
    )
    world.approver.click(card, ids.APPROVE)
    world.wait_for(
        lambda slack: any(
            m.text.startswith(request.id) and ": done " in m.text for m in slack.messages(APPROVALS.id)
        )
    )
    return request.id


def import_through_numbot(world: World, campaign: str = "") -> str:
    world.requester.slash("/numbers", "imported add", channel=OPS.id)
    form = {PHONE_BLOCK: PHONE, REGION_BLOCK: "US", SERVICE_PLAN_BLOCK: "plan-a", CAMPAIGN_BLOCK: campaign}
    world.requester.submit(top_view(world, world.requester.user_id, ids.IMPORT_MODAL), form)
    return approved(world, "import")


def all_told(world: World) -> None:
    """Every callback Sinch sent is delivered and handled, and every message it caused is in Slack."""
    assert world.sinch.wait_for(lambda: all(d.delivered for d in world.sinch.callback_deliveries))
    world.runtime.scheduler.run_now("process-events")
    assert events.backlog(world.services.store).count == 0
    # Delivered on this thread: a pass holds the notifier's lock until its rows are marked sent, so once this
    # pass is over nothing is half sent (waiting on Slack's side would wake before the last row is marked).
    while world.services.notifier.deliver_due().sent:
        pass
    assert not outbox.pending_counts(world.services.store)


def said(world: World, channel: str, needle: str) -> list[Message]:
    everything = [*world.slack.messages(channel)]
    for message in world.slack.messages(channel):
        everything += world.slack.thread(channel, message.ts)[1:]
    return [m for m in everything if needle in m.text]


def test_an_import_tells_its_outcome_once_in_its_thread_naming_only_what_was_asked(world: World) -> None:
    request_id = import_through_numbot(world)

    world.sinch.complete_provisioning(PHONE)
    all_told(world)

    ready = [m for m in request_thread(world, request_id) if "is ready" in m.text]
    assert [m.text for m in ready] == [f":white_check_mark: `{PHONE}` is ready: SMS provisioning finished."]
    [summary] = said(world, ALERTS.id, PHONE)
    assert f"(request {request_id})" in summary.text and "campaign" not in summary.text


def test_an_import_with_a_campaign_reports_both_parts_once(world: World) -> None:
    request_id = import_through_numbot(world, campaign="CAMP1")

    world.sinch.complete_provisioning(PHONE)
    all_told(world)

    ready = [m.text for m in request_thread(world, request_id) if "provisioning finished" in m.text]
    assert ready == [f":white_check_mark: `{PHONE}` is ready: SMS and 10DLC campaign provisioning finished."]
    assert len(said(world, ALERTS.id, PHONE)) == 1


def test_an_imported_update_posts_one_alert_in_its_own_thread(world: World) -> None:
    import_request = import_through_numbot(world)
    world.sinch.complete_provisioning(PHONE)
    all_told(world)

    world.requester.slash("/numbers", f"imported update {PHONE} --campaign CAMP1", channel=OPS.id)
    update_request = approved(world, "imported_update")
    world.sinch.complete_provisioning(PHONE)
    all_told(world)

    campaign = [m.text for m in request_thread(world, update_request) if "provisioning finished" in m.text]
    assert campaign == [f":white_check_mark: `{PHONE}` is ready: 10DLC campaign provisioning finished."]
    assert len(said(world, ALERTS.id, "10DLC campaign")) == 1
    assert not [m for m in request_thread(world, import_request) if "campaign" in m.text]


def test_an_approved_removal_is_told_as_that_request_removing_the_number(world: World) -> None:
    import_request = import_through_numbot(world)  # still provisioning when it is removed

    world.requester.slash("/numbers", f"imported remove {PHONE}", channel=OPS.id)
    world.requester.submit(top_view(world, world.requester.user_id, ids.IMPORTED_REMOVE_MODAL))
    removal = approved(world, "imported_remove")
    all_told(world)

    assert any("is no longer imported" in m.text for m in request_thread(world, removal))
    [stopped] = [m.text for m in request_thread(world, import_request) if "removed by" in m.text]
    assert f"removed by request {removal}" in stopped
    assert not said(world, APPROVALS.id, "left this Sinch project")
    assert not said(world, ALERTS.id, "left this Sinch project")


def test_events_for_numbers_numbot_never_knew_do_not_claim_they_left(world: World) -> None:
    sms = SmsConfiguration(service_plan_id="plan-x")
    world.services.sinch.imported_import(
        ImportNumber(phone_number=PHONE, region_code="US", sms_configuration=sms)
    )
    world.sinch.complete_provisioning(PHONE)
    foreign = {"projectId": PROJECT_ID, "resourceType": "IMPORTED_NUMBER", "status": "SUCCEEDED"}
    for event_id, phone, event_type in [
        ("01gone", "+12069998888", "DELETE"),
        ("01sms", PHONE, "PROVISIONING_TO_SMS_PLATFORM"),
    ]:
        body = {**foreign, "eventId": event_id, "resourceId": phone, "eventType": event_type}
        assert post_callback(world, body).status_code == 200
    all_told(world)

    assert not said(world, ALERTS.id, "+12069998888")
    [sms_ready] = said(world, ALERTS.id, PHONE)
    assert "SMS provisioning finished (a change numbot did not request)" in sms_ready.text
    assert "campaign" not in sms_ready.text
