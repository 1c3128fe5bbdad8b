"""2. Callback ingest: signed Sinch callbacks per second stored durably, and their response times.

Sinch redelivers and does not keep order, so the stream mixes two events per number in random order with
10% exact redeliveries. Afterwards the watcher must have handled every unique event once: each event is
stored once and processed, and each number's outcome was queued for Slack exactly once.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx

from bench.results import BenchResult, Metric, latency_metrics
from bench.world import bench_world
from bot.server import SINCH_CALLBACKS_PATH
from sandbox.sinch.callbacks import Api, EventTarget, event_payload, sign
from sandbox.world import PROJECT_ID, World
from storage import events, watches

NUMBERS = 1000
EVENT_TYPES = ("PROVISIONING_TO_SMS_PLATFORM", "PROVISIONING_TO_CAMPAIGN")
DUPLICATE_SHARE = 0.10
SENDERS = 8
SECRET = "bench-callback-secret-0123456789abcdef"
RATE_TARGET = 500.0
P99_TARGET_MS = 50.0
SETTLE_TIMEOUT_SECONDS = 120.0


def signed_stream(phone_numbers: list[str], rng: random.Random) -> tuple[list[bytes], int]:
    """Bodies in delivery order (shuffled, with redeliveries mixed in) and how many are unique."""
    unique = [
        event_payload(EventTarget(Api.NUMBERS, PROJECT_ID, number, ""), event_type, "SUCCEEDED", None)
        for number in phone_numbers
        for event_type in EVENT_TYPES
    ]
    bodies = [_body(payload) for payload in unique]
    stream = bodies + rng.sample(bodies, int(len(bodies) * DUPLICATE_SHARE))
    rng.shuffle(stream)
    return stream, len(bodies)


def _body(payload: dict[str, object]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def run() -> BenchResult:
    with bench_world(sinch_callback_secret=SECRET) as world:
        phone_numbers = world.sinch.state.seed_active_numbers(
            NUMBERS, "US", "LOCAL", project_id=PROJECT_ID, service_plan_id="plan"
        )
        _watch_all(world, phone_numbers)
        stream, unique = signed_stream(phone_numbers, random.Random(7))
        delivery = _send_all(f"{world.runtime.url}{SINCH_CALLBACKS_PATH}", stream, unique)
        drained = _await_processing(world)
        return _result(world, phone_numbers, delivery, drained)


def _watch_all(world: World, phone_numbers: list[str]) -> None:
    """Watch every number, due only far ahead: the callbacks, not a poll, must settle them."""
    now = world.services.clock()
    with world.services.store.transaction():
        for phone_number in phone_numbers:
            watches.watch(
                world.services.store,
                phone_number=phone_number,
                api="numbers",
                parts="sms",
                now=now,
                next_check_at=now + timedelta(days=1),
                region="US",
                number_type="LOCAL",
            )


@dataclass(frozen=True)
class Delivery:
    """How the stream of callbacks was answered."""

    sent: int
    unique: int
    wall_seconds: float
    latencies: list[float]
    statuses: Counter[int]


def _send_all(url: str, stream: list[bytes], unique: int) -> Delivery:
    bodies: Iterator[bytes] = iter(stream)
    take = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    def sender() -> None:
        with httpx.Client(timeout=10) as client:
            while True:
                with take:
                    body = next(bodies, None)
                if body is None:
                    return
                headers = {"Content-Type": "application/json", "X-Sinch-Signature": sign(SECRET, body)}
                sent = time.perf_counter()
                response = client.post(url, content=body, headers=headers)
                elapsed = time.perf_counter() - sent
                with take:
                    latencies.append(elapsed)
                    statuses[response.status_code] += 1

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Delivery(len(stream), unique, time.perf_counter() - started, latencies, statuses)


def _await_processing(world: World) -> float:
    """Seconds until the watcher has handled every stored event (the bench gives up after a bound)."""
    started = time.perf_counter()
    while (
        events.backlog(world.services.store).count and time.perf_counter() - started < SETTLE_TIMEOUT_SECONDS
    ):
        time.sleep(0.05)
    return time.perf_counter() - started


def _result(world: World, phone_numbers: list[str], delivery: Delivery, drained: float) -> BenchResult:
    db = world.services.store.db
    stored = db.execute("SELECT COUNT(*), COUNT(processed_at) FROM events").fetchone()
    outcome_rows = [row[0] for row in db.execute("SELECT text FROM outbox")]
    reports = Counter(number for text in outcome_rows for number in phone_numbers if number in text)
    told_once = sum(1 for number in phone_numbers if reports[number] == 1)
    sent, unique, statuses = delivery.sent, delivery.unique, delivery.statuses
    rate = sent / delivery.wall_seconds
    metrics = [
        Metric("callbacks sent", sent),
        Metric("unique events among them", unique),
        Metric("throughput", rate, "/s", f">= {RATE_TARGET:g}/s", rate >= RATE_TARGET),
        *latency_metrics("response", delivery.latencies, p99_target_ms=P99_TARGET_MS),
        Metric("answered 200", statuses[200], target=str(sent), met=statuses[200] == sent),
        Metric("events stored", stored[0], target=str(unique), met=stored[0] == unique),
        Metric("events processed", stored[1], target=str(unique), met=stored[1] == unique),
        Metric("numbers told exactly once", told_once, target=str(NUMBERS), met=told_once == NUMBERS),
        Metric("processing drained after", drained, "s"),
    ]
    notes = [f"{SENDERS} concurrent senders; {DUPLICATE_SHARE:.0%} redeliveries; shuffled order"]
    return BenchResult("2. callback ingest", metrics, notes)
