"""The digest's words and schedule, pure: figures in, text and blocks out; occurrences in the team's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.blockkit.blocks import SANDBOX_NOTE, to_dicts
from bot.config import cron_trigger
from bot.inventory.digest import Figures, compose, latest_occurrence, spend_lines
from storage.inventory import Attention, ChangeCounts, DueCharge, Money, Totals
from tests.harness import visible_text

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 14, 10, 30, tzinfo=UTC)  # a Wednesday
SHOUTING = "<!channel>"  # a currency code as Sinch could send it: must never ping a channel


def figures(monthly: list[Money], week_ago: list[Money], attention: Attention | None = None) -> Figures:
    totals = Totals(
        active=12,
        imported=3,
        by_region=[("US", 10, 3), ("FR", 2, 0)],
        by_type=[],
        by_capability=[],
        monthly=monthly,
        due=[DueCharge(SHOUTING, Decimal("4.50"), 3, NOW)],
        by_region_spend=[("US", "USD", Decimal(10)), ("FR", SHOUTING, Decimal("2.5"))],
    )
    return Figures(
        now=NOW,
        as_of=NOW,
        totals=totals,
        changes=ChangeCounts(added=4, released=1, imported=2, unimported=0, e911_set=1, e911_lost=2),
        spend_week_ago=week_ago,
        attention=attention or Attention(e911_missing=1, e911_unchecked=0, idle=5, provisioning_failed=0),
    )


def test_spend_is_compared_per_currency_and_never_added_across_currencies() -> None:
    now = [Money("USD", Decimal("110.00"), 11), Money("EUR", Decimal("2.50"), 1)]
    week_ago = [Money("USD", Decimal("100.00"), 10), Money("GBP", Decimal("3.00"), 2)]

    assert spend_lines(now, week_ago) == [
        "110.00 USD (a week ago 100.00, +10.00)",
        "2.50 EUR (none recorded a week ago)",
        "0.00 GBP (a week ago 3.00, -3.00)",
    ]
    assert spend_lines([], []) == ["Nothing billed"]


def test_the_digest_says_the_weeks_figures_and_shows_the_chart() -> None:
    text, blocks = compose(
        figures([Money("USD", Decimal(10), 10)], [Money("USD", Decimal(10), 10)]),
        "F0CHART",
        PARIS,
        sandbox=True,
    )

    shown = visible_text(to_dicts(blocks))
    assert "12 rented, 3 imported" in shown
    assert "This week: 4 added, 1 released, 2 imported, 0 no longer imported" in shown
    assert "Emergency addresses: 1 set, 2 lost" in shown
    assert "10.00 USD (a week ago 10.00, no change)" in shown
    assert "1 number without an emergency address: `/numbers e911 coverage`" in shown
    assert "5 numbers paid for but used for nothing" in shown
    assert "Wed 07 Jan to Wed 14 Jan 2026 (Europe/Paris)" in shown
    assert SANDBOX_NOTE in shown
    [image] = [block for block in to_dicts(blocks) if block["type"] == "image"]
    assert image["slack_file"] == {"id": "F0CHART"}
    assert image["alt_text"].startswith("Numbers by region: US 13, FR 2.")
    assert text.startswith("Weekly inventory digest, Wed 07 Jan to Wed 14 Jan 2026 (Europe/Paris): 12 rented")


def test_nothing_sinch_sent_can_ping_or_link_in_the_digest() -> None:
    text, blocks = compose(figures([Money(SHOUTING, Decimal(1), 1)], []), "F0CHART", PARIS, sandbox=False)

    mrkdwn = text + visible_text([block for block in to_dicts(blocks) if block["type"] != "image"])
    assert SHOUTING not in mrkdwn
    assert "&lt;!channel&gt;" in mrkdwn  # shown, as text


def test_a_quiet_week_says_nothing_needs_attention() -> None:
    quiet = Attention(e911_missing=0, e911_unchecked=0, idle=0, provisioning_failed=0)

    _, blocks = compose(figures([], [], quiet), "F0CHART", PARIS, sandbox=False)

    assert "Nothing needs attention." in visible_text(to_dicts(blocks))


def test_the_latest_occurrence_is_read_in_the_teams_zone() -> None:
    monday_nine_in_paris = cron_trigger("0 9 * * mon", PARIS)

    # Winter: Paris is UTC+1, so Monday 09:00 there is 08:00 UTC.
    assert latest_occurrence(monday_nine_in_paris, NOW) == datetime(2026, 1, 12, 8, 0, tzinfo=UTC)
    # Summer: UTC+2.
    july = datetime(2026, 7, 8, 12, 0, tzinfo=UTC)
    assert latest_occurrence(monday_nine_in_paris, july) == datetime(2026, 7, 6, 7, 0, tzinfo=UTC)


def test_the_latest_occurrence_of_a_frequent_or_rare_schedule() -> None:
    assert latest_occurrence(cron_trigger("* * * * *", UTC), NOW) == NOW.replace(second=0)
    assert latest_occurrence(cron_trigger("0 0 1 3 *", UTC), NOW) == datetime(2025, 3, 1, tzinfo=UTC)
    at_the_minute = NOW.replace(minute=30, second=0)
    assert latest_occurrence(cron_trigger("30 10 * * *", UTC), at_the_minute) == at_the_minute
