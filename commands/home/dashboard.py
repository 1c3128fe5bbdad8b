"""The Home tab's inventory dashboard, drawn from the snapshot alone (pure: no Slack, Sinch or database).

Everything Sinch named (regions, types, currencies, numbers) is escaped, and every list is cut to a few
lines with "…and N more", so the tab stays within Slack's limits whatever the inventory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import Block, ButtonElement

from bot.blockkit import ids
from bot.blockkit.blocks import SECTION_TEXT, chunks, money, section
from bot.blockkit.dates import DATE_ONLY, slack_date
from bot.blockkit.text import escape
from storage.inventory import Attention, Totals

# The most numerous regions, types and currencies are named; the rest are counted.
REGIONS_SHOWN = 10
TYPES_SHOWN = 6
CURRENCIES_SHOWN = 6
# How many numbers an attention line names before "…".
NUMBERS_NAMED = 3
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Examples:
    """A few numbers of each kind needing attention, named on the tab so a reader can act at once."""

    e911_missing: Sequence[str] = ()
    idle: Sequence[str] = ()
    provisioning_failed: Sequence[str] = ()


@dataclass(frozen=True)
class Inventory:
    """The snapshot as the tab shows it; `as_of` is None until numbot has read the inventory once."""

    as_of: datetime | None
    totals: Totals
    attention: Attention
    examples: Examples


@dataclass(frozen=True)
class TeamWork:
    """What waits on the team rather than on Sinch."""

    blocked_orders: int
    pending_requests: int
    approvals_channel: str | None


@dataclass(frozen=True)
class RefreshState:
    """A Refresh click in progress, or how the last one failed (mrkdwn, escaped by its maker)."""

    running: bool = False
    problem: str | None = None


def inventory_blocks(inventory: Inventory, work: TeamWork, refresh: RefreshState) -> list[Block]:
    blocks: list[Block] = [_status(inventory.as_of, refresh)]
    if inventory.as_of is not None:
        totals = inventory.totals
        for lines in (
            _counts(totals),
            _monthly(totals),
            _due(totals),
            _attention(inventory.attention, inventory.examples, work),
        ):
            blocks.extend(section(text) for text in chunks(lines, SECTION_TEXT))
    return blocks


def _status(as_of: datetime | None, refresh: RefreshState) -> Block:
    if refresh.running:
        return section(":arrows_counterclockwise: *Inventory*: reading it from Sinch now…")
    button = ButtonElement(text="Refresh", action_id=ids.HOME_REFRESH, value="refresh")
    if as_of is None:
        text = (
            ":hourglass_flowing_sand: *Inventory*: numbot is reading it from Sinch for the first time; it "
            "shows here shortly. *Refresh* reads it now."
        )
    else:
        text = f"*Inventory* as of {slack_date(as_of)}"
    if refresh.problem:
        kept = "The figures below are the last ones read." if as_of is not None else ""
        text += f"\n:x: Refresh failed: Sinch could not be read ({refresh.problem}). {kept}".rstrip()
    return section(text, accessory=button)


def _counts(totals: Totals) -> list[str]:
    regions = [
        f"{_name(region)} {_with_imported(active, imported)}" for region, active, imported in totals.by_region
    ]
    types = [f"{_name(kind)} {count:,}" for kind, count in totals.by_type]
    capabilities = [
        f"{_name(capability)} {_with_imported(active, imported)}"
        for capability, active, imported in totals.by_capability
    ]
    return [
        f"*{totals.active:,} active numbers* (rented, as `/numbers list` counts them) · "
        f"*{totals.imported:,} imported* (counted apart)",
        f"*By region:* {_top(regions, REGIONS_SHOWN, 'regions')}",
        f"*By type:* {_top(types, TYPES_SHOWN, 'types')}",
        f"*By capability:* {_top(capabilities, len(capabilities), 'capabilities')}",
    ]


def _monthly(totals: Totals) -> list[str]:
    lines = [
        f"• {money(spent.amount, escape(spent.currency))} for {_numbers(spent.numbers)}"
        for spent in totals.monthly
    ]
    return ["*Monthly recurring cost* (active numbers)", *_cut(lines, "No active number has a price.")]


def _due(totals: Totals) -> list[str]:
    lines = [
        f"• {money(charge.amount, escape(charge.currency))} for {_numbers(charge.numbers)}, "
        f"the first on {slack_date(charge.first, DATE_ONLY)}"
        for charge in totals.due
    ]
    return ["*Charges due in the next 30 days*", *_cut(lines, "Nothing is charged in the next 30 days.")]


def _attention(attention: Attention, examples: Examples, work: TeamWork) -> list[str]:
    lines: list[str] = []
    if attention.e911_missing:
        lines.append(
            f"• :rotating_light: *{_numbers(attention.e911_missing)} can take calls in the US or Canada but "
            f"have no emergency address*{_named(examples.e911_missing, attention.e911_missing)}: "
            "`/numbers e911 coverage`"
        )
    if attention.e911_unchecked:
        lines.append(
            f"• {_numbers(attention.e911_unchecked)} in the US or Canada not checked for an emergency "
            "address yet (numbot checks them in the background): `/numbers e911 coverage`"
        )
    if attention.idle:
        lines.append(
            f"• *{_numbers(attention.idle)} idle*: neither SMS nor voice configured, paid for and used for "
            f"nothing{_named(examples.idle, attention.idle)}: `/numbers update <+E164>` to use one, "
            "`/numbers release <+E164>` to stop paying"
        )
    if attention.provisioning_failed:
        lines.append(
            f"• *{_numbers(attention.provisioning_failed)} whose last provisioning failed*"
            f"{_named(examples.provisioning_failed, attention.provisioning_failed)}: "
            "`/numbers show <+E164>` says why, `/numbers update <+E164>` tries again"
        )
    if work.blocked_orders:
        lines.append(
            f"• *{_plural(work.blocked_orders, 'number order')} blocked by Sinch's review* wait for a fix: "
            "`/numbers orders --open`, then *Fix and resubmit* in the order's thread"
        )
    if work.pending_requests:
        where = f" in <#{work.approvals_channel}>" if work.approvals_channel else ""
        lines.append(f"• *{_plural(work.pending_requests, 'request')} waiting for an approver*{where}")
    return ["*Needs attention*", *(lines or [":white_check_mark: Nothing needs attention."])]


def _top(items: Sequence[str], shown: int, what: str) -> str:
    if not items:
        return "none"
    rest = len(items) - shown
    more = f" · …and {rest:,} more {what}" if rest > 0 else ""
    return " · ".join(items[:shown]) + more


def _cut(lines: Sequence[str], empty: str) -> list[str]:
    if not lines:
        return [f"_{empty}_"]
    rest = len(lines) - CURRENCIES_SHOWN
    return [*lines[:CURRENCIES_SHOWN], *([f"…and {rest:,} more currencies"] if rest > 0 else [])]


def _named(numbers: Sequence[str], total: int) -> str:
    if not numbers:
        return ""
    named = ", ".join(escape(number) for number in numbers[:NUMBERS_NAMED])
    return f" ({named}{', …' if total > len(numbers[:NUMBERS_NAMED]) else ''})"


def _name(text: str) -> str:
    return escape(text) if text else UNKNOWN


def _with_imported(active: int, imported: int) -> str:
    return f"{active:,}" + (f" (+{imported:,} imported)" if imported else "")


def _numbers(count: int) -> str:
    return _plural(count, "number")


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
