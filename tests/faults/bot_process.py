"""A numbot process for tests that must kill one: `python -m tests.faults.bot_process`.

Settings come from the environment (the test passes them); the process prints its base URL on one line once
it serves, then runs until it is killed, or stops cleanly on SIGTERM (finishing the Slack call in flight).
"""

from __future__ import annotations

import signal
import sys
import threading

from bot.config import Settings
from bot.runtime import Runtime


def main() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    runtime = Runtime(Settings(_env_file=None)).start()
    sys.stdout.write(runtime.url + "\n")
    sys.stdout.flush()
    stopped.wait()
    runtime.stop()


if __name__ == "__main__":
    main()
