"""Fault injection: latency, seeded random 429s and 5xxs, and deterministic failures of the next requests."""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass, field

from sandbox.sinch.errors import ApiError


@dataclass
class FaultConfig:
    """Mutable at runtime (`sb.faults.rate_limit_rate = 0.5`); applies to API calls, not the token endpoint
    unless `include_token_endpoint` is set."""

    latency_seconds: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after_seconds: int = 1
    error_5xx_rate: float = 0.0
    include_token_endpoint: bool = False
    seed: int = 0
    _queued: deque[ApiError] = field(default_factory=deque, init=False, repr=False)
    _answers_to_lose: int = field(default=0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Seeded so a flaky-looking run can be replayed exactly.
        self._rng = random.Random(self.seed)  # noqa: S311

    def fail_next(self, count: int, status: int, retry_after: int | None = None) -> None:
        """Answer the next `count` requests with `status` (and Retry-After, when given)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self._queued.extend(ApiError(status, "Injected fault", headers=headers) for _ in range(count))

    def lose_next_answers(self, count: int) -> None:
        """Carry out the next `count` API requests, then break each connection before its answer is
        whole: the client cannot tell whether its request was done (a timeout or a dropped link)."""
        with self._lock:
            self._answers_to_lose += count

    def take_lost_answer(self) -> bool:
        """Whether the answer of the request just carried out is to be lost."""
        with self._lock:
            if self._answers_to_lose <= 0:
                return False
            self._answers_to_lose -= 1
            return True

    def reset(self) -> None:
        with self._lock:
            self._queued.clear()
            self._answers_to_lose = 0
        self.latency_seconds = self.rate_limit_rate = self.error_5xx_rate = 0.0

    def next_fault(self, token_endpoint: bool) -> ApiError | None:
        """The error this request should get instead of its real answer, if any."""
        if token_endpoint and not self.include_token_endpoint:
            return None
        with self._lock:
            if self._queued:
                return self._queued.popleft()
            if self.rate_limit_rate and self._rng.random() < self.rate_limit_rate:
                headers = {"Retry-After": str(self.retry_after_seconds)}
                return ApiError(429, "Too many requests", headers=headers)
            if self.error_5xx_rate and self._rng.random() < self.error_5xx_rate:
                return ApiError(500, "Internal error")
        return None
