"""The weekly digest: what changed in the inventory this week, what it costs, what is due, what needs
attention, and a chart of numbers and spend by region, posted to the notifications channel.

Figures come from the inventory snapshot (`storage.inventory`), never from Sinch. Each digest is one
occurrence in `storage.digests`: claimed before its chart is uploaded (the upload is the one step that cannot
be rolled back), the chart's file id kept with the claim, and the message queued in the outbox in the same
transaction that settles the occurrence. However many processes share the database and however often one
restarts, an occurrence is posted once and its chart uploaded once (barring a crash between the upload and
keeping its id, which leaves one unshared file nobody sees).

The scheduler's job posts the latest occurrence of NUMBOT_DIGEST_SCHEDULE that has come, in the team's time
zone. One more than a day late (numbot was down over Monday morning) is recorded as skipped and logged: a
"weekly" digest on Thursday would mislead more than it tells.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from apscheduler.triggers.cron import CronTrigger
from slack_sdk.models.blocks import Block, ImageBlock, PlainTextObject
from slack_sdk.models.blocks.basic_components import SlackFile

from bot.blockkit.blocks import (
    clip,
    context,
    header,
    section,
    to_dicts,
    with_sandbox_note,
)
from bot.blockkit.dates import slack_date
from bot.blockkit.text import escape
from bot.inventory.chart import TITLE as CHART_TITLE
from bot.inventory.chart import chart_description, region_chart
from bot.services import Services
from storage import digests, inventory
from storage.inventory import Attention, ChangeCounts, DueCharge, Money, Source, Totals
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
# A digest this late is skipped: numbot was down when it was due, and next week's comes on time.
LATE_LIMIT = timedelta(days=1)
# Longer than an upload and a few queries take; a process that died holding a claim frees it after this.
CLAIM_TTL = timedelta(minutes=2)
CHART_FILENAME = "inventory-by-region.png"
TITLE = "Weekly inventory digest"
# Slack's limit on an image block's alt text.
ALT_TEXT = 2000
# How far back the latest occurrence is looked for, shortest first: a minutely schedule is found in the
# first window without stepping through a year of minutes, a yearly one in the last.
_LOOKBACK = (timedelta(hours=1), timedelta(days=2), timedelta(days=32), timedelta(days=367))


class _ClaimLostError(Exception):
    """Another process took the occurrence over while this one was slow: its message must not be queued."""


@dataclass(frozen=True)
class Figures:
    """Everything a digest says, read from the snapshot at one moment."""

    now: datetime
    as_of: datetime | None  # when the snapshot last read Sinch; None if never
    totals: Totals  # `due` covers the week ahead
    changes: ChangeCounts  # in the week behind
    spend_week_ago: list[Money]
    attention: Attention


def gather(services: Services) -> Figures:
    store, now = services.store, services.clock()
    return Figures(
        now=now,
        as_of=inventory.refreshed_at(store, Source.ACTIVE),
        totals=inventory.totals(store, now=now, due_within=WEEK),
        changes=inventory.changes_since(store, now - WEEK),
        # The snapshot records each day's spend under its UTC date.
        spend_week_ago=inventory.spend_on(store, (now - WEEK).astimezone(UTC).date()),
        attention=inventory.attention(store),
    )


def post_now(services: Services, user_id: str, channel: str) -> int | None:
    """A digest `user_id` asked for, an occurrence of its own, to `channel`; the outbox id of its message."""
    return _post(services, f"asked {services.clock().isoformat()} {user_id}", channel)


def post_scheduled(services: Services) -> int | None:
    """The scheduler's job: post the latest occurrence of the schedule that has come and has no digest yet.

    Returns the outbox id of the digest it queued, None when there was nothing to post.
    """
    schedule = services.settings.digest_schedule
    if schedule is None:
        return None
    now = services.clock()
    occurred = latest_occurrence(schedule, now)
    if occurred is None:
        return None
    occurrence = occurred.astimezone(UTC).isoformat()
    if digests.is_settled(services.store, occurrence):
        return None
    channel = services.settings.numbot_notifications_channel
    if now - occurred > LATE_LIMIT:
        _skip(services, occurrence, f"it is more than {_hours(LATE_LIMIT)} hours late")
        return None
    if not channel:
        _skip(services, occurrence, "NUMBOT_NOTIFICATIONS_CHANNEL is not set")
        return None
    return _post(services, occurrence, channel)


def latest_occurrence(schedule: CronTrigger, now: datetime) -> datetime | None:
    """The schedule's last fire time at or before `now` within the past year; None if it has none."""
    for window in _LOOKBACK:
        latest = None
        fire: datetime | None = schedule.get_next_fire_time(None, now - window)
        while fire is not None and fire <= now:
            latest = fire
            fire = schedule.get_next_fire_time(fire, fire + timedelta(seconds=1))
        if latest is not None:
            return latest
    return None


