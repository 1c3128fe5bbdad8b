"""The Home tab's inventory dashboard, end to end: opened from the snapshot, refreshed from the sandbox's
Sinch with its Refresh button, and kept within Slack's limits whatever the inventory."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.blockkit import ids
from bot.blockkit.blocks import MODAL_BLOCKS, SECTION_TEXT, money
from bot.inventory import snapshot
from bot.sinch import ImportNumber, SmsConfiguration
from sandbox.slack import SlackUserDriver, View
from storage import inventory, leases
from storage.inventory import E911Status, InventoryRow, Source
from tests.harness import PROJECT_ID, World, answer_to, running_world, seed_active, shown
from tests.inventory_rows import inventory_row


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("dashboard")) as started:
        yield started


def home_showing(world: World, user: SlackUserDriver, text: str) -> View:
    """The user's Home tab once it shows `text` (after an open or a click they made)."""
    return world.wait_for(
        lambda slack: (home := slack.home(user.user_id)) is not None and text in shown(home) and home
    )


def refresh(world: World, user: SlackUserDriver) -> View:
    """`user` clicks Refresh on their tab; the tab once the refresh is over (its "as of" moved on)."""
    before = world.slack.home(user.user_id)
    assert before is not None
    clicked = user.click(before, ids.HOME_REFRESH)
    assert clicked.ok, clicked
    return world.wait_for(
        lambda slack: (
            (home := slack.home(user.user_id)) is not None
            and home.blocks != before.blocks
            and "reading it from Sinch now" not in shown(home)
            and home
        )
    )


def sandbox_numbers(world: World) -> list[dict[str, object]]:
    state = world.sinch.state
    found = [state.active_number(number, PROJECT_ID) for number in state.active_phone_numbers(PROJECT_ID)]
    return [number for number in found if number is not None]


def test_the_tab_asks_for_a_first_read_then_shows_what_sinch_holds(world: World) -> None:
    seed_active(world, 7, "US", "LOCAL", service_plan_id="plan-a")
    seed_active(world, 3, "GB", "MOBILE")
    world.services.sinch.imported_import(
        ImportNumber(
            phone_number="+12025550199",
            region_code="US",
            sms_configuration=SmsConfiguration(service_plan_id="p"),
        )
    )

    world.requester.open_home()
    first = shown(home_showing(world, world.requester, "reading it from Sinch for the first time"))
    assert "Needs attention" not in first
    assert (
        inventory.stale_since(world.services.store) is not None
    )  # the refresh job reads it at its next tick

    text = shown(refresh(world, world.requester))

    numbers = sandbox_numbers(world)
    regions = Counter(str(number["regionCode"]) for number in numbers)
    assert f"*{len(numbers)} active numbers* (rented, as `/numbers list` counts them) · *1 imported*" in text
    (most, count), *_ = regions.most_common()
    assert f"*By region:* {most} {count:,} (+1 imported)" in text
    for region, count in regions.items():
        assert f"{region} {count:,}" in text
    by_currency: dict[str, Decimal] = {}
    for number in numbers:
        price = number["money"]
        assert isinstance(price, dict)
        by_currency[price["currencyCode"]] = by_currency.get(price["currencyCode"], Decimal(0)) + Decimal(
            price["amount"]
        )
    for currency, amount in by_currency.items():
        assert f"• {money(amount, currency)} for " in text
    idle = sum(1 for number in numbers if not _linked(number))
    assert f"*{idle} numbers idle*" in text
    assert "`/numbers update <+E164>` to use one" in text
    assert "Waiting for your approval" not in text  # the requester approves nothing
    assert "Inventory* as of <!date^" in text

    listed = answer_to(world, world.requester, "list", "Active numbers")
    total = re.search(r"Showing 1-\d+ of (\d+)", shown(listed))
    assert total is not None and f"*{total.group(1)} active numbers*" in text


