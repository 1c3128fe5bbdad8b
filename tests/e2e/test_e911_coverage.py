"""`/numbers e911 coverage`, end to end: the sweep's findings in the snapshot, listed in Slack, each number
with a button that opens the `e911 set` form for it; numbot's own E911 changes reach the snapshot at once.

The world's own sweep is off (test worlds start with budget 0), so the test decides when numbers are checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.blockkit import ids
from bot.inventory import snapshot, sweep
from commands.e911.coverage import SHOWN
from sandbox.slack import Message
from storage import inventory
from storage.inventory import E911Status, Source
from tests.e2e.modal_steps import approve, number_capabilities, shown, top_view
from tests.e2e.test_emergency import EXACT, provision_directly
from tests.harness import PROJECT_ID, SPRINGFIELD, World, answer_to, running_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("coverage")
    with running_world(folder) as started:
        yield started


def voice_numbers(world: World, count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        seeded = world.sinch.state.seed_active_numbers(count, project_id=PROJECT_ID)
        found += [phone for phone in seeded if "VOICE" in number_capabilities(world, phone)]
    return found[:count]


def refresh_and_sweep(world: World) -> None:
    """Read the inventory from Sinch, then check every address due, as the scheduler would over time."""
    snapshot.refresh(world.services)
    settings = world.services.settings.model_copy(update={"numbot_e911_sweep_per_minute": 600})
    sweep.sweep(replace(world.services, settings=settings))
    assert inventory.attention(world.services.store).e911_unchecked == 0


def status(world: World, phone: str) -> E911Status:
    rows = inventory.rows(world.services.store, Source.ACTIVE)
    return next(row.e911 for row in rows if row.phone_number == phone)


def missing_numbers(world: World) -> list[str]:
    rows = inventory.rows(world.services.store, Source.ACTIVE, where=inventory.RowFilter.E911_MISSING)
    return [row.phone_number for row in rows]


def coverage_answer(world: World, missing: int) -> Message:
    return answer_to(
        world, world.requester, "e911 coverage", f"{missing} voice numbers have no emergency address"
    )


def test_coverage_lists_the_numbers_without_an_address_and_a_button_sets_one(world: World) -> None:
    covered, *_ = voice_numbers(world, SHOWN + 5)
    world.services.sinch.emergency_provision(covered, "Acme HQ", SPRINGFIELD)
    refresh_and_sweep(world)
    missing = missing_numbers(world)
    assert covered not in missing and len(missing) > SHOWN

    answer = coverage_answer(world, len(missing))
    text = shown(answer)
    assert all(phone in text for phone in missing[:SHOWN])
    assert not any(phone in text for phone in missing[SHOWN:]) and covered not in text
    assert f"…and {len(missing) - SHOWN} more" in text and "/numbers report" in text
    assert "every number's address has been checked" in text

    chosen = missing[3]
    world.requester.click(answer, ids.E911_COVERAGE_SET, value=chosen)
    form = top_view(world, world.requester.user_id, ids.E911_MODAL, chosen)
    world.requester.submit(form, EXACT)
    world.requester.submit(top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "exactly"))
    approve(world, chosen)

    assert status(world, chosen) == E911Status.PRESENT, "recorded when numbot set it, not at the next sweep"
    again = shown(coverage_answer(world, len(missing) - 1))
    assert chosen not in again


def test_an_address_numbot_removes_is_missing_at_once(world: World) -> None:
    [phone] = voice_numbers(world, 1)
    provision_directly(world, phone)
    refresh_and_sweep(world)
    assert status(world, phone) == E911Status.PRESENT

    world.requester.slash("/numbers", f"e911 remove {phone}")
    world.requester.submit(top_view(world, world.requester.user_id, ids.E911_REMOVE_MODAL))
    approve(world, phone)
    assert status(world, phone) == E911Status.MISSING
    assert phone in missing_numbers(world)


def test_coverage_takes_no_arguments(world: World) -> None:
    answer = answer_to(world, world.requester, "e911 coverage +12025550134", "e911 coverage")
    assert "voice numbers" not in shown(answer)
