"""The E911 coverage sweep: the emergency address of every voice-capable US/CA number, checked in the
background within a budget of Sinch requests per minute, results kept in the inventory snapshot.

Sinch's rate limits are per project, so every request the sweep sends is one the team's own commands cannot.
Hence:
- the budget is counted from the database (`e911_checks_since`), never in memory, so a restart or a second
  bot process on the same database sees what was already spent;
- each run (every `SWEEP_EVERY_SECONDS`) sends at most its share of the minute's budget, spreading the
  requests over the minute instead of sending them in one burst;
- a lease lets one run at a time count and spend, across processes: two runs counting the same unspent
  budget at once would each spend it;
- a 429, 5xx or network failure ends the run (recorded as ERROR) and holds the lease for the pause Sinch
  asked for (at least `BACK_OFF`), so no process sweeps on while Sinch is already struggling.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import Services
from bot.sinch import InvalidArgument, NotFound, RateLimited, SinchClient, SinchError
from storage import inventory, leases
from storage.db import Store
from storage.inventory import E911Status, InventoryRow, RowFilter, Source

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 5.0
WINDOW = timedelta(minutes=1)
# A run's share is measured over slightly less than the interval between runs: the previous run's checks
# have left it by the next tick, those of a second process that ran just now have not.
PACE_WINDOW = timedelta(seconds=SWEEP_EVERY_SECONDS - 1)
# Addresses change through numbot (recorded at once) or, rarely, Sinch's dashboard: an hour is soon enough to
# notice the second, and a small inventory is not re-read all day long just because the budget would allow it
# (100 numbers every 10 minutes would be 14,400 reads a day; hourly, 2,400).
RECHECK_AFTER = timedelta(hours=1)
BACK_OFF = timedelta(minutes=1)
LEASE_NAME = "e911-sweep"
# Renewed before each request: longer than any one request takes (none is retried), and a process that died
# mid-run frees it after this.
RUN_LEASE = timedelta(minutes=1)


@dataclass(frozen=True)
class SweepRun:
    checked: int = 0
    stopped: str = ""  # why the run ended before its share: Sinch's error; "" when it did not
    pause: timedelta | None = None  # how long the sweep then waits before its next run


def share_per_run(budget: int) -> int:
    """Checks one run may send: the minute's budget spread over the runs of a minute, rounded up."""
    return math.ceil(budget * SWEEP_EVERY_SECONDS / WINDOW.total_seconds())


def allowance(budget: int, spent_in_window: int, spent_in_pace: int) -> int:
    """Checks this run may send: never past the minute's budget, nor past one run's share."""
    return max(0, min(budget - spent_in_window, share_per_run(budget) - spent_in_pace))


def sweep(services: Services) -> SweepRun:
    """The scheduler job: check the addresses due (never checked first, then the oldest check)."""
    budget = services.settings.numbot_e911_sweep_per_minute
    store, now = services.store, services.clock()
    owner = secrets.token_hex(8)
    if budget == 0 or not _hold(services, owner):
        return SweepRun()
    backing_off = False
    try:
        run = _check_due(services, owner, _allowed(store, budget, now), now)
        if run.pause is not None:
            # Held on, not released: every process honours the lease, so none sweeps during the pause.
            backing_off = leases.acquire(
                store, LEASE_NAME, owner, run.pause.total_seconds(), services.clock()
            )
            log.warning("E911 sweep pauses for %s after %d checks: %s", run.pause, run.checked, run.stopped)
        return run
    finally:
        if not backing_off:
            leases.release(store, LEASE_NAME, owner)


def _allowed(store: Store, budget: int, now: datetime) -> int:
    return allowance(
        budget,
        inventory.e911_checks_since(store, now - WINDOW),
        inventory.e911_checks_since(store, now - PACE_WINDOW),
    )


def _check_due(services: Services, owner: str, allowed: int, now: datetime) -> SweepRun:
    if allowed == 0:
        return SweepRun()
    store = services.store
    checked = 0
    for phone_number in inventory.e911_due(store, allowed, checked_before=now - RECHECK_AFTER):
        if not _hold(services, owner):
            break  # Sinch answered so slowly that the lease ran out and another run took over
        status, failure = check(services.sinch, phone_number)
        inventory.record_e911(store, phone_number, status, services.clock())
        checked += 1
        if failure is not None:
            return SweepRun(checked, str(failure), _pause(failure))
    return SweepRun(checked)


def _hold(services: Services, owner: str) -> bool:
    """Take or renew the sweep's lease for one more request."""
    return leases.acquire(services.store, LEASE_NAME, owner, RUN_LEASE.total_seconds(), services.clock())


def check(sinch: SinchClient, phone_number: str) -> tuple[E911Status, SinchError | None]:
    """One request: the number's E911 status, and the error that should stop the sweep, if any."""
    try:
        sinch.emergency_get(phone_number, retry=False)
    except NotFound:
        # The spec's 404 for a number without an address. A number released since the snapshot was read
        # answers 404 too; the next refresh drops it from the snapshot.
        return E911Status.MISSING, None
    except InvalidArgument:
        # Sinch says the number cannot hold an address although the snapshot lists it as voice: only this
        # number is affected, and the refresh will correct its capabilities.
        return E911Status.ERROR, None
    except SinchError as error:
        # A 429, 5xx, network or credential failure: the next numbers would fail alike.
        return E911Status.ERROR, error
    return E911Status.PRESENT, None


def _pause(failure: SinchError) -> timedelta:
    """How long the sweep waits after a failure: what Sinch asked for, and at least `BACK_OFF`."""
    retry_after = failure.retry_after if isinstance(failure, RateLimited) else None
    return max(timedelta(seconds=retry_after or 0.0), BACK_OFF)


def record_own_change(services: Services, phone_number: str, *, present: bool) -> None:
    """numbot itself just set or removed the number's address: the snapshot says so now, not at the next
    sweep."""
    status = E911Status.PRESENT if present else E911Status.MISSING
    inventory.record_e911(services.store, phone_number, status, services.clock(), asked_sinch=False)


# What `/numbers e911 coverage` shows


@dataclass(frozen=True)
class Coverage:
    refreshed_at: datetime | None  # None: the snapshot was never read from Sinch
    missing: list[InventoryRow]  # the first numbers without an address, by phone number
    missing_total: int
    unchecked: int  # not checked yet, or the last check failed
    per_minute: int  # the sweep's budget; 0 when it is off

    def covered_by(self, now: datetime) -> datetime | None:
        """When the sweep will have checked the unchecked numbers at its budget (None: never, or done)."""
        if self.per_minute == 0 or self.unchecked == 0:
            return None
        return now + timedelta(minutes=math.ceil(self.unchecked / self.per_minute))


def coverage(services: Services, *, shown: int) -> Coverage:
    store = services.store
    refreshed = inventory.refreshed_at(store, Source.ACTIVE)
    attention = inventory.attention(store)
    return Coverage(
        refreshed_at=refreshed,
        missing=list(inventory.rows(store, Source.ACTIVE, where=RowFilter.E911_MISSING, limit=shown)),
        missing_total=attention.e911_missing,
        unchecked=attention.e911_unchecked,
        per_minute=services.settings.numbot_e911_sweep_per_minute,
    )
