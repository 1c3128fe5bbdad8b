"""The Home tab's inventory dashboard as drawn from given figures (`commands.home.dashboard`, pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.blockkit.blocks import to_dicts
from commands.home.dashboard import Examples, Inventory, RefreshState, TeamWork, inventory_blocks
from sandbox.world import visible_text
from storage.inventory import Attention, Totals

EMPTY = Totals(
    active=0, imported=0, by_region=[], by_type=[], by_capability=[], monthly=[], due=[], by_region_spend=[]
)
CALM = Attention(e911_missing=0, e911_unchecked=0, idle=0, provisioning_failed=0)
READ_AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
READ = Inventory(as_of=READ_AT, totals=EMPTY, attention=CALM, examples=Examples())
NO_WORK = TeamWork(blocked_orders=0, pending_requests=0, approvals_channel="C0APPROVE")


def drawn(inventory: Inventory, work: TeamWork = NO_WORK) -> str:
    return visible_text(to_dicts(inventory_blocks(inventory, work, RefreshState())))


def test_orders_and_requests_waiting_on_the_team_need_attention() -> None:
    text = drawn(READ, TeamWork(blocked_orders=1, pending_requests=3, approvals_channel="C0APPROVE"))

    assert (
        "• *1 number order blocked by Sinch's review* wait for a fix: `/numbers orders --open`, then "
        "*Fix and resubmit* in the order's thread"
    ) in text
    assert "• *3 requests waiting for an approver* in <#C0APPROVE>" in text
    assert "Nothing needs attention" not in text


def test_a_calm_inventory_says_nothing_needs_attention() -> None:
    text = drawn(READ)
    assert ":white_check_mark: Nothing needs attention." in text
    assert "_No active number has a price._" in text and "_Nothing is charged in the next 30 days._" in text


def test_never_read_shows_no_figures_and_offers_refresh() -> None:
    never = Inventory(as_of=None, totals=EMPTY, attention=CALM, examples=Examples())
    text = drawn(never)
    assert "numbot is reading it from Sinch for the first time" in text and "Refresh" in text
    assert "Needs attention" not in text and "active numbers" not in text


def test_while_refreshing_the_button_is_gone() -> None:
    blocks = to_dicts(inventory_blocks(READ, NO_WORK, RefreshState(running=True)))
    assert "reading it from Sinch now" in visible_text(blocks)
    assert "home.refresh" not in str(blocks)
