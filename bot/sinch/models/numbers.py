"""Models of the Numbers API (numbers.api.sinch.com): available, active, regions, callbacks, emergency."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from bot.sinch.models.base import Money, OpenEnum, SinchModel, Timestamp


class NumberType(OpenEnum):
    MOBILE = "MOBILE"
    LOCAL = "LOCAL"
    TOLL_FREE = "TOLL_FREE"


class Capability(OpenEnum):
    SMS = "SMS"
    VOICE = "VOICE"


class SearchPattern(OpenEnum):
    """Where the digits of a `NumberPattern` must appear. One enum for both APIs; see `imported_wire`."""

    START = "START"
    CONTAINS = "CONTAINS"
    END = "END"

    @property
    def imported_wire(self) -> str:
        """The Imported Numbers API spells CONTAINS as CONTAIN; START and END are the same."""
        return "CONTAIN" if self is SearchPattern.CONTAINS else self.value


class ProvisioningStatus(OpenEnum):
    PROVISIONING_STATUS_UNSPECIFIED = "PROVISIONING_STATUS_UNSPECIFIED"
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"


class SmsErrorCode(OpenEnum):
    ERROR_CODE_UNSPECIFIED = "ERROR_CODE_UNSPECIFIED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    SMS_PROVISIONING_FAILED = "SMS_PROVISIONING_FAILED"
    CAMPAIGN_PROVISIONING_FAILED = "CAMPAIGN_PROVISIONING_FAILED"
    CAMPAIGN_NOT_AVAILABLE = "CAMPAIGN_NOT_AVAILABLE"
    EXCEEDED_10DLC_LIMIT = "EXCEEDED_10DLC_LIMIT"
    NUMBER_PROVISIONING_FAILED = "NUMBER_PROVISIONING_FAILED"
    PARTNER_SERVICE_UNAVAILABLE = "PARTNER_SERVICE_UNAVAILABLE"
    CAMPAIGN_PENDING_ACCEPTANCE = "CAMPAIGN_PENDING_ACCEPTANCE"
    MNO_SHARING_ERROR = "MNO_SHARING_ERROR"
    CAMPAIGN_EXPIRED = "CAMPAIGN_EXPIRED"
    CAMPAIGN_MNO_REJECTED = "CAMPAIGN_MNO_REJECTED"
    CAMPAIGN_MNO_SUSPENDED = "CAMPAIGN_MNO_SUSPENDED"
    CAMPAIGN_MNO_REVIEW = "CAMPAIGN_MNO_REVIEW"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    MOCK_CAMPAIGN_NOT_ALLOWED = "MOCK_CAMPAIGN_NOT_ALLOWED"
    TFN_NOT_ALLOWED = "TFN_NOT_ALLOWED"
    INVALID_NNID = "INVALID_NNID"


class VoiceApplicationType(OpenEnum):
    RTC = "RTC"
    EST = "EST"
    FAX = "FAX"


class AddressValidationResult(OpenEnum):
    ADDRESS_VALIDATION_RESULT_CODE_UNSPECIFIED = "ADDRESS_VALIDATION_RESULT_CODE_UNSPECIFIED"
    EXACT_MATCH = "EXACT_MATCH"
    NEAR_MATCH = "NEAR_MATCH"
    NO_MATCH = "NO_MATCH"


class NumberPattern(SinchModel):
    pattern: str
    search_pattern: SearchPattern = SearchPattern.START


class ScheduledProvisioning(SinchModel):
    """A running or failed SMS provisioning job (read-only)."""

    service_plan_id: str | None = None
    campaign_id: str | None = None
    # The Imported Numbers spec documents status and errorCodes as protobuf enum integers, the Numbers
    # spec as names; accept both rather than fail on whichever the service really sends.
    status: ProvisioningStatus | int | None = None
    last_updated_time: Timestamp = None
    error_codes: list[SmsErrorCode | int] = Field(default_factory=list)


class SmsConfiguration(SinchModel):
    """SMS linkage of a number. In requests, "" for service_plan_id or campaign_id unlinks it."""

    service_plan_id: str | None = None
    campaign_id: str | None = None
    scheduled_provisioning: ScheduledProvisioning | None = None
    migrate_to_sinch_tmo: bool | None = None


class ScheduledVoiceProvisioning(SinchModel):
    """A running or failed voice provisioning job (read-only); one of the three ids is set per type."""

    type: VoiceApplicationType | None = None
    status: ProvisioningStatus | None = None
    last_updated_time: Timestamp = None
    app_id: str | None = None
    trunk_id: str | None = None
    service_id: str | None = None


class _VoiceCommon(SinchModel):
    last_updated_time: Timestamp = None
    scheduled_voice_provisioning: ScheduledVoiceProvisioning | None = None


class RtcVoice(_VoiceCommon):
    """Voice API application (RTC), identified by `app_id`."""

    type: Literal["RTC"] = "RTC"
    app_id: str | None = None


class EstVoice(_VoiceCommon):
    """Elastic SIP Trunking, identified by `trunk_id`."""

    type: Literal["EST"] = "EST"
    trunk_id: str | None = None


class FaxVoice(_VoiceCommon):
    """Fax service, identified by `service_id`."""

    type: Literal["FAX"] = "FAX"
    service_id: str | None = None


class UnknownVoice(_VoiceCommon):
    """A voice configuration type this code does not know yet; its fields stay in `model_extra`."""

    type: str


# Looked up once: Enum.__members__ builds a new mapping on every access, and every listed number asks.
_VOICE_TYPES = frozenset(VoiceApplicationType.__members__)


def _voice_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    # The spec makes RTC the default VoiceApplicationType, so a missing type means RTC.
    kind = "RTC" if kind is None else str(kind)
    return kind if kind in _VOICE_TYPES else "unknown"


VoiceConfiguration = Annotated[
    Annotated[RtcVoice, Tag("RTC")]
    | Annotated[EstVoice, Tag("EST")]
    | Annotated[FaxVoice, Tag("FAX")]
    | Annotated[UnknownVoice, Tag("unknown")],
    Discriminator(_voice_tag),
]


class AvailableNumber(SinchModel):
    phone_number: str
    region_code: str | None = None
    type: NumberType | None = None
    capability: list[Capability] = Field(default_factory=list)
    setup_price: Money | None = None
    monthly_price: Money | None = None
    payment_interval_months: int | None = None
    supporting_documentation_required: bool | None = None


class ActiveNumber(SinchModel):
    phone_number: str
    project_id: str | None = None
    display_name: str | None = None
    region_code: str | None = None
    type: NumberType | None = None
    capability: list[Capability] = Field(default_factory=list)
    money: Money | None = None
    payment_interval_months: int | None = None
    next_charge_date: Timestamp = None
    expire_at: Timestamp = None
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None


class AvailableRegion(SinchModel):
    region_code: str
    region_name: str | None = None
    types: list[NumberType] = Field(default_factory=list)


class RentRequest(SinchModel):
    """Body of `:rent`. Send only the configuration you need: Sinch rejects an unneeded voice object."""

    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None


class RentAnyRequest(SinchModel):
    """Body of `:rentAny` (Sinch only supports US LOCAL numbers there)."""

    region_code: str
    type: NumberType
    number_pattern: NumberPattern | None = None
    capabilities: list[Capability] | None = None
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None


class UpdateActiveNumber(SinchModel):
    """Body of the active-number PATCH: set only what changes; Sinch rejects an empty configuration."""

    display_name: str | None = None
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None


class CallbackConfiguration(SinchModel):
    project_id: str | None = None
    hmac_secret: str | None = None


class EmergencyAddress(SinchModel):
    street_number: str | None = None
    street_info: str | None = None
    location: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    postal_code_plus_four: str | None = None


class EmergencyAddressRequest(SinchModel):
    display_name: str
    address: EmergencyAddress


class AddressValidation(SinchModel):
    """The answer of `emergencyAddress:validate`; `candidate_addresses` is only filled on NO_MATCH."""

    phone_number: str | None = None
    display_name: str | None = None
    validated_address: EmergencyAddress | None = None
    validation_result: AddressValidationResult | None = None
    validation_message: str | None = None
    corrected_address: EmergencyAddress | None = None
    candidate_addresses: list[EmergencyAddress] = Field(default_factory=list)


class ActiveNumbersPage(SinchModel):
    active_numbers: list[ActiveNumber] = Field(default_factory=list)
    next_page_token: str | None = None
    total_size: int | None = None


class AvailableNumbersList(SinchModel):
    available_numbers: list[AvailableNumber] = Field(default_factory=list)


class AvailableRegionsList(SinchModel):
    available_regions: list[AvailableRegion] = Field(default_factory=list)
