"""After a rent, update or import, Sinch provisions SMS and voice asynchronously: remember what to watch.

Workflows call `watch_if_pending` with the number Sinch returned; the scheduler's watcher (and callbacks)
settle the watch and tell the request's thread how it ended.
"""

from __future__ import annotations

from datetime import timedelta

from bot.services import Services
from bot.sinch.models import ActiveNumber, ProvisioningStatus
from storage import watches

FIRST_CHECK = timedelta(seconds=10)
_SETTLED = {ProvisioningStatus.FAILED}


def pending_parts(number: ActiveNumber) -> list[str]:
    """Which parts ("sms", "voice") of the number Sinch is still provisioning."""
    parts = []
    sms = number.sms_configuration
    scheduled_sms = sms.scheduled_provisioning if sms is not None else None
    if scheduled_sms is not None and scheduled_sms.status not in _SETTLED:
        parts.append("sms")
    voice = number.voice_configuration
    scheduled_voice = voice.scheduled_voice_provisioning if voice is not None else None
    if scheduled_voice is not None and scheduled_voice.status not in _SETTLED:
        parts.append("voice")
    return parts


def watch_if_pending(services: Services, number: ActiveNumber, *, request_id: str | None) -> list[str]:
    """Start watching the number if anything is still provisioning; returns what is pending."""
    parts = pending_parts(number)
    if parts:
        now = services.clock()
        watches.watch(
            services.store,
            phone_number=number.phone_number,
            api="numbers",
            what=",".join(parts),
            now=now,
            next_check_at=now + FIRST_CHECK,
            request_id=request_id,
            region=number.region_code,
            number_type=number.type,
        )
    return parts