def compose(figures: Figures, chart_file_id: str, zone: tzinfo, *, sandbox: bool) -> tuple[str, list[Block]]:
    """The digest's fallback text and blocks. Pure; every string from Sinch (currencies) is escaped."""
    totals = figures.totals
    start, end = (figures.now - WEEK).astimezone(zone), figures.now.astimezone(zone)
    period = f"{start:%a %d %b} to {end:%a %d %b %Y} ({zone})"
    as_of = slack_date(figures.as_of) if figures.as_of else "never: the inventory was not read yet"
    spend = spend_lines(totals.monthly, figures.spend_week_ago)
    blocks: list[Block] = [
        header(TITLE),
        context(f"{period} · snapshot of {as_of}"),
        section(f"*Numbers*\n{count_lines(totals, figures.changes)}"),
        section("*Monthly spend, now and a week ago*\n" + "\n".join(spend)),
        section("*Charges due in the next 7 days*\n" + "\n".join(due_lines(totals.due))),
        section("*Needs attention*\n" + "\n".join(attention_lines(figures.attention))),
        ImageBlock(
            slack_file=SlackFile(id=chart_file_id),
            alt_text=clip(chart_description(totals.by_region, totals.by_region_spend), ALT_TEXT),
            title=PlainTextObject(text=CHART_TITLE),
        ),
    ]
    changes = figures.changes
    text = (
        f"{TITLE}, {period}: {totals.active:,} rented numbers ({changes.added:,} added and "
        f"{changes.released:,} released this week), {totals.imported:,} imported; monthly spend "
        + "; ".join(spend)
    )
    return text, with_sandbox_note(blocks, sandbox)


def count_lines(totals: Totals, changes: ChangeCounts) -> str:
    return (
        f"{totals.active:,} rented, {totals.imported:,} imported\n"
        f"This week: {changes.added:,} added, {changes.released:,} released, "
        f"{changes.imported:,} imported, {changes.unimported:,} no longer imported\n"
        f"Emergency addresses: {changes.e911_set:,} set, {changes.e911_lost:,} lost"
    )


def spend_lines(now: Sequence[Money], week_ago: Sequence[Money]) -> list[str]:
    """One line per currency billed now or a week ago; amounts in different currencies are never added."""
    before = {money.currency: money.amount for money in week_ago}
    currencies = [money.currency for money in now] + [c for c in before if c not in {m.currency for m in now}]
    current = {money.currency: money.amount for money in now}
    lines = []
    for currency in currencies:
        amount = current.get(currency, Decimal(0))
        shown = escape(currency)
        if currency in before:
            change = amount - before[currency]
            delta = f"{change:+,.2f}" if change else "no change"
            lines.append(f"{amount:,.2f} {shown} (a week ago {before[currency]:,.2f}, {delta})")
        else:
            lines.append(f"{amount:,.2f} {shown} (none recorded a week ago)")
    return lines or ["Nothing billed"]


def due_lines(due: Sequence[DueCharge]) -> list[str]:
    return [
        f"{charge.amount:,.2f} {escape(charge.currency)} for {_numbers(charge.numbers)}, "
        f"the first {slack_date(charge.first)}"
        for charge in due
    ] or ["Nothing due"]


def attention_lines(attention: Attention) -> list[str]:
    lines = [
        (
            attention.e911_missing,
            ":rotating_light: {} without an emergency address: `/numbers e911 coverage`",
        ),
        (attention.e911_unchecked, ":hourglass_flowing_sand: {} not yet checked for an emergency address"),
        (
            attention.idle,
            ":zzz: {} paid for but used for nothing (no SMS or voice set up): `/numbers report`",
        ),
        (attention.provisioning_failed, ":x: {} whose last provisioning failed: `/numbers report`"),
    ]
    shown = [template.format(_numbers(count)) for count, template in lines if count]
    return shown or [":white_check_mark: Nothing needs attention."]


def _numbers(count: int) -> str:
    return f"{count:,} number" if count == 1 else f"{count:,} numbers"


def _post(services: Services, occurrence: str, channel: str) -> int | None:
    # The notifier's owner name is this process's (each runtime has its own).
    held = digests.claim(services.store, occurrence, services.notifier.owner, services.clock(), CLAIM_TTL)
    if held is None:
        return None  # posted already, or another process is posting it
    try:
        return _post_claimed(services, held, channel)
    except BaseException:
        digests.release(services.store, held)  # the next attempt goes at once, reusing any uploaded chart
        raise


def _post_claimed(services: Services, held: digests.DigestClaim, channel: str) -> int | None:
    store = services.store
    figures = gather(services)
    file_id = held.file_id
    if file_id is None:
        png = region_chart(figures.totals.by_region, figures.totals.by_region_spend)
        file_id = services.notifier.upload_private(png, CHART_FILENAME, CHART_TITLE)
        held = digests.record_file(store, held, file_id)
    text, blocks = compose(figures, file_id, services.settings.timezone, sandbox=services.sandbox)
    try:
        with store.transaction():
            outbox_id = services.notifier.post(OutboxMessage(channel, text, to_dicts(blocks)))
            if not digests.settle(store, held, outbox_id, services.clock()):
                raise _ClaimLostError
    except _ClaimLostError:
        log.warning("digest %s: another process took it over and posts it", held.occurrence)
        return None
    return outbox_id


def _skip(services: Services, occurrence: str, why: str) -> None:
    if digests.skip(services.store, occurrence, why, services.clock()):
        log.warning("the inventory digest due %s was skipped, not posted: %s", occurrence, why)


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)
