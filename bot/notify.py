"""Outbox → Slack: every notification is stored first and marked sent only once Slack says ok.

One delivery thread per process drains the outbox in order per channel. Failures never drop a message:
429 waits for Retry-After, server errors back off, a channel the bot cannot post to is logged once with a
hint for the admin and retried later. `kick()` wakes the thread at once, so an approval card appears
within milliseconds of being queued, not on the next polling tick.

A burst (hundreds of provisioning outcomes at once) would take minutes at Slack's one message per second
per channel: messages queued with the same `digest_key` that are waiting together go out as one digest
message listing them all, and every one of them is marked sent with the digest's ts.

Files a message shows (a chart) are uploaded unshared with `upload_private` before the message is queued.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blockkit.blocks import (
    SANDBOX_NOTE,
    SECTION_TEXT,
    chunks,
    clip,
    context,
    header,
    section,
    to_dicts,
    with_sandbox_note,
)
from bot.services import Clock
from storage import outbox
from storage.db import Store
from storage.outbox import OutboxMessage, OutboxRow

log = logging.getLogger(__name__)

# Channel problems an admin must fix: retry rarely, but keep the message.
_MEMBERSHIP_ERRORS = {"not_in_channel", "channel_not_found", "is_archived"}
_MEMBERSHIP_RETRY = timedelta(minutes=5)
_MAX_BACKOFF = timedelta(minutes=10)
_IDLE_WAIT_SECONDS = 1.0
# How long a claim keeps other processes off the rows being sent. The sender renews it while its Slack call
# runs, so a slow call is never sent again by another process; a killed process stops renewing, and its
# unsent rows (and the rest of their channel) wait at most this long for another process.
CLAIM_TTL = timedelta(seconds=20)
_CLAIM_RENEW_SECONDS = 5.0
# Lines per digest: readable at a glance, and far inside Slack's 50 blocks of 3000 characters.
DIGEST_LIMIT = 100


@dataclass
class DeliveryReport:
    sent: int = 0
    superseded: int = 0
    deferred: int = 0
    channels_blocked: set[str] = field(default_factory=set)


class Notifier:
    def __init__(self, store: Store, client: WebClient, clock: Clock) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._deliver_lock = threading.Lock()
        self._warned_channels: set[str] = set()
        self.owner = f"{socket.gethostname()}:{secrets.token_hex(4)}"

    def post(self, message: OutboxMessage) -> int:
        """Queue a message (durably) and wake the delivery thread; returns the outbox id.

        Inside the caller's transaction the message commits (or rolls back) with the state change it
        announces, and the delivery thread is woken once it has committed.
        """
        outbox_id = outbox.enqueue(self._store, message, self._clock())
        self._store.after_commit(self.kick)
        return outbox_id

    def kick(self) -> None:
        self._wake.set()

    def upload_private(self, content: bytes, filename: str, title: str) -> str:
        """Upload a file to Slack without sharing it anywhere; returns its file id.

        For an image a message shows through an image block's `slack_file`: the file itself is posted in no
        channel. Not queued: the caller keeps the id it gets (the message naming it goes through the outbox).
        """
        response = self._client.files_upload_v2(content=content, filename=filename, title=title)
        return str(response["file"]["id"])

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="notifier", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(_IDLE_WAIT_SECONDS)
            self._wake.clear()
            try:
                while self.deliver_due().sent and not self._stop.is_set():
                    pass
            except Exception:
                log.exception("outbox delivery pass failed; retrying")
        self._store.close()

    def deliver_due(self, limit: int = 50) -> DeliveryReport:
        """One pass over due messages, in order per channel; safe to call from any thread."""
        report = DeliveryReport()
        with self._deliver_lock:
            delivered: set[int] = set()
            for row in outbox.due(self._store, self._clock(), limit):
                if row.id in delivered:
                    continue  # went out in a digest earlier in this pass
                if row.channel in report.channels_blocked:
                    continue  # keep per-channel order: nothing overtakes a message that is waiting
                batch = outbox.digest_batch(self._store, row, self._clock(), DIGEST_LIMIT)
                if not self._claim(batch):
                    # Another process is sending (or has sent) it; what follows in the channel waits for it.
                    report.channels_blocked.add(row.channel)
                    continue
                if outbox.has_newer_edit(self._store, row):
                    # An edit with a newer pending edit of the same message would only flash stale state.
                    outbox.mark_sent(self._store, row.id, row.update_ts or "", self._clock())
                    report.superseded += 1
                    continue
                if self._send(batch):
                    report.sent += len(batch)
                    delivered.update(message.id for message in batch)
                else:
                    report.deferred += len(batch)
                    report.channels_blocked.add(row.channel)
        return report

    def _claim(self, batch: list[OutboxRow]) -> bool:
        ids = [row.id for row in batch]
        return outbox.claim(self._store, ids, self.owner, self._clock(), CLAIM_TTL)

    def _send(self, batch: list[OutboxRow]) -> bool:
        ids = [row.id for row in batch]
        try:
            with self._claim_held(ids):
                ts = self._call_slack(batch[0] if len(batch) == 1 else digest(batch))
        except SlackApiError as exc:
            self._defer(batch[0], ids, exc)
            return False
        except Exception as exc:  # noqa: BLE001 - network trouble: back off and retry, never drop
            self._defer_for(ids, self._backoff(batch[0]), f"transport: {exc}")
            return False
        outbox.mark_all_sent(self._store, ids, ts, self._clock())
        return True

    @contextmanager
    def _claim_held(self, ids: list[int]) -> Iterator[None]:
        """Keep renewing the claim on `ids` until the block ends (the Slack call may outlast CLAIM_TTL)."""
        finished = threading.Event()

        def renew() -> None:
            try:
                while not finished.wait(_CLAIM_RENEW_SECONDS):
                    outbox.renew_claim(self._store, ids, self.owner, self._clock() + CLAIM_TTL)
            finally:
                self._store.close()  # this thread's connection, if it opened one

        renewer = threading.Thread(target=renew, name="outbox-claim", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            finished.set()
            renewer.join()

    def _call_slack(self, row: OutboxRow) -> str:
        if row.update_of is not None:
            response = self._client.chat_update(
                channel=row.channel, ts=row.update_ts or "", text=row.text, blocks=row.blocks
            )
        else:
            response = self._client.chat_postMessage(
                channel=row.channel, text=row.text, blocks=row.blocks, thread_ts=row.thread_ts
            )
        return str(response["ts"])

    def _defer(self, row: OutboxRow, ids: list[int], exc: SlackApiError) -> None:
        error = str(exc.response.get("error", "unknown"))
        if exc.response.status_code == 429 or error == "ratelimited":
            retry_after = float(exc.response.headers.get("Retry-After", "1"))
            self._defer_for(ids, timedelta(seconds=retry_after), "ratelimited")
        elif error in _MEMBERSHIP_ERRORS:
            if row.channel not in self._warned_channels:
                self._warned_channels.add(row.channel)
                log.error(
                    "cannot post to channel %s (%s): invite the bot with `/invite @numbot` there, or grant "
                    "it chat:write.public; messages for it are kept and retried every %s",
                    row.channel,
                    error,
                    _MEMBERSHIP_RETRY,
                )
            self._defer_for(ids, _MEMBERSHIP_RETRY, error)
        elif error in {"invalid_blocks", "invalid_arguments"} and row.blocks:
            # A layout Slack refuses must not cost the message: keep the fallback text and resend.
            log.error("Slack refused the blocks of outbox message %s (%s); sending text only", row.id, error)
            outbox.drop_blocks(self._store, row.id)
            self._defer_for(ids, timedelta(0), error)
        else:
            self._defer_for(ids, self._backoff(row), error)

    def _defer_for(self, ids: list[int], delay: timedelta, error: str) -> None:
        outbox.defer_all(self._store, ids, self._clock() + delay, error)

    @staticmethod
    def _backoff(row: OutboxRow) -> timedelta:
        return min(timedelta(seconds=2**row.attempts), _MAX_BACKOFF)


def digest(batch: list[OutboxRow]) -> OutboxRow:
    """One message listing every message of the batch (their fallback texts, one line each), in order.

    Pure. Lines are packed into sections of at most 3000 characters; DIGEST_LIMIT keeps the count of
    sections far below Slack's 50 blocks, however long the lines.
    """
    lead = batch[0]
    title = f"{len(batch)} {lead.digest_key or ''} updates".replace("  ", " ")
    lines = [clip(" ".join(row.text.split()), SECTION_TEXT // 4) for row in batch]
    blocks = [header(title), *(section(text) for text in chunks(lines, SECTION_TEXT))]
    sandbox = _SANDBOX_NOTE_BLOCK in (lead.blocks or [])
    preview = "; ".join(clip(row.text, 80) for row in batch[:3])
    return replace(lead, text=f"{title}: {preview}…", blocks=to_dicts(with_sandbox_note(blocks, sandbox)))


_SANDBOX_NOTE_BLOCK = context(SANDBOX_NOTE).to_dict()
