"""One background thread that runs small callables at their due time (provisioning steps, retries)."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

# Waits are chunked so an absurdly distant due time (tests use 1e9 s) never overflows a timeout.
_MAX_WAIT_SECONDS = 60.0


class TimerQueue:
    def __init__(self, name: str = "sinch-sandbox-timers") -> None:
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._wakeup = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def call_later(self, delay_seconds: float, action: Callable[[], None]) -> None:
        due = time.monotonic() + max(0.0, delay_seconds)
        with self._wakeup:
            heapq.heappush(self._heap, (due, next(self._order), action))
            self._wakeup.notify()

    def stop(self) -> None:
        with self._wakeup:
            self._stopped = True
            self._wakeup.notify()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            action = self._next_due()
            if action is None:
                return
            try:
                action()
            except Exception:
                # A failing step must not stop every later provisioning and retry.
                log.exception("sandbox timer action failed")

    def _next_due(self) -> Callable[[], None] | None:
        with self._wakeup:
            while not self._stopped:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    return heapq.heappop(self._heap)[2]
                wait = self._heap[0][0] - time.monotonic() if self._heap else _MAX_WAIT_SECONDS
                self._wakeup.wait(timeout=min(max(wait, 0.0), _MAX_WAIT_SECONDS))
            return None
