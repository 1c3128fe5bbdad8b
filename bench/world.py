"""The real bot between a local Slack workspace and the Sinch sandbox, shaped for one benchmark.

Built from the test harness's pieces (users, channels, settings) so benchmarks measure what the tests
exercise; unlike `tests.harness.running_world` the workspace may hold a crowd of users and any rate limits.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.runtime import Runtime
from sandbox.sinch import SandboxConfig, start_sandbox
from sandbox.slack import LocalSlack, RateLimits, SlackUser
from tests.harness import (
    ADMIN,
    ALERTS,
    APP_TOKEN,
    APPROVALS,
    APPROVER,
    APPROVER_GROUP,
    BOT_TOKEN,
    OPS,
    REQUESTER,
    SECOND_APPROVER,
    SIGNING_SECRET,
    World,
    bot_settings,
)


def crowd(count: int) -> list[SlackUser]:
    """`count` ordinary workspace members (not approvers), with valid Slack user ids."""
    return [SlackUser(f"U0CROWD{index:03d}", f"user{index}") for index in range(count)]


@contextmanager
def bench_world(
    *,
    users: list[SlackUser] | None = None,
    rate_limits: RateLimits | None = None,
    sandbox: SandboxConfig | None = None,
    **settings_overrides: Any,
) -> Iterator[World]:
    """Start everything on loopback in a fresh temporary directory; stop and delete it all afterwards."""
    slack = LocalSlack(
        signing_secret=SIGNING_SECRET,
        bot_token=BOT_TOKEN,
        app_token=APP_TOKEN,
        users=[REQUESTER, APPROVER, SECOND_APPROVER, ADMIN, *(users or [])],
        channels=[OPS, APPROVALS, ALERTS],
        usergroups={APPROVER_GROUP: [APPROVER.id, SECOND_APPROVER.id]},
        rate_limits=rate_limits or RateLimits.off(),
    )
    with tempfile.TemporaryDirectory(prefix="numbot-bench-") as directory, slack:
        sinch = start_sandbox(sandbox or SandboxConfig(seed=11, provisioning_seconds=3600))
        runtime = Runtime(bot_settings(slack, sinch, Path(directory) / "numbot.db", **settings_overrides))
        try:
            runtime.start()
            slack.deliver_http(f"{runtime.url}/slack/events")
            yield World(slack, sinch, runtime)
        finally:
            runtime.stop()
            sinch.stop()
