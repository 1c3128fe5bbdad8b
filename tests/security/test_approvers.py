"""Who may decide is what Slack says at the moment of the click: a removed approver cannot approve, an
unreadable group approves nothing, and a requester who is the only approver is told someone else must."""

from __future__ import annotations

from pathlib import Path

from bot.blockkit import ids
from bot.sinch.models import Capability
from storage import requests
from storage.request_types import RequestState
from storage.requests import Request
from tests.e2e.test_rent import acked, available, request_form, sinch_calls, submit_request
from tests.harness import (
    APPROVER_GROUP,
    REQUESTER,
    SECOND_APPROVER,
    World,
    ephemeral_containing,
    request_card,
    running_world,
)

UNREADABLE = (
    "I couldn't check the approvers group in Slack just now, so nothing was approved; try again in a minute."
)


def pending_request(world: World) -> Request:
    return submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))


def state_of(world: World, request: Request) -> RequestState:
    stored = requests.get_request(world.services.store, request.id)
    assert stored is not None
    return stored.state


def test_an_approver_removed_from_the_group_can_no_longer_approve(world: World) -> None:
    request = pending_request(world)
    pending = request_card(world, request, "pending")
    # Still an approver: Reject opens the reason form (and the bot has read the group).
    acked(world.approver.click(pending, ids.REJECT))
    world.wait_for(lambda slack: slack.views(world.approver.user_id))

    world.slack.set_usergroup_members(APPROVER_GROUP, [SECOND_APPROVER.id])
    acked(world.approver.click(pending, ids.APPROVE))

    refusal = ephemeral_containing(world, world.approver.user_id, "Only approvers can decide")
    assert f"<@{SECOND_APPROVER.id}>" in refusal.text and f"<@{world.approver.user_id}>" not in refusal.text
    assert state_of(world, request) is RequestState.PENDING
    assert sinch_calls(world, ":rent") == []


def test_an_unreadable_group_approves_nothing_and_the_next_click_works(world: World) -> None:
    request = pending_request(world)
    pending = request_card(world, request, "pending")
    acked(world.approver.click(pending, ids.REJECT))  # the group was read once, successfully
    world.wait_for(lambda slack: slack.views(world.approver.user_id))

    world.slack.fail_next("usergroups.users.list", status=500)
    acked(world.approver.click(pending, ids.APPROVE))

    ephemeral_containing(world, world.approver.user_id, UNREADABLE)
    assert state_of(world, request) is RequestState.PENDING
    assert sinch_calls(world, ":rent") == []

    acked(world.approver.click(pending, ids.APPROVE))  # Slack answers again
    request_card(world, request, "done")
    assert len(sinch_calls(world, ":rent")) == 1


def test_a_requester_who_is_the_only_approver_hears_another_must_decide(tmp_path: Path) -> None:
    with running_world(
        tmp_path, numbot_approvers=[REQUESTER.id], numbot_admins=[REQUESTER.id], numbot_legacy_rent=True
    ) as world:
        request = pending_request(world)
        pending = request_card(world, request, "pending")

        acked(world.bystander.click(pending, ids.APPROVE))
        acked(world.requester.click(pending, ids.APPROVE))

        only_one = f"the only approver is <@{REQUESTER.id}>, who made this request"
        to_bystander = ephemeral_containing(world, world.bystander.user_id, only_one)
        to_requester = ephemeral_containing(world, world.requester.user_id, only_one)
        assert "another approver must" in to_bystander.text and "none is configured" not in to_bystander.text
        assert "another approver must decide" in to_requester.text
        assert state_of(world, request) is RequestState.PENDING
