"""The workspace's whole state behind one lock, with a Condition so tests can wait for changes."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from sandbox.slack.conversations import Conversations
from sandbox.slack.directory import Directory
from sandbox.slack.files import Files
from sandbox.slack.models import ApiCall, SlackChannel, SlackUser
from sandbox.slack.tickets import ResponseUrls, Triggers
from sandbox.slack.view_stacks import ViewStacks

T = TypeVar("T")


@dataclass(frozen=True)
class BotIdentity:
    team_id: str
    app_id: str = "A0LOCAL"
    bot_id: str = "B0LOCAL"
    bot_user_id: str = "U0NUMBOT"
    bot_name: str = "numbot"
    team_domain: str = "local"


class Workspace:
    """Every change goes through `transaction()` and wakes `wait_until`; reads use `reading()`."""

    def __init__(
        self,
        identity: BotIdentity,
        *,
        users: Iterable[SlackUser],
        channels: Iterable[SlackChannel],
        usergroups: dict[str, list[str]],
        chat_write_public: bool,
        clock: Callable[[], float],
        files_dir: Path,
    ) -> None:
        self.identity = identity
        self.clock = clock
        self._changed = threading.Condition(threading.RLock())
        self._sequence = itertools.count(1)
        # Message timestamps look like Slack's ("<epoch seconds>.<6 digits>") and sort in posting order.
        self._epoch = int(time.time())
        self.directory = Directory(users, channels, usergroups, chat_write_public)
        self.conversations = Conversations(self._next_ts, identity.bot_user_id)
        self.views = ViewStacks(self._next_id)
        self.files = Files(self._next_id, identity.team_id, files_dir)
        self.triggers = Triggers(clock)
        self.response_urls = ResponseUrls(clock)
        self.calls: list[ApiCall] = []

    @contextmanager
    def transaction(self) -> Iterator[Workspace]:
        with self._changed:
            try:
                yield self
            finally:
                self._changed.notify_all()

    @contextmanager
    def reading(self) -> Iterator[Workspace]:
        """A consistent view that wakes nobody, so waiters re-checking a condition never wake each other."""
        with self._changed:
            yield self

    def notify(self) -> None:
        """Wake waiters after a change made outside a transaction (e.g. a Socket Mode connection)."""
        with self._changed:
            self._changed.notify_all()

    def wait_until(self, ready: Callable[[], T | bool | None], timeout: float) -> T:
        """The first truthy `ready()`, re-checked after every change; TimeoutError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = ready()
                if result:
                    return cast(T, result)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"workspace did not reach the expected state within {timeout} s")
                self._changed.wait(remaining)

    def _next_ts(self) -> str:
        sequence = next(self._sequence)
        return f"{self._epoch + sequence // 1_000_000}.{sequence % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._sequence):08d}"
