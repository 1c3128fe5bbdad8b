"""What an operator sees when numbot cannot start: one line saying what is wrong and what to do, never a
traceback; and `numbot doctor` listing every problem in one run.

Tests run as root, who may write anywhere: an unusable database directory is a missing one, or a path
through a regular file ("Not a directory"), which no permission bit can be bypassed for.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.console.workspace import APPROVALS, APPROVER, local_workspace
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from sandbox.slack import LocalSlack
from tests.console.test_cli import NUMBOT, clean_env


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with local_workspace() as started:
        yield started


@pytest.fixture
def sinch() -> Iterator[RunningSandbox]:
    with start_sandbox(SandboxConfig(credentials=("right-key", "right-secret"))) as started:
        yield started


def slack_env(slack: LocalSlack, tmp_path: Path, **overrides: str) -> dict[str, str]:
    return (
        clean_env(tmp_path)
        | {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": slack.signing_secret,
            "SLACK_API_URL": slack.api_url,
            "NUMBOT_APPROVERS": APPROVER.id,
            "NUMBOT_APPROVALS_CHANNEL": APPROVALS.id,
            "NUMBOT_HTTP_HOST": "127.0.0.1",
            "NUMBOT_HTTP_PORT": "0",
        }
        | overrides
    )


def numbot(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # cwd=tmp_path: no developer .env is read. A serve that does start would run until the timeout.
    return subprocess.run(
        [str(NUMBOT), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def unusable_databases(tmp_path: Path) -> list[tuple[Path, str]]:
    (tmp_path / "a-file").write_text("not a directory")
    return [
        (tmp_path / "missing" / "numbot.db", f"directory {tmp_path / 'missing'} does not exist"),
        (tmp_path / "a-file" / "numbot.db", f"{tmp_path / 'a-file'} is not a directory"),
    ]


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]


@pytest.mark.parametrize("command", [["serve", "--sandbox"], ["console", "--script", "-"]])
def test_an_unusable_database_stops_serve_and_console_with_one_line_naming_it(
    slack: LocalSlack, tmp_path: Path, command: list[str]
) -> None:
    for database, why in unusable_databases(tmp_path):
        result = numbot(tmp_path, slack_env(slack, tmp_path, NUMBOT_DATABASE=str(database)), *command)

        assert_one_line(result, f"NUMBOT_DATABASE={database}", why)


def test_doctor_fails_an_unusable_database_naming_the_variable_and_why(
    slack: LocalSlack, tmp_path: Path
) -> None:
    for database, why in unusable_databases(tmp_path):
        result = numbot(tmp_path, slack_env(slack, tmp_path, NUMBOT_DATABASE=str(database)), "doctor")

        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert f"[FAIL] Database: NUMBOT_DATABASE={database} cannot be used: {why}" in result.stdout


def test_doctor_lists_a_refused_token_a_refused_sinch_key_and_an_unusable_database_in_one_run(
    slack: LocalSlack, sinch: RunningSandbox, tmp_path: Path
) -> None:
    env = slack_env(
        slack,
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-revoked-long-ago",
        SINCH_PROJECT_ID="project",
        SINCH_KEY_ID="right-key",
        SINCH_KEY_SECRET="wrong-secret",
        SINCH_AUTH_MODE="basic",
        SINCH_NUMBERS_URL=sinch.url,
        SINCH_IMPORTED_URL=sinch.imported_url,
        NUMBOT_DATABASE=str(tmp_path / "missing" / "numbot.db"),
    )
    del env["NUMBOT_APPROVALS_CHANNEL"]

    result = numbot(tmp_path, env, "doctor")

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    failures = [line.strip() for line in result.stdout.splitlines() if "[FAIL]" in line]
    assert failures == [
        "[FAIL] Slack: NUMBOT_APPROVALS_CHANNEL is required: approval cards need a channel",
        "[FAIL] Slack token: Slack refused SLACK_BOT_TOKEN (invalid_auth): set it to the app's Bot User "
        "OAuth Token (OAuth & Permissions page, xoxb-...)",
        "[FAIL] Sinch access: Sinch refused the credentials (401): check SINCH_PROJECT_ID, SINCH_KEY_ID "
        "and SINCH_KEY_SECRET",
        f"[FAIL] Database: NUMBOT_DATABASE={tmp_path / 'missing' / 'numbot.db'} cannot be used: directory "
        f"{tmp_path / 'missing'} does not exist; point NUMBOT_DATABASE at a file in a writable directory",
    ]


def test_doctor_passes_a_token_slack_accepts_and_keys_sinch_accepts(
    slack: LocalSlack, sinch: RunningSandbox, tmp_path: Path
) -> None:
    env = slack_env(
        slack,
        tmp_path,
        SINCH_PROJECT_ID="project",
        SINCH_KEY_ID="right-key",
        SINCH_KEY_SECRET="right-secret",
        SINCH_AUTH_MODE="basic",
        SINCH_NUMBERS_URL=sinch.url,
        SINCH_IMPORTED_URL=sinch.imported_url,
    )

    result = numbot(tmp_path, env, "doctor")

    assert result.returncode == 0, result.stdout
    assert "[ok  ] Slack token: SLACK_BOT_TOKEN accepted" in result.stdout
    assert "[ok  ] Sinch access: reachable, credentials accepted" in result.stdout


def test_serve_with_a_token_slack_refuses_says_so_in_one_line(slack: LocalSlack, tmp_path: Path) -> None:
    env = slack_env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-revoked-long-ago")

    result = numbot(tmp_path, env, "serve", "--sandbox")

    assert_one_line(result, "Slack refused SLACK_BOT_TOKEN (invalid_auth)", "Bot User OAuth Token")
    assert not (tmp_path / "numbot.db").exists()


def test_serve_in_socket_mode_with_an_app_token_slack_refuses_says_so_in_one_line(
    slack: LocalSlack, tmp_path: Path
) -> None:
    env = slack_env(slack, tmp_path, SLACK_APP_TOKEN="xapp-revoked-long-ago")

    result = numbot(tmp_path, env, "serve", "--sandbox")

    assert_one_line(result, "Slack refused SLACK_APP_TOKEN (invalid_auth)", "connections:write")


def test_serve_without_a_route_to_slack_says_so_in_one_line(slack: LocalSlack, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        unreachable = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"

    result = numbot(tmp_path, slack_env(slack, tmp_path, SLACK_API_URL=unreachable), "serve", "--sandbox")

    assert_one_line(result, f"cannot reach Slack at {unreachable}", "SLACK_API_URL")
