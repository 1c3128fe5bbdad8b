"""What one benchmark measured, the percentiles it reports, and the table and JSON `make bench` writes."""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULTS_PATH = Path(__file__).with_name("results.json")
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | int | str
    unit: str = ""
    target: str = ""
    met: bool | None = None  # None: no target, the figure is for information

    def shown(self) -> str:
        if isinstance(self.value, float):
            text = f"{self.value:,.1f}" if abs(self.value) >= 10 else f"{self.value:,.3g}"
        elif isinstance(self.value, int):
            text = f"{self.value:,}"
        else:
            text = self.value
        return f"{text} {self.unit}".strip()


@dataclass(frozen=True)
class BenchResult:
    benchmark: str
    metrics: list[Metric]
    notes: list[str] = field(default_factory=list)

    @property
    def missed(self) -> list[Metric]:
        return [metric for metric in self.metrics if metric.met is False]


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p95: float
    p99: float


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `fraction` of all samples at or below it."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def percentiles_ms(seconds: Sequence[float]) -> Percentiles:
    return Percentiles(*(percentile(seconds, fraction) * 1000 for fraction in (0.50, 0.95, 0.99)))


def latency_metrics(label: str, seconds: Sequence[float], *, p99_target_ms: float) -> list[Metric]:
    """p50 and p95 for information, p99 against its target."""
    found = percentiles_ms(seconds)
    return [
        Metric(f"{label} p50", found.p50, "ms"),
        Metric(f"{label} p95", found.p95, "ms"),
        Metric(f"{label} p99", found.p99, "ms", f"< {p99_target_ms:g} ms", found.p99 < p99_target_ms),
    ]


def render(results: Sequence[BenchResult], console: Console) -> None:
    table = Table(title="numbot benchmarks (loopback, this machine)", show_lines=False)
    for column in ("benchmark", "metric", "value", "target", ""):
        table.add_column(column)
    for result in results:
        for index, metric in enumerate(result.metrics):
            verdict = {True: "[green]ok[/]", False: "[red]MISSED[/]", None: ""}[metric.met]
            table.add_row(
                result.benchmark if index == 0 else "", metric.name, metric.shown(), metric.target, verdict
            )
        for note in result.notes:
            table.add_row("", f"[dim]{note}[/]", "", "", "")
        table.add_section()
    console.print(table)


def write_json(results: Sequence[BenchResult], path: Path = RESULTS_PATH) -> None:
    path.write_text(json.dumps([asdict(result) for result in results], indent=2) + "\n")


def measured_in_own_process(command: list[str], timeout_seconds: float) -> dict[str, Any]:
    """Run a measuring program alone (no memory or threads left by earlier benchmarks skew it) and read the
    JSON object it prints last."""
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout_seconds, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed:\n{done.stderr[-2000:]}")
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured
