"""What `/numbers e911 coverage` says about the snapshot as a whole (the numbers themselves: the e2e test)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.inventory.sweep import Coverage
from commands.e911.coverage import coverage_message
from tests.harness import visible_text

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def said(coverage: Coverage) -> str:
    text, blocks = coverage_message(coverage, NOW)
    return text + "\n" + visible_text([block.to_dict() for block in blocks])


def snapshot(*, missing: int = 0, unchecked: int = 0, per_minute: int = 30) -> Coverage:
    return Coverage(NOW - timedelta(minutes=3), [], missing, unchecked, per_minute)


def test_a_snapshot_never_read_says_so_instead_of_claiming_full_coverage() -> None:
    text = said(Coverage(None, [], 0, 0, 30))
    assert "has not read the inventory from Sinch yet" in text
    assert "Every voice number" not in text


def test_unchecked_numbers_come_with_when_the_sweep_will_have_covered_them() -> None:
    text = said(snapshot(missing=2, unchecked=2000))
    assert "*2 voice numbers have no emergency address*" in text
    assert "2000 not checked yet: at 30 checks a minute" in text
    assert "|2026-03-02 10:07 UTC>" in text  # 2000 / 30 = 66.7, so 67 minutes from now


def test_with_the_sweep_off_it_says_which_setting_turns_it_on() -> None:
    text = said(snapshot(unchecked=5, per_minute=0))
    assert "not checked yet" in text and "`NUMBOT_E911_SWEEP_PER_MINUTE=0`" in text


def test_full_coverage_is_said_only_when_every_number_was_checked() -> None:
    assert "Every voice number in the US and Canada has an emergency address" in said(snapshot())
    assert "No voice number is known to lack" in said(snapshot(unchecked=1))
