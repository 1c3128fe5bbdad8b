"""Socket Mode: the same bot, reached over the local workspace's WebSocket instead of HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.harness import APP_TOKEN, OPS, running_world


def test_slash_command_round_trip_over_socket_mode(tmp_path: Path) -> None:
    with running_world(tmp_path, slack_app_token=APP_TOKEN) as world:
        world.wait_for(lambda slack: slack.socket_mode_connections > 0)
        ack = world.requester.slash("/numbers", "help", channel=OPS.id)
        assert ack.ok and not ack.timed_out
        reply = world.wait_for(lambda slack: slack.ephemerals(world.requester.user_id))
        assert "numbot commands" in reply[-1].text
        # Socket Mode deployments still serve health (and Sinch callbacks) over HTTP, but not Slack events:
        # unsigned HTTP deliveries must find nothing to talk to.
        assert httpx.get(f"{world.runtime.url}/healthz").json()["socket_mode"] is True
        assert httpx.post(f"{world.runtime.url}/slack/events", content=b"{}").status_code == 404
        world.slack.drop_socket_mode_connections()
