"""`/numbers callbacks show | rotate-secret`: admins only; a rotated secret is shown once and used at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.slack import Message
from tests.e2e.provisioning_world import (
    CALLBACK_SECRET,
    callback_world,
    post_callback,
    submit_rent,
    thread_reply,
)
from tests.e2e.test_callbacks import event
from tests.harness import OPS, World

SECRET_IN_REPLY = re.compile(r"New Sinch callback secret: `([0-9a-f]{40})`")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with callback_world(tmp_path) as started:
        yield started


def ephemeral(world: World, user_id: str, needle: str) -> Message:
    return world.wait_for(
        lambda slack: next((m for m in slack.ephemerals(user_id) if needle in m.text), None)
    )


def test_show_tells_an_admin_that_both_apis_sign_with_numbots_secret(world: World) -> None:
    world.admin.slash("/numbers", "callbacks show", channel=OPS.id)

    reply = ephemeral(world, world.admin.user_id, "Sinch callbacks")
    assert reply.text.count("matches") == 2
    assert CALLBACK_SECRET not in reply.text  # only its last characters
    assert f"…{CALLBACK_SECRET[-4:]}" in reply.text


@pytest.mark.parametrize("subcommand", ["callbacks show", "callbacks rotate-secret"])
def test_non_admins_are_refused(world: World, subcommand: str) -> None:
    world.approver.slash("/numbers", subcommand, channel=OPS.id)

    assert "Only admins can do this" in ephemeral(world, world.approver.user_id, "admins").text


def test_a_rotated_secret_is_shown_once_and_verifies_callbacks_from_then_on(world: World) -> None:
    world.admin.slash("/numbers", "callbacks rotate-secret", channel=OPS.id)

    reply = ephemeral(world, world.admin.user_id, "New Sinch callback secret")
    match = SECRET_IN_REPLY.search(reply.text)
    assert match is not None
    secret = match.group(1)
    assert "Imported Numbers API: updated." in reply.text
    # Sinch now signs with the new secret, and the bot accepts it.
    number, request = submit_rent(world)
    world.sinch.complete_provisioning(number)
    assert "is ready" in thread_reply(world, request, "is ready").text
    assert post_callback(world, event("+12025550100", event_id="new"), secret=secret).status_code == 200
    # The old one is still accepted for a while (events already on their way), a wrong one never.
    assert (
        post_callback(world, event("+12025550100", event_id="old"), secret=CALLBACK_SECRET).status_code == 200
    )
    assert post_callback(world, event("+12025550100", event_id="bad"), secret="x" * 40).status_code == 401
    world.admin.slash("/numbers", "callbacks show", channel=OPS.id)
    assert f"…{secret[-4:]}" in ephemeral(world, world.admin.user_id, "Sinch callbacks").text
