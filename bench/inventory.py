"""5. Inventory: list and summarise 10,000 active numbers, numbot vs the official `sinch` SDK, same sandbox.

Each client runs in its own process (numbot under .venv, the SDK under .venv-bench) against one sandbox
seeded once, so wall time and peak RSS are each client's own. Runs alternate and repeat; the median time
and the highest peak are reported.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

from bench.results import BenchResult, Metric, measured_in_own_process
from bench.sdk_env import SdkUnavailableError, sdk_python
from sandbox.sinch import SandboxConfig, start_sandbox

NUMBERS = 10_000
REPEATS = 3
PROJECT_ID = "bench-project"
RSS_TARGET_MB = 150.0
BENCH_DIR = Path(__file__).resolve().parent
RUN_TIMEOUT_SECONDS = 120


def run() -> BenchResult:
    notes: list[str] = []
    try:
        sdk: list[str] | None = [str(sdk_python()), str(BENCH_DIR / "inventory_sdk.py")]
    except SdkUnavailableError as error:
        sdk = None
        notes.append(f"SDK side not measured: {error}")
    ours_runs: list[dict[str, Any]] = []
    sdk_runs: list[dict[str, Any]] = []
    with start_sandbox(SandboxConfig(seed=5)) as sandbox:
        sandbox.state.seed_active_numbers(
            NUMBERS, "US", "LOCAL", project_id=PROJECT_ID, service_plan_id="plan"
        )
        arguments = [sandbox.url, PROJECT_ID]
        for _ in range(REPEATS):
            ours_runs.append(_measure([sys.executable, "-m", "bench.inventory_numbot", *arguments]))
            if sdk is not None:
                sdk_runs.append(_measure([*sdk, *arguments]))
    return _result(ours_runs, sdk_runs, notes)


def _measure(command: list[str]) -> dict[str, Any]:
    return measured_in_own_process(command, RUN_TIMEOUT_SECONDS)


def _result(ours: list[dict[str, Any]], sdk: list[dict[str, Any]], notes: list[str]) -> BenchResult:
    our_seconds = statistics.median(run["seconds"] for run in ours)
    our_rss = max(run["peak_rss_mb"] for run in ours)
    metrics = [
        Metric(
            "numbers listed (numbot)",
            ours[0]["numbers"],
            target=f"{NUMBERS:,}",
            met=ours[0]["numbers"] == NUMBERS,
        ),
        Metric("wall time, numbot", our_seconds, "s"),
        Metric("peak RSS, numbot", our_rss, "MB", f"< {RSS_TARGET_MB:g} MB", our_rss < RSS_TARGET_MB),
        Metric("RSS before listing, numbot", max(run["rss_before_mb"] for run in ours), "MB"),
    ]
    if sdk:
        sdk_seconds = statistics.median(run["seconds"] for run in sdk)
        metrics += [
            Metric("numbers listed (SDK)", sdk[0]["numbers"]),
            Metric("wall time, sinch SDK", sdk_seconds, "s"),
            Metric(
                "numbot / SDK time",
                our_seconds / sdk_seconds,
                "x",
                "<= 1.0 (+5% noise)",
                our_seconds <= sdk_seconds * 1.05,
            ),
            Metric("peak RSS, sinch SDK", max(run["peak_rss_mb"] for run in sdk), "MB"),
            Metric("RSS before listing, SDK", max(run["rss_before_mb"] for run in sdk), "MB"),
        ]
    notes.append(f"median of {REPEATS} alternating runs per client; default page size for both")
    notes.append(f"numbot summary: {ours[0]['summary']}")
    return BenchResult("5. inventory", metrics, notes)
