from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.config import ConfigError, Settings, load_settings


def _load(**values: object) -> Settings:
    return load_settings(_env_file=None, **values)


def test_no_credentials_means_sandbox_and_console() -> None:
    settings = _load()
    assert settings.uses_sinch_sandbox
    assert not settings.has_slack
    assert not settings.socket_mode


def test_ids_from_a_comma_separated_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBOT_APPROVERS", "U0AAA, S0BBB")
    assert _load().numbot_approvers == ["U0AAA", "S0BBB"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sinch_key_id": "k"}, "SINCH_KEY_SECRET must be set together"),
        ({"sinch_key_id": "k", "sinch_key_secret": "s"}, "SINCH_PROJECT_ID is required"),
        ({"slack_bot_token": "xoxp-user-token"}, "SLACK_BOT_TOKEN must start with 'xoxb-'"),
        ({"slack_app_token": "xoxb-1"}, "SLACK_APP_TOKEN must start with 'xapp-'"),
        ({"numbot_approvers": "bob"}, "NUMBOT_APPROVERS: not Slack user or user-group ids: bob"),
        ({"numbot_http_port": 70000}, "NUMBOT_HTTP_PORT"),
        ({"numbot_approval_ttl_hours": 0}, "NUMBOT_APPROVAL_TTL_HOURS"),
        ({"numbot_digest_schedule": "0 9 * *"}, "NUMBOT_DIGEST_SCHEDULE: '0 9 \\* \\*' is not a crontab"),
        ({"numbot_digest_schedule": "0 9 * * moon"}, "NUMBOT_DIGEST_SCHEDULE: .*moon"),
        (
            {"numbot_timezone": "Europe/Atlantis"},
            "NUMBOT_TIMEZONE: 'Europe/Atlantis' is not an IANA time zone",
        ),
    ],
)
def test_bad_settings_fail_with_one_clear_message(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _load(**values)


def test_the_digest_follows_its_schedule_in_the_team_zone() -> None:
    settings = _load(numbot_digest_schedule="30 8 * * fri", numbot_timezone="America/New_York")
    schedule = settings.digest_schedule
    assert schedule is not None

    after = datetime(2026, 7, 1, tzinfo=UTC)  # a Wednesday, New York on summer time (UTC-4)
    assert schedule.get_next_fire_time(None, after) == datetime(2026, 7, 3, 12, 30, tzinfo=UTC)


def test_the_digest_is_weekly_by_default_and_can_be_turned_off() -> None:
    assert _load().numbot_digest_schedule == "0 9 * * mon"
    assert _load().timezone == ZoneInfo("UTC")
    assert _load(numbot_digest_schedule="off").digest_schedule is None


@pytest.mark.parametrize(
    ("variable", "value"), [("NUMBOT_DIGEST_SCHEDULE", "every monday"), ("NUMBOT_TIMEZONE", "CEST")]
)
def test_a_bad_digest_setting_stops_numbot_at_start(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    monkeypatch.setenv(variable, value)

    assert main(["serve"]) == 2
    assert f"{variable}: {value!r} is not" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "SLACK_BOT_TOKEN is required"),
        ({"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET is required in HTTP mode"),
        ({"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-1"}, "NUMBOT_APPROVERS is required"),
        (
            {"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-1", "numbot_approvers": "U0AAA"},
            "NUMBOT_APPROVALS_CHANNEL is required",
        ),
    ],
)
def test_serving_a_workspace_needs_more(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _load(**values).check_ready_to_serve()


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("NUMBOT_APPROVALS_CHANNEL=C0FROMENV\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings().numbot_approvals_channel == "C0FROMENV"
