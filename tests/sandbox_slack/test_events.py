"""Events API: app_home_opened reaches the app, its Home tab is shown, failed deliveries are retried."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from sandbox.slack import LocalSlack
from tests.sandbox_slack.conftest import REQUESTER

HOME = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Your numbers*"}}]}


def test_opening_the_home_tab_lets_the_app_publish_it(slack: LocalSlack, app: App) -> None:
    events: list[dict[str, Any]] = []

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        events.append(event)
        client.views_publish(user_id=event["user"], view=HOME)

    ack = slack.user(REQUESTER).open_home()

    home = slack.wait_for(lambda s: s.home(REQUESTER))
    assert ack.ok and ack.retries == 0
    assert home.blocks[0]["text"]["text"] == "*Your numbers*"
    assert events[0]["tab"] == "home" and "view" not in events[0]

    slack.user(REQUESTER).open_home()
    assert slack.wait_for(lambda s: len(events) == 2 and events)[1]["view"]["id"] == home.id


def test_failed_deliveries_are_retried_with_retry_headers(slack: LocalSlack, app: App) -> None:
    attempts: list[tuple[str | None, str | None]] = []
    handled = threading.Event()

    @app.middleware
    def overloaded_twice(request: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:
        headers = request.headers
        attempts.append(
            (headers.get("x-slack-retry-num", [None])[0], headers.get("x-slack-retry-reason", [None])[0])
        )
        return BoltResponse(status=503, body="busy") if len(attempts) <= 2 else next()

    @app.event("app_home_opened")
    def home_opened() -> None:
        handled.set()

    ack = slack.user(REQUESTER).open_home()

    assert ack.ok and ack.retries == 2 and handled.wait(5)
    assert attempts == [(None, None), ("1", "http_error"), ("2", "http_error")]


def test_delivery_gives_up_after_three_retries(slack: LocalSlack, app: App) -> None:
    @app.middleware
    def down(next: Callable[[], BoltResponse]) -> BoltResponse:
        return BoltResponse(status=500, body="down")

    ack = slack.user(REQUESTER).open_home()

    assert ack.status == 500 and ack.retries == 3
