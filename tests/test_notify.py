"""The outbox delivering to a real local Slack: digests for bursts, 429 storms, channels the bot is not in.

The notifier runs without its thread here: each test calls `deliver_due()` and moves a fake clock instead
of waiting for Retry-After, so nothing sleeps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.blockkit.blocks import MESSAGE_BLOCKS, SANDBOX_NOTE, SECTION_TEXT
from bot.inventory.chart import region_chart
from bot.notify import DIGEST_LIMIT, Notifier
from sandbox.slack import LocalSlack, RateLimits, SlackChannel
from storage import Store, outbox
from storage.outbox import OutboxMessage
from tests.harness import ALERTS, BOT_TOKEN, SIGNING_SECRET

OUTSIDE = SlackChannel("C0OUTSIDE", "outside", member=False)


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Outbox:
    slack: LocalSlack
    store: Store
    clock: FakeClock
    notifier: Notifier

    def queue(self, text: str, channel: str = ALERTS.id, **options: object) -> int:
        return self.notifier.post(OutboxMessage(channel, text, **options))  # type: ignore[arg-type]

    def deliver_until_empty(self, rounds: int = 50) -> None:
        for _ in range(rounds):
            self.notifier.deliver_due()
            if not outbox.pending_counts(self.store):
                return
            self.clock.advance(60)
        raise AssertionError(f"still pending: {outbox.pending_counts(self.store)}")


def start_outbox(tmp_path: Path, rate_limits: RateLimits) -> Iterator[Outbox]:
    slack = LocalSlack(
        SIGNING_SECRET, bot_token=BOT_TOKEN, channels=[ALERTS, OUTSIDE], rate_limits=rate_limits
    )
    slack.start()
    store = Store(tmp_path / "numbot.db")
    clock = FakeClock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    try:
        yield Outbox(
            slack, store, clock, Notifier(store, WebClient(BOT_TOKEN, base_url=slack.api_url), clock)
        )
    finally:
        store.close_all()
        slack.stop()


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Outbox]:
    yield from start_outbox(tmp_path, RateLimits())


@pytest.fixture
def unlimited(tmp_path: Path) -> Iterator[Outbox]:
    yield from start_outbox(tmp_path, RateLimits.off())


def test_a_burst_of_300_outcomes_becomes_three_digests_and_nothing_is_dropped(box: Outbox) -> None:
    ids = [box.queue(f"`+1202555{i:04d}` is ready", digest_key="provisioning") for i in range(300)]

    box.deliver_until_empty()

    messages = box.slack.messages(ALERTS.id)
    assert len(messages) == 300 // DIGEST_LIMIT
    listed = "\n".join(_text(message.blocks) for message in messages)
    assert all(f"+1202555{i:04d}" in listed for i in range(300))
    assert messages[0].text.startswith("100 provisioning updates")
    assert all(len(message.blocks) <= MESSAGE_BLOCKS for message in messages)
    rows = [outbox.get_message(box.store, outbox_id) for outbox_id in ids]
    assert {row.status for row in rows if row} == {"sent"}
    assert {row.sent_ts for row in rows if row} == {message.ts for message in messages}


def test_a_lone_message_is_posted_as_itself_not_as_a_digest(box: Outbox) -> None:
    box.queue("`+12025550100` is ready", digest_key="provisioning")

    box.deliver_until_empty()

    [message] = box.slack.messages(ALERTS.id)
    assert message.text == "`+12025550100` is ready"


def test_digest_keeps_the_sandbox_note_and_long_lines_stay_within_limits(unlimited: Outbox) -> None:
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": SANDBOX_NOTE}]}
    for i in range(DIGEST_LIMIT):
        unlimited.queue(f"line {i} " + "x" * 5000, digest_key="provisioning", blocks=[note])

    unlimited.deliver_until_empty()

    [message] = unlimited.slack.messages(ALERTS.id)
    assert message.blocks[-1] == note
    sections = [block for block in message.blocks if block["type"] == "section"]
    assert all(len(block["text"]["text"]) <= SECTION_TEXT for block in sections)
    assert len(message.blocks) <= MESSAGE_BLOCKS


def test_a_429_storm_delays_messages_but_loses_none_and_keeps_their_order(unlimited: Outbox) -> None:
    unlimited.slack.fail_next("chat.postMessage", count=6, status=429, retry_after=7)
    for i in range(5):
        unlimited.queue(f"message {i}")

    report = unlimited.notifier.deliver_due()
    assert (report.sent, report.deferred) == (0, 1)  # the rest of the channel waits behind the first
    unlimited.clock.advance(6)
    assert unlimited.notifier.deliver_due().sent == 0  # Retry-After not over yet: not even tried
    unlimited.deliver_until_empty()

    assert [message.text for message in unlimited.slack.messages(ALERTS.id)] == [
        f"message {i}" for i in range(5)
    ]


def test_not_in_channel_logs_one_clear_hint_and_keeps_the_message(
    unlimited: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    outbox_id = unlimited.queue("to a channel the bot is not in", channel=OUTSIDE.id)
    unlimited.queue("to a channel the bot is in")

    with caplog.at_level(logging.ERROR, logger="bot.notify"):
        unlimited.notifier.deliver_due()
        unlimited.clock.advance(301)
        unlimited.notifier.deliver_due()

    hints = [record.getMessage() for record in caplog.records if OUTSIDE.id in record.getMessage()]
    assert len(hints) == 1
    assert "not_in_channel" in hints[0] and "/invite @numbot" in hints[0]
    row = outbox.get_message(unlimited.store, outbox_id)
    assert row is not None and (row.status, row.attempts) == ("pending", 2)
    assert [message.text for message in unlimited.slack.messages(ALERTS.id)] == ["to a channel the bot is in"]


def test_thread_replies_are_never_merged_into_a_digest(unlimited: Outbox) -> None:
    card = unlimited.queue("approval card")
    unlimited.deliver_until_empty()
    for i in range(3):
        unlimited.queue(f"reply {i}", parent_id=card, digest_key="provisioning")

    unlimited.deliver_until_empty()

    [top] = unlimited.slack.messages(ALERTS.id)
    assert [reply.text for reply in unlimited.slack.thread(ALERTS.id, top.ts)][-3:] == [
        f"reply {i}" for i in range(3)
    ]


def _text(blocks: list[dict[str, object]]) -> str:
    return "\n".join(str(block.get("text", "")) for block in blocks)


def test_a_private_upload_is_shared_nowhere_until_a_message_shows_it(box: Outbox) -> None:
    png = region_chart([("US", 3, 0)], [])

    file_id = box.notifier.upload_private(png, "inventory.png", "Numbers by region")
    box.queue("chart", blocks=[{"type": "image", "alt_text": "chart", "slack_file": {"id": file_id}}])
    box.deliver_until_empty()

    uploaded = box.slack.wait_for_upload(lambda upload: upload.id == file_id)
    assert uploaded.channels == ()
    assert uploaded.path.read_bytes() == png
    [message] = box.slack.messages(ALERTS.id)
    assert message.blocks[0]["slack_file"] == {"id": file_id}
