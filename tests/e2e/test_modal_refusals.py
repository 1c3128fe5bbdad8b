"""A modal whose request cannot be stored says why in the modal itself, never Slack's generic error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import World, open_modal, running_world, shown, sms_and_voice_number

NO_CHANNEL = "No approvals channel is configured"


@pytest.fixture
def world_without_approvals(tmp_path: Path) -> Iterator[World]:
    with running_world(tmp_path, numbot_approvals_channel=None) as started:
        yield started


def test_a_release_without_an_approvals_channel_is_refused_in_the_modal(
    world_without_approvals: World,
) -> None:
    world = world_without_approvals
    phone = sms_and_voice_number(world)
    confirmation = open_modal(world, world.requester, f"release {phone}", "release.modal")

    ack = world.requester.submit(confirmation)

    assert ack.ok
    assert NO_CHANNEL in shown(world.slack.views(world.requester.user_id)[-1])


def test_an_update_without_an_approvals_channel_is_refused_in_the_modal(
    world_without_approvals: World,
) -> None:
    world = world_without_approvals
    phone = sms_and_voice_number(world)
    form = open_modal(world, world.requester, f"update {phone}", "active.update")

    ack = world.requester.submit(form, {"number_sms_service_plan": "plan-new"})

    assert ack.ok
    assert NO_CHANNEL in shown(world.slack.views(world.requester.user_id)[-1])


def test_a_form_left_open_across_an_upgrade_says_it_is_out_of_date(world: World) -> None:
    phone = sms_and_voice_number(world)
    confirmation = open_modal(world, world.requester, f"release {phone}", "release.modal")
    # What a modal opened by an older numbot carries: metadata the running version no longer reads.
    stale = {**confirmation.definition, "private_metadata": '{"number": "' + phone + '"}'}
    world.runtime.app.client.views_update(view_id=confirmation.id, view=stale)

    ack = world.requester.submit(world.slack.views(world.requester.user_id)[-1])

    assert ack.ok
    assert "out of date; run the command again" in shown(world.slack.views(world.requester.user_id)[-1])
