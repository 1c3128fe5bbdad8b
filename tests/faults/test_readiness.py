"""`/healthz` says the process answers; `/readyz` says whether it can work: the database takes writes,
Sinch answers, Slack accepts the token. An orchestrator restarts on the first and routes on the second.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from sandbox.slack import LocalSlack
from tests.console.test_cli import clean_env
from tests.harness import (
    APPROVALS,
    APPROVER,
    BOT_TOKEN,
    PROJECT_ID,
    SIGNING_SECRET,
    local_slack,
    running_world,
)


def get(url: str) -> tuple[int, dict[str, Any]]:
    response = httpx.get(url, timeout=10)
    return response.status_code, response.json()


def failing(body: dict[str, Any]) -> list[str]:
    return sorted(name for name, check in body["checks"].items() if not check["ok"])


def test_ready_when_the_database_sinch_and_slack_all_work(tmp_path: Path) -> None:
    with running_world(tmp_path) as world:
        status, body = get(f"{world.runtime.url}/readyz")

        assert status == 200
        assert body["ok"] is True
        assert sorted(body["checks"]) == ["database", "sinch", "slack"]
        assert failing(body) == []
        assert get(f"{world.runtime.url}/healthz")[0] == 200


def test_not_ready_while_sinch_is_down_yet_still_live(tmp_path: Path) -> None:
    with running_world(tmp_path) as world:
        world.sinch.stop()

        status, body = get(f"{world.runtime.url}/readyz")

        assert status == 503
        assert failing(body) == ["sinch"]
        assert "Could not reach the Sinch" in body["checks"]["sinch"]["detail"]
        assert get(f"{world.runtime.url}/healthz") == (
            200,
            {"ok": True, "sandbox": False, "socket_mode": False},
        )


def test_a_flood_of_probes_reaches_sinch_once(tmp_path: Path) -> None:
    with running_world(tmp_path) as world:
        before = len(world.sinch.requests)

        for _ in range(20):
            assert get(f"{world.runtime.url}/readyz")[0] == 200

        reads = [record.path for record in world.sinch.requests.snapshot()[before:]]
        assert reads.count(f"/v1/projects/{PROJECT_ID}/callbackConfiguration") == 1


@contextmanager
def bot_process(slack: LocalSlack, database: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A real numbot process (embedded Sinch sandbox) that the test can starve of disk."""
    env = clean_env(database.parent) | {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "NUMBOT_APPROVERS": APPROVER.id,
        "NUMBOT_APPROVALS_CHANNEL": APPROVALS.id,
        "NUMBOT_HTTP_HOST": "127.0.0.1",
        "NUMBOT_HTTP_PORT": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.bot_process"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip()
    finally:
        process.kill()
        process.wait(timeout=10)


def test_not_ready_once_the_disk_takes_no_more_writes_yet_still_live(tmp_path: Path) -> None:
    slack = local_slack().start()
    try:
        with bot_process(slack, tmp_path / "numbot.db") as (process, url):
            assert get(f"{url}/readyz")[0] == 200
            # What a full disk does to every write, and what root cannot bypass: the kernel refuses to
            # grow any file of this process (EFBIG; Python ignores the SIGXFSZ that comes with it).
            resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))

            status, body = get(f"{url}/readyz")

            assert status == 503
            assert failing(body) == ["database"]
            assert (
                f"cannot write NUMBOT_DATABASE={tmp_path / 'numbot.db'}"
                in body["checks"]["database"]["detail"]
            )
            assert get(f"{url}/healthz")[0] == 200
    finally:
        slack.stop()
