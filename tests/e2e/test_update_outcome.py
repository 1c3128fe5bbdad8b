"""What the requester and approvers read once an approved `update` ran."""

from __future__ import annotations

from commands.shared.number_forms import SERVICE_PLAN_BLOCK, VOICE_ID_BLOCK, VOICE_TYPE_BLOCK
from sandbox.slack import Message
from tests.harness import APPROVALS, World, open_modal, shown, sms_and_voice_number


def test_an_approved_update_names_the_parts_sinch_provisions_in_plain_words(world: World) -> None:
    phone = sms_and_voice_number(world)
    form = open_modal(world, world.requester, f"update {phone}", "active.update")
    world.requester.submit(
        form, {SERVICE_PLAN_BLOCK: "plan-a", VOICE_TYPE_BLOCK: "RTC", VOICE_ID_BLOCK: "app-1"}
    )
    card = world.wait_for(lambda slack: next(iter(slack.messages(APPROVALS.id)), None))

    world.approver.click(card, "approval.approve")

    def done(slack: object) -> Message | None:
        return next((m for m in world.slack.messages(APPROVALS.id) if ": done " in m.text), None)

    assert (
        f"Updated {phone}. SMS and voice provisioning started; the result will appear in this thread."
        in shown(world.wait_for(done))
    )
