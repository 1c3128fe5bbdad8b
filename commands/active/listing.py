"""`list`: which filters a user typed, the counts that summarise a long list, and one page of it.

The "More" button carries the filters and an offset rather than Sinch's page token: Sinch's pages and
ours differ in size, and an offset lets the next page be fetched with `limit` instead of walking on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blockkit import ids
from bot.blockkit.blocks import context, fields, header, section, to_dicts, with_sandbox_note
from bot.blockkit.metadata import SlackMeta
from bot.errors import UsageError
from bot.services import Services
from bot.sinch import ActiveNumber, Capability, NumberPattern, NumberType, Pages, SearchPattern
from commands.shared.number_view import number_line
from commands.shared.parsing import parse_args, suggest

LIST_USAGE = "list [REGION] [TYPE] [--sms|--voice] [pattern]"
PAGE_SIZE = 20
# Lines per section: 10 numbers stay well under the 3000-character section limit.
LINES_PER_SECTION = 10

_TYPE_WORDS = {
    "local": NumberType.LOCAL,
    "mobile": NumberType.MOBILE,
    "toll_free": NumberType.TOLL_FREE,
    "toll-free": NumberType.TOLL_FREE,
    "tollfree": NumberType.TOLL_FREE,
}
_REGION = re.compile(r"^[A-Za-z]{2}$")
_PATTERN = re.compile(r"^\+?\d{1,15}$")
_CAPABILITY_FLAGS = {"--sms": Capability.SMS, "--voice": Capability.VOICE}


class ListQuery(SlackMeta):
    """The filters of one `list`, and where the page to show starts."""

    region: str | None = None
    number_type: NumberType | None = None
    capabilities: tuple[Capability, ...] = ()
    pattern: str | None = None
    offset: int = 0

    def sinch_pattern(self) -> NumberPattern | None:
        """`+1206` matches from the start of the number, plain digits anywhere in it."""
        if self.pattern is None:
            return None
        starts = self.pattern.startswith("+")
        return NumberPattern(
            pattern=self.pattern, search_pattern=SearchPattern.START if starts else SearchPattern.CONTAINS
        )

    def describe(self) -> str:
        parts = [part for part in (self.region, self.number_type) if part]
        parts.extend(capability.value for capability in self.capabilities)
        if self.pattern:
            parts.append(
                f"starting {self.pattern}" if self.pattern.startswith("+") else f"with {self.pattern}"
            )
        return " ".join(parts)


def parse_list_query(words: Sequence[str]) -> ListQuery:
    parsed = parse_args(words, flags=tuple(_CAPABILITY_FLAGS), usage=LIST_USAGE)
    values: dict[str, str] = {}
    for word in parsed.positionals:
        slot, value = _classify(word)
        if slot in values:
            raise UsageError(f"Give one {slot} at most (got `{values[slot]}` and `{value}`).", LIST_USAGE)
        values[slot] = value
    return ListQuery(
        region=values.get("region"),
        number_type=NumberType(values["type"]) if "type" in values else None,
        capabilities=tuple(_CAPABILITY_FLAGS[flag] for flag in sorted(parsed.flags)),
        pattern=values.get("pattern"),
    )


def _classify(word: str) -> tuple[str, str]:
    if word.lower() in _TYPE_WORDS:
        return "type", _TYPE_WORDS[word.lower()].value
    if _REGION.match(word):
        return "region", word.upper()
    if _PATTERN.match(word):
        return "pattern", word
    raise UsageError(
        f"`{word}` is not a region code (two letters, e.g. `US`), a number type (`LOCAL`, `MOBILE`, "
        f"`TOLL_FREE`) or digits to match (e.g. `+1206` or `555`).{suggest(word.lower(), list(_TYPE_WORDS))}",
        LIST_USAGE,
    )


@dataclass
class Tally:
    """Counts that summarise a list too long to read line by line."""

    total: int = 0
    regions: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    capabilities: Counter[str] = field(default_factory=Counter)

    def add(self, number: ActiveNumber) -> None:
        self.total += 1
        self.regions[number.region_code or "?"] += 1
        self.types[number.type or "?"] += 1
        self.capabilities.update(number.capability)


def breakdown(counts: Counter[str]) -> str:
    """ "US 100, GB 20": largest first, ties by name."""
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(f"{label} {count}" for label, count in ordered) or "none"


def fetch_first_page(services: Services, query: ListQuery) -> tuple[list[ActiveNumber], Tally]:
    """Walk every page once: the counts need all numbers, the message shows only the first ones."""
    shown: list[ActiveNumber] = []
    counted = Tally()
    for number in _pages(services, query, limit=None):
        counted.add(number)
        if len(shown) < PAGE_SIZE:
            shown.append(number)
    return shown, counted


def fetch_page(services: Services, query: ListQuery) -> tuple[list[ActiveNumber], int | None, bool]:
    """The page at `query.offset`, Sinch's total, and whether more follow; stops reading after the page."""
    end = query.offset + PAGE_SIZE
    pages = _pages(services, query, limit=end + 1)
    numbers = list(pages)
    return numbers[query.offset : end], pages.total_size, len(numbers) > end


