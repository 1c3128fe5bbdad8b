"""`/numbers audit`, end to end: what a real rename and a real approved release leave in the history."""

from __future__ import annotations

from datetime import UTC, datetime

from commands.shared.number_forms import DISPLAY_NAME_BLOCK
from storage import audit
from tests.harness import (
    APPROVALS,
    OPS,
    World,
    answer_to,
    ephemeral_containing,
    open_modal,
    shown,
    sms_and_voice_number,
)


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if " · " in line and line.startswith("<!date^")]


def rename_and_release(world: World, phone: str) -> str:
    """Rita renames the number, asks to release it, and Alex approves; returns the request id."""
    form = open_modal(world, world.requester, f"update {phone}", "active.update")
    world.requester.submit(form, {DISPLAY_NAME_BLOCK: "Old support"})
    ephemeral_containing(world, world.requester.user_id, "is now called")
    confirmation = open_modal(world, world.requester, f"release {phone}", "release.modal")
    world.requester.submit(confirmation, {"release_reason": "Not needed"})
    card = world.wait_for(lambda slack: next(iter(slack.messages(APPROVALS.id)), None))
    world.approver.click(card, "approval.approve")
    world.wait_for(lambda slack: "and done" in shown(slack.messages(APPROVALS.id)[0]))
    return card.text.split()[0]


def test_audit_of_a_number_tells_who_did_what_newest_first(world: World) -> None:
    phone = sms_and_voice_number(world, display_name_prefix="Support ")
    request_id = rename_and_release(world, phone)

    world.bystander.slash("/numbers", f"audit {phone}", channel=OPS.id)

    history = lines_of(shown(ephemeral_containing(world, world.bystander.user_id, f"Audit: {phone}")))
    what = f"{request_id} (release {phone})"
    assert [line.split(" · ", 1)[1] for line in history] == [
        f"{what} is done",
        f"{what} started running",
        f"<@{world.approver.user_id}> approved {what}",
        f"<@{world.requester.user_id}> asked for {what}",
        f"<@{world.requester.user_id}> renamed {phone} from “Support 1” to “Old support”",
    ]


def test_audit_mine_and_last_narrow_the_history(world: World) -> None:
    store = world.services.store
    for minute in range(5):
        audit.record(
            store,
            actor=world.approver.user_id if minute % 2 else world.requester.user_id,
            action="number.renamed",
            subject="+12025550134",
            now=datetime(2030, 1, 1, 12, minute, tzinfo=UTC),
            detail={"from": f"n{minute}", "to": f"n{minute + 1}"},
        )

    world.approver.slash("/numbers", "audit --mine", channel=OPS.id)
    mine = lines_of(shown(ephemeral_containing(world, world.approver.user_id, "Audit: by you")))
    assert [line.rsplit("“", 1)[1] for line in mine] == ["n4”", "n2”"]

    world.requester.slash("/numbers", "audit --last 2", channel=OPS.id)
    latest = lines_of(shown(ephemeral_containing(world, world.requester.user_id, "Audit: everything")))
    assert len(latest) == 2 and "to “n5”" in latest[0] and "to “n4”" in latest[1]


def test_audit_explains_bad_arguments(world: World) -> None:
    answer_to(world, world.requester, "audit --last many", "`--last` takes a whole number, not `many`.")
    answer_to(world, world.requester, "audit --last 0", "`--last` must be between 1 and 100, not 0.")
    answer_to(world, world.requester, "audit 12345", "'12345' is not a phone number in international format")
    answer_to(world, world.requester, "audit --everyone", "Unknown option `--everyone`.")
    answer_to(world, world.requester, "audit +12025550134", "No audit entries for +12025550134 yet.")
