"""numbot's side of benchmark 5, in its own process so its peak RSS is its own: `/numbers list US LOCAL`.

Walks every page with the typed client and builds the summary message exactly as the command does, then
prints one JSON line. Usage: `python -m bench.inventory_numbot SANDBOX_URL PROJECT_ID`.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from slack_sdk import WebClient

from bot.approvals.directory import ApproverDirectory
from bot.config import Settings
from bot.notify import Notifier
from bot.services import Services, utc_now
from bot.sinch import OAuth2ClientCredentials, SinchClient
from commands.active.listing import fetch_first_page, first_page_message, parse_list_query
from commands.after_approval import AFTER_APPROVAL
from storage.db import Store

KEY_ID, KEY_SECRET = "bench-key", "bench-secret"


def peak_rss_mb() -> float:
    """This process's own high-water RSS; not ru_maxrss, which Linux carries over from the parent on exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def offline_services(settings: Settings, store: Store, sinch: SinchClient) -> Services:
    """numbot's services for a measuring process that talks to Sinch only (Slack is never called)."""
    slack = WebClient()
    return Services(
        settings,
        store,
        sinch,
        Notifier(store, slack, utc_now),
        ApproverDirectory(slack, [], []),
        AFTER_APPROVAL,
    )


def main(sandbox_url: str, project_id: str) -> None:
    with tempfile.TemporaryDirectory(prefix="numbot-inventory-") as directory:
        settings = Settings(_env_file=None, numbot_database=Path(directory) / "numbot.db")
        store = Store(settings.numbot_database)
        auth = OAuth2ClientCredentials(KEY_ID, KEY_SECRET, token_url=f"{sandbox_url}/oauth2/token")
        with SinchClient(project_id, auth, numbers_url=sandbox_url) as sinch:
            services = offline_services(settings, store, sinch)
            rss_before = peak_rss_mb()
            started = time.perf_counter()
            query = parse_list_query(["US", "LOCAL"])
            shown, counted = fetch_first_page(services, query)
            text, _blocks = first_page_message(query, shown, counted, sandbox=True)
            seconds = time.perf_counter() - started
        store.close_all()
    print(
        json.dumps(
            {
                "numbers": counted.total,
                "seconds": seconds,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak_rss_mb(),
                "summary": text,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
