"""The Home tab, end to end: what requesters, approvers and everyone else see when they open it."""

from __future__ import annotations

from datetime import timedelta

from bot import approvals
from bot.approvals import CardSummary
from commands.home.listeners import LISTED
from sandbox.slack import SlackUserDriver, View
from storage.request_types import RequestKind
from storage.requests import Request, RequestDraft
from tests.harness import World, shown


def ask(world: World, requester: str, title: str) -> Request:
    draft = RequestDraft(
        kind=RequestKind.RELEASE,
        requester=requester,
        subject="+12025550134",
        payload={"phone_number": "+12025550134"},
        summary=CardSummary(title=title).to_json(),
        ttl=timedelta(hours=24),
    )
    return approvals.submit(world.services, draft)


def home_of(world: World, user: SlackUserDriver, containing: str) -> View:
    user.open_home()
    return world.wait_for(
        lambda slack: (home := slack.home(user.user_id)) is not None and containing in shown(home) and home
    )


def test_home_shows_my_pending_requests_and_what_waits_for_my_approval(world: World) -> None:
    mine = ask(world, world.requester.user_id, "Release the old fax line")
    other = ask(world, world.second_approver.user_id, "Release the lobby phone")

    requester_home = shown(home_of(world, world.requester, "Your pending requests"))
    assert f"*{mine.id}* Release the old fax line · expires <!date^" in requester_home
    assert other.id not in requester_home
    assert "Waiting for your approval" not in requester_home  # rita is no approver
    assert "`/numbers release <+E164>`" in requester_home and "`/numbers audit" in requester_home

    approver_home = shown(home_of(world, world.approver, "Waiting for your approval"))
    assert f"*{mine.id}* Release the old fax line · from <@{world.requester.user_id}>" in approver_home
    assert f"*{other.id}* Release the lobby phone" in approver_home
    assert "Nothing pending from you." in approver_home

    second_home = shown(home_of(world, world.second_approver, "Waiting for your approval"))
    waiting = second_home.split("Waiting for your approval", 1)[1]
    assert mine.id in waiting and other.id not in waiting  # nobody approves their own request


def test_home_stays_small_with_many_requests_and_drops_decided_ones(world: World) -> None:
    asked = [ask(world, world.requester.user_id, f"Release number {i}") for i in range(LISTED + 5)]
    approvals.cancel(world.services, asked[-1].id, world.requester.user_id)

    home = home_of(world, world.requester, "…and 4 more.")

    assert len(home.blocks) < 100
    assert asked[-1].id not in shown(home)


def test_home_lists_every_command_however_many_there_are(world: World) -> None:
    home = home_of(world, world.requester, "Commands")
    listed = shown(home).split("*Commands*", 1)[1]

    # The admins' commands come last; a single section cut them off at Slack's 3000 characters.
    assert "`/numbers settle <request-id> done|failed" in listed
    assert "`/numbers digest`" in listed
    assert "…" not in listed
