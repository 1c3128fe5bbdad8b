"""chat.postMessage's per-channel rate limit: a token bucket per channel on an injectable clock."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """About one message per second per channel, with a short burst tolerated, like Slack."""

    post_message_per_second: float = 1.0
    post_message_burst: int = 3
    enabled: bool = True

    @classmethod
    def off(cls) -> RateLimits:
        return cls(enabled=False)


class TokenBuckets:
    """One bucket per key; `take` spends a token or says how long until one is back."""

    def __init__(self, rate_per_second: float, burst: int, clock: Callable[[], float]) -> None:
        self._rate = rate_per_second
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """0 when allowed (and spent); otherwise the seconds to wait, which Slack rounds up in Retry-After."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self._rate


def retry_after_header(wait_seconds: float) -> str:
    return str(max(1, math.ceil(wait_seconds)))
