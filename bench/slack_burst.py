"""4. Slack burst: 300 provisioning outcomes for one channel while Slack allows about one message a second.

The local Slack answers 429 with Retry-After beyond its per-channel budget, as Slack does. The outbox must
coalesce what is waiting into digests and lose nothing: every outcome's line must reach the channel.
"""

from __future__ import annotations

import time

from bench.results import BenchResult, Metric
from bench.world import bench_world
from bot.watching.watcher import DIGEST_KEY
from sandbox.slack import LocalSlack, Message, RateLimits
from sandbox.world import ALERTS, shown
from storage.outbox import OutboxMessage

OUTCOMES = 300
# Outcomes arrive as the watcher settles numbers, not all in one instant: 100 a second for 3 seconds.
ARRIVALS_PER_SECOND = 100.0
SLACK_BURST = 3
SLACK_LIMITS = RateLimits(post_message_per_second=1.0, post_message_burst=SLACK_BURST)
DRAIN_TIMEOUT_SECONDS = 120.0


def outcome_text(index: int) -> str:
    return f"+1206555{index:04d}: SMS provisioning succeeded (outcome {index})"


def run() -> BenchResult:
    with bench_world(rate_limits=SLACK_LIMITS) as world:
        notifier = world.services.notifier
        started = time.perf_counter()
        for index in range(OUTCOMES):
            notifier.post(OutboxMessage(ALERTS.id, outcome_text(index), digest_key=DIGEST_KEY))
            time.sleep(1 / ARRIVALS_PER_SECOND)
        world.wait_for(lambda slack: _delivered(slack) == OUTCOMES, timeout=DRAIN_TIMEOUT_SECONDS)
        drained = time.perf_counter() - started
        calls = [call for call in world.slack.calls if call.method == "chat.postMessage"]
        messages = world.slack.messages(ALERTS.id)
    digests = [message for message in messages if " updates" in message.text.split(":")[0]]
    lost = OUTCOMES - _delivered_in(messages)
    return BenchResult(
        "4. Slack burst",
        [
            Metric("outcomes queued", OUTCOMES),
            Metric("arrival rate", ARRIVALS_PER_SECOND, "/s"),
            Metric("messages in the channel", len(messages)),
            Metric("of which digests", len(digests)),
            Metric("429 answers from Slack", sum(1 for call in calls if call.status == 429)),
            Metric("first outcome to last delivered", drained, "s"),
            Metric("outcomes lost", lost, target="0", met=lost == 0),
        ],
        [f"local Slack: {SLACK_LIMITS.post_message_per_second:g} msg/s per channel, burst {SLACK_BURST}"],
    )


def _delivered(slack: LocalSlack) -> int:
    return _delivered_in(slack.messages(ALERTS.id))


def _delivered_in(messages: list[Message]) -> int:
    """How many distinct outcomes a reader of the channel can find, alone or in a digest."""
    channel = "\n".join(shown(message) for message in messages)
    return sum(1 for index in range(OUTCOMES) if f"(outcome {index})" in channel)
