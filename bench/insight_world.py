"""Benchmark 7's Home tab and CSV parts, in a process of its own so its peak RSS is no earlier benchmark's.

The whole world runs here (bot, sandbox Sinch holding the inventory, local Slack): its peak RSS bounds the
bot's from above. Usage: `python -m bench.insight_world NUMBERS`; prints one JSON line.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time

from bench.inventory_numbot import peak_rss_mb
from bench.world import bench_world
from bot.inventory import snapshot
from sandbox.slack import UploadedFile
from sandbox.slack.driver import SlackUserDriver
from sandbox.world import OPS, PROJECT_ID, World

HOME_OPENS = 40
WAIT_SECONDS = 30.0


def main(numbers: int) -> None:
    with bench_world() as world:
        world.sinch.state.seed_inventory(numbers, project_id=PROJECT_ID)
        snapshot.refresh(world.services)
        rss_before = peak_rss_mb()
        home = [_open_home(world, world.requester) for _ in range(HOME_OPENS)]
        report_seconds, upload = _report(world, world.requester)
        rows = sum(1 for _ in csv.reader(io.StringIO(upload.text()))) - 1  # the header is no number
    print(
        json.dumps(
            {
                "home_seconds": home,
                "report_seconds": report_seconds,
                "report_rows": rows,
                "report_bytes": upload.size,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def _open_home(world: World, user: SlackUserDriver) -> float:
    """From the app_home_opened event leaving the local Slack to the bot's views.publish arriving there."""
    seen = len(world.slack.calls)
    started = time.monotonic()
    user.open_home()
    published = world.wait_for(
        lambda slack: next(
            (
                call
                for call in slack.calls[seen:]
                if call.method == "views.publish" and call.args.get("user_id") == user.user_id
            ),
            None,
        ),
        timeout=WAIT_SECONDS,
    )
    return published.at - started


def _report(world: World, user: SlackUserDriver) -> tuple[float, UploadedFile]:
    """From typing `/numbers report` to the CSV landing in the local Slack, shared in the channel."""
    started = time.monotonic()
    user.slash("/numbers", "report", channel=OPS.id)
    upload = world.slack.wait_for_upload(lambda upload: upload.filetype == "csv", timeout=WAIT_SECONDS)
    return time.monotonic() - started, upload


if __name__ == "__main__":
    main(int(sys.argv[1]))
