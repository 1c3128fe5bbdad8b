"""Two bot processes share one database: every outbox row reaches Slack exactly once, alone or in a digest.

Both processes run their own delivery thread against a slow local Slack (each call answers late, after the
message is posted), so their passes overlap for seconds. The rows are queued straight into the database, as
a burst of events would, across three channels; one channel's rows share a digest key and go out as digests.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
from collections import Counter
from pathlib import Path

from bot.services import utc_now
from sandbox.sinch import SandboxConfig, start_sandbox
from sandbox.slack import LocalSlack, RateLimits
from sandbox.slack.models import Message
from storage import outbox
from storage.db import Store
from storage.outbox import OutboxMessage
from tests.faults.bot_process import start_bot_process
from tests.faults.flows import settings_env
from tests.harness import ALERTS, APPROVALS, OPS, bot_settings, local_slack

ROWS_PER_CHANNEL = {OPS.id: 35, APPROVALS.id: 35, ALERTS.id: 30}
DIGESTED_CHANNEL = ALERTS.id
SLACK_LATENCY_SECONDS = 0.05
TOKEN = re.compile(r"burst-row-\d{3}")


def test_two_processes_on_one_database_post_every_outbox_row_exactly_once(tmp_path: Path) -> None:
    database = tmp_path / "numbot.db"
    with local_slack(RateLimits.off()) as slack, start_sandbox(SandboxConfig(seed=7)) as sinch:
        env = settings_env(bot_settings(slack, sinch, database))
        slack.faults.latency_seconds = SLACK_LATENCY_SECONDS
        processes = [start_bot_process(env)[0] for _ in range(2)]
        try:
            tokens = _queue_burst(database)
            slack.wait_for(lambda s: set(tokens) <= set(_posted_tokens(s)), timeout=60)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                _wait_or_kill(process)
        # Both processes have stopped, so no call to Slack is still on its way.
        posted = _posted_tokens(slack)

    duplicated = {token: count for token, count in posted.items() if count > 1}
    assert not duplicated, f"posted more than once: {sorted(duplicated)}"
    assert set(posted) == set(tokens)
    assert _pending(database) == {}, "a delivered row was left pending, to be sent again"
    digests = [message for message in slack.messages(DIGESTED_CHANNEL) if len(_tokens(message)) > 1]
    assert digests, "the digest-keyed burst went out one message at a time, so no digest was tested"


def _queue_burst(database: Path) -> list[str]:
    store = Store(database)
    tokens: list[str] = []
    try:
        with store.transaction():
            number = 0
            for channel, count in ROWS_PER_CHANNEL.items():
                digest_key = "provisioning" if channel == DIGESTED_CHANNEL else None
                for _ in range(count):
                    token = f"burst-row-{number:03d}"
                    tokens.append(token)
                    message = OutboxMessage(channel=channel, text=f"{token} settled", digest_key=digest_key)
                    outbox.enqueue(store, message, utc_now())
                    number += 1
    finally:
        store.close_all()
    return tokens


def _pending(database: Path) -> dict[str, int]:
    store = Store(database)
    try:
        return outbox.pending_counts(store)
    finally:
        store.close_all()


def _posted_tokens(slack: LocalSlack) -> Counter[str]:
    counts: Counter[str] = Counter()
    for channel in ROWS_PER_CHANNEL:
        for message in slack.messages(channel):
            counts.update(_tokens(message))
    return counts


def _tokens(message: Message) -> list[str]:
    """A digest lists its rows in its blocks (its fallback text previews a few): count those, once."""
    return TOKEN.findall(json.dumps(message.blocks) if message.blocks else message.text)


def _wait_or_kill(process: subprocess.Popen[str]) -> None:
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
