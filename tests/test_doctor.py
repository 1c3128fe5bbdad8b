"""`numbot doctor`: what blocks serving, and what is pending since when."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.doctor import doctor
from storage import Store, events, outbox, watches
from storage.outbox import OutboxMessage
from tests.harness import APP_TOKEN, BOT_TOKEN, local_slack

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def slack_api_url() -> Iterator[str]:
    """Doctor asks Slack whether it accepts the token: a local workspace that knows these tokens."""
    slack = local_slack().start()
    try:
        yield slack.api_url
    finally:
        slack.stop()


def settings(tmp_path: Path, slack_api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_app_token": APP_TOKEN,
        "slack_api_url": slack_api_url,
        "numbot_database": tmp_path / "numbot.db",
        "numbot_approvers": ["U0APPROVE"],
        "numbot_approvals_channel": "C0APPROVE",
        "numbot_notifications_channel": "C0ALERTS1",
        **overrides,
    }
    return Settings(_env_file=None, **values)


def run(config: Settings) -> tuple[int, str]:
    lines: list[str] = []
    status = doctor(config, out=lines.append, now=NOW)
    return status, "\n".join(lines)


def test_a_complete_configuration_passes_and_says_the_database_is_not_created_yet(
    tmp_path: Path, slack_api_url: str
) -> None:
    status, output = run(settings(tmp_path, slack_api_url))

    assert status == 0
    assert "[ok  ] Slack: Socket Mode" in output
    assert "[ok  ] Slack token: SLACK_BOT_TOKEN accepted" in output
    assert "[ok  ] Slack app token: SLACK_APP_TOKEN accepted" in output
    assert "SANDBOX" in output
    assert "does not exist yet" in output
    assert not (tmp_path / "numbot.db").exists()


def test_a_missing_approvals_channel_fails_naming_the_variable(tmp_path: Path, slack_api_url: str) -> None:
    status, output = run(settings(tmp_path, slack_api_url, numbot_approvals_channel=None))

    assert status == 1
    assert "[FAIL] Slack: NUMBOT_APPROVALS_CHANNEL is required" in output


def test_callbacks_without_a_secret_are_flagged_with_the_fix(tmp_path: Path, slack_api_url: str) -> None:
    Store(tmp_path / "numbot.db").close_all()

    _, output = run(settings(tmp_path, slack_api_url, numbot_public_url="https://bot.example.com"))

    assert "Sinch callbacks: https://bot.example.com/sinch/callbacks" in output
    assert "every callback is refused" in output and "rotate-secret" in output


def test_pending_work_shows_counts_and_since_when(tmp_path: Path, slack_api_url: str) -> None:
    store = Store(tmp_path / "numbot.db")
    since = NOW - timedelta(minutes=30)
    watches.watch(
        store, phone_number="+12025550100", api="numbers", parts="sms", now=since, next_check_at=since
    )
    events.store_event(
        store,
        event_id="e1",
        api="numbers",
        resource_id="+12025550100",
        resource_type="ACTIVE_NUMBER",
        event_type=None,
        status=None,
        raw_body=b"{}",
        received_at=NOW - timedelta(seconds=90),
    )
    outbox.enqueue(store, OutboxMessage("C0ALERTS1", "waiting"), NOW - timedelta(hours=3))
    store.close_all()

    status, output = run(settings(tmp_path, slack_api_url, sinch_callback_secret="s" * 40))

    assert status == 0
    assert "numbers provisioning: 1 (oldest since 2025-03-01 08:30:00 UTC, 30m ago)" in output
    assert "+12025550100 (sms)" in output
    assert "callbacks not yet processed: 1 (oldest since 2025-03-01 08:58:30 UTC, 90s ago)" in output
    assert "Slack messages not yet delivered: C0ALERTS1: 1, oldest waiting 3h" in output
    assert "scheduler: no process holds the lease" in output
    assert "Callback secret: SINCH_CALLBACK_SECRET" in output
