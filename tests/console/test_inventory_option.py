"""`--inventory N` on `numbot sandbox`, `numbot console` and `numbot serve --sandbox`: the Sinch sandbox
starts with a team's inventory; a bad N is refused with a clear message before anything starts."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from bot.cli import main
from sandbox.console.workspace import OPS, REQUESTER
from sandbox.sinch.team import imported_count, shares
from sandbox.slack import LocalSlack
from tests.console.test_cli import NUMBOT, clean_env, numbot
from tests.console.test_serve_sandbox import serve_sandbox, slack  # noqa: F401  (a fixture)


@pytest.mark.parametrize(
    ("command", "given", "problem"),
    [
        ("console", "-3", "-3 is out of range; give a whole number from 0 to 100000"),
        ("sandbox", "100001", "100001 is out of range; give a whole number from 0 to 100000"),
        ("serve", "lots", "'lots' is not a number of phone numbers; give a whole number from 0 to 100000"),
    ],
)
def test_a_bad_size_is_refused_with_what_is_wrong(
    command: str, given: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--inventory", given])

    assert exited.value.code == 2
    assert f"argument --inventory: {problem}" in capsys.readouterr().err


def test_an_inventory_for_a_real_sinch_project_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    for name, value in clean_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SINCH_PROJECT_ID", "real-project")
    monkeypatch.setenv("SINCH_KEY_ID", "real-key")
    monkeypatch.setenv("SINCH_KEY_SECRET", "real-secret")

    assert main(["console", "--inventory", "5", "--script", "-"]) == 2

    assert (
        "--inventory fills the Sinch sandbox, but Sinch credentials are configured" in capsys.readouterr().err
    )


def test_numbot_sandbox_serves_the_inventory(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(NUMBOT), "sandbox", "--port", "0", "--inventory", "30"],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        announced = process.stdout.readline()
        url = process.stdout.readline().removeprefix("sandbox listening on ").strip()
        listed = httpx.get(
            f"{url}/v1/projects/sandbox-project/activeNumbers", auth=("any", "key"), params={"pageSize": 100}
        ).json()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)

    assert announced == f"project sandbox-project holds 30 active and {imported_count(30)} imported numbers\n"
    assert listed["totalSize"] == 30
    assert {number["regionCode"] for number in listed["activeNumbers"]} >= {"US", "CA", "GB", "AU"}


def test_numbot_console_starts_with_the_inventory(tmp_path: Path) -> None:
    result = numbot(tmp_path, "console", "--inventory", "40", "--script", "-", stdin="/numbers list GB\n")

    assert result.returncode == 0, result.stdout + result.stderr
    in_gb = sum(count for region, _, count in shares(40) if region == "GB")
    assert f"Active numbers: GB\n  Total: {in_gb}\n" in result.stdout


def test_numbot_serve_sandbox_starts_with_the_inventory(
    slack: LocalSlack,  # noqa: F811
    tmp_path: Path,
) -> None:
    process, events_url = serve_sandbox(slack, tmp_path, "--inventory", "40")
    try:
        slack.deliver_http(events_url)
        slack.user(REQUESTER.id).slash("/numbers", "list", channel=OPS.id)
        answer = slack.wait_for(
            lambda s: next((m for m in s.ephemerals(REQUESTER.id) if m.text.startswith("Active")), None)
        )
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0

    assert answer.text == "Active numbers: 40 numbers"
