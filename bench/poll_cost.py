"""3. Poll cost: Sinch API calls and wall time of one provisioning poll cycle with 1, 100 and 1000 numbers
pending, beside the naive cycle of one GET per pending number.

The pending numbers sit among other active numbers of the same region and type, as in a real project, so
listing pages is not free. Provisioning at the sandbox takes an hour, so every cycle finds them still
pending: this is the steady state the scheduler repeats every few seconds.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

from bench.results import BenchResult, Metric
from bench.world import bench_world
from bot.sinch import SmsConfiguration, UpdateActiveNumber
from bot.watching import watcher
from bot.watching.provisioning import watch_if_pending
from sandbox.world import PROJECT_ID, World

PENDING_COUNTS = (1, 100, 1000)
OTHER_ACTIVE = 5000


def run() -> BenchResult:
    metrics: list[Metric] = []
    for pending in PENDING_COUNTS:
        with bench_world() as world:
            metrics.extend(_measure(world, pending))
    notes = [f"pending numbers among {OTHER_ACTIVE:,} other active US LOCAL numbers; pages of 1000"]
    return BenchResult("3. poll cost", metrics, notes)


def _measure(world: World, pending: int) -> list[Metric]:
    world.sinch.state.seed_active_numbers(OTHER_ACTIVE, "US", "LOCAL", project_id=PROJECT_ID)
    phone_numbers = _start_provisioning(world, pending)
    # Every watch is due one hour from now; the runtime's own poller (on the real clock) leaves them be.
    later = world.services.clock() + timedelta(hours=1)
    polling = replace(world.services, clock=lambda: later)
    world.sinch.requests.clear()
    started = time.perf_counter()
    calls = watcher.poll_once(polling)
    cycle = time.perf_counter() - started
    seen_by_sinch = len(world.sinch.requests)
    started = time.perf_counter()
    for phone_number in phone_numbers:
        world.services.sinch.get_active(phone_number)
    naive = time.perf_counter() - started
    # The count the watcher reports must be what Sinch actually received.
    honest = calls == seen_by_sinch
    return [
        Metric(
            f"{pending} pending: API calls per cycle",
            calls,
            target=f"vs {pending} (one GET each)",
            met=honest and calls <= pending,
        ),
        Metric(
            f"{pending} pending: cycle time", cycle * 1000, "ms", f"vs {naive * 1000:,.1f} ms (one GET each)"
        ),
    ]


def _start_provisioning(world: World, count: int) -> list[str]:
    """`count` numbers whose SMS linking Sinch is still working on, watched by the bot as after a change."""
    phone_numbers = _sms_capable(world, count)
    link = UpdateActiveNumber(sms_configuration=SmsConfiguration(service_plan_id="plan-bench"))
    for phone_number in phone_numbers:
        updated = world.services.sinch.update_active(phone_number, link)
        if not watch_if_pending(world.services, updated, request_id=None):
            raise RuntimeError(f"the sandbox finished provisioning {phone_number} at once")
    return phone_numbers


def _sms_capable(world: World, count: int) -> list[str]:
    """`count` new active numbers able to take an SMS configuration (the sandbox mixes in voice-only ones)."""
    state = world.sinch.state
    found: list[str] = []
    while len(found) < count:
        for phone_number in state.seed_active_numbers(count, "US", "LOCAL", project_id=PROJECT_ID):
            number = state.active_number(phone_number, PROJECT_ID)
            if number is not None and "SMS" in number["capability"] and len(found) < count:
                found.append(phone_number)
    return found
