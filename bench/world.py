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
from sandbox.slack import RateLimits, SlackUser
from sandbox.world import World, running_world


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
