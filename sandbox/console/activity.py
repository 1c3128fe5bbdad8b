"""What the console has seen, when the workspace last moved, and waiting on both.

"Settled" (the bot has finished answering a user's action) means: the bot has nothing due to send, no
approved request still running, and the workspace has been quiet (no change, no Web API call) for a short
while. Waits are on a Condition woken by every change, never fixed sleeps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sandbox.console.feed import Event

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    event: Event
    text: str
    """Everything the event shows, as plain text (what /expect searches)."""


class ActivityLog:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._changed = threading.Condition()
        self._entries: list[Entry] = []
        self._since_action = 0
        self._last_activity = clock()

    def record(self, entries: Sequence[Entry]) -> None:
        """Something happened (maybe only an API call, with nothing to show)."""
        with self._changed:
            self._entries.extend(entries)
            self._last_activity = self._clock()
            self._changed.notify_all()

    def user_acted(self) -> None:
        """A user action: later waits look only at what appears from now on, and quiet counts from now."""
        with self._changed:
            self._since_action = len(self._entries)
            self._last_activity = self._clock()

    def wait_settled(self, quiet: float, bot_idle: Callable[[], bool], timeout: float) -> bool:
        """True once the workspace was quiet for `quiet` seconds while `bot_idle()`; False after `timeout`."""
        deadline = self._clock() + timeout
        with self._changed:
            while True:
                now = self._clock()
                silent_for = now - self._last_activity
                if silent_for >= quiet and bot_idle():
                    return True
                if now >= deadline:
                    return False
                # Woken early by any activity; otherwise re-check once the quiet period would be over.
                self._changed.wait(min(deadline - now, max(quiet - silent_for, quiet / 2)))

    def wait_for_entry(self, match: Callable[[Entry], T | None], timeout: float) -> T:
        """The first match among entries since the last user action; TimeoutError after `timeout`."""
        deadline = self._clock() + timeout
        with self._changed:
            checked = self._since_action
            while True:
                for entry in self._entries[checked:]:
                    found = match(entry)
                    if found is not None:
                        return found
                checked = len(self._entries)
                remaining = deadline - self._clock()
                if remaining <= 0:
                    raise TimeoutError
                self._changed.wait(remaining)
