"""7. Inventory insight at 10,000 numbers: the snapshot refresh, the Home tab, the CSV report, the E911 sweep.

Refresh: numbot's refresh and the floor (the same pages read with bare httpx and json, nothing kept) each in
a process of its own against one sandbox, alternating; the median time and the highest peak RSS are reported,
and the sandbox counts the list calls. Twice: as fast as the sandbox answers, and with every call slowed by
SLOW_PAGE_SECONDS, nearer what Sinch takes over the internet, where numbot's parsing and storing overlap the
wait for the next page.

Home tab and report: in a process of their own (`bench.insight_world`) holding a realistic inventory of
10,000 active numbers: the time from `app_home_opened` leaving the local Slack to the bot's `views.publish`
reaching it, then from typing `/numbers report` to the CSV being shared.

Sweep: 2,000 voice-capable US numbers, the sweep on at SWEEP_BUDGET a minute for SWEEP_SECONDS while people
type commands; the sandbox timestamps every emergency-address read, and the busiest 60 seconds are counted.
"""

from __future__ import annotations

import bisect
import math
import statistics
import sys
import threading
import time
from typing import Any

from bench.results import BenchResult, Metric, latency_metrics, measured_in_own_process, percentiles_ms
from bench.world import bench_world, crowd
from bot.inventory import snapshot
from bot.inventory.snapshot import PAGE_SIZE
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from sandbox.slack.driver import SlackUserDriver
from sandbox.world import OPS, PROJECT_ID, World

NUMBERS = 10_000
REPEATS = 5
SLOW_PAGE_SECONDS = 0.1
RSS_TARGET_MB = 150.0
FLOOR_FACTOR = 1.2
RUN_TIMEOUT_SECONDS = 180
HOME_P95_TARGET_MS = 300.0
REPORT_TARGET_SECONDS = 2.0
SWEEP_NUMBERS = 2_000
SWEEP_BUDGET = 300  # per minute: high enough that a minute of sweeping is hundreds of requests
SWEEP_SECONDS = 70.0  # more than a minute, so a whole sliding minute is seen
TYPISTS = 10
THINK_SECONDS = 0.5
ACK_P99_TARGET_MS = 100.0


def run() -> BenchResult:
    return BenchResult("insight", [*_refresh_metrics(), *_home_and_report_metrics(), *_sweep_metrics()])


def _refresh_metrics() -> list[Metric]:
    with start_sandbox(SandboxConfig(seed=5)) as sandbox:
        sandbox.state.seed_inventory(NUMBERS, project_id=PROJECT_ID)
        metrics = _refresh_against(sandbox, "")
        # The sandbox answers a page of 1,000 in ~60 ms, faster than Sinch over the internet: the same
        # comparison once every answer takes SLOW_PAGE_SECONDS more shows what the floor then costs.
        sandbox.faults.latency_seconds = SLOW_PAGE_SECONDS
        metrics += _refresh_against(sandbox, f", +{SLOW_PAGE_SECONDS * 1000:g} ms a call")
    return metrics


def _refresh_against(sandbox: RunningSandbox, label: str) -> list[Metric]:
    ours: list[dict[str, Any]] = []
    floor: list[dict[str, Any]] = []
    for _ in range(REPEATS):
        floor.append(_side("floor", sandbox.url))
        sandbox.requests.clear()
        ours.append(_side("numbot", sandbox.url))
        list_calls = sum(1 for record in sandbox.requests if record.path.endswith("/activeNumbers"))
    our_seconds = statistics.median(run["seconds"] for run in ours)
    floor_seconds = statistics.median(run["seconds"] for run in floor)
    peak = max(run["peak_rss_mb"] for run in ours)
    most_calls = math.ceil(NUMBERS / PAGE_SIZE)
    return [
        Metric(
            f"refresh{label}: numbers stored",
            ours[0]["numbers"],
            target=f"{NUMBERS:,}",
            met=ours[0]["numbers"] == NUMBERS,
        ),
        Metric(
            f"refresh{label}: active list calls",
            list_calls,
            target=f"<= {most_calls}",
            met=list_calls <= most_calls,
        ),
        Metric(f"refresh{label}: numbot", our_seconds, "s"),
        Metric(f"refresh{label}: floor (bare httpx + json)", floor_seconds, "s"),
        Metric(
            f"refresh{label}: numbot / floor",
            our_seconds / floor_seconds,
            "x",
            f"<= {FLOOR_FACTOR:g}",
            our_seconds <= floor_seconds * FLOOR_FACTOR,
        ),
        Metric(f"refresh{label}: peak RSS", peak, "MB", f"< {RSS_TARGET_MB:g} MB", peak < RSS_TARGET_MB),
    ]


