"""Refreshing the inventory snapshot from the real Sinch sandbox, and what marks it for a refresh."""

from __future__ import annotations

import math
import re
import threading

from bot.inventory import snapshot
from bot.inventory.snapshot import PAGE_SIZE
from sandbox.sinch import RequestRecord
from storage import inventory
from storage.inventory import Source
from tests.harness import PROJECT_ID, World, answer_to, seed_active, shown


def list_calls(world: World, path_end: str) -> list[RequestRecord]:
    return [
        record for record in world.sinch.requests if record.method == "GET" and record.path.endswith(path_end)
    ]


def test_a_refresh_reads_every_page_once_and_counts_what_numbers_list_counts(world: World) -> None:
    seed_active(world, 2_100, "US", "LOCAL", service_plan_id="plan")
    seed_active(world, 40, "GB", "MOBILE")
    world.sinch.requests.clear()

    refreshed = snapshot.refresh(world.services)

    assert refreshed is not None
    assert refreshed.active.total == 2_140
    assert len(list_calls(world, "/activeNumbers")) == math.ceil(2_140 / PAGE_SIZE)
    assert len(list_calls(world, "/importedNumbers")) == 1
    listed = answer_to(world, world.requester, "list", "Active numbers")
    total = re.search(r"Showing 1-20 of (\d+)", shown(listed))
    assert total is not None, shown(listed)
    assert int(total.group(1)) == inventory.count(world.services.store, Source.ACTIVE)
    counted = inventory.totals(world.services.store, now=world.services.clock()).by_capability
    assert f"VOICE {counted[1][1]}, SMS {counted[0][1]}" in shown(listed)


def test_a_refresh_sees_numbers_come_and_go_and_keeps_the_history(world: World) -> None:
    kept, gone = seed_active(world, 2, "US", "LOCAL", service_plan_id="plan")
    snapshot.refresh(world.services)
    world.sinch.state.project(PROJECT_ID).active.pop(gone)
    (new,) = seed_active(world, 1, "US", "LOCAL")

    refreshed = snapshot.refresh(world.services)

    assert refreshed is not None
    assert (refreshed.active.added, refreshed.active.removed) == (1, 1)
    numbers = {row.phone_number: row for row in inventory.rows(world.services.store, Source.ACTIVE)}
    assert set(numbers) == {kept, new}
    assert numbers[new].idle and not numbers[kept].idle


def test_a_change_numbot_makes_marks_the_snapshot_and_the_job_reads_sinch_again(world: World) -> None:
    services = world.services
    assert snapshot.refresh_if_due(services) is None  # the test world turns background reads off
    services.settings.numbot_inventory_refresh_minutes = 15
    assert snapshot.refresh_if_due(services) is not None  # never read: due at once
    assert snapshot.refresh_if_due(services) is None  # read a moment ago, nothing changed

    snapshot.changed(services)
    assert snapshot.refresh_if_due(services) is not None
    assert inventory.stale_since(services.store) is None


def test_a_sinch_failure_keeps_the_last_figures_and_the_mark(world: World) -> None:
    seed_active(world, 3, "US", "LOCAL")
    snapshot.refresh(world.services)
    world.services.settings.numbot_inventory_refresh_minutes = 15
    snapshot.changed(world.services)
    world.sinch.faults.fail_next(10, 500)

    assert snapshot.refresh_if_due(world.services) is None

    assert inventory.count(world.services.store, Source.ACTIVE) == 3
    assert inventory.stale_since(world.services.store) is not None


def test_a_second_refresh_in_the_same_process_waits_for_the_first(world: World) -> None:
    seed_active(world, 3, "US", "LOCAL")
    world.sinch.faults.latency_seconds = 0.5
    first: list[object] = []
    running = threading.Thread(target=lambda: first.append(snapshot.refresh(world.services)))
    running.start()
    assert world.sinch.requests.wait_for(
        lambda records: any(r.path.endswith("/activeNumbers") for r in records)
    )

    assert snapshot.refresh(world.services) is None  # the Refresh button while the job reads

    running.join()
    assert first and first[0] is not None
