"""`numbot console` as users start it: a script file, commands piped on stdin, and `numbot run`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NUMBOT = Path(sys.executable).parent / "numbot"


def clean_env(tmp_path: Path) -> dict[str, str]:
    """The caller's environment without any Slack, Sinch or numbot setting, and a database in tmp_path."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "SINCH_", "NUMBOT_"))
    }
    env["NUMBOT_DATABASE"] = str(tmp_path / "numbot.db")
    return env


def numbot(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # cwd=tmp_path: no developer .env is read.
    return subprocess.run(
        [str(NUMBOT), *args],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def in_order(transcript: str, steps: list[str]) -> list[int]:
    """Where each step first appears in the transcript; fails unless all appear, in this order."""
    positions = [transcript.find(step) for step in steps]
    assert -1 not in positions, [step for step, at in zip(steps, positions, strict=True) if at == -1]
    assert positions == sorted(positions), "the steps appear out of order"
    return positions


def test_the_demo_walks_search_order_approve_review_provisioning_and_release(tmp_path: Path) -> None:
    result = numbot(tmp_path, "console", "--script", str(REPO / "examples" / "demo.txt"))

    assert result.returncode == 0, result.stdout + result.stderr
    transcript = result.stdout
    steps = [
        "rita in #ops> /numbers search US LOCAL --sms --limit 1",
        "[1] [Request this number]",
        "modal “Order numbers” for rita",
        "is waiting for a second person in #approvals",
        "alex in #approvals> /click Approve",
        "is in Sinch's review; numbot reports every change here.",
        "is complete; these numbers are now active:",
        "SMS provisioning started; the result will appear in this thread.",
        "is ready: SMS provisioning finished.",
        "modal “Release number” for rita",
        "Reason: Demo over",
        "✓ seen: Released +1",
    ]
    in_order(transcript, steps)
    assert "\x1b[" not in transcript  # not a terminal: plain text
    assert (tmp_path / "numbot.db").exists()


def test_the_dashboard_demo_shows_a_teams_inventory_on_the_home_tab(tmp_path: Path) -> None:
    result = numbot(
        tmp_path, "console", "--inventory", "200", "--script", str(REPO / "examples" / "dashboard.txt")
    )

    assert result.returncode == 0, result.stdout + result.stderr
    transcript = result.stdout
    steps = [
        "rita in #ops> /home",
        "numbot's Home tab, as rita sees it",
        "[Refresh]",
        "numbot's Home tab, as rita sees it · updated",
        "✓ seen: active numbers",
        "Active numbers: GB",
        "✓ seen: not checked yet",
        "rita in #ops> /numbers report",
        "✓ seen: 200 rows",
        "alex in #ops> /home",
        "numbot's Home tab, as alex sees it",
        "✓ seen: Waiting for your approval",
        "ada in #ops> /numbers digest",
        "Weekly inventory digest",
        "✓ seen: [image: inventory-by-region.png]",
    ]
    positions = in_order(transcript, steps)
    refreshed = transcript[positions[3] : positions[4]]
    assert "200 active numbers" in refreshed


def test_the_order_demo_walks_a_gb_mobile_order_with_a_document_to_the_inventory(tmp_path: Path) -> None:
    # As documented: run from the repository's root, the script naming its PDF relative to it.
    examples = tmp_path / "examples"
    examples.mkdir()
    for name in ("order.txt", "proof-of-address.pdf"):
        shutil.copy(REPO / "examples" / name, examples / name)

    result = numbot(tmp_path, "console", "--script", "examples/order.txt")

    assert result.returncode == 0, result.stdout + result.stderr
    transcript = result.stdout
    steps = [
        "rita in #ops> /numbers search GB MOBILE --sms --limit 1",
        "[1] [Request this number]",
        "modal “Order numbers” for rita",
        "▸ Proof of address",
        "is waiting for a second person in #approvals",
        "Documents: proof-of-address.pdf (637 bytes)",
        "alex in #approvals> /click Approve",
        "is in Sinch's review; numbot reports every change here.",
        "is complete; these numbers are now active:",
        "rita in #ops> /numbers orders",
        "· GB MOBILE · +44",
        "COMPLETED · request R-",
        "rita in #ops> /numbers list",
        "By region: GB 1",
    ]
    in_order(transcript, steps)
    number = re.search(r"\$number = (\+44\d{10})", transcript)
    assert number is not None
    assert transcript.count(f"{number.group(1)} · GB MOBILE · SMS+VOICE") == 1  # the inventory's row


def test_numbot_run_without_slack_reads_commands_piped_on_stdin(tmp_path: Path) -> None:
    result = numbot(tmp_path, "run", stdin="/numbers help\n/expect numbot commands\n")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "rita in #ops> /numbers help" in result.stdout
    assert "✓ seen: numbot commands" in result.stdout


def test_an_unreadable_script_is_refused(tmp_path: Path) -> None:
    result = numbot(tmp_path, "console", "--script", str(tmp_path / "missing.txt"))

    assert result.returncode == 2
    assert "cannot read the script" in result.stderr
