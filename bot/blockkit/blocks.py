"""Shared Block Kit pieces (slack_sdk.models) and the limits from SLACK.md they must respect."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
OPTION_TEXT = 75
SELECT_OPTIONS = 100
MODAL_TITLE = 24
SECTION_FIELDS = 10
FIELD_TEXT = 2000

SANDBOX_NOTE = ":test_tube: *SANDBOX*: Sinch is simulated; no real number is rented, no money is spent."


def clip(text: str, limit: int) -> str:
    """Shorten to Slack's limit with an ellipsis: a long value must not make a message invalid_blocks."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_TEXT), emoji=True))


def section(text: str, *, accessory: Any = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT)), accessory=accessory)


def chunks(lines: Sequence[str], limit: int) -> list[str]:
    """Join lines, in order, into as few texts of at most `limit` characters as they fit in (a longer line
    stands alone, and `section` cuts it)."""
    joined: list[str] = []
    for line in lines:
        if joined and len(joined[-1]) + 1 + len(line) <= limit:
            joined[-1] += "\n" + line
        else:
            joined.append(line)
    return joined


def fields(pairs: Sequence[tuple[str, str]]) -> list[SectionBlock]:
    """Label/value pairs as section fields, ten per block (Slack's maximum)."""
    items = [MarkdownTextObject(text=clip(f"*{label}*\n{value}", FIELD_TEXT)) for label, value in pairs]
    return [SectionBlock(fields=items[i : i + SECTION_FIELDS]) for i in range(0, len(items), SECTION_FIELDS)]


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, SECTION_TEXT))])


def with_sandbox_note(blocks: Sequence[Block], sandbox: bool) -> list[Block]:
    return [*blocks, context(SANDBOX_NOTE)] if sandbox else list(blocks)


def to_dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "n/a"
    return f"{amount:,.2f} {currency or ''}".strip()


def mention(user_id: str) -> str:
    return f"<@{user_id}>"
