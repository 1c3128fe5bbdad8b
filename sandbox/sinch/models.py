"""The sandbox's domain records: what Sinch keeps about available, active and imported numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class NumberType(StrEnum):
    MOBILE = "MOBILE"
    LOCAL = "LOCAL"
    TOLL_FREE = "TOLL_FREE"


class Capability(StrEnum):
    SMS = "SMS"
    VOICE = "VOICE"


class VoiceType(StrEnum):
    RTC = "RTC"
    EST = "EST"
    FAX = "FAX"


class JobStatus(StrEnum):
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"


# The field that carries the linked resource for each voice application type.
VOICE_ID_FIELD: dict[VoiceType, str] = {
    VoiceType.RTC: "appId",
    VoiceType.EST: "trunkId",
    VoiceType.FAX: "serviceId",
}


@dataclass(frozen=True)
class Money:
    currency_code: str
    amount: str


@dataclass(frozen=True)
class AvailableNumber:
    phone_number: str
    region_code: str
    type: NumberType
    capabilities: tuple[Capability, ...]
    setup_price: Money
    monthly_price: Money
    supporting_documentation_required: bool
    payment_interval_months: int = 1


@dataclass
class Job:
    """A scheduled provisioning: which target it links, and how far it got."""

    job_id: int
    target: str
    status: JobStatus
    last_updated: datetime
    campaign_id: str = ""
    voice_type: VoiceType = VoiceType.RTC
    error_codes: list[str] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.status is not JobStatus.FAILED


@dataclass
class SmsLink:
    service_plan_id: str = ""
    campaign_id: str = ""
    job: Job | None = None


@dataclass
class VoiceLink:
    type: VoiceType = VoiceType.RTC
    target: str = ""
    last_updated: datetime | None = None
    job: Job | None = None


@dataclass
class ActiveNumber:
    phone_number: str
    project_id: str
    offer: AvailableNumber
    next_charge_date: datetime
    display_name: str = ""
    callback_url: str = ""
    sms: SmsLink = field(default_factory=SmsLink)
    voice: VoiceLink = field(default_factory=VoiceLink)
    emergency_address: dict[str, str] | None = None
    expire_at: datetime | None = None


class TrackState(StrEnum):
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    FAILED = "FAILED"


@dataclass
class Track:
    """Progress of one imported-number service (SMS platform or 10DLC campaign)."""

    service_id: str
    state: TrackState
    update_time: datetime
    operation: str = "PROVISIONING"
    error_code: str = ""
    error_message: str = ""


@dataclass
class ImportedNumber:
    phone_number: str
    project_id: str
    region_code: str
    created_seq: int
    updated_seq: int
    display_name: str = ""
    callback_url: str = ""
    service_plan_id: str = ""
    campaign_id: str = ""
    sms_track: Track | None = None
    campaign_track: Track | None = None
    job: Job | None = None
