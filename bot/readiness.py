"""Can this process do its work: the database takes writes, Sinch answers, Slack accepts the token.

One implementation, two presenters: `/readyz` answers an orchestrator in JSON, `numbot doctor` a person in
lines. Every failing check says in one line what is wrong and what to do about it.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.config import Settings
from bot.sinch import PermissionDenied, RetryPolicy, SinchClient, SinchError, Transport, Unauthorized
from storage import heartbeat
from storage.db import Store, StoreUnavailableError


class SinchOptions(TypedDict, total=False):
    timeout: float
    retry: RetryPolicy


# A probe must answer well within an orchestrator's own timeout: one short try, no retries.
PROBE_TIMEOUT_SECONDS = 3.0
PROBE_SINCH: SinchOptions = {"timeout": PROBE_TIMEOUT_SECONDS, "retry": RetryPolicy(attempts=1)}
# A flood of probes reaches Sinch and Slack at most once per this many seconds.
PROBE_CACHE_SECONDS = 5.0

DATABASE, SINCH, SLACK, SLACK_APP = "database", "sinch", "slack", "slack_app"

# Slack's answers to auth.test that mean the token itself is wrong, not Slack.
REFUSED_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    detail: str


Prober = Callable[[], Probe]


def database_unavailable(error: StoreUnavailableError) -> str:
    return (
        f"NUMBOT_DATABASE={error.path} cannot be used: {error.reason}; "
        "point NUMBOT_DATABASE at a file in a writable directory"
    )


def database_check(store: Store, now: datetime) -> Probe:
    """A committed write: a full disk or a read-only file fails it, as it would fail the bot's own writes."""
    try:
        heartbeat.beat(store, f"{socket.gethostname()}:{os.getpid()}", now)
    except sqlite3.Error as error:
        return Probe(
            DATABASE,
            False,
            f"cannot write NUMBOT_DATABASE={store.path}: {error}; free disk space or make the file writable",
        )
    return Probe(DATABASE, True, f"{store.path} takes writes")


def sinch_check(sinch: SinchClient) -> Probe:
    """A cheap authenticated read: the project's callback configuration."""
    try:
        sinch.callback_config()
    except (Unauthorized, PermissionDenied) as error:
        return Probe(
            SINCH,
            False,
            f"Sinch refused the credentials ({error.status}): "
            "check SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET",
        )
    except Transport as error:
        return Probe(SINCH, False, f"{error.message} Check the network and the SINCH_*_URL settings")
    except SinchError as error:
        return Probe(SINCH, False, f"Sinch answered {error.status}: {error.message}")
    return Probe(SINCH, True, "reachable, credentials accepted")


def slack_check(slack: WebClient) -> Probe:
    """`auth.test`: is the bot token valid, and is Slack reachable at all?"""
    where = "the app's Bot User OAuth Token (OAuth & Permissions page, xoxb-...)"
    return _ask_slack(slack, SLACK, "SLACK_BOT_TOKEN", where, slack.auth_test)


def slack_app_token_check(slack: WebClient, app_token: str) -> Probe:
    """Socket Mode's first call, `apps.connections.open`: is the app-level token valid?"""
    where = "an app-level token with connections:write (Basic Information page, xapp-...)"
    return _ask_slack(
        slack, SLACK_APP, "SLACK_APP_TOKEN", where, lambda: slack.apps_connections_open(app_token=app_token)
    )


def slack_token_checks(settings: Settings) -> list[Prober]:
    """What Slack says of the configured tokens: the bot token, and the app token in Socket Mode."""
    token = bot_token(settings)
    if token is None:
        return []
    slack = probe_slack_client(token, settings.slack_api_url)
    checks: list[Prober] = [lambda: slack_check(slack)]
    if settings.slack_app_token is not None:
        app_token = settings.slack_app_token.get_secret_value()
        checks.append(lambda: slack_app_token_check(slack, app_token))
    return checks


def bot_token(settings: Settings) -> str | None:
    return settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None


def _ask_slack(
    slack: WebClient, name: str, variable: str, where: str, call: Callable[[], SlackResponse]
) -> Probe:
    try:
        call()
    except SlackApiError as error:
        code = error.response.get("error")
        if code in REFUSED_TOKEN:
            return Probe(name, False, f"Slack refused {variable} ({code}): set it to {where}")
        return Probe(name, False, f"Slack answered {variable}'s check with {code}")
    except OSError as error:
        return Probe(
            name,
            False,
            f"cannot reach Slack at {slack.base_url} ({error}): check the network or SLACK_API_URL",
        )
    return Probe(name, True, f"{variable} accepted")


def probe_slack_client(token: str | None, base_url: str) -> WebClient:
    """One short try; the check's line reports a failure, which slack_sdk's error log would repeat."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=int(PROBE_TIMEOUT_SECONDS),
        retry_handlers=[],
        logger=_SLACK_PROBE_LOG,
    )


_SLACK_PROBE_LOG = logging.getLogger(f"{__name__}.slack")
_SLACK_PROBE_LOG.propagate = False
_SLACK_PROBE_LOG.addHandler(logging.NullHandler())


class Cached:
    """The last result of `check` for `seconds`; concurrent callers wait for one refresh, not one each."""

    def __init__(
        self, check: Prober, seconds: float = PROBE_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._check = check
        self._seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._last: tuple[float, Probe] | None = None

    def __call__(self) -> Probe:
        with self._lock:
            now = self._clock()
            if self._last is None or now - self._last[0] >= self._seconds:
                self._last = (now, self._check())
            return self._last[1]


def run_checks(checks: Sequence[Prober]) -> list[Probe]:
    return [check() for check in checks]
