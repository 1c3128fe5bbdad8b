"""`numbot doctor`: is the configuration complete and working, and what is numbot still working on?

It lists every problem in one run: missing settings, a Slack token Slack refuses (`auth.test`), Sinch
credentials Sinch refuses, a database that cannot be written. It shares those checks with `/readyz`, and
its only write is the database check's heartbeat row. Exit status 0 when nothing blocks serving, 1 when
something does, so it fits a deploy check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.readiness import (
    DATABASE,
    PROBE_SINCH,
    SINCH,
    SLACK,
    SLACK_APP,
    Probe,
    database_check,
    database_unavailable,
    sinch_check,
    slack_token_checks,
)
from bot.runtime import sinch_client
from bot.scheduler import LEASE_NAME
from bot.services import utc_now
from bot.watching.callbacks import accepted_secrets, callback_url
from storage import events, leases, outbox, requests, watches
from storage.db import Store, StoreUnavailableError, path_problem
from storage.request_types import RequestState

Print = Callable[[str], None]


@dataclass(frozen=True)
class Check:
    ok: bool
    label: str
    detail: str
    blocking: bool = True

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.blocking else "warn")
        return f"[{mark}] {self.label}: {self.detail}"

    @classmethod
    def of(cls, probe: Probe) -> Check:
        return cls(probe.ok, PROBE_LABELS[probe.name], probe.detail)


PROBE_LABELS = {
    DATABASE: "Database",
    SINCH: "Sinch access",
    SLACK: "Slack token",
    SLACK_APP: "Slack app token",
}


def doctor(settings: Settings, *, out: Print = print, now: datetime | None = None) -> int:
    moment = now or utc_now()
    with _opened(settings.numbot_database) as opened:
        checks = [*config_checks(settings), *service_checks(settings)]
        if isinstance(opened, Store):
            checks.append(Check.of(database_check(opened, moment)))
            checks.append(callback_secret_check(opened, settings, moment))
            work = pending_work(opened, moment)
        else:
            checks.append(opened)
            work = ["none recorded: no database to read"]
    out("Configuration")
    for check in checks:
        out("  " + check.line())
    out("Pending work")
    for line in work:
        out("  " + line)
    return 1 if any(not check.ok and check.blocking for check in checks) else 0


@contextmanager
def _opened(path: Path) -> Iterator[Store | Check]:
    """The database if it exists and opens; otherwise the check saying why there is none."""
    if not path.exists():
        problem = path_problem(path)
        yield (
            Check(False, "Database", database_unavailable(StoreUnavailableError(path, problem)))
            if problem
            else Check(True, "Database", f"{path} does not exist yet (created on first start)")
        )
        return
    try:
        store = Store(path)
    except StoreUnavailableError as error:
        yield Check(False, "Database", database_unavailable(error))
        return
    try:
        yield store
    finally:
        store.close_all()


def config_checks(settings: Settings) -> list[Check]:
    """Pure: one line per thing `numbot serve` needs, each naming the variable to set."""
    problems = settings.serve_problems()
    ready = [Check(False, "Slack", problem) for problem in problems] or [
        Check(True, "Slack", "Socket Mode" if settings.socket_mode else "HTTP mode (signed requests)")
    ]
    sinch = (
        Check(True, "Sinch", "SANDBOX: simulated, no real numbers or money", blocking=False)
        if settings.uses_sinch_sandbox
        else Check(True, "Sinch", f"project {settings.sinch_project_id} ({settings.sinch_auth_mode} auth)")
    )
    url = callback_url(settings)
    return [
        *ready,
        sinch,
        Check(
            settings.numbot_notifications_channel is not None,
            "Notifications channel",
            settings.numbot_notifications_channel
            or "NUMBOT_NOTIFICATIONS_CHANNEL unset: outcomes only reach request threads",
            blocking=False,
        ),
        Check(
            url is not None,
            "Sinch callbacks",
            url or "NUMBOT_PUBLIC_URL unset: no callbacks, numbot polls Sinch for provisioning",
            blocking=False,
        ),
    ]


def service_checks(settings: Settings) -> list[Check]:
    """Ask Slack whether it accepts the token, and the configured Sinch whether it accepts the keys."""
    checks = [Check.of(check()) for check in slack_token_checks(settings)]
    if not settings.uses_sinch_sandbox:
        with sinch_client(settings, **PROBE_SINCH) as sinch:
            checks.append(Check.of(sinch_check(sinch)))
    return checks


def callback_secret_check(store: Store, settings: Settings, now: datetime) -> Check:
    stored = events.callback_secret(store)
    if stored is not None:
        return Check(True, "Callback secret", f"rotated from Slack at {_when(stored.rotated_at)}")
    if accepted_secrets(store, settings, now):
        return Check(True, "Callback secret", "SINCH_CALLBACK_SECRET")
    return Check(
        callback_url(settings) is None,
        "Callback secret",
        "none, so every callback is refused: set SINCH_CALLBACK_SECRET or run "
        "`/numbers callbacks rotate-secret`",
        blocking=False,
    )


def pending_work(store: Store, now: datetime) -> list[str]:
    """What is waiting, how much and since when: growing numbers here mean a job is not running."""
    lines = []
    for state in (RequestState.PENDING, RequestState.EXECUTING):
        found = requests.find_requests(store, states={state}, limit=1000)
        oldest = min((request.updated_at for request in found), default=None)
        lines.append(f"requests {state.value}: {len(found)}{_since(oldest, now)}")
    pending_watches = watches.pending(store)
    oldest_watch = min((watch.since for watch in pending_watches), default=None)
    lines.append(f"numbers provisioning: {len(pending_watches)}{_since(oldest_watch, now)}")
    lines.extend(
        f"  {watch.phone_number} ({watch.parts}) since {_when(watch.since)}" for watch in pending_watches[:10]
    )
    backlog = events.backlog(store)
    lines.append(f"callbacks not yet processed: {backlog.count}{_since(backlog.oldest_received_at, now)}")
    waiting = outbox.oldest_pending(store, now)
    per_channel = ", ".join(f"{channel}: {count}" for channel, count in outbox.pending_counts(store).items())
    lines.append(
        f"Slack messages not yet delivered: {per_channel or 0}"
        + (f", oldest waiting {_duration(waiting)}" if waiting is not None else "")
    )
    holder = leases.holder(store, LEASE_NAME, now)
    lines.append(f"scheduler: {'running in ' + holder if holder else 'no process holds the lease'}")
    return lines


def _since(oldest: datetime | None, now: datetime) -> str:
    return "" if oldest is None else f" (oldest since {_when(oldest)}, {_duration(now - oldest)} ago)"


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"
