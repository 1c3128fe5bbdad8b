"""The real bot between a local Slack workspace and the Sinch sandbox, shaped for one benchmark.

The test harness's world, so benchmarks measure what the tests exercise, with a crowd of users, Slack's
rate limits chosen per benchmark, and a temporary directory of its own.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sandbox.sinch import SandboxConfig
from sandbox.slack import Message, RateLimits, SlackUser
from sandbox.slack.driver import SlackUserDriver
from sandbox.world import World, running_world, shown


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
    with (
        tempfile.TemporaryDirectory(prefix="numbot-bench-") as directory,
        running_world(
            Path(directory),
            sandbox=sandbox or SandboxConfig(seed=11, provisioning_seconds=3600),
            rate_limits=rate_limits or RateLimits.off(),
            extra_users=users or (),
            **settings_overrides,
        ) as world,
    ):
        yield world


def shown_to(world: World, user: SlackUserDriver) -> set[str]:
    """The ephemeral messages `user` can see now (their ts), to tell the next answer from older ones."""
    return {message.ts for message in world.slack.ephemerals(user.user_id)}


def new_answer(world: World, user: SlackUserDriver, seen: set[str], marker: str, timeout: float) -> Message:
    """The user's newest ephemeral showing `marker` that was not in `seen` before they acted."""
    return world.slack.wait_for(
        lambda slack: next(
            (
                message
                for message in reversed(slack.ephemerals(user.user_id))
                if message.ts not in seen and marker in shown(message)
            ),
            None,
        ),
        timeout=timeout,
    )
