"""The real slack_bolt SocketModeHandler connects to the workspace and handles the same round trips."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.slack import LocalSlack
from tests.sandbox_slack.conftest import OPS, REQUESTER, bolt_app


@pytest.fixture
def socket_app(slack: LocalSlack) -> Iterator[App]:
    app = bolt_app(slack)
    handler = SocketModeHandler(app, app_token=slack.app_token, auto_reconnect_enabled=False)
    handler.connect()  # type: ignore[no-untyped-call]
    slack.deliver_socket_mode()
    slack.wait_for(lambda s: s.socket_mode_connections)
    yield app
    # Closing from the server side first spares the client's 3-second receive timeout on close().
    slack.drop_socket_mode_connections()
    slack.wait_for(lambda s: s.socket_mode_connections == 0)
    handler.close()  # type: ignore[no-untyped-call]


def test_slash_command_round_trip_over_socket_mode(slack: LocalSlack, socket_app: App) -> None:
    @socket_app.command("/numbers")
    def numbers(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        ack()
        respond(f"Searching {command['text']}…")

    ack = slack.user(REQUESTER).slash("/numbers", "search US LOCAL", channel=OPS)

    assert ack.ok and ack.body is None
    shown = slack.wait_for(lambda s: s.ephemerals(REQUESTER))
    assert [message.text for message in shown] == ["Searching search US LOCAL…"]


def test_ack_payloads_come_back_in_the_envelope(slack: LocalSlack, socket_app: App) -> None:
    @socket_app.command("/numbers")
    def numbers(ack: Ack) -> None:
        ack("Usage: /numbers search <country> <type>")

    ack = slack.user(REQUESTER).slash("/numbers", channel=OPS)

    assert ack.body == {"text": "Usage: /numbers search <country> <type>"}
    assert [message.text for message in slack.ephemerals(REQUESTER)] == [
        "Usage: /numbers search <country> <type>"
    ]


def test_events_are_acknowledged_over_the_socket(slack: LocalSlack, socket_app: App) -> None:
    @socket_app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    assert slack.user(REQUESTER).open_home().ok
    assert slack.wait_for(lambda s: s.home(REQUESTER))


def test_connections_need_the_app_token(slack: LocalSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.apps_connections_open(app_token=slack.bot_token)
    assert refused.value.response["error"] == "not_allowed_token_type"
    assert client.apps_connections_open(app_token=slack.app_token)["url"].startswith("ws://127.0.0.1:")
