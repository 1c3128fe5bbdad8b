"""7. Inventory insight at 10,000 numbers: the snapshot refresh, the Home tab, the CSV report, the E911 sweep.

Refresh: numbot's refresh and the floor (the same pages read with bare httpx and json, nothing kept) each in
a process of its own against one sandbox, alternating; the median time and the highest peak RSS are reported,
and the sandbox counts the list calls.
"""

from __future__ import annotations

import math
import statistics
import sys
from typing import Any

from bench.results import BenchResult, Metric, measured_in_own_process
from bot.inventory.snapshot import PAGE_SIZE
from sandbox.sinch import SandboxConfig, start_sandbox

NUMBERS = 10_000
PROJECT_ID = "bench-project"
REPEATS = 3
RSS_TARGET_MB = 150.0
FLOOR_FACTOR = 1.2
RUN_TIMEOUT_SECONDS = 120


def run() -> BenchResult:
    return BenchResult("insight", _refresh_metrics())


def _refresh_metrics() -> list[Metric]:
    ours: list[dict[str, Any]] = []
    floor: list[dict[str, Any]] = []
    with start_sandbox(SandboxConfig(seed=5)) as sandbox:
        sandbox.state.seed_active_numbers(
            NUMBERS, "US", "LOCAL", project_id=PROJECT_ID, service_plan_id="plan"
        )
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
            "refresh: numbers stored",
            ours[0]["numbers"],
            target=f"{NUMBERS:,}",
            met=ours[0]["numbers"] == NUMBERS,
        ),
        Metric(
            "refresh: active list calls", list_calls, target=f"<= {most_calls}", met=list_calls <= most_calls
        ),
        Metric("refresh: numbot", our_seconds, "s"),
        Metric("refresh: floor (bare httpx + json)", floor_seconds, "s"),
        Metric(
            "refresh: numbot / floor",
            our_seconds / floor_seconds,
            "x",
            f"<= {FLOOR_FACTOR:g}",
            our_seconds <= floor_seconds * FLOOR_FACTOR,
        ),
        Metric("refresh: peak RSS", peak, "MB", f"< {RSS_TARGET_MB:g} MB", peak < RSS_TARGET_MB),
    ]


def _side(side: str, url: str) -> dict[str, Any]:
    return measured_in_own_process(
        [sys.executable, "-m", "bench.refresh_side", side, url, PROJECT_ID], RUN_TIMEOUT_SECONDS
    )
