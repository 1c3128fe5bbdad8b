"""When and how long to wait before trying a Sinch call again.

The decisions are pure functions (`should_retry`, `retry_delay`) so that the rules are tested directly;
`call_with_retries` is the small loop that applies them.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.sinch.errors import RateLimited, SinchError, Transport, Upstream

T = TypeVar("T")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """At most `attempts` tries in all, never waiting past `max_elapsed` seconds since the first."""

    attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 5.0
    max_elapsed: float = 30.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1 (1 means no retries)")

    def backoff(self, retry: int, jitter: float) -> float:
        """Seconds before retry number `retry` (1 = the first retry); `jitter` is uniform in [0, 1).

        Exponential with "equal jitter": half of the step is fixed, half random, so that bot threads
        and the scheduler failing together do not retry in lockstep, yet never retry immediately.
        """
        step = min(self.max_delay, self.base_delay * 2.0 ** (retry - 1))
        return step / 2 + jitter * step / 2


def should_retry(error: SinchError, *, idempotent: bool) -> bool:
    """Idempotent calls retry rate limits, 5xx and network failures. Others (rent, release, import...)
    retry only a network failure that certainly happened before Sinch saw the request: doing them twice
    could rent two numbers or fail confusingly, so an ambiguous outcome goes back to the caller, who
    reads the state back.
    """
    if isinstance(error, Transport):
        return idempotent or not error.may_have_reached_server
    return idempotent and isinstance(error, RateLimited | Upstream)


def retry_delay(policy: RetryPolicy, retry: int, error: SinchError, jitter: float) -> float:
    """Sinch's own `Retry-After` wins over our backoff when it sent one."""
    if isinstance(error, RateLimited) and error.retry_after is not None:
        return error.retry_after
    return policy.backoff(retry, jitter)


def call_with_retries(
    call: Callable[[], T],
    *,
    policy: RetryPolicy,
    idempotent: bool,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    jitter: Callable[[], float] = random.random,
) -> T:
    """Run `call`, retrying as the policy and `should_retry` allow; the last error propagates."""
    started = clock()
    retry = 0
    while True:
        try:
            return call()
        except SinchError as error:
            retry += 1
            if retry >= policy.attempts or not should_retry(error, idempotent=idempotent):
                raise
            delay = retry_delay(policy, retry, error, jitter())
            if clock() - started + delay > policy.max_elapsed:
                raise
            logger.info("Sinch call failed (%s); retry %d in %.2fs", type(error).__name__, retry, delay)
            sleep(delay)