def _side(side: str, url: str) -> dict[str, Any]:
    return measured_in_own_process(
        [sys.executable, "-m", "bench.refresh_side", side, url, PROJECT_ID], RUN_TIMEOUT_SECONDS
    )


def _home_and_report_metrics() -> list[Metric]:
    measured = measured_in_own_process(
        [sys.executable, "-m", "bench.insight_world", str(NUMBERS)], RUN_TIMEOUT_SECONDS
    )
    home = percentiles_ms(measured["home_seconds"])
    seconds = measured["report_seconds"]
    peak = measured["peak_rss_mb"]
    return [
        Metric("home: views.publish after app_home_opened p50", home.p50, "ms"),
        Metric(
            "home: views.publish after app_home_opened p95",
            home.p95,
            "ms",
            f"< {HOME_P95_TARGET_MS:g} ms",
            home.p95 < HOME_P95_TARGET_MS,
        ),
        Metric(
            "report: CSV rows",
            measured["report_rows"],
            target=f"{NUMBERS:,}",
            met=measured["report_rows"] == NUMBERS,
        ),
        Metric(
            "report: /numbers report to file shared",
            seconds,
            "s",
            f"< {REPORT_TARGET_SECONDS:g} s",
            seconds < REPORT_TARGET_SECONDS,
        ),
        Metric(
            "home + report: peak RSS (bot, sandbox and local Slack in one process)",
            peak,
            "MB",
            f"< {RSS_TARGET_MB:g} MB",
            peak < RSS_TARGET_MB,
        ),
    ]


def _sweep_metrics() -> list[Metric]:
    with bench_world(users=crowd(TYPISTS), numbot_e911_sweep_per_minute=SWEEP_BUDGET) as world:
        voice = _voice_numbers(world, SWEEP_NUMBERS)
        shown = world.sinch.state.active_phone_numbers(PROJECT_ID)[0]
        snapshot.refresh(world.services)
        world.sinch.requests.clear()
        started = time.monotonic()
        acks = _type_while_sweeping(world, shown, started + SWEEP_SECONDS)
        # The people's `show` reads the shown number's address too; every other read is the sweep's.
        checks = sorted(
            record.at
            for record in world.sinch.requests
            if record.path.endswith("/emergencyAddress") and shown not in record.path
        )
    busiest = max(
        (bisect.bisect_left(checks, at + 60.0) - index for index, at in enumerate(checks)), default=0
    )
    return [
        Metric("sweep: voice numbers to check", voice),
        Metric(f"sweep: checks in {SWEEP_SECONDS:g} s", len(checks)),
        Metric(
            "sweep: most checks in any 60 s",
            busiest,
            target=f"<= {SWEEP_BUDGET} (the budget)",
            met=0 < busiest <= SWEEP_BUDGET,
        ),
        *latency_metrics("sweep: slash ack during the sweep", acks, p99_target_ms=ACK_P99_TARGET_MS),
    ]


def _voice_numbers(world: World, wanted: int) -> int:
    """Seed US numbers until `wanted` of them take calls (the sandbox mixes SMS-only ones in)."""
    state = world.sinch.state
    while True:
        voice = sum(
            1 for number in state.project(PROJECT_ID).active.values() if "VOICE" in number.offer.capabilities
        )
        if voice >= wanted:
            return voice
        state.seed_active_numbers(wanted - voice, "US", "LOCAL", project_id=PROJECT_ID, app_id="app")


def _type_while_sweeping(world: World, shown: str, until: float) -> list[float]:
    """TYPISTS people each type `/numbers show` every THINK_SECONDS until `until`; every ack's time."""
    acks: list[float] = []
    lock = threading.Lock()
    done = threading.Event()

    def type_commands(user: SlackUserDriver) -> None:
        while time.monotonic() < until:
            ack = user.slash("/numbers", f"show {shown}", channel=OPS.id)
            with lock:
                acks.append(ack.elapsed)
            done.wait(THINK_SECONDS)  # a person reads the answer before typing again

    threads = [
        threading.Thread(target=type_commands, args=(world.slack.user(user.id),)) for user in crowd(TYPISTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acks