def test_refresh_picks_up_a_number_rented_meanwhile_and_a_failure_keeps_the_figures(world: World) -> None:
    snapshot.refresh(world.services)
    world.requester.open_home()
    before = home_showing(world, world.requester, "active numbers*")
    counted = len(sandbox_numbers(world))
    assert f"*{counted} active numbers*" in shown(before)
    (rented,) = seed_active(world, 1, "US", "LOCAL")  # rented in Sinch's dashboard, not through numbot

    assert f"*{counted + 1} active numbers*" in shown(refresh(world, world.requester))
    assert inventory.count(world.services.store, Source.ACTIVE) == counted + 1
    assert rented in [row.phone_number for row in inventory.rows(world.services.store, Source.ACTIVE)]

    world.sinch.faults.fail_next(1, 403)
    failed = shown(refresh(world, world.requester))

    assert "Refresh failed: Sinch could not be read" in failed
    assert "The figures below are the last ones read." in failed
    assert f"*{counted + 1} active numbers*" in failed

    store, now = world.services.store, world.services.clock()
    assert leases.acquire(store, snapshot.LEASE_NAME, "the scheduler elsewhere", snapshot.LEASE_SECONDS, now)
    try:
        busy = shown(refresh(world, world.requester))
    finally:
        leases.release(store, snapshot.LEASE_NAME, "the scheduler elsewhere")
    assert "Another refresh is running: open the tab again in a moment." in busy
    assert "Refresh failed" not in busy and f"*{counted + 1} active numbers*" in busy


def test_an_approver_sees_what_waits_for_them_below_the_dashboard(world: World) -> None:
    snapshot.refresh(world.services)
    world.approver.open_home()
    text = shown(home_showing(world, world.approver, "Waiting for your approval"))
    assert text.index("Needs attention") < text.index("Your pending requests")


def test_a_big_varied_inventory_stays_within_slacks_limits_and_escapes_what_sinch_sent(world: World) -> None:
    now = datetime.now(UTC)
    rows = [big_row(i, now) for i in range(3_000)]
    imported = [big_row(i, now, source=Source.IMPORTED, phone=f"+1303555{i:04d}") for i in range(500)]
    store = world.services.store
    inventory.replace_source(store, Source.ACTIVE, rows, now)
    inventory.replace_source(store, Source.IMPORTED, imported, now)
    no_address = [row.phone_number for row in rows if row.region == "US"][:2]
    for phone in no_address:
        inventory.record_e911(store, phone, E911Status.MISSING, now)

    world.bystander.open_home()
    home = home_showing(world, world.bystander, "*3,000 active numbers*")

    assert len(home.blocks) <= MODAL_BLOCKS
    for block in home.blocks:
        assert len(block.get("text", {}).get("text", "")) <= SECTION_TEXT
    text = shown(home)
    assert "…and 70 more regions" in text  # 80 regions, the 10 largest named
    assert "…and 6 more currencies" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "*3,000 numbers idle*" in text and "(+1303" not in text
    assert (
        "*2 numbers can take calls in the US or Canada but have no emergency address* "
        f"({', '.join(no_address)}): `/numbers e911 coverage`"
    ) in text
    assert "36 numbers in the US or Canada not checked for an emergency address yet" in text


def big_row(i: int, now: datetime, *, source: Source = Source.ACTIVE, phone: str = "") -> InventoryRow:
    return inventory_row(
        phone or f"+4420{i:08d}",
        source=source,
        region="US" if i % 80 == 0 else f"R{i % 80:02d}",
        number_type="<!channel>" if i % 7 == 0 else f"TYPE{i % 13}",
        sms_service_plan_id="",
        monthly_price=Decimal("1.25") if source is Source.ACTIVE else None,
        currency=f"C{i % 12:02d}" if source is Source.ACTIVE else "",
        next_charge_date=now + timedelta(days=i % 40),
        provisioning_failed=i % 5 == 0,
    )


def _linked(number: dict[str, object]) -> bool:
    sms = number.get("smsConfiguration") or {}
    voice = number.get("voiceConfiguration") or {}
    assert isinstance(sms, dict) and isinstance(voice, dict)
    return bool(sms.get("servicePlanId") or sms.get("campaignId") or voice.get("appId"))
