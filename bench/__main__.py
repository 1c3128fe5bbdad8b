"""`make bench`: run every benchmark on loopback, print one table, write bench/results.json.

`python -m bench ack inventory` runs only the named ones. Exits 1 when a benchmark failed or missed its
target, so the figures can gate a change.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable

from rich.console import Console

from bench import ack_latency, callback_ingest, insight, inventory, orders, poll_cost, slack_burst
from bench.results import BenchResult, Metric, render, write_json

BENCHMARKS: dict[str, Callable[[], BenchResult]] = {
    "ack": ack_latency.run,
    "callbacks": callback_ingest.run,
    "poll": poll_cost.run,
    "burst": slack_burst.run,
    "inventory": inventory.run,
    "orders": orders.run,
    "insight": insight.run,
}


def main(argv: list[str]) -> int:
    console = Console(width=110)
    unknown = [name for name in argv if name not in BENCHMARKS]
    if unknown:
        console.print(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    # The bot logs every Sinch retry and Slack deferral; under deliberate load that is noise, not news.
    logging.basicConfig(level=logging.ERROR)
    results = [_run(name, BENCHMARKS[name], console) for name in argv or BENCHMARKS]
    render(results, console)
    write_json(results)
    console.print("written: bench/results.json")
    return 1 if any(result.missed for result in results) else 0


def _run(name: str, benchmark: Callable[[], BenchResult], console: Console) -> BenchResult:
    console.print(f"running {name}…")
    try:
        return benchmark()
    except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
        console.print(traceback.format_exc())
        return BenchResult(name, [Metric("completed", "no: raised (traceback above)", met=False)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
