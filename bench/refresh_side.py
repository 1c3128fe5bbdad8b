"""One side of the snapshot-refresh benchmark, in its own process so its time and peak RSS are its own.

`python -m bench.refresh_side numbot|floor SANDBOX_URL PROJECT_ID` prints one JSON line. `numbot` refreshes
the inventory snapshot (typed client, models, SQLite); `floor` reads the same pages with bare httpx and json
and keeps nothing: the least any client could do.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.inventory_numbot import KEY_ID, KEY_SECRET, offline_services, peak_rss_mb
from bot.config import Settings
from bot.inventory import snapshot
from bot.sinch import OAuth2ClientCredentials, SinchClient
from sandbox.sinch.app import IMPORTED_PREFIX
from storage.db import Store


def numbot(sandbox_url: str, project_id: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory(prefix="numbot-refresh-") as directory:
        settings = Settings(_env_file=None, numbot_database=Path(directory) / "numbot.db")
        store = Store(settings.numbot_database)
        auth = OAuth2ClientCredentials(KEY_ID, KEY_SECRET, token_url=f"{sandbox_url}/oauth2/token")
        with SinchClient(
            project_id, auth, numbers_url=sandbox_url, imported_url=f"{sandbox_url}{IMPORTED_PREFIX}"
        ) as sinch:
            services = offline_services(settings, store, sinch)
            started = time.perf_counter()
            refreshed = snapshot.refresh(services)
            seconds = time.perf_counter() - started
        store.close_all()
    assert refreshed is not None
    return refreshed.active.total, seconds


def floor(sandbox_url: str, project_id: str) -> tuple[int, float]:
    started = time.perf_counter()
    with httpx.Client() as http:
        token = http.post(
            f"{sandbox_url}/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(KEY_ID, KEY_SECRET),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        numbers = 0
        lists: tuple[tuple[str, str, dict[str, str]], ...] = (
            (f"{sandbox_url}/v1/projects/{project_id}/activeNumbers", "activeNumbers", {}),
            (
                f"{sandbox_url}{IMPORTED_PREFIX}/v1/projects/{project_id}/importedNumbers",
                "importedNumbers",
                {"servicePlanId": "", "campaignId": ""},
            ),
        )
        for url, key, required in lists:
            params: dict[str, str | int] = {"pageSize": snapshot.PAGE_SIZE, **required}
            token_param = ""
            while True:
                page = json.loads(
                    http.get(
                        url,
                        params={**params, "pageToken": token_param} if token_param else params,
                        headers=headers,
                    ).content
                )
                if key == "activeNumbers":
                    numbers += len(page.get(key, []))
                token_param = page.get("nextPageToken", "")
                if not token_param:
                    break
    return numbers, time.perf_counter() - started


def main(side: str, sandbox_url: str, project_id: str) -> None:
    rss_before = peak_rss_mb()
    numbers, seconds = {"numbot": numbot, "floor": floor}[side](sandbox_url, project_id)
    print(
        json.dumps(
            {
                "numbers": numbers,
                "seconds": seconds,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
