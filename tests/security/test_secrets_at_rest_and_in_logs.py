"""Secrets stay secret: in no log record at any level, gone once expired, in files only their owner reads."""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.redaction import REDACTED
from bot.scheduler import FORGET_EXPIRED_SECRET, Scheduler
from bot.watching.callbacks import PREVIOUS_SECRET_GRACE
from sandbox.sinch import SandboxConfig, start_sandbox
from sandbox.slack import LocalSlack
from storage import events
from tests.faults.bot_process import start_bot_process
from tests.faults.flows import settings_env
from tests.harness import (
    ADMIN,
    BOT_TOKEN,
    OPS,
    SIGNING_SECRET,
    SINCH_KEY_SECRET,
    World,
    bot_settings,
    local_slack,
)

ROTATED = "New Sinch callback secret"


def rotate_secret(world: World) -> str:
    """An admin rotates the secret; the new one, read from the one reply that shows it to them."""
    shown_before = shown_secrets(world.slack)
    ack = world.slack.user(ADMIN.id).slash("/numbers", "callbacks rotate-secret", channel=OPS.id)
    assert ack.ok, ack
    [secret] = world.wait_for(lambda slack: shown_secrets(slack) - shown_before)
    return secret


def shown_secrets(slack: LocalSlack) -> set[str]:
    replies = [message.text for message in slack.ephemerals(ADMIN.id) if ROTATED in message.text]
    return {secret for text in replies for secret in re.findall(r"`([0-9a-f]{40})`", text)}


def test_no_secret_reaches_any_log_record_even_at_debug(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    secret = rotate_secret(world)

    logged = [record.getMessage() for record in caplog.records] + [caplog.text]
    for value in (secret, BOT_TOKEN, SIGNING_SECRET, SINCH_KEY_SECRET):
        assert not [text for text in logged if value in text], f"{value} was logged"
    # slack_sdk did log the reply that shows the secret: it is the redaction that kept the secret out.
    assert any(r.name.startswith("slack_sdk") and REDACTED in r.getMessage() for r in caplog.records)


def test_the_replaced_callback_secret_is_deleted_once_its_grace_period_is_over(world: World) -> None:
    store = world.runtime.services.store
    first = rotate_secret(world)
    secret = rotate_secret(world)
    rotated = events.callback_secret(store)
    assert rotated is not None
    assert (rotated.secret, rotated.previous) == (secret, first)

    run_forget_job_at(world, rotated.rotated_at + PREVIOUS_SECRET_GRACE - timedelta(minutes=1))
    still_in_grace = events.callback_secret(store)
    assert still_in_grace is not None
    assert still_in_grace.previous == first

    run_forget_job_at(world, rotated.rotated_at + PREVIOUS_SECRET_GRACE + timedelta(seconds=1))
    rows = list(store.db.query("SELECT * FROM callback_secret"))
    assert first not in str(rows)
    assert [row["secret"] for row in rows] == [secret]


def run_forget_job_at(world: World, moment: datetime) -> None:
    services = replace(world.runtime.services, clock=lambda: moment)
    Scheduler(services).run_now(FORGET_EXPIRED_SECRET)


def test_a_bot_process_creates_the_database_and_its_wal_files_for_its_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "numbot.db"
    with local_slack() as slack, start_sandbox(SandboxConfig(seed=7)) as sinch:
        env = settings_env(bot_settings(slack, sinch, database))
        # A common umask, which would leave the files readable by everyone on the machine.
        previous_umask = os.umask(0o022)
        try:
            process, _ = start_bot_process(env)
        finally:
            os.umask(previous_umask)
        try:
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            modes = {path.name: stat.filemode(path.stat().st_mode) for path in files}
        finally:
            process.kill()
            process.wait()
    assert modes == dict.fromkeys(modes, "-rw-------")
