"""A numbot process for tests that must kill one: `python -m tests.faults.bot_process`.

Settings come from the environment (the test passes them); the process prints its base URL on one line once
it serves, then runs until it is killed, or stops cleanly on SIGTERM (finishing the Slack call in flight).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from bot.config import Settings
from bot.runtime import Runtime

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    runtime = Runtime(Settings(_env_file=None)).start()
    sys.stdout.write(runtime.url + "\n")
    sys.stdout.flush()
    stopped.wait()
    runtime.stop()


def start_bot_process(
    env: dict[str, str], stderr: IO[bytes] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """This module as a subprocess with `env` added to ours; returns it and its base URL once it serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.bot_process"],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://"), f"the bot process did not start (exit code {process.poll()})"
    return process, url


if __name__ == "__main__":
    main()
