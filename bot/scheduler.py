"""APScheduler jobs over numbot's own tables: a few interval jobs, never one job per number.

Several bot processes may share one database (a rolling deploy, a console beside a server); a lease row in
SQLite makes sure only one of them runs the jobs. Every job is idempotent, so a restart loses nothing: the
state it works from is in the database, not in the scheduler.
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot import approvals
from bot.inventory import snapshot
from bot.services import Services
from bot.watching import callbacks, orders, watcher
from storage import leases

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_SECONDS = 30.0


@dataclass(frozen=True)
class Job:
    name: str
    seconds: float
    run: Callable[[Services], object]


def _forget_expired_secret(services: Services) -> bool:
    return callbacks.forget_expired_secret(services.store, services.clock())


PROCESS_EVENTS = "process-events"
REFRESH_INVENTORY = "refresh-inventory"
FORGET_EXPIRED_SECRET = "forget-expired-secret"  # noqa: S105 - a job's name, not a secret

JOBS: tuple[Job, ...] = (
    Job("expire-requests", 15.0, approvals.expire_due),
    Job("deliver-outbox", 5.0, lambda services: services.notifier.kick()),
    # A callback wakes this one at once (`Scheduler.wake`); the interval covers other processes' receivers.
    Job(PROCESS_EVENTS, 2.0, watcher.process_events),
    Job("poll-provisioning", 5.0, watcher.poll_once),
    Job("poll-number-orders", 5.0, orders.poll_due),
    Job("remind-expiring-orders", 15.0, orders.remind_expiring),
    Job("reconcile-executing", 30.0, watcher.reconcile_executing),
    Job(FORGET_EXPIRED_SECRET, 60.0, _forget_expired_secret),
    # Often, so numbot's own changes show soon; it reads Sinch only when one was made or the interval passed.
    Job(REFRESH_INVENTORY, 10.0, snapshot.refresh_if_due),
)


class Scheduler:
    def __init__(self, services: Services, jobs: tuple[Job, ...] = JOBS) -> None:
        self._services = services
        self._jobs = jobs
        self.owner = f"{socket.gethostname()}:{secrets.token_hex(4)}"
        self._running: set[str] = set()
        self._scheduler = BackgroundScheduler(
            timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1}
        )

    def start(self) -> None:
        for job in self._jobs:
            self._scheduler.add_job(
                self._guarded(job), "interval", seconds=job.seconds, id=job.name, name=job.name
            )
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.shutdown(wait=True)
        leases.release(self._services.store, LEASE_NAME, self.owner)
        self._services.store.close()

    def wake(self, name: str) -> None:
        """Run a job now instead of at its next tick (still under the lease).

        A running job is left alone: the watcher's jobs loop until their table is drained, so they pick
        up what woke them, and APScheduler would only log a skipped run.
        """
        if self._scheduler.running and name not in self._running:
            self._scheduler.modify_job(name, next_run_time=datetime.now(UTC))

    def holds_lease(self) -> bool:
        return leases.acquire(
            self._services.store, LEASE_NAME, self.owner, LEASE_SECONDS, self._services.clock()
        )

    def run_now(self, name: str) -> object:
        """Run one job on the calling thread (doctor, tests), under the same lease rule."""
        job = next(job for job in self._jobs if job.name == name)
        return self._guarded(job)()

    def _guarded(self, job: Job) -> Callable[[], object]:
        def run() -> object:
            if not self.holds_lease():
                return None
            self._running.add(job.name)
            try:
                return job.run(self._services)
            except Exception:
                log.exception("scheduler job %s failed; it runs again on its next tick", job.name)
                return None
            finally:
                self._running.discard(job.name)

        return run
