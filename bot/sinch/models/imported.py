"""Models of the Imported Numbers API (imported.numbers.api.sinch.com)."""

from __future__ import annotations

from pydantic import Field

from bot.sinch.models.base import OpenEnum, SinchModel, Timestamp
from bot.sinch.models.numbers import SmsConfiguration


class ProvisioningState(OpenEnum):
    DONE = "DONE"
    FAILED = "FAILED"
    IN_PROGRESS = "IN_PROGRESS"
    WAITING = "WAITING"
    STATE_UNSPECIFIED = "STATE_UNSPECIFIED"


class ProvisioningOperation(OpenEnum):
    PROVISIONING = "PROVISIONING"
    DEPROVISIONING = "DEPROVISIONING"
    OPERATION_UNSPECIFIED = "OPERATION_UNSPECIFIED"


class ServiceType(OpenEnum):
    SMS = "SMS"
    CAMPAIGN = "CAMPAIGN"


class ProvisioningProgress(SinchModel):
    """`smsProvisioning` / `campaignProvisioning`: where linking the number to a service stands."""

    service_type: ServiceType | None = None
    service_id: str | None = None
    type: ProvisioningOperation | None = None
    state: ProvisioningState | None = None
    update_time: Timestamp = None
    error_message: str | None = None
    error_code: str | None = None


class CarrierState(SinchModel):
    state: ProvisioningState | None = None
    operation: ProvisioningOperation | None = None
    error_code: str | None = None
    error_message: str | None = None
    update_time: Timestamp = None


class MnoConfiguration(SinchModel):
    """Per-carrier (AT&T, T-Mobile) progress for SMS and MMS."""

    sms_att: CarrierState | None = None
    sms_tmo: CarrierState | None = None
    mms_att: CarrierState | None = None
    mms_tmo: CarrierState | None = None


class ImportedNumber(SinchModel):
    phone_number: str
    project_id: str | None = None
    region_code: str | None = None
    display_name: str | None = None
    sms_configuration: SmsConfiguration | None = None
    callback_url: str | None = None
    mno_configuration: MnoConfiguration | None = None
    sms_provisioning: ProvisioningProgress | None = None
    campaign_provisioning: ProvisioningProgress | None = None


class ImportNumber(SinchModel):
    """Body of the import POST: a non-Sinch number to enable for SMS (US and CA)."""

    phone_number: str
    region_code: str
    sms_configuration: SmsConfiguration
    display_name: str | None = None
    callback_url: str | None = None


class UpdateImportedNumber(SinchModel):
    """Body of the imported-number PATCH; "" in the SMS configuration unlinks the service or campaign."""

    display_name: str | None = None
    sms_configuration: SmsConfiguration | None = None
    callback_url: str | None = None


class ImportedNumbersPage(SinchModel):
    imported_numbers: list[ImportedNumber] = Field(default_factory=list)
    next_page_token: str | None = None
    total_size: int | None = None
