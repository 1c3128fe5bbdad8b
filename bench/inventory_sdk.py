"""The official `sinch` SDK's side of benchmark 5: page through the same active numbers and count them.

Runs under the bench-only environment (.venv-bench, see bench/sdk_env.py), never under numbot's .venv, and
imports nothing from numbot. Usage: `python bench/inventory_sdk.py SANDBOX_URL PROJECT_ID`.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter

from sinch import SinchClient  # type: ignore[import-not-found,unused-ignore]

KEY_ID, KEY_SECRET = "bench-key", "bench-secret"


def peak_rss_mb() -> float:
    """As bench/inventory_numbot.py measures it (this script may import nothing from numbot)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sandbox_url: str, project_id: str) -> None:
    client = SinchClient(key_id=KEY_ID, key_secret=KEY_SECRET, project_id=project_id)
    # The SDK has no base-URL option for Numbers; its configuration object holds the origins it calls.
    client.configuration.numbers_origin = sandbox_url
    client.configuration.auth_origin = sandbox_url
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    capabilities: Counter[str] = Counter()
    total = 0
    for number in client.numbers.list(region_code="US", number_type="LOCAL").iterator():
        total += 1
        capabilities.update(number.capabilities or [])
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "numbers": total,
                "seconds": seconds,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak_rss_mb(),
                "summary": f"{total} numbers; by capability {dict(capabilities)}",
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
