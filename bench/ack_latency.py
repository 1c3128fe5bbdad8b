"""1. Ack latency of slash commands and button clicks at 20 concurrent users while every Sinch call takes 2 s.

Slack shows "operation_timeout" after 3 s, so the bot must ack before it calls Sinch. Each simulated user
types a command, waits for its answer like a person would, clicks a button on it, and goes again; the
local Slack times each signed POST from send to the bot's HTTP 200 (`Ack.elapsed`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from bench.results import BenchResult, Metric, latency_metrics
from bench.world import bench_world, crowd, new_answer, shown_to
from bot.blockkit import ids
from sandbox.slack import Ack
from sandbox.slack.driver import SlackUserDriver
from sandbox.world import OPS, World

USERS = 20
ROUNDS = 3
SINCH_LATENCY_SECONDS = 2.0
P99_TARGET_MS = 100.0
ANSWER_TIMEOUT_SECONDS = 60.0
SEARCH = "search US LOCAL --sms --limit 3"


@dataclass
class Timings:
    """Ack times by kind of delivery, filled by every user's thread."""

    by_kind: dict[str, list[float]]
    failures: list[str]
    lock: threading.Lock

    def add(self, kind: str, ack: Ack) -> None:
        with self.lock:
            if ack.ok:
                self.by_kind[kind].append(ack.elapsed)
            else:
                self.failures.append(f"{kind}: HTTP {ack.status}, timed out {ack.timed_out}")


def run() -> BenchResult:
    users = crowd(USERS)
    with bench_world(users=users) as world:
        world.sinch.state.seed_active_numbers(50, "US", "LOCAL", project_id="test-project")
        world.sinch.faults.latency_seconds = SINCH_LATENCY_SECONDS
        timings = Timings(defaultdict(list), [], threading.Lock())
        start = threading.Barrier(USERS)
        threads = [
            threading.Thread(target=_session, args=(world, world.slack.user(user.id), start, timings))
            for user in users
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        world.sinch.faults.latency_seconds = 0
    return _result(timings)


def _session(world: World, user: SlackUserDriver, start: threading.Barrier, timings: Timings) -> None:
    start.wait()
    try:
        for _ in range(ROUNDS):
            seen = shown_to(world, user)
            timings.add("slash command", user.slash("/numbers", SEARCH, channel=OPS.id))
            results = new_answer(world, user, seen, "Request this number", ANSWER_TIMEOUT_SECONDS)
            offer = results.buttons()[0].element["value"]
            timings.add("button click", user.click(results, ids.REQUEST_NUMBER, value=offer))
            seen = shown_to(world, user)
            timings.add("slash command", user.slash("/numbers", "list US LOCAL", channel=OPS.id))
            new_answer(world, user, seen, "Active numbers", ANSWER_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - one user's failure is reported, the others go on
        with timings.lock:
            timings.failures.append(f"{user.user_id}: {error}")


def _result(timings: Timings) -> BenchResult:
    metrics: list[Metric] = []
    every: list[float] = []
    for kind, samples in sorted(timings.by_kind.items()):
        metrics.extend(latency_metrics(kind, samples, p99_target_ms=P99_TARGET_MS))
        every.extend(samples)
    metrics.append(Metric("acks measured", len(every)))
    metrics.append(Metric("failed deliveries", len(timings.failures), target="0", met=not timings.failures))
    notes = [f"{USERS} users x {ROUNDS} rounds; Sinch answers after {SINCH_LATENCY_SECONDS:g} s"]
    return BenchResult("1. ack latency", metrics, notes + timings.failures[:5])
