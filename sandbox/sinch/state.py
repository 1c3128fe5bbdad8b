"""The live in-memory state of one sandbox: stock, projects, their numbers and callback secrets.

One re-entrant lock guards everything; handlers hold it for a whole operation so every request sees and
leaves a consistent state. The public read methods return the same JSON views the API returns, so tests
can inspect state without depending on the internal records.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sandbox.sinch import views
from sandbox.sinch.config import DEFAULT_PROJECT_ID
from sandbox.sinch.inventory import Inventory
from sandbox.sinch.models import ActiveNumber, AvailableNumber, ImportedNumber, NumberType, SmsLink, VoiceLink
from sandbox.sinch.team import INVENTORY_MAX, SeededInventory, TeamInventory, imported_count, shares


@dataclass
class ProjectState:
    project_id: str
    numbers_hmac_secret: str | None
    imported_hmac_secret: str | None
    active: dict[str, ActiveNumber] = field(default_factory=dict)
    imported: dict[str, ImportedNumber] = field(default_factory=dict)


def next_charge_date(start: datetime) -> datetime:
    # Monthly billing; a fixed 30 days keeps the date valid whatever the day of the month.
    return start + timedelta(days=30)


class SandboxState:
    def __init__(self, seed: int, hmac_secret: str | None = None) -> None:
        self.lock = threading.RLock()
        self._seed = seed
        self.inventory = Inventory(seed)
        self._hmac_secret = hmac_secret
        self._projects: dict[str, ProjectState] = {}
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        """A fresh id for jobs and ordering; increasing, so it also orders by creation."""
        with self.lock:
            return next(self._ids)

    def project(self, project_id: str) -> ProjectState:
        with self.lock:
            if project_id not in self._projects:
                self._projects[project_id] = ProjectState(project_id, self._hmac_secret, self._hmac_secret)
            return self._projects[project_id]

    def projects(self) -> list[ProjectState]:
        with self.lock:
            return list(self._projects.values())

    def activate(self, project_id: str, offer: AvailableNumber, now: datetime) -> ActiveNumber:
        with self.lock:
            self.inventory.take(offer.phone_number)
            number = ActiveNumber(offer.phone_number, project_id, offer, next_charge_date(now))
            self.project(project_id).active[offer.phone_number] = number
            return number

    def seed_active_numbers(
        self,
        count: int,
        region: str = "US",
        type: str = "LOCAL",  # named like the API's query parameter
        *,
        project_id: str = DEFAULT_PROJECT_ID,
        display_name_prefix: str = "",
        service_plan_id: str = "",
        campaign_id: str = "",
        app_id: str = "",
    ) -> list[str]:
        """Make `count` numbers active at once, already provisioned, without touching the searchable stock.

        Returns their phone numbers. Display names are `{prefix}{i}` (1-based) when a prefix is given.
        """
        now = views.utc_now()
        with self.lock:
            offers = self.inventory.draw_extra(region, NumberType(type), count)
            project = self.project(project_id)
            for index, offer in enumerate(offers, start=1):
                project.active[offer.phone_number] = ActiveNumber(
                    offer.phone_number,
                    project_id,
                    offer,
                    next_charge_date(now),
                    display_name=f"{display_name_prefix}{index}" if display_name_prefix else "",
                    sms=SmsLink(service_plan_id, campaign_id),
                    voice=VoiceLink(target=app_id, last_updated=now if app_id else None),
                )
            return [offer.phone_number for offer in offers]

    def seed_inventory(self, count: int, *, project_id: str = DEFAULT_PROJECT_ID) -> SeededInventory:
        """Make `count` active numbers spread like a real team's, plus a handful of imported numbers.

        See `sandbox/sinch/team.py` for the mix. Deterministic from the sandbox's seed; the searchable stock
        is untouched. ValueError when `count` is not between 0 and INVENTORY_MAX.
        """
        if not 0 <= count <= INVENTORY_MAX:
            raise ValueError(f"an inventory holds 0 to {INVENTORY_MAX:,} numbers, not {count:,}")
        with self.lock:
            team = TeamInventory(self._seed, project_id, views.utc_now(), self.next_id)
            project = self.project(project_id)
            active = [
                team.active(offer)
                for region, number_type, share in shares(count)
                for offer in self.inventory.draw_extra(region, number_type, share)
            ]
            project.active.update((number.phone_number, number) for number in active)
            imported = team.imported(imported_count(count), self.imported_anywhere)
            project.imported.update((number.phone_number, number) for number in imported)
            return SeededInventory(
                active=[number.phone_number for number in active],
                imported=[number.phone_number for number in imported],
            )

    def imported_anywhere(self, phone_number: str) -> bool:
        with self.lock:
            return any(phone_number in project.imported for project in self._projects.values())

    # Read-only views for tests and tools.

    def active_number(self, phone_number: str, project_id: str = DEFAULT_PROJECT_ID) -> dict[str, Any] | None:
        with self.lock:
            number = self.project(project_id).active.get(phone_number)
            return views.active_number(number) if number else None

    def active_phone_numbers(self, project_id: str = DEFAULT_PROJECT_ID) -> list[str]:
        with self.lock:
            return sorted(self.project(project_id).active)

    def imported_number(
        self, phone_number: str, project_id: str = DEFAULT_PROJECT_ID
    ) -> dict[str, Any] | None:
        with self.lock:
            number = self.project(project_id).imported.get(phone_number)
            return views.imported_number(number) if number else None

    def emergency_address(
        self, phone_number: str, project_id: str = DEFAULT_PROJECT_ID
    ) -> dict[str, str] | None:
        with self.lock:
            number = self.project(project_id).active.get(phone_number)
            return dict(number.emergency_address) if number and number.emergency_address else None

    def is_available(self, phone_number: str) -> bool:
        return self.inventory.is_available(phone_number)
