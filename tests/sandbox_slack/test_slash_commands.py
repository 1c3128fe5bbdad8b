"""Slash commands reach the app signed and shaped like Slack's, and its answers reach the user."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond

from sandbox.slack import LocalSlack
from sandbox.slack.signing import SignatureMode
from tests.sandbox_slack.conftest import OPS, REQUESTER, ManualClock, bolt_app, local_slack, serve_over_http


def test_ack_then_respond_shows_an_ephemeral_to_the_user_only(slack: LocalSlack, app: App) -> None:
    received: list[dict[str, Any]] = []

    @app.command("/numbers")
    def numbers(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        received.append(command)
        ack()
        respond(f"Searching {command['text']}…")

    ack = slack.user(REQUESTER).slash("/numbers", "search US LOCAL", channel=OPS)

    assert ack.status == 200 and not ack.timed_out
    shown = slack.wait_for(lambda s: s.ephemerals(REQUESTER))
    assert [message.text for message in shown] == ["Searching search US LOCAL…"]
    assert slack.messages(OPS) == []
    form = received[0]
    assert form["command"] == "/numbers" and form["user_id"] == REQUESTER and form["channel_id"] == OPS
    assert form["channel_name"] == "ops" and form["user_name"] == "rita" and form["team_id"] == "T0LOCAL"
    assert form["response_url"].startswith(slack.url) and form["trigger_id"]


def test_text_in_the_ack_is_shown_to_the_user_at_once(slack: LocalSlack, app: App) -> None:
    @app.command("/numbers")
    def numbers(ack: Ack) -> None:
        ack("Usage: /numbers search <country> <type>")

    ack = slack.user(REQUESTER).slash("/numbers", "", channel=OPS)

    assert ack.body == "Usage: /numbers search <country> <type>"
    assert [message.text for message in slack.ephemerals(REQUESTER)] == [ack.body]


def test_in_channel_response_is_posted_for_everyone(slack: LocalSlack, app: App) -> None:
    @app.command("/numbers")
    def numbers(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Rita rented +1 555 0100", response_type="in_channel")

    slack.user(REQUESTER).slash("/numbers", "rent", channel=OPS)

    posted = slack.wait_for(lambda s: s.messages(OPS))
    assert posted[0].text == "Rita rented +1 555 0100" and posted[0].bot


def test_a_slow_ack_times_out_and_slack_tells_the_user(clock: ManualClock) -> None:
    release = threading.Event()
    with local_slack(clock, ack_deadline=0.2) as slack:
        app = bolt_app(slack)

        @app.command("/numbers")
        def numbers(ack: Ack) -> None:
            release.wait(5)
            ack()

        server = serve_over_http(slack, app)
        try:
            ack = slack.user(REQUESTER).slash("/numbers", "search", channel=OPS)
        finally:
            release.set()
            server.stop()

    assert ack.timed_out and not ack.ok and ack.elapsed >= 0.2
    notice = slack.ephemerals(REQUESTER)[0]
    assert notice.text == '/numbers failed with the error "operation_timeout"' and notice.user == "USLACKBOT"


@pytest.mark.parametrize("signature", ["bad", "stale"])
def test_bad_or_stale_signatures_are_refused_by_bolt(slack: LocalSlack, signature: SignatureMode) -> None:
    app = bolt_app(slack)
    handled = threading.Event()

    @app.command("/numbers")
    def numbers(ack: Ack) -> None:
        handled.set()
        ack()

    server = serve_over_http(slack, app, signature=signature)
    try:
        ack = slack.user(REQUESTER).slash("/numbers", "search", channel=OPS)
    finally:
        server.stop()

    assert ack.status == 401 and not handled.is_set()
