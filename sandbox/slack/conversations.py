"""Messages in channels and threads, and the ephemeral messages each user sees."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.errors import ApiError
from sandbox.slack.models import Message

SLACKBOT = "USLACKBOT"


class Conversations:
    """Everything here is posted by the bot, except Slackbot's notices (e.g. "operation_timeout")."""

    def __init__(self, next_ts: Callable[[], str], bot_user_id: str) -> None:
        self._next_ts = next_ts
        self._bot_user_id = bot_user_id
        self._messages: dict[tuple[str, str], Message] = {}
        self._top_level: dict[str, list[str]] = {}
        self._threads: dict[tuple[str, str], list[str]] = {}
        self._ephemerals: dict[str, list[Message]] = {}

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[JsonDict],
        thread_ts: str | None = None,
        files: list[JsonDict] | None = None,
    ) -> Message:
        if thread_ts is not None:
            parent = self.thread_parent(channel, thread_ts)
            # Replying to a reply lands in the same thread, as in Slack.
            thread_ts = parent.thread_ts or parent.ts
        message = Message(
            ts=self._next_ts(),
            channel=channel,
            text=text,
            blocks=blocks,
            user=self._bot_user_id,
            bot=True,
            thread_ts=thread_ts,
            files=files or [],
        )
        self._messages[(channel, message.ts)] = message
        if thread_ts is None:
            self._top_level.setdefault(channel, []).append(message.ts)
        else:
            self._threads.setdefault((channel, thread_ts), []).append(message.ts)
        return message

    def thread_parent(self, channel: str, thread_ts: str) -> Message:
        """The message a reply at `thread_ts` would land under (Slack's `thread_not_found` if none)."""
        parent = self._find(channel, thread_ts)
        if parent is None:
            raise ApiError("thread_not_found")
        return parent

    def update(self, channel: str, ts: str, text: str | None, blocks: list[JsonDict] | None) -> Message:
        """Fields left out keep their value, like chat.update; the old version goes to `edits`."""
        old = self.get(channel, ts)
        updated = _edited(old, text, blocks, self._next_ts())
        self._messages[(channel, ts)] = updated
        return updated

    def delete(self, channel: str, ts: str) -> None:
        message = self._messages.pop((channel, ts), None)
        if message is None:
            raise ApiError("message_not_found")
        if message.thread_ts is None:
            self._top_level[channel].remove(ts)
        else:
            self._threads[(channel, message.thread_ts)].remove(ts)

    def get(self, channel: str, ts: str) -> Message:
        message = self._find(channel, ts)
        if message is None:
            raise ApiError("message_not_found")
        return message

    def post_ephemeral(
        self, user_id: str, channel: str, text: str, blocks: list[JsonDict], from_slackbot: bool = False
    ) -> Message:
        message = Message(
            ts=self._next_ts(),
            channel=channel,
            text=text,
            blocks=blocks,
            user=SLACKBOT if from_slackbot else self._bot_user_id,
            bot=not from_slackbot,
            ephemeral=True,
        )
        self._ephemerals.setdefault(user_id, []).append(message)
        return message

    def update_ephemeral(
        self, user_id: str, ts: str, text: str | None, blocks: list[JsonDict] | None
    ) -> None:
        seen = self._ephemerals.get(user_id, [])
        for index, message in enumerate(seen):
            if message.ts == ts:
                seen[index] = _edited(message, text, blocks, self._next_ts())

    def delete_ephemeral(self, user_id: str, ts: str) -> None:
        self._ephemerals[user_id] = [
            message for message in self._ephemerals.get(user_id, []) if message.ts != ts
        ]

    def top_level(self, channel: str) -> list[Message]:
        return [
            dataclasses.replace(self._messages[(channel, ts)], replies=self.thread(channel, ts))
            for ts in self._top_level.get(channel, [])
        ]

    def thread(self, channel: str, ts: str) -> list[Message]:
        return [self._messages[(channel, reply)] for reply in self._threads.get((channel, ts), [])]

    def ephemerals(self, user_id: str) -> list[Message]:
        return list(self._ephemerals.get(user_id, []))

    def _find(self, channel: str, ts: str) -> Message | None:
        return self._messages.get((channel, ts))


def _edited(old: Message, text: str | None, blocks: list[JsonDict] | None, edited_ts: str) -> Message:
    return dataclasses.replace(
        old,
        text=old.text if text is None else text,
        blocks=old.blocks if blocks is None else blocks,
        edits=[*old.edits, dataclasses.replace(old, edits=[])],
        edited_ts=edited_ts,
    )
