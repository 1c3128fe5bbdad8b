"""The inventory snapshot over a real SQLite file: replacing a source, totals, attention, E911 and history."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from storage import Store, inventory
from storage.inventory import E911Status, InventoryRow, RowFilter, Source
from tests.inventory_rows import inventory_row
from tests.storage.helpers import T0


def number(phone: str, **fields: object) -> InventoryRow:
    return inventory_row(phone, **{"next_charge_date": T0 + timedelta(days=10), **fields})


def test_a_source_becomes_exactly_the_rows_given_and_the_first_refresh_is_not_news(store: Store) -> None:
    first = inventory.replace_source(
        store, Source.ACTIVE, [number("+12025550001"), number("+12025550002")], T0
    )
    assert (first.added, first.removed, first.total) == (0, 0, 2)

    later = T0 + timedelta(hours=1)
    second = inventory.replace_source(
        store, Source.ACTIVE, [number("+12025550002"), number("+12025550003")], later
    )

    assert (second.added, second.removed, second.total) == (1, 1, 2)
    assert [row.phone_number for row in inventory.rows(store, Source.ACTIVE)] == [
        "+12025550002",
        "+12025550003",
    ]
    changes = inventory.changes_since(store, T0)
    assert (changes.added, changes.released) == (1, 1)
    assert inventory.refreshed_at(store, Source.ACTIVE) == later
    assert inventory.refreshed_at(store, Source.IMPORTED) is None


def test_more_rows_than_one_write_batch_are_all_kept(store: Store) -> None:
    many = [number(f"+1202555{index:04d}") for index in range(inventory.BATCH * 2 + 7)]
    inventory.replace_source(store, Source.ACTIVE, iter(many), T0)
    assert inventory.count(store, Source.ACTIVE) == len(many)


def test_totals_keep_currencies_apart_and_count_imported_numbers_apart(store: Store) -> None:
    inventory.replace_source(
        store,
        Source.ACTIVE,
        [
            number("+12025550001", monthly_price=Decimal("1.10")),
            number("+12025550002", monthly_price=Decimal("2.20"), next_charge_date=T0 + timedelta(days=40)),
            number(
                "+447700900001",
                region="GB",
                number_type="MOBILE",
                capabilities=("SMS",),
                monthly_price=Decimal("3.00"),
                currency="GBP",
            ),
        ],
        T0,
    )
    imported = number(
        "+13125550001",
        source=Source.IMPORTED,
        number_type="",
        capabilities=("SMS",),
        monthly_price=None,
        currency="",
        next_charge_date=None,
    )
    inventory.replace_source(store, Source.IMPORTED, [imported], T0)

    totals = inventory.totals(store, now=T0)

    assert (totals.active, totals.imported) == (3, 1)
    assert totals.by_region == [("US", 2, 1), ("GB", 1, 0)]
    assert totals.by_type == [("LOCAL", 2), ("MOBILE", 1)]
    assert totals.by_capability == [("SMS", 3, 1), ("VOICE", 2, 0)]
    assert [(money.currency, money.amount, money.numbers) for money in totals.monthly] == [
        ("USD", Decimal("3.30"), 2),
        ("GBP", Decimal("3.00"), 1),
    ]
    # The second US number is charged in 40 days: outside the 30-day window.
    assert [(due.currency, due.amount, due.numbers) for due in totals.due] == [
        ("GBP", Decimal("3.00"), 1),
        ("USD", Decimal("1.10"), 1),
    ]
    assert ("GB", "GBP", Decimal("3.00")) in totals.by_region_spend
    assert inventory.monthly_spend(store, "USD") == Decimal("3.30")
    assert inventory.monthly_spend(store, "EUR") == Decimal(0)


def test_attention_counts_what_needs_a_person(store: Store) -> None:
    inventory.replace_source(
        store,
        Source.ACTIVE,
        [
            number("+12025550001"),
            number("+12025550002", sms_service_plan_id=""),  # idle
            number("+12025550003", provisioning_failed=True),
            number("+447700900001", region="GB"),  # voice, but no E911 outside US/CA
        ],
        T0,
    )
    inventory.record_e911(store, "+12025550001", E911Status.MISSING, T0)

    seen = inventory.attention(store)

    assert (seen.e911_missing, seen.e911_unchecked, seen.idle, seen.provisioning_failed) == (1, 2, 1, 1)
    assert [row.phone_number for row in inventory.rows(store, Source.ACTIVE, where=RowFilter.IDLE)] == [
        "+12025550002"
    ]
    assert inventory.count(store, Source.ACTIVE, where=RowFilter.E911_MISSING) == 1


def test_e911_results_survive_a_refresh_and_flips_are_logged(store: Store) -> None:
    inventory.replace_source(store, Source.ACTIVE, [number("+12025550001"), number("+12025550002")], T0)
    assert inventory.e911_due(store, 10, checked_before=T0) == ["+12025550001", "+12025550002"]

    inventory.record_e911(store, "+12025550002", E911Status.MISSING, T0)
    assert inventory.record_e911(store, "+12025550002", E911Status.PRESENT, T0 + timedelta(minutes=1))
    inventory.replace_source(store, Source.ACTIVE, [number("+12025550001"), number("+12025550002")], T0)

    kept = {row.phone_number: row.e911 for row in inventory.rows(store, Source.ACTIVE)}
    assert kept == {"+12025550001": E911Status.UNCHECKED, "+12025550002": E911Status.PRESENT}
    # Never checked first, then the oldest check.
    later = T0 + timedelta(hours=1)
    assert inventory.e911_due(store, 10, checked_before=later) == ["+12025550001", "+12025550002"]
    assert inventory.changes_since(store, T0).e911_set == 1
    assert inventory.e911_checks_since(store, T0) == 2


def test_a_number_that_loses_voice_no_longer_needs_an_address(store: Store) -> None:
    inventory.replace_source(store, Source.ACTIVE, [number("+12025550001")], T0)
    inventory.record_e911(store, "+12025550001", E911Status.MISSING, T0)
    inventory.replace_source(store, Source.ACTIVE, [number("+12025550001", capabilities=("SMS",))], T0)

    assert inventory.attention(store).e911_missing == 0
    assert inventory.e911_due(store, 10, checked_before=T0 + timedelta(days=1)) == []


def test_numbots_own_e911_changes_do_not_count_against_the_sweeps_budget(store: Store) -> None:
    inventory.replace_source(store, Source.ACTIVE, [number("+12025550001")], T0)
    inventory.record_e911(store, "+12025550001", E911Status.PRESENT, T0, asked_sinch=False)
    assert inventory.e911_checks_since(store, T0) == 0


def test_spend_on_a_day_is_the_latest_recorded_by_then(store: Store) -> None:
    inventory.replace_source(store, Source.ACTIVE, [number("+12025550001")], T0)
    a_week_later = T0 + timedelta(days=7)
    inventory.replace_source(
        store, Source.ACTIVE, [number("+12025550001"), number("+12025550002")], a_week_later
    )

    assert [(m.currency, m.amount) for m in inventory.spend_on(store, (T0 + timedelta(days=3)).date())] == [
        ("USD", Decimal("2.00"))
    ]
    assert [(m.currency, m.amount) for m in inventory.spend_on(store, a_week_later.date())] == [
        ("USD", Decimal("4.00"))
    ]
    assert inventory.spend_on(store, (T0 - timedelta(days=1)).date()) == []


def test_a_stale_mark_stays_until_a_refresh_that_started_after_it(store: Store) -> None:
    inventory.mark_stale(store, T0)
    inventory.mark_stale(store, T0 + timedelta(seconds=5))  # the first mark is the one that counts
    assert inventory.stale_since(store) == T0

    inventory.clear_stale(store, T0 - timedelta(seconds=1))  # a refresh that began before the change
    assert inventory.stale_since(store) == T0
    inventory.clear_stale(store, T0)
    assert inventory.stale_since(store) is None


def test_rows_read_back_equal_the_rows_written(store: Store) -> None:
    written = number(
        "+12025550001", display_name="Front desk", voice_type="RTC", voice_id="app-1", sms_campaign_id="camp"
    )
    inventory.replace_source(store, Source.ACTIVE, [written], T0)
    assert list(inventory.rows(store, Source.ACTIVE)) == [replace(written, e911=E911Status.UNCHECKED)]
