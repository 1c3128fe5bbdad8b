"""The `imported add` modal and the rules an import must satisfy before anyone is asked to approve it.

Sinch imports only US and CA numbers, requires a service plan, and takes a 10DLC campaign only for US
numbers; checking that here means a bad request never reaches an approver, let alone Sinch.
"""

from __future__ import annotations

import phonenumbers
from slack_sdk.models.blocks import Block, InputBlock, Option, PlainTextInputElement, StaticSelectElement

from bot.approvals import CardSummary
from bot.blockkit import ids
from bot.blockkit.blocks import context
from bot.blockkit.metadata import SlackMeta
from bot.sinch import ImportNumber, InvalidPhoneNumber, normalize_e164
from commands.shared import number_forms
from commands.shared.modal_flow import JsonView, modal
from commands.shared.number_forms import (
    CAMPAIGN_BLOCK,
    DISPLAY_NAME_BLOCK,
    SERVICE_PLAN_BLOCK,
    NumberSettings,
)
from commands.shared.view_state import INPUT_ACTION, StateValues, selected, typed

TITLE = "Import a number"
PHONE_BLOCK = "imported_phone"
REGION_BLOCK = "imported_region"
IMPORT_REGIONS = {"US": "United States", "CA": "Canada"}
CAMPAIGN_REGION = "US"


class ImportOrder(SlackMeta):
    """The payload of an approved `import` request: exactly what goes to Sinch."""

    phone_number: str
    region_code: str
    display_name: str = ""
    service_plan_id: str
    campaign_id: str = ""

    def provisions(self) -> list[str]:
        """What Sinch provisions after the import: SMS, and the 10DLC campaign link when one was given."""
        return ["sms", "campaign"] if self.campaign_id else ["sms"]

    def to_request(self) -> ImportNumber:
        settings = NumberSettings(service_plan_id=self.service_plan_id, campaign_id=self.campaign_id)
        sms = settings.sms_configuration()
        assert sms is not None, "an order always has a service plan"
        return ImportNumber(
            phone_number=self.phone_number,
            region_code=self.region_code,
            display_name=self.display_name or None,
            sms_configuration=sms,
        )


def import_modal(*, sandbox: bool) -> JsonView:
    options = [Option(value=code, label=f"{name} ({code})") for code, name in IMPORT_REGIONS.items()]
    blocks: list[Block] = [
        _text(PHONE_BLOCK, "Phone number", "International format, e.g. +12025550134", optional=False),
        InputBlock(
            block_id=REGION_BLOCK,
            label="Region",
            hint="Sinch imports US and Canadian numbers only.",
            element=StaticSelectElement(action_id=INPUT_ACTION, options=options, initial_option=options[0]),
        ),
        _text(DISPLAY_NAME_BLOCK, "Display name", "How the team will recognise the number", optional=True),
        _text(
            SERVICE_PLAN_BLOCK,
            "SMS service plan ID",
            "Required: the plan that sends and receives for this number (Sinch dashboard, SMS > APIs).",
            optional=False,
        ),
        _text(CAMPAIGN_BLOCK, "10DLC campaign ID", "US numbers only; needs the service plan.", optional=True),
        context("Importing changes how carriers route this number's messages: a second person approves it."),
    ]
    return modal(TITLE, blocks, sandbox=sandbox, callback_id=ids.IMPORT_MODAL, submit="Request import")


def read_order(values: StateValues) -> tuple[ImportOrder | None, dict[str, str]]:
    """The order typed into the modal, or `{block_id: message}` for every rule it breaks."""
    settings = number_forms.read_settings(values)
    region = selected(values, REGION_BLOCK)
    errors: dict[str, str] = {}
    phone = ""
    try:
        phone = normalize_e164(typed(values, PHONE_BLOCK))
    except InvalidPhoneNumber as exc:
        errors[PHONE_BLOCK] = str(exc)
    if region not in IMPORT_REGIONS:
        errors[REGION_BLOCK] = f"Sinch imports only US and CA numbers, not {region or 'this region'}."
    elif phone and not _valid_in(phone, region):
        actual = phonenumbers.region_code_for_number(phonenumbers.parse(phone))
        hint = f"choose {actual}" if actual in IMPORT_REGIONS else "only US and CA numbers can be imported"
        errors[PHONE_BLOCK] = f"{phone} is not a {region} number ({actual or 'unknown region'}): {hint}."
    if not settings.service_plan_id:
        errors[SERVICE_PLAN_BLOCK] = "Sinch needs a service plan to import a number."
    rule_breaks = number_forms.problems(
        settings, phone_number=phone or None, capabilities=None, campaign_allowed=region == CAMPAIGN_REGION
    )
    errors = {**rule_breaks, **errors}
    if errors:
        return None, errors
    order = ImportOrder(
        phone_number=phone,
        region_code=region,
        display_name=settings.display_name,
        service_plan_id=settings.service_plan_id,
        campaign_id=settings.campaign_id,
    )
    return order, {}


def import_summary(order: ImportOrder) -> CardSummary:
    sms = NumberSettings(service_plan_id=order.service_plan_id, campaign_id=order.campaign_id)
    return CardSummary(
        title=f"Import {order.phone_number} for SMS",
        fields=[
            ("Number", order.phone_number),
            ("Region", order.region_code),
            ("Display name", order.display_name or "—"),
            *sms.summary_fields(),
        ],
        warnings=[
            "Carriers will route this number's SMS through Sinch: messages stop reaching any other provider."
        ],
    )


def _valid_in(phone: str, region: str) -> bool:
    return bool(phonenumbers.is_valid_number_for_region(phonenumbers.parse(phone), region))


def _text(block_id: str, label: str, hint: str, *, optional: bool) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        optional=optional,
        element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=100),
    )
