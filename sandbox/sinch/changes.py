"""A signal raised whenever the sandbox's background work moves on, so callers await it instead of polling.

Provisioning steps and callback delivery attempts run on timer and pool threads; each one notifies the
signal when it is done, and `wait_for` re-checks its caller's predicate then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ChangeSignal:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._generation = 0

    def notify(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Block until `predicate()` holds (True) or `timeout` seconds pass without it holding (False).

        The predicate runs without the signal's lock, so it may call the sandbox's API or take the state
        lock (which notifiers hold) without deadlocking; a change landing while it runs bumps the
        generation, so it is re-checked rather than missed.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                seen = self._generation
            if predicate():
                return True
            if not self._wait_past(seen, deadline):
                return False

    def _wait_past(self, generation: int, deadline: float) -> bool:
        """Wait until a change after `generation` (True) or the deadline (False)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._generation != generation, timeout=deadline - time.monotonic()
            )
