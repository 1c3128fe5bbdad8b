"""`/numbers e911 coverage`: the voice numbers without an emergency address, from the inventory snapshot,
each with a button that opens the `e911 set` form for it. Pure: the snapshot's figures in, Block Kit out."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block, ButtonElement

from bot.blockkit import ids
from bot.blockkit.blocks import context, section
from bot.blockkit.dates import slack_date
from bot.blockkit.text import escape
from bot.inventory.sweep import Coverage
from storage.inventory import InventoryRow

# A message holds at most 50 blocks; one per number, and room for the heading, the notes and the sandbox's.
SHOWN = 20
SWEEP_SETTING = "NUMBOT_E911_SWEEP_PER_MINUTE"
NEVER_READ = (
    "numbot has not read the inventory from Sinch yet, so it cannot tell which numbers lack an emergency "
    "address. It reads it in the background shortly after starting: try again in a minute."
)


def coverage_message(coverage: Coverage, now: datetime) -> tuple[str, list[Block]]:
    """The fallback text and the blocks of the answer."""
    refreshed_at = coverage.refreshed_at
    if refreshed_at is None:
        return NEVER_READ, [section(NEVER_READ)]
    headline = _headline(coverage)
    blocks: list[Block] = [section(headline)]
    blocks.extend(_number_line(row) for row in coverage.missing)
    more = coverage.missing_total - len(coverage.missing)
    if more > 0:
        blocks.append(
            section(f"…and {more} more. `/numbers report` lists every number with its E911 status.")
        )
    blocks.append(context(_progress(coverage, refreshed_at, now)))
    return headline, blocks


def _headline(coverage: Coverage) -> str:
    total = coverage.missing_total
    if total == 0 and coverage.unchecked == 0:
        return ":white_check_mark: Every voice number in the US and Canada has an emergency address."
    if total == 0:
        return "No voice number is known to lack an emergency address, but some are not checked yet."
    numbers = "number has" if total == 1 else "numbers have"
    return (
        f":rotating_light: *{total} voice {numbers} no emergency address*: a 911 call from them reaches "
        "responders who do not know where to go."
    )


def _number_line(row: InventoryRow) -> Block:
    details = " · ".join(escape(part) for part in (row.display_name, row.region) if part)
    text = f"*{escape(row.phone_number)}*" + (f"  {details}" if details else "")
    button = ButtonElement(text="Set address", action_id=ids.E911_COVERAGE_SET, value=row.phone_number)
    return section(text, accessory=button)


def _progress(coverage: Coverage, refreshed_at: datetime, now: datetime) -> str:
    """As of when, and how far the background check has got."""
    as_of = f"Inventory as of {slack_date(refreshed_at)}"
    if coverage.unchecked == 0:
        return f"{as_of} · every number's address has been checked."
    waiting = f"{coverage.unchecked} not checked yet"
    done_by = coverage.covered_by(now)
    if done_by is None:
        return f"{as_of} · {waiting}, and the background check is off (`{SWEEP_SETTING}=0`)."
    return (
        f"{as_of} · {waiting}: at {coverage.per_minute} checks a minute the background check covers them "
        f"by {slack_date(done_by)}."
    )
