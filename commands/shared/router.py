"""`/numbers <subcommand> ...`: one slash command, many workflows, and `/numbers help` listing them all.

Each workflow package adds its subcommands to the router when it registers. `numbers`, the one listener of
the command, acks first, then resolves the words and runs the subcommand; what it raises is told to the user
by the app's error handler (`commands.shared.replies.on_error`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.blockkit.blocks import context, header, section
from bot.errors import UsageError
from commands.shared.parsing import split_words, suggest
from commands.shared.replies import reply

if TYPE_CHECKING:
    from slack_sdk.models.blocks import Block

    from bot.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    """One `/numbers` call, as the handlers see it."""

    user_id: str
    channel_id: str
    trigger_id: str
    words: list[str]  # after the subcommand name
    respond: Respond
    client: WebClient

    def reply(self, text: str, *, sandbox: bool, blocks: Sequence[Block] | None = None) -> None:
        """Answer the user who typed the command (see `commands.shared.replies.reply`)."""
        reply(self.respond, text, sandbox=sandbox, blocks=blocks)


Handler = Callable[["Invocation", "Services"], None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Handler
    examples: tuple[str, ...] = ()
    group: str = "Numbers"


@dataclass
class CommandRouter:
    subcommands: dict[str, Subcommand] = field(default_factory=dict)

    def add(self, subcommand: Subcommand) -> None:
        if subcommand.name in self.subcommands:
            raise ValueError(f"subcommand {subcommand.name!r} registered twice")
        self.subcommands[subcommand.name] = subcommand

    def resolve(self, text: str) -> tuple[Subcommand | None, list[str]]:
        """The subcommand a text names (None for help) and the words after it; UsageError for unknown ones."""
        words = split_words(text)
        if not words or words[0].lower() in {"help", "-h", "--help", "?"}:
            return None, words[1:]
        name = words[0].lower()
        # Two-word families (`imported list`, `e911 set`) register as "imported list".
        if len(words) > 1 and f"{name} {words[1].lower()}" in self.subcommands:
            return self.subcommands[f"{name} {words[1].lower()}"], words[2:]
        if name in self.subcommands:
            return self.subcommands[name], words[1:]
        family = [key for key in self.subcommands if key.startswith(f"{name} ")]
        if family:
            raise UsageError(f"`{name}` needs one of: {', '.join(f'`{key}`' for key in sorted(family))}.")
        raise UsageError(f"Unknown subcommand `{words[0]}`.{suggest(name, list(self.subcommands))}")


def help_text(router: CommandRouter) -> tuple[str, list[str]]:
    groups: dict[str, list[Subcommand]] = defaultdict(list)
    for subcommand in router.subcommands.values():
        groups[subcommand.group].append(subcommand)
    sections = []
    for group, members in groups.items():
        lines = [f"*{group}*"]
        for sub in members:
            examples = "".join(f"\n      e.g. `/numbers {example}`" for example in sub.examples)
            lines.append(f"• `/numbers {sub.usage}`: {sub.summary}{examples}")
        sections.append("\n".join(lines))
    return "numbot commands", sections


def show_help(invocation: Invocation, router: CommandRouter, services: Services) -> None:
    title, sections = help_text(router)
    blocks = [header(title), *(section(text) for text in sections)]
    blocks.append(context("Anything that costs money or is hard to undo asks a second person to approve."))
    invocation.reply(title + "\n" + "\n".join(sections), sandbox=services.sandbox, blocks=blocks)


def numbers(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    router: CommandRouter,
) -> None:
    """The `/numbers` listener: ack at once, then run the subcommand the words name (help when none)."""
    ack()
    subcommand, words = router.resolve(command.get("text", ""))
    invocation = Invocation(
        user_id=command["user_id"],
        channel_id=command["channel_id"],
        trigger_id=command["trigger_id"],
        words=words,
        respond=respond,
        client=client,
    )
    if subcommand is None:
        show_help(invocation, router, services)
    else:
        subcommand.handler(invocation, services)
