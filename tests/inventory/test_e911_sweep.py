"""The E911 coverage sweep against the real Sinch sandbox and a real SQLite file, on a clock the test moves.

Each test sweeps its own Sinch project into its own database, so none sees another's numbers or budget.
Requests are counted where Sinch would count them: in the sandbox's request log.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.approvals.directory import ApproverDirectory
from bot.config import Settings
from bot.inventory import snapshot, sweep
from bot.notify import Notifier
from bot.scheduler import E911_SWEEP, JOBS
from bot.services import Services
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from sandbox.world import SPRINGFIELD
from storage import inventory
from storage.db import Store
from storage.inventory import E911Status, RowFilter, Source
from tests.sinch_client.builders import make_client

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_projects = itertools.count(1)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@dataclass
class Fleet:
    """One Sinch project's numbers, numbot's database for it, and the services that sweep them."""

    sandbox: RunningSandbox
    project: str
    services: Services
    clock: Clock

    def process(self) -> Services:
        """Another bot process on the same database: its own connection and Sinch client, no memory."""
        store = Store(self.services.store.path)
        sinch = make_client(self.sandbox, self.project)
        return replace(self.services, store=store, sinch=sinch)

    def checked(self) -> list[str]:
        """The numbers whose address numbot asked Sinch for so far, in order."""
        prefix = f"/v1/projects/{self.project}/activeNumbers/"
        return [
            record.path.removeprefix(prefix).removesuffix("/emergencyAddress")
            for record in self.sandbox.requests
            if record.method == "GET"
            and record.path.startswith(prefix)
            and record.path.endswith("/emergencyAddress")
        ]

    def seed_voice(self, count: int) -> list[str]:
        """`count` new voice-capable US numbers in the project, read into the snapshot."""
        found: list[str] = []
        while len(found) < count:
            for phone in self.sandbox.state.seed_active_numbers(count, project_id=self.project):
                number = self.sandbox.state.active_number(phone, self.project)
                if number is not None and "VOICE" in number["capability"] and len(found) < count:
                    found.append(phone)
        snapshot.refresh(self.services)
        return found

    def status(self, phone: str) -> E911Status:
        return next(
            row.e911
            for row in inventory.rows(self.services.store, Source.ACTIVE)
            if row.phone_number == phone
        )

    def run(self, services: Services | None = None) -> sweep.SweepRun:
        return sweep.sweep(services or self.services)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with start_sandbox(SandboxConfig(seed=13, provisioning_seconds=3600)) as running:
        yield running


@pytest.fixture
def fleet_of(sandbox: RunningSandbox, tmp_path: Path) -> Iterator[Fleet]:
    sandbox.faults.reset()
    clock = Clock()
    project = f"sweep-{next(_projects)}"
    database = tmp_path / "numbot.db"
    store = Store(database)
    slack = WebClient()  # never called: the sweep talks to Sinch and the database only
    with make_client(sandbox, project) as sinch:
        services = Services(
            Settings(_env_file=None, numbot_database=database, numbot_e911_sweep_per_minute=12),
            store,
            sinch,
            Notifier(store, slack, clock),
            ApproverDirectory(slack, [], []),
            {},
            clock=clock,
        )
        yield Fleet(sandbox, project, services, clock)
    store.close_all()


def with_budget(fleet: Fleet, per_minute: int) -> None:
    settings = fleet.services.settings.model_copy(update={"numbot_e911_sweep_per_minute": per_minute})
    fleet.services = replace(fleet.services, settings=settings)


def test_never_checked_numbers_go_first_then_the_oldest_check(fleet_of: Fleet) -> None:
    fleet = fleet_of  # 12 a minute: one check per run of the job
    numbers = fleet.seed_voice(5)
    for _ in numbers:
        assert fleet.run().checked == 1
        fleet.clock.advance(timedelta(seconds=sweep.SWEEP_EVERY_SECONDS))
    first_pass = fleet.checked()
    assert sorted(first_pass) == sorted(numbers)

    assert fleet.run().checked == 0, "a number checked minutes ago is not asked for again yet"

    newcomer = fleet.seed_voice(1)[0]
    fleet.clock.advance(sweep.RECHECK_AFTER)
    for _ in range(len(numbers) + 1):
        fleet.run()
        fleet.clock.advance(timedelta(seconds=sweep.SWEEP_EVERY_SECONDS))
    assert fleet.checked()[len(first_pass) :] == [newcomer, *first_pass]


def test_missing_and_present_addresses_land_in_the_snapshot(fleet_of: Fleet) -> None:
    fleet = fleet_of
    with_budget(fleet, 120)
    covered, *bare = fleet.seed_voice(4)
    fleet.services.sinch.emergency_provision(covered, "Acme HQ", SPRINGFIELD)
    store = fleet.services.store
    assert inventory.attention(store).e911_unchecked == 4

    assert fleet.run().checked == 4
    assert fleet.status(covered) == E911Status.PRESENT
    missing = [row.phone_number for row in inventory.rows(store, Source.ACTIVE, where=RowFilter.E911_MISSING)]
    assert missing == sorted(bare)
    assert inventory.attention(store).e911_unchecked == 0

    # Someone removes the address in Sinch's dashboard: the next round of checks notices.
    fleet.services.sinch.emergency_deprovision(covered)
    fleet.clock.advance(sweep.RECHECK_AFTER + timedelta(seconds=1))
    fleet.run()
    assert fleet.status(covered) == E911Status.MISSING
    assert inventory.attention(store).e911_missing == 4


def test_two_processes_together_never_spend_more_than_the_budget_in_any_minute(fleet_of: Fleet) -> None:
    fleet = fleet_of
    budget = 6
    with_budget(fleet, budget)
    fleet.seed_voice(20)
    processes = [fleet.process(), fleet.process()]
    sent_at: list[datetime] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(150):  # two and a half minutes, one tick a second, both processes on every tick
            before = len(fleet.checked())
            list(pool.map(sweep.sweep, processes))
            sent_at.extend([fleet.clock.now] * (len(fleet.checked()) - before))
            fleet.clock.advance(timedelta(seconds=1))

    def most_within(window: timedelta) -> int:
        return max(sum(start <= moment < start + window for moment in sent_at) for start in sent_at)

    assert most_within(timedelta(minutes=1)) <= budget
    assert most_within(timedelta(seconds=sweep.SWEEP_EVERY_SECONDS)) <= sweep.share_per_run(budget)
    assert len(sent_at) >= 2 * budget, "the sweep used its budget, minute after minute"


def test_a_restarted_process_counts_what_was_already_spent(fleet_of: Fleet) -> None:
    fleet = fleet_of
    with_budget(fleet, 12)
    fleet.seed_voice(4)
    assert fleet.run().checked == 1
    restarted = fleet.process()
    assert sweep.sweep(restarted).checked == 0, "this run's share went a moment ago, in the old process"
    fleet.clock.advance(timedelta(seconds=sweep.SWEEP_EVERY_SECONDS))
    assert sweep.sweep(restarted).checked == 1


@pytest.mark.parametrize(("status", "pause"), [(429, timedelta(seconds=90)), (500, sweep.BACK_OFF)])
def test_a_rate_limit_or_sinch_failure_records_an_error_and_stops_the_run(
    fleet_of: Fleet, status: int, pause: timedelta
) -> None:
    fleet = fleet_of
    with_budget(fleet, 60)  # five checks a run
    fleet.seed_voice(5)
    fleet.sandbox.faults.fail_next(1, status, retry_after=90 if status == 429 else None)

    run = fleet.run()
    assert (run.checked, run.pause) == (1, pause)
    [failed] = fleet.checked()
    assert fleet.status(failed) == E911Status.ERROR
    assert inventory.attention(fleet.services.store).e911_unchecked == 5

    fleet.clock.advance(pause - timedelta(seconds=1))
    assert fleet.run().checked == 0, "the sweep waits before asking Sinch again, in every process"
    assert sweep.sweep(fleet.process()).checked == 0
    fleet.clock.advance(timedelta(seconds=1))
    assert fleet.run().checked == 4, "the numbers never checked first"
    assert failed not in fleet.checked()[1:]
    fleet.clock.advance(sweep.RECHECK_AFTER)
    fleet.run()
    assert fleet.checked()[5] == failed, "then the failed check is tried again"
    assert fleet.status(failed) == E911Status.MISSING


def test_the_scheduler_runs_the_sweep_and_zero_turns_it_off(fleet_of: Fleet) -> None:
    fleet = fleet_of
    fleet.seed_voice(2)
    job = next(job for job in JOBS if job.name == E911_SWEEP)
    assert job.run(fleet.services) == sweep.SweepRun(checked=1)

    with_budget(fleet, 0)
    fleet.clock.advance(timedelta(minutes=1))
    assert job.run(fleet.services) == sweep.SweepRun()
    assert len(fleet.checked()) == 1


def test_the_budget_is_validated() -> None:
    for wrong in (-1, 601, "lots"):
        with pytest.raises(ValueError, match="numbot_e911_sweep_per_minute"):
            Settings(_env_file=None, numbot_e911_sweep_per_minute=wrong)
