"""Models of the Number Order API (KYC): requirements, orders, registrations and their attachments.

The spec types a requirement's `fields` and a registration's `requestDetails` as free-form JSON. What its
examples show is modelled (`RequirementFields`: a policy `schema` and `rules`, each rule's `template`
describing one element of `requestDetails.data`, in order); anything that does not fit stays available as
plain JSON (`dict`) so that a caller can fall back to showing it raw instead of failing.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from bot.sinch.models.base import Money, OpenEnum, SinchModel, Timestamp
from bot.sinch.models.numbers import (
    Capability,
    NumberPattern,
    NumberType,
    SmsConfiguration,
    VoiceConfiguration,
)


class NumberOrderState(OpenEnum):
    NUMBER_ORDER_STATE_UNSPECIFIED = "NUMBER_ORDER_STATE_UNSPECIFIED"
    CREATED = "CREATED"
    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"

    @property
    def is_final(self) -> bool:
        """No further transition: the numbers are either active (COMPLETED) or back with Sinch."""
        return self in {NumberOrderState.COMPLETED, NumberOrderState.REJECTED, NumberOrderState.EXPIRED}


class UploadStatus(OpenEnum):
    WAITING = "WAITING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class TemplateFieldType(OpenEnum):
    STRING = "string"
    BOOLEAN = "boolean"


class TemplateField(SinchModel):
    """One input of a rule template. `format` (e.g. "email", "phone") and `pattern` constrain strings;
    `const` is the only accepted value (a confirmation box that must be ticked)."""

    name: str
    label: str | None = None
    description: str | None = None
    type: TemplateFieldType = TemplateFieldType.STRING
    required: bool = False
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    enum: list[str] = Field(default_factory=list)
    const: Any = None
    example: str | None = None


class RuleTemplate(SinchModel):
    """What one element of `requestDetails.data` holds. When `per_number` is set, that element is a list
    with one object per ordered number (the spec's AU example puts `senderId` and purpose there)."""

    title: str | None = None
    description: str | None = None
    per_number: bool = False
    fields: list[TemplateField] = Field(default_factory=list)


class RequirementRule(SinchModel):
    # A template in a shape this code does not know stays plain JSON.
    template: RuleTemplate | dict[str, Any] = Field(default_factory=RuleTemplate, union_mode="left_to_right")


class RequirementFields(SinchModel):
    """The spec's example shape: `{"schema": "/schema/policySchema-v1.json", "rules": [...], ...}`."""

    schema_ref: str | None = Field(default=None, alias="schema")
    rules: list[RequirementRule] = Field(default_factory=list)
    attachments: list[Any] = Field(default_factory=list)


class AttachmentTemplate(SinchModel):
    """A file the customer downloads, fills in and uploads back."""

    name: str | None = None
    url: str | None = None


class RequiredAttachment(SinchModel):
    id: str
    title: str | None = None
    description: str | None = None
    mandatory: bool = False
    template: list[AttachmentTemplate] = Field(default_factory=list)
    # Empty: any mime type is accepted.
    allowed_mime_types: list[str] = Field(default_factory=list)
    # When given, an upload's documentType must be one of these.
    allowed_document_types: list[str] = Field(default_factory=list)

    def accepts_mime_type(self, mime_type: str) -> bool:
        """Mime types compare without case (RFC 2045); none listed means any."""
        allowed = {allowed.lower() for allowed in self.allowed_mime_types}
        return not allowed or mime_type.lower() in allowed


class NumberRequirements(SinchModel):
    """The answer of `numberOrders:lookupNumberRequirements`. `fields` is a dict when Sinch sent a shape
    other than `RequirementFields`; an empty `RequirementFields` means no registration data is needed."""

    fields: RequirementFields | dict[str, Any] = Field(
        default_factory=RequirementFields, union_mode="left_to_right"
    )
    attachments: list[RequiredAttachment] = Field(default_factory=list)

    @property
    def mandatory_attachments(self) -> list[RequiredAttachment]:
        return [attachment for attachment in self.attachments if attachment.mandatory]


class NumberOrderOption(SinchModel):
    """Order these numbers (Sinch supports exactly one per order for now)."""

    phone_numbers: list[str]


class QuantityOrderOption(SinchModel):
    """Order `requested_quantity` (1-100) numbers matching the criteria."""

    requested_quantity: int = Field(ge=1, le=100)
    number_pattern: NumberPattern | None = None
    capabilities: list[Capability] | None = None
    sequential: bool | None = None


class CreateNumberOrderRequest(SinchModel):
    """Body of `numberOrders:createNumberOrder`: exactly one of the two options."""

    region_code: str
    number_type: NumberType
    number_order_option: NumberOrderOption | None = None
    quantity_order_option: QuantityOrderOption | None = None
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None

    @model_validator(mode="after")
    def _one_option(self) -> CreateNumberOrderRequest:
        if (self.number_order_option is None) == (self.quantity_order_option is None):
            raise ValueError("give exactly one of number_order_option and quantity_order_option")
        return self


class NumberPrice(SinchModel):
    setup_price: Money | None = None
    monthly_price: Money | None = None
    payment_interval_months: int | None = None


class OrderNumber(SinchModel):
    phone_number: str
    number_price: NumberPrice | None = None
    capabilities: list[Capability] = Field(default_factory=list)


class NumberOrder(SinchModel):
    id_number_order: str
    project_id: str | None = None
    region_code: str | None = None
    state: NumberOrderState = NumberOrderState.NUMBER_ORDER_STATE_UNSPECIFIED
    number_type: NumberType | None = None
    order_numbers: list[OrderNumber] = Field(default_factory=list)
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    # Until then the numbers are reserved; after it an unsubmitted order expires.
    expire_time: Timestamp = None
    create_time: Timestamp = None
    update_time: Timestamp = None

    @property
    def phone_numbers(self) -> list[str]:
        return [number.phone_number for number in self.order_numbers]


class RegistrationAttachment(SinchModel):
    attachment_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    upload_status: UploadStatus | None = None
    document_type: str | None = None
    create_time: Timestamp = None
    update_time: Timestamp = None


class RegistrationLog(SinchModel):
    """A message from Sinch's review team ("please provide a local contact number")."""

    message: str = ""
    create_time: Timestamp = None


class Registration(SinchModel):
    """An order's KYC data as stored by Sinch, its uploaded attachments and the review log, oldest first."""

    request_details: dict[str, Any] = Field(default_factory=dict)
    attachments: list[RegistrationAttachment] = Field(default_factory=list)
    logs: list[RegistrationLog] = Field(default_factory=list)


class UpdateRegistrationRequest(SinchModel):
    """Body of the registration PUT: `request_details` is sent as given (usually `{"data": [...]}`)."""

    request_details: dict[str, Any]


class LookupNumberRequirementsRequest(SinchModel):
    region_code: str
    number_type: NumberType