def _pages(services: Services, query: ListQuery, *, limit: int | None) -> Pages[ActiveNumber]:
    return services.sinch.list_active(
        query.region,
        query.number_type,
        pattern=query.sinch_pattern(),
        capabilities=query.capabilities,
        limit=limit,
    )


def first_page_message(
    query: ListQuery, shown: Sequence[ActiveNumber], counted: Tally, *, sandbox: bool
) -> tuple[str, list[dict[str, Any]]]:
    filters = query.describe()
    if counted.total == 0:
        text = f"No active numbers{' match ' + filters if filters else ''}."
        return text, to_dicts(with_sandbox_note([section(text)], sandbox))
    title = f"Active numbers{': ' + filters if filters else ''}"
    blocks: list[Block] = [header(title)]
    blocks.extend(
        fields(
            [
                ("Total", str(counted.total)),
                ("By region", breakdown(counted.regions)),
                ("By type", breakdown(counted.types)),
                ("By capability", breakdown(counted.capabilities)),
            ]
        )
    )
    blocks.extend(_page_blocks(query, shown, counted.total, more=counted.total > len(shown)))
    text = f"{title}: {counted.total} numbers"
    return text, to_dicts(with_sandbox_note(blocks, sandbox))


def next_page_message(
    query: ListQuery, shown: Sequence[ActiveNumber], total: int | None, *, more: bool, sandbox: bool
) -> tuple[str, list[dict[str, Any]]]:
    filters = query.describe()
    title = f"Active numbers{': ' + filters if filters else ''}"
    if not shown:
        text = f"{title}: no more numbers (the list changed since it was shown)."
        return text, to_dicts(with_sandbox_note([section(text)], sandbox))
    blocks: list[Block] = [header(title), *_page_blocks(query, shown, total, more=more)]
    return f"{title}: {_range(query.offset, len(shown), total)}", to_dicts(with_sandbox_note(blocks, sandbox))


def _page_blocks(
    query: ListQuery, shown: Sequence[ActiveNumber], total: int | None, *, more: bool
) -> list[Block]:
    lines = [number_line(number) for number in shown]
    blocks: list[Block] = [
        section("\n".join(lines[i : i + LINES_PER_SECTION])) for i in range(0, len(lines), LINES_PER_SECTION)
    ]
    blocks.append(context(f"{_range(query.offset, len(shown), total)} · `/numbers show <number>` for detail"))
    if more:
        after = query.model_copy(update={"offset": query.offset + len(shown)})
        button = ButtonElement(
            text=f"More ({PAGE_SIZE} next)", action_id=ids.MORE_ACTIVE, value=after.encode()
        )
        blocks.append(ActionsBlock(elements=[button]))
    return blocks


def _range(offset: int, count: int, total: int | None) -> str:
    of_total = f" of {total}" if total is not None else ""
    return f"Showing {offset + 1}-{offset + count}{of_total}"
