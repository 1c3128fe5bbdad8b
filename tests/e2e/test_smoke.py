"""The product starts and answers: help, unknown subcommands, bad signatures, health."""

from __future__ import annotations

import httpx

from tests.harness import OPS, World


def test_help_lists_commands_ephemerally(world: World) -> None:
    ack = world.requester.slash("/numbers", "help", channel=OPS.id)
    assert ack.ok and ack.elapsed < 3
    reply = world.wait_for(lambda slack: slack.ephemerals(world.requester.user_id))
    assert "numbot commands" in reply[-1].text


def test_unknown_subcommand_suggests_and_points_to_help(world: World) -> None:
    world.requester.slash("/numbers", "serch US LOCAL", channel=OPS.id)
    reply = world.wait_for(lambda slack: slack.ephemerals(world.requester.user_id))
    assert "Unknown subcommand `serch`" in reply[-1].text
    assert "/numbers help" in reply[-1].text


def test_bad_slack_signature_is_refused(world: World) -> None:
    world.slack.deliver_http(f"{world.runtime.url}/slack/events", signature="bad")
    ack = world.requester.slash("/numbers", "help", channel=OPS.id)
    assert ack.status == 401


def test_health(world: World) -> None:
    body = httpx.get(f"{world.runtime.url}/healthz").json()
    assert body["ok"] is True
