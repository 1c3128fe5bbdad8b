"""Refreshing the inventory snapshot from Sinch: every page of active numbers, then every imported number.

One refresh at a time per database (a lease): the scheduler's job and a Refresh click may ask together, and
two refreshes of one source would each count the other's numbers as added.
"""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from bot.services import Services
from bot.sinch import (
    ActiveNumber,
    EstVoice,
    FaxVoice,
    ImportedNumber,
    ProvisioningState,
    ProvisioningStatus,
    RtcVoice,
    SinchError,
)
from storage import inventory, leases
from storage.inventory import InventoryRow, SnapshotChange, Source

log = logging.getLogger(__name__)

# Sinch's largest page: 10,000 numbers are 10 list calls.
PAGE_SIZE = 1000
LEASE_NAME = "inventory-refresh"
# Longer than any refresh should take; a process that died mid-refresh frees it after this.
LEASE_SECONDS = 300.0


@dataclass(frozen=True)
class Refreshed:
    active: SnapshotChange
    imported: SnapshotChange


def refresh(services: Services) -> Refreshed | None:
    """Read the whole inventory from Sinch into the snapshot; None when another refresh is running.

    Sinch errors propagate (the snapshot keeps its last good state, and the stale mark stays).
    """
    started = services.clock()
    # An owner per refresh, not per process: the job and a click in one process must not share the lease.
    owner = f"{socket.gethostname()}:{secrets.token_hex(4)}"
    if not leases.acquire(services.store, LEASE_NAME, owner, LEASE_SECONDS, started):
        return None
    store = services.store
    try:
        active = inventory.replace_source(store, Source.ACTIVE, _active_rows(services), started)
        imported = inventory.replace_source(store, Source.IMPORTED, _imported_rows(services), started)
        inventory.clear_stale(store, started)
    finally:
        leases.release(store, LEASE_NAME, owner)
    log.info(
        "inventory refreshed: %d active (+%d -%d), %d imported",
        active.total,
        active.added,
        active.removed,
        imported.total,
    )
    return Refreshed(active, imported)


def refresh_if_due(services: Services) -> Refreshed | None:
    """The scheduler's job: refresh when numbot changed something, or the interval has passed."""
    minutes = services.settings.numbot_inventory_refresh_minutes
    if not minutes:
        return None
    now = services.clock()
    interval = timedelta(minutes=minutes)
    last = inventory.refreshed_at(services.store, Source.IMPORTED)
    if inventory.stale_since(services.store) is None and last is not None and now - last < interval:
        return None
    try:
        return refresh(services)
    except SinchError as error:
        # Sinch down is not numbot's bug: one line, no traceback every tick; the stale mark stays.
        log.warning("inventory not refreshed, the snapshot keeps its last figures: %s", error)
        return None


def changed(services: Services) -> None:
    """numbot just changed the inventory (rented, ordered, released, updated, imported): refresh soon."""
    inventory.mark_stale(services.store, services.clock())


def _active_rows(services: Services) -> Iterator[InventoryRow]:
    for page in services.sinch.list_active(page_size=PAGE_SIZE).pages_ahead():
        yield from (active_row(number) for number in page.items)


def _imported_rows(services: Services) -> Iterator[InventoryRow]:
    for page in services.sinch.imported_list(page_size=PAGE_SIZE).pages_ahead():
        yield from (imported_row(number) for number in page.items)


def active_row(number: ActiveNumber) -> InventoryRow:
    sms = number.sms_configuration
    voice = number.voice_configuration
    sms_job = sms.scheduled_provisioning if sms else None
    voice_job = voice.scheduled_voice_provisioning if voice else None
    return InventoryRow(
        phone_number=number.phone_number,
        source=Source.ACTIVE,
        region=number.region_code or "",
        number_type=str(number.type or ""),
        capabilities=tuple(sorted(str(capability) for capability in number.capability)),
        display_name=number.display_name or "",
        sms_service_plan_id=(sms.service_plan_id or "") if sms else "",
        sms_campaign_id=(sms.campaign_id or "") if sms else "",
        voice_type=str(voice.type) if voice and _voice_target(number) else "",
        voice_id=_voice_target(number),
        monthly_price=number.money.amount if number.money else None,
        currency=(number.money.currency_code or "") if number.money else "",
        next_charge_date=number.next_charge_date,
        provisioning_failed=any(
            job is not None and job.status == ProvisioningStatus.FAILED for job in (sms_job, voice_job)
        ),
    )


def imported_row(number: ImportedNumber) -> InventoryRow:
    sms = number.sms_configuration
    progress = (number.sms_provisioning, number.campaign_provisioning)
    return InventoryRow(
        phone_number=number.phone_number,
        source=Source.IMPORTED,
        region=number.region_code or "",
        number_type="",
        # Sinch enables imported numbers for SMS only.
        capabilities=("SMS",),
        display_name=number.display_name or "",
        sms_service_plan_id=(sms.service_plan_id or "") if sms else "",
        sms_campaign_id=(sms.campaign_id or "") if sms else "",
        voice_type="",
        voice_id="",
        monthly_price=None,
        currency="",
        next_charge_date=None,
        provisioning_failed=any(
            step is not None and step.state == ProvisioningState.FAILED for step in progress
        ),
    )


def _voice_target(number: ActiveNumber) -> str:
    """The app, trunk or fax service the number's calls go to; "" when none."""
    match number.voice_configuration:
        case RtcVoice(app_id=target) | EstVoice(trunk_id=target) | FaxVoice(service_id=target):
            return target or ""
        case _:
            return ""
