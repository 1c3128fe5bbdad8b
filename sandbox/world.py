"""The whole product on loopback: a local Slack workspace, the Sinch sandbox, and the real bot between them.

Everything talks over real HTTP: Slack deliveries are signed and POSTed to the bot's /slack/events, the bot
calls the local Slack Web API with the real slack-sdk WebClient, and the typed Sinch client calls the sandbox
with OAuth2 client credentials. The tests, the benchmarks and the console build their worlds here, so each
exercises what the others do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.config import Settings
from bot.runtime import Runtime
from bot.services import Clock, Services, utc_now
from bot.sinch import EmergencyAddress
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from sandbox.slack import LocalSlack, Message, RateLimits, SlackChannel, SlackUser, View
from sandbox.slack.driver import SlackUserDriver

T = TypeVar("T")

# Placeholders only the local Slack and the Sinch sandbox check.
SIGNING_SECRET = "test-signing-secret"  # noqa: S105
BOT_TOKEN = "xoxb-local-test"  # noqa: S105
APP_TOKEN = "xapp-local-test"  # noqa: S105
SINCH_KEY_ID = "test-key"
SINCH_KEY_SECRET = "test-secret"  # noqa: S105
PROJECT_ID = "test-project"

REQUESTER = SlackUser("U0REQUEST", "rita")
APPROVER = SlackUser("U0APPROVE", "alex")
SECOND_APPROVER = SlackUser("U0APPROV2", "sam")
ADMIN = SlackUser("U0ADMIN01", "ada")
BYSTANDER = SlackUser("U0BYSTAND", "vic")

OPS = SlackChannel("C0OPS0001", "ops")
APPROVALS = SlackChannel("C0APPROVE", "approvals")
ALERTS = SlackChannel("C0ALERTS1", "numbers-alerts")
APPROVER_GROUP = "S0APPROVER"
# An address the Sinch sandbox knows exactly: validating it answers EXACT.
SPRINGFIELD = EmergencyAddress(
    street_number="12345", street_info="Main St", city="Springfield", state="IL", postal_code="62701"
)
# Answers to the order form for a GB MOBILE number, by the form's labels, that the sandbox's review passes
# (a document for "Proof of address" is attached by whoever submits).
GB_REGISTRATION = {
    "Business name": "Acme Widgets Ltd",
    "Street address": "1 High Street",
    "City": "London",
    "Postcode": "SW1A 1AA",
    "First name": "Jane",
    "Last name": "Smith",
    "Contact email": "jane@example.com",
    "Contact phone (E.164)": "+447911123456",
}


@dataclass
class World:
    slack: LocalSlack
    sinch: RunningSandbox
    runtime: Runtime

    @property
    def services(self) -> Services:
        return self.runtime.services

    @property
    def requester(self) -> SlackUserDriver:
        return self.slack.user(REQUESTER.id)

    @property
    def approver(self) -> SlackUserDriver:
        return self.slack.user(APPROVER.id)

    @property
    def second_approver(self) -> SlackUserDriver:
        return self.slack.user(SECOND_APPROVER.id)

    @property
    def admin(self) -> SlackUserDriver:
        return self.slack.user(ADMIN.id)

    @property
    def bystander(self) -> SlackUserDriver:
        return self.slack.user(BYSTANDER.id)

    def wait_for(self, predicate: Callable[[LocalSlack], T | bool | None], timeout: float = 5.0) -> T:
        return self.slack.wait_for(predicate, timeout=timeout)


# Slack tolerates short bursts; a whole approval flow fits in this one, and tests of sustained bursts
# pass stricter limits.
TEST_RATE_LIMITS = RateLimits(post_message_per_second=1.0, post_message_burst=10)


def local_slack(
    rate_limits: RateLimits = TEST_RATE_LIMITS, extra_users: Sequence[SlackUser] = ()
) -> LocalSlack:
    return LocalSlack(
        signing_secret=SIGNING_SECRET,
        bot_token=BOT_TOKEN,
        app_token=APP_TOKEN,
        users=[REQUESTER, APPROVER, SECOND_APPROVER, ADMIN, BYSTANDER, *extra_users],
        channels=[OPS, APPROVALS, ALERTS],
        usergroups={APPROVER_GROUP: [APPROVER.id, SECOND_APPROVER.id]},
        rate_limits=rate_limits,
    )


def bot_settings(slack: LocalSlack, sinch: RunningSandbox, database: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "sinch_project_id": PROJECT_ID,
        "sinch_key_id": SINCH_KEY_ID,
        "sinch_key_secret": SINCH_KEY_SECRET,
        "sinch_numbers_url": sinch.url,
        "sinch_imported_url": sinch.imported_url,
        "sinch_auth_url": sinch.token_url,
        "numbot_database": database,
        "numbot_approvers": [APPROVER_GROUP],
        "numbot_admins": [ADMIN.id],
        "numbot_approvals_channel": APPROVALS.id,
        "numbot_notifications_channel": ALERTS.id,
        "numbot_http_host": "127.0.0.1",
        "numbot_http_port": 0,
        # Worlds start without background Sinch reads (inventory refresh, E911 sweep): they would take the
        # faults a test injects for the call it is about. Worlds that show or measure the inventory turn
        # them on.
        "numbot_inventory_refresh_minutes": 0,
        "numbot_e911_sweep_per_minute": 0,
        # A world starts at any hour: a scheduled digest would land in the notifications channel in the
        # middle of whatever test or benchmark happens to run on a Monday morning. Tests of the schedule
        # set their own.
        "numbot_digest_schedule": "off",
    }
    values.update(overrides)
    # _env_file=None: a developer's own .env must not leak into tests.
    return Settings(_env_file=None, **values)


@contextmanager
def running_world(
    tmp_path: Path,
    *,
    sandbox: SandboxConfig | None = None,
    rate_limits: RateLimits = TEST_RATE_LIMITS,
    extra_users: Sequence[SlackUser] = (),
    **settings_overrides: Any,
) -> Iterator[World]:
    slack = local_slack(rate_limits, extra_users)
    slack.start()
    sinch = start_sandbox(sandbox or SandboxConfig(seed=7, provisioning_seconds=3600))
    try:
        with serving(
            slack, bot_settings(slack, sinch, tmp_path / "numbot.db", **settings_overrides)
        ) as runtime:
            yield World(slack, sinch, runtime)
    finally:
        sinch.stop()
        slack.stop()


@contextmanager
def serving(
    slack: LocalSlack, settings: Settings, *, clock: Clock = utc_now, sandbox_inventory: int = 0
) -> Iterator[Runtime]:
    """The real bot serving `slack` (over HTTP, or Socket Mode if settings say so) until the block ends;
    an embedded Sinch sandbox starts with `sandbox_inventory` numbers (see `Runtime`)."""
    if settings.socket_mode:
        slack.deliver_socket_mode()
    runtime = Runtime(
        settings, clock=clock, sandbox_inventory=sandbox_inventory
    ).start()  # a start that fails has nothing to stop
    try:
        if not settings.socket_mode:
            slack.deliver_http(f"{runtime.url}/slack/events")
        yield runtime
    finally:
        runtime.stop()


def visible_text(blocks: list[dict[str, Any]]) -> str:
    """Every text a person sees in Block Kit blocks (sections, fields, headers, buttons), one per line."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"mrkdwn", "plain_text"} and isinstance(node.get("text"), str):
                found.append(node["text"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def shown(surface: Message | View) -> str:
    """What a person reads: a message's fallback text and everything its (or a view's) blocks show."""
    fallback = surface.text if isinstance(surface, Message) else surface.title
    return fallback + "\n" + visible_text(surface.blocks)
