"""`/numbers help`: every subcommand with its usage and examples, grouped by family."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bot.blockkit.blocks import context, header, section

if TYPE_CHECKING:
    from bot.services import Services
    from commands.shared.router import CommandRouter, Invocation, Subcommand


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
