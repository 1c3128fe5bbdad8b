"""A numbot process for tests that must kill one: `python -m tests.faults.bot_process`.

Settings come from the environment (the test passes them); the process prints its base URL on one line once
it serves, then runs until it is killed.
"""

from __future__ import annotations

import sys
import threading

from bot.config import Settings
from bot.runtime import Runtime


def main() -> None:
    runtime = Runtime(Settings(_env_file=None)).start()
    sys.stdout.write(runtime.url + "\n")
    sys.stdout.flush()
    threading.Event().wait()


if __name__ == "__main__":
    main()
