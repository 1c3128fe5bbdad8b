"""Make the next calls of a Web API method fail on purpose, to test the bot's retries."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    status: int
    error: str
    retry_after: int


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, list[Fault]] = {}
        # Seconds every Web API call takes after its work is done: a slow Slack whose answer lags its effect.
        self.latency_seconds = 0.0

    def fail_next(self, method: str, count: int, status: int, error: str | None, retry_after: int) -> None:
        default_error = (
            "ratelimited" if status == 429 else "internal_error" if status >= 500 else "fatal_error"
        )
        fault = Fault(status=status, error=error or default_error, retry_after=retry_after)
        with self._lock:
            self._pending.setdefault(method, []).extend([fault] * count)

    def take(self, method: str) -> Fault | None:
        with self._lock:
            pending = self._pending.get(method)
            return pending.pop(0) if pending else None
