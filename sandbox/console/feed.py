"""What changed in the local workspace: snapshots, their differences as events, and a thread watching.

The feed is the console's only waiter on the workspace: reads wake the workspace's waiters too, so two
threads waiting on it at once would wake each other forever.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sandbox.slack import LocalSlack, Message, View

log = logging.getLogger(__name__)

# How often the watcher looks up from its wait to see whether it should stop.
STOP_CHECK_SECONDS = 0.2


@dataclass(frozen=True)
class Posted:
    """A new or edited message in a channel (`parent` set for a thread reply)."""

    message: Message
    parent: Message | None
    edited: bool


@dataclass(frozen=True)
class Whispered:
    """A new or replaced ephemeral message only `user_id` sees."""

    user_id: str
    message: Message
    edited: bool


@dataclass(frozen=True)
class ModalShown:
    """A modal opened, or changed in place (new content, or validation errors next to its inputs)."""

    view: View
    updated: bool


@dataclass(frozen=True)
class ModalClosed:
    view: View


@dataclass(frozen=True)
class HomeShown:
    """The bot published a user's Home tab (each views.publish, even of the same content)."""

    view: View
    updated: bool


Event = Posted | Whispered | ModalShown | ModalClosed | HomeShown


@dataclass(frozen=True)
class Snapshot:
    messages: dict[tuple[str, str], Message]
    """(channel, ts) → every message and thread reply, replies not nested."""
    ephemerals: dict[tuple[str, str], Message]
    """(user id, ts) → an ephemeral message."""
    views: dict[str, View]
    """view id → every open modal of every user."""
    homes: dict[str, View]
    """user id → their Home tab, once the bot published one."""
    calls: int
    """Web API calls so far: activity even when nothing visible changes."""


def take_snapshot(slack: LocalSlack, users: Sequence[str], channels: Sequence[str]) -> Snapshot:
    """Call inside `slack.wait_for` so that it sees one consistent state."""
    messages: dict[tuple[str, str], Message] = {}
    for channel in channels:
        for message in slack.messages(channel):
            messages[(channel, message.ts)] = dataclasses.replace(message, replies=[])
            messages.update({(channel, reply.ts): reply for reply in message.replies})
    return Snapshot(
        messages=messages,
        ephemerals={(user, message.ts): message for user in users for message in slack.ephemerals(user)},
        views={view.id: view for user in users for view in slack.views(user)},
        homes={user: home for user in users if (home := slack.home(user)) is not None},
        calls=len(slack.calls),
    )


def changes(before: Snapshot, after: Snapshot) -> list[Event]:
    """What a person would notice between two snapshots, in the order it happened: a new message at its
    ts, an edit at its `edited_ts` (a card edited before the reply below it reads that way), then modals."""
    happened: list[tuple[Decimal, Event]] = []
    for (channel, ts), message in after.messages.items():
        old = before.messages.get((channel, ts))
        if old is None or _shows_differently(old, message):
            parent = after.messages.get((channel, message.thread_ts)) if message.thread_ts else None
            happened.append((_changed_at(message, old), Posted(message, parent, edited=old is not None)))
    for (user, ts), message in after.ephemerals.items():
        old = before.ephemerals.get((user, ts))
        if old is None or _shows_differently(old, message):
            happened.append((_changed_at(message, old), Whispered(user, message, edited=old is not None)))
    modals: list[Event] = [
        ModalClosed(view) for view_id, view in before.views.items() if view_id not in after.views
    ]
    for view_id, view in after.views.items():
        old_view = before.views.get(view_id)
        if old_view != view:
            modals.append(ModalShown(view, updated=old_view is not None))
    homes: list[Event] = [
        HomeShown(home, updated=user in before.homes)
        for user, home in after.homes.items()
        if before.homes.get(user) != home
    ]
    return [event for _, event in sorted(happened, key=lambda pair: pair[0])] + modals + homes


def _changed_at(message: Message, old: Message | None) -> Decimal:
    """A message new since the last look shows where it was posted, even if it was edited since."""
    return Decimal(message.ts if old is None or message.edited_ts is None else message.edited_ts)


def _shows_differently(old: Message, new: Message) -> bool:
    return (old.text, old.blocks) != (new.text, new.blocks)


class Feed:
    """Watches the workspace on one thread and reports each change (`on_change(events)`; events may be
    empty when only Web API calls happened)."""

    def __init__(
        self,
        slack: LocalSlack,
        users: Sequence[str],
        channels: Sequence[str],
        on_change: Callable[[list[Event]], None],
    ) -> None:
        self._slack = slack
        self._users = list(users)
        self._channels = list(channels)
        self._on_change = on_change
        self._stopped = threading.Event()
        self._seen = self._snapshot_now()
        self._thread = threading.Thread(target=self._run, name="console-feed", daemon=True)

    def start(self) -> Feed:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _snapshot_now(self) -> Snapshot:
        return self._slack.wait_for(lambda slack: take_snapshot(slack, self._users, self._channels), 1.0)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                current = self._slack.wait_for(self._changed, timeout=STOP_CHECK_SECONDS)
            except TimeoutError:
                continue
            events = changes(self._seen, current)
            self._seen = current
            try:
                self._on_change(events)
            except Exception:  # one bad render must not stop the console's updates
                log.exception("could not show a workspace change")

    def _changed(self, slack: LocalSlack) -> Snapshot | None:
        current = take_snapshot(slack, self._users, self._channels)
        return current if current != self._seen else None
