"""The weekly inventory digest in a real world: the local Slack, the Sinch sandbox and the bot between them.

One world for the module: each test tells its own digest apart by the messages and uploads it awaits.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.inventory import digest, snapshot
from bot.notify import Notifier
from bot.services import Services
from sandbox.slack import Message, UploadedFile
from storage import Store, digests, inventory
from storage.outbox import OutboxMessage
from tests.harness import ALERTS, BOT_TOKEN, World, answer_to, running_world, seed_active, shown

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_world(tmp_path_factory.mktemp("digest")) as started:
        seed_active(started, 5, "US", "LOCAL", service_plan_id="plan")
        seed_active(started, 2, "GB", "MOBILE")
        snapshot.refresh(started.services)
        yield started


def digests_posted(world: World) -> list[Message]:
    return [message for message in world.slack.messages(ALERTS.id) if digest.TITLE in message.text]


def await_digest(world: World, before: int) -> Message:
    """The next digest in the notifications channel after the `before` already there."""
    return world.wait_for(
        lambda _: digests_posted(world)[before] if len(digests_posted(world)) > before else None
    )


def delivered_so_far(world: World) -> None:
    """Await every message queued for the notifications channel so far: the outbox delivers a channel's
    messages in order, so once a marker queued now is there, whatever was queued before it is too."""
    marker = f"marker {uuid.uuid4()}"
    world.services.notifier.post(OutboxMessage(ALERTS.id, marker))
    world.wait_for(lambda slack: any(message.text == marker for message in slack.messages(ALERTS.id)))


def chart_of(world: World, message: Message) -> UploadedFile:
    [image] = [block for block in message.blocks if block["type"] == "image"]
    file_id = image["slack_file"]["id"]
    return world.slack.wait_for_upload(lambda upload: upload.id == file_id)


def ago(*, minutes: int, days: int = 0) -> datetime:
    """A whole minute in the past: each test schedules its own, so their occurrences never meet."""
    return (datetime.now(UTC) - timedelta(days=days, minutes=minutes)).replace(second=0, microsecond=0)


def schedule_at(world: World, at: datetime) -> None:
    """The digest's schedule (in UTC) fires once a year, at `at`; this world's scheduler follows it too."""
    world.services.settings.numbot_digest_schedule = f"{at.minute} {at.hour} {at.day} {at.month} *"


def test_an_admin_posts_the_digest_with_its_chart_and_the_snapshot_figures(world: World) -> None:
    before = len(digests_posted(world))

    answer_to(world, world.admin, "digest", f"on its way to <#{ALERTS.id}>")

    message = await_digest(world, before)
    chart = chart_of(world, message)
    assert chart.filetype == "png"
    assert chart.path.read_bytes().startswith(PNG_SIGNATURE)
    assert chart.channels == ()  # shown by the digest only, shared nowhere
    store, now = world.services.store, world.services.clock()
    totals = inventory.totals(store, now=now, due_within=digest.WEEK)
    assert (totals.active, totals.imported) == (7, 0)
    changes = inventory.changes_since(store, now - digest.WEEK)
    text = shown(message)
    assert "7 rented, 0 imported" in text
    assert f"This week: {changes.added} added, {changes.released} released" in text
    for money in totals.monthly:
        assert f"{money.amount:,.2f} {money.currency}" in text
    for charge in totals.due:
        assert f"{charge.amount:,.2f} {charge.currency} for {charge.numbers} numbers" in text
    attention = inventory.attention(store)
    assert (
        f"{attention.idle} numbers paid for but used for nothing" in text
    )  # the two GB numbers have no plan


def test_someone_not_an_admin_is_refused_and_nothing_is_posted(world: World) -> None:
    before, uploads = len(digests_posted(world)), len(world.slack.uploads())

    answer_to(world, world.bystander, "digest", "Only admins can do this")

    delivered_so_far(world)
    assert len(digests_posted(world)) == before
    assert len(world.slack.uploads()) == uploads


def test_without_a_notifications_channel_the_admin_is_told_what_to_set(world: World) -> None:
    settings = world.services.settings
    channel, settings.numbot_notifications_channel = settings.numbot_notifications_channel, None
    uploads = len(world.slack.uploads())
    try:
        answer_to(world, world.admin, "digest", "set NUMBOT_NOTIFICATIONS_CHANNEL")
    finally:
        settings.numbot_notifications_channel = channel
    assert len(world.slack.uploads()) == uploads


def a_second_process(world: World) -> Services:
    """Another bot on the same database file: its own connection, Slack client and process name."""
    store = Store(world.services.settings.numbot_database)
    client = WebClient(BOT_TOKEN, base_url=world.slack.api_url)
    return dataclasses.replace(
        world.services, store=store, notifier=Notifier(store, client, world.services.clock)
    )


def together(*calls: Callable[[], object]) -> None:
    start = threading.Barrier(len(calls))
    failures: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=10)
            call()
        except BaseException as failure:  # noqa: BLE001 - re-raised in the test thread below
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures


def test_one_occurrence_is_posted_once_however_many_schedulers_run_the_job(world: World) -> None:
    before, uploads = len(digests_posted(world)), len(world.slack.uploads())
    other = a_second_process(world)
    occurrence = ago(minutes=1)
    schedule_at(world, occurrence)
    try:
        # This world's own scheduler runs the job too, every minute.
        together(lambda: digest.post_scheduled(world.services), lambda: digest.post_scheduled(other))
        digest.post_scheduled(world.services)
        digest.post_scheduled(other)
    finally:
        world.services.settings.numbot_digest_schedule = "off"
        other.store.close_all()

    await_digest(world, before)
    delivered_so_far(world)
    assert len(digests_posted(world)) == before + 1
    assert len(world.slack.uploads()) == uploads + 1
    assert digests.is_settled(world.services.store, occurrence.isoformat())


def test_a_retry_after_a_crash_shows_the_chart_already_uploaded(world: World) -> None:
    before = len(digests_posted(world))
    chart = world.services.notifier.upload_private(PNG_SIGNATURE, "inventory.png", "chart")
    at = ago(minutes=3)
    # A process claimed the occurrence, uploaded the chart, and died before queueing the message.
    crashed_at = datetime.now(UTC) - digest.CLAIM_TTL
    held = digests.claim(world.services.store, at.isoformat(), "dead-process", crashed_at, digest.CLAIM_TTL)
    assert held is not None
    digests.record_file(world.services.store, held, chart)
    uploads = len(world.slack.uploads())
    schedule_at(world, at)
    try:
        digest.post_scheduled(world.services)
    finally:
        world.services.settings.numbot_digest_schedule = "off"

    message = await_digest(world, before)
    assert chart_of(world, message).id == chart
    assert len(world.slack.uploads()) == uploads


def test_a_digest_more_than_a_day_late_is_skipped_and_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    before, uploads = len(digests_posted(world)), len(world.slack.uploads())
    occurrence = ago(minutes=1, days=2)
    schedule_at(world, occurrence)
    try:
        with caplog.at_level(logging.WARNING, logger=digest.__name__):
            assert digest.post_scheduled(world.services) is None
            assert digest.post_scheduled(world.services) is None
    finally:
        world.services.settings.numbot_digest_schedule = "off"

    skipped = [record.getMessage() for record in caplog.records if "skipped" in record.getMessage()]
    assert skipped == [
        f"the inventory digest due {occurrence.isoformat()} was skipped, not posted: "
        "it is more than 24 hours late"
    ]
    delivered_so_far(world)
    assert len(digests_posted(world)) == before
    assert len(world.slack.uploads()) == uploads
