"""A local workspace and a tiny real Bolt app served over loopback HTTP, wired together like production."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from sandbox.slack import LocalSlack, RateLimits, SlackChannel, SlackUser
from sandbox.slack.signing import SignatureMode
from serving import BackgroundServer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SIGNING_SECRET = "test-signing-secret"
REQUESTER = "U0REQUEST"
APPROVER = "U0APPROVE"
OPS = "C0OPS"
QUIET = "C0QUIET"
PRIVATE = "C0PRIVATE"


class ManualClock:
    """The workspace's clock, moved only by the test (trigger_id, response_url and rate-limit expiry)."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def local_slack(clock: ManualClock, rate_limits: RateLimits | None = None, **options: object) -> LocalSlack:
    return LocalSlack(
        SIGNING_SECRET,
        users=[SlackUser(REQUESTER, "rita", "Rita Requester"), SlackUser(APPROVER, "alex")],
        channels=[
            SlackChannel(OPS, "ops"),
            SlackChannel("C0APPROVALS", "approvals"),
            SlackChannel(QUIET, "quiet", member=False),
            SlackChannel(PRIVATE, "secret", member=False, is_private=True),
        ],
        usergroups={"S0APPROVERS": [APPROVER]},
        rate_limits=rate_limits or RateLimits.off(),
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def events_only_at(path: str, app: WSGIApplication) -> WSGIApplication:
    """The bot's HTTP surface in miniature: one route, everything else 404."""

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == path:
            return app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return route


def bolt_app(slack: LocalSlack) -> App:
    return App(signing_secret=SIGNING_SECRET, client=WebClient(token=slack.bot_token, base_url=slack.api_url))


def serve_over_http(slack: LocalSlack, app: App, signature: SignatureMode = "valid") -> BackgroundServer:
    server = BackgroundServer(events_only_at("/slack/events", SlackRequestHandler(app))).start()
    slack.deliver_http(f"{server.url}/slack/events", signature=signature)
    return server


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def slack(clock: ManualClock) -> Iterator[LocalSlack]:
    with local_slack(clock) as workspace:
        yield workspace


@pytest.fixture
def app(slack: LocalSlack) -> Iterator[App]:
    """A real Bolt app, served over loopback HTTP, that the workspace delivers to."""
    bolt = bolt_app(slack)
    server = serve_over_http(slack, bolt)
    yield bolt
    server.stop()


@pytest.fixture
def client(slack: LocalSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)
