"""What the local workspace holds and reports: people, channels, messages, views, API calls and acks.

All of them are immutable snapshots: a test that keeps a `Message` keeps what it saw, and later edits show up
in a fresh snapshot (with the older version in `edits`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.slack.block_kit import JsonDict, PlacedElement, buttons, input_blocks, plain_text


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    real_name: str = ""

    def as_api_user(self, team_id: str) -> JsonDict:
        """The `user` object of users.info."""
        real_name = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": False,
            "tz": "UTC",
            "profile": {"real_name": real_name, "display_name": self.name},
        }


@dataclass(frozen=True)
class SlackChannel:
    id: str
    name: str
    member: bool = True
    """Whether the bot is in the channel (it may post only if so, unless it holds chat:write.public)."""
    is_private: bool = False

    def as_api_channel(self) -> JsonDict:
        """The `channel` object of conversations.info."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_private": self.is_private,
            "is_member": self.member,
            "is_archived": False,
        }


class ElementNotFoundError(LookupError):
    """A test (or console user) asked for a button or input that is not on screen."""


@dataclass(frozen=True)
class Message:
    ts: str
    channel: str
    text: str
    blocks: list[JsonDict]
    user: str | None
    """The author's user id (the bot user for bot messages, USLACKBOT for Slack's own notices)."""
    bot: bool = False
    thread_ts: str | None = None
    replies: list[Message] = field(default_factory=list)
    edits: list[Message] = field(default_factory=list)
    """Earlier versions, oldest first, one per chat.update (or replace_original)."""
    edited_ts: str | None = None
    """When the latest edit landed, on the workspace's ts clock (Slack's `edited.ts`)."""
    ephemeral: bool = False
    files: list[JsonDict] = field(default_factory=list)
    """The file objects a message shares (files.completeUploadExternal with a channel)."""

    def buttons(self) -> list[PlacedElement]:
        return buttons(self.blocks)

    def button(self, text_or_action_id: str) -> PlacedElement:
        """The button whose visible text or action_id is `text_or_action_id`."""
        for placed in self.buttons():
            if text_or_action_id in (placed.text, placed.action_id):
                return placed
        shown = [placed.text for placed in self.buttons()]
        raise ElementNotFoundError(f"no button {text_or_action_id!r} in message {self.ts}; buttons: {shown}")

    def as_payload(self, bot_id: str) -> JsonDict:
        """The message as Slack embeds it in a block_actions payload."""
        payload: JsonDict = {"type": "message", "ts": self.ts, "text": self.text, "blocks": self.blocks}
        if self.user is not None:
            payload["user"] = self.user
        if self.bot:
            payload["bot_id"] = bot_id
        if self.thread_ts is not None:
            payload["thread_ts"] = self.thread_ts
        if self.files:
            payload["files"] = self.files
            payload["upload"] = True
        if self.edited_ts is not None:
            payload["edited"] = {"user": self.user, "ts": self.edited_ts}
        return payload


@dataclass(frozen=True)
class View:
    id: str
    type: str
    """modal or home."""
    user_id: str
    hash: str
    callback_id: str
    title: str
    blocks: list[JsonDict]
    private_metadata: str
    external_id: str
    submit: str | None
    close: str | None
    notify_on_close: bool
    root_view_id: str
    previous_view_id: str | None
    definition: JsonDict
    """The view JSON as the app sent it (with the block_ids Slack fills in)."""
    errors: dict[str, str] = field(default_factory=dict)
    """Messages under input blocks, from a `response_action: errors` ack."""

    def input_blocks(self) -> list[JsonDict]:
        return input_blocks(self.blocks)

    def input_block(self, label_or_block_id: str) -> JsonDict:
        for block in self.input_blocks():
            if label_or_block_id in (block.get("block_id"), plain_text(block.get("label"))):
                return block
        labels = [plain_text(block.get("label")) for block in self.input_blocks()]
        raise ElementNotFoundError(f"no input {label_or_block_id!r} in view {self.id}; inputs: {labels}")

    def buttons(self) -> list[PlacedElement]:
        return buttons(self.blocks)


@dataclass(frozen=True)
class ApiCall:
    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None = None
    status: int = 200
    warnings: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.monotonic)
    """When the local Slack answered (`time.monotonic`): benchmarks time a click to the call it caused."""


@dataclass(frozen=True)
class Ack:
    """How the bot answered a delivery, as Slack saw it."""

    status: int
    body: JsonDict | str | None
    elapsed: float
    timed_out: bool = False
    """The bot took longer than 3 s: Slack showed the user "operation_timeout" and ignored the body."""
    retries: int = 0
    """Events API redeliveries it took (X-Slack-Retry-Num of the last attempt)."""
    problem: str | None = None
    """Why Slack would refuse this ack body (e.g. errors for a block that is not an input)."""

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.timed_out
