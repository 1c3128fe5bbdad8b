"""The display-name, SMS and voice inputs of a number's modal, and the Sinch rules they must satisfy.

Shared by every modal that configures a number (rent, rent-any, update). The flow is always:

1. `input_blocks(...)` puts the inputs in the view (pre-filled from `initial` when editing);
2. `read_settings(view["state"]["values"])` turns the submission into a `NumberSettings`;
3. `problems(settings, ...)` returns `{block_id: message}` for `ack(response_action="errors", errors=...)`;
4. `settings.sms_configuration()` / `settings.voice_configuration()` build the Sinch request parts.

The rules come from the Numbers API spec: `servicePlanId` is required in an `smsConfiguration`, `campaignId`
is only for US numbers (10DLC) and needs a service plan, and a voice configuration names exactly one
resource matching its type (RTC `appId`, EST `trunkId`, FAX `serviceId`). In `NumberSettings` an empty string
means "not given": a modal that must *unlink* (send "") has to say so explicitly, since an empty input
cannot tell "leave as is" from "remove".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)

from bot.sinch import Capability, EstVoice, FaxVoice, RtcVoice, SmsConfiguration, VoiceApplicationType
from commands.shared.view_state import INPUT_ACTION, StateValues, selected, typed

DISPLAY_NAME_BLOCK = "number_display_name"
SERVICE_PLAN_BLOCK = "number_sms_service_plan"
CAMPAIGN_BLOCK = "number_sms_campaign"
VOICE_TYPE_BLOCK = "number_voice_type"
VOICE_ID_BLOCK = "number_voice_id"

# Sinch documents no limit on display names; this keeps them readable in Slack fields and lists.
DISPLAY_NAME_MAX = 100
ID_MAX = 100

VOICE_CHOICES: Mapping[VoiceApplicationType, tuple[str, str]] = {
    VoiceApplicationType.RTC: ("Voice API app (RTC)", "app ID"),
    VoiceApplicationType.EST: ("Elastic SIP trunk (EST)", "trunk ID"),
    VoiceApplicationType.FAX: ("Fax service (FAX)", "service ID"),
}

VoiceLink = RtcVoice | EstVoice | FaxVoice


@dataclass(frozen=True)
class NumberSettings:
    """What the user asked for; "" (or None for the voice type) means they left it empty."""

    display_name: str = ""
    service_plan_id: str = ""
    campaign_id: str = ""
    voice_type: VoiceApplicationType | None = None
    voice_id: str = ""

    @property
    def wants_sms(self) -> bool:
        return bool(self.service_plan_id)

    @property
    def wants_voice(self) -> bool:
        return bool(self.voice_id)

    def sms_configuration(self) -> SmsConfiguration | None:
        if not self.wants_sms:
            return None
        return SmsConfiguration(service_plan_id=self.service_plan_id, campaign_id=self.campaign_id or None)

    def voice_configuration(self) -> VoiceLink | None:
        if not self.wants_voice or self.voice_type is None:
            return None
        if self.voice_type is VoiceApplicationType.EST:
            return EstVoice(trunk_id=self.voice_id)
        if self.voice_type is VoiceApplicationType.FAX:
            return FaxVoice(service_id=self.voice_id)
        return RtcVoice(app_id=self.voice_id)

    def summary_fields(self) -> list[tuple[str, str]]:
        """Label/value pairs for an approval card or a confirmation."""
        pairs: list[tuple[str, str]] = []
        if self.display_name:
            pairs.append(("Display name", self.display_name))
        if self.wants_sms:
            campaign = f", campaign `{self.campaign_id}`" if self.campaign_id else ""
            pairs.append(("SMS", f"service plan `{self.service_plan_id}`{campaign}"))
        if self.wants_voice and self.voice_type is not None:
            label, id_name = VOICE_CHOICES[self.voice_type]
            pairs.append(("Voice", f"{label}, {id_name} `{self.voice_id}`"))
        return pairs


def input_blocks(*, campaign: bool, initial: NumberSettings | None = None) -> list[Block]:
    """The inputs, all optional; `campaign` adds the 10DLC campaign input (US numbers only)."""
    start = initial or NumberSettings()
    blocks: list[Block] = [
        _text_input(
            DISPLAY_NAME_BLOCK,
            "Display name",
            start.display_name,
            "How the team will recognise the number, e.g. Support line",
            DISPLAY_NAME_MAX,
        ),
        _text_input(
            SERVICE_PLAN_BLOCK,
            "SMS service plan ID",
            start.service_plan_id,
            "Links the number to an SMS service plan (Sinch dashboard, SMS > APIs). Empty: no SMS.",
            ID_MAX,
        ),
    ]
    if campaign:
        blocks.append(
            _text_input(
                CAMPAIGN_BLOCK,
                "10DLC campaign ID",
                start.campaign_id,
                "US numbers only: the TCR campaign for A2P SMS traffic. Needs a service plan.",
                ID_MAX,
            )
        )
    options = [Option(value=kind.value, label=label) for kind, (label, _) in VOICE_CHOICES.items()]
    chosen = next((option for option in options if option.value == start.voice_type), None)
    blocks.append(
        InputBlock(
            block_id=VOICE_TYPE_BLOCK,
            label="Voice application",
            optional=True,
            hint="What answers calls to this number. Empty: no voice.",
            element=StaticSelectElement(
                action_id=INPUT_ACTION,
                placeholder="No voice",
                options=options,
                initial_option=chosen,
            ),
        )
    )
    blocks.append(
        _text_input(
            VOICE_ID_BLOCK,
            "Voice app / trunk / service ID",
            start.voice_id,
            "The RTC app ID, EST trunk ID or FAX service ID, matching the application above.",
            ID_MAX,
        )
    )
    return blocks


def read_settings(values: StateValues) -> NumberSettings:
    """The settings from a view submission's `state.values`; inputs the view did not have stay empty."""
    voice_type = selected(values, VOICE_TYPE_BLOCK)
    return NumberSettings(
        display_name=typed(values, DISPLAY_NAME_BLOCK),
        service_plan_id=typed(values, SERVICE_PLAN_BLOCK),
        campaign_id=typed(values, CAMPAIGN_BLOCK),
        voice_type=VoiceApplicationType(voice_type) if voice_type else None,
        voice_id=typed(values, VOICE_ID_BLOCK),
    )


def problems(
    settings: NumberSettings,
    *,
    phone_number: str | None,
    capabilities: Collection[Capability] | None,
    campaign_allowed: bool,
) -> dict[str, str]:
    """`{block_id: message}` for every rule the settings break (empty when they can go to Sinch).

    `capabilities` is None when the number is not known yet (rent-any): Sinch then picks one that fits.
    """
    found: dict[str, str] = {}
    for block, value in (
        (SERVICE_PLAN_BLOCK, settings.service_plan_id),
        (CAMPAIGN_BLOCK, settings.campaign_id),
        (VOICE_ID_BLOCK, settings.voice_id),
    ):
        if any(character.isspace() for character in value):
            found[block] = "IDs have no spaces; paste the ID exactly as Sinch shows it."
    if settings.campaign_id and not campaign_allowed:
        found[CAMPAIGN_BLOCK] = "10DLC campaigns only apply to US numbers; leave this empty."
    elif settings.campaign_id and not settings.service_plan_id:
        found.setdefault(
            CAMPAIGN_BLOCK, "A campaign needs a service plan: fill in the SMS service plan ID too."
        )
    if settings.voice_id and settings.voice_type is None:
        found[VOICE_TYPE_BLOCK] = (
            "Choose what the ID belongs to: a Voice API app, a SIP trunk or a fax service."
        )
    if settings.voice_type is not None and not settings.voice_id:
        _, id_name = VOICE_CHOICES[settings.voice_type]
        found[VOICE_ID_BLOCK] = f"Enter the {id_name}, or clear the voice application."
    if capabilities is not None:
        who = phone_number or "This number"
        if settings.wants_sms and Capability.SMS not in capabilities:
            found.setdefault(SERVICE_PLAN_BLOCK, f"{who} cannot send or receive SMS; leave this empty.")
        if settings.wants_voice and Capability.VOICE not in capabilities:
            found.setdefault(VOICE_ID_BLOCK, f"{who} cannot take calls; leave voice empty.")
    return found


def _text_input(block_id: str, label: str, initial: str, hint: str, max_length: int) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        hint=hint,
        element=PlainTextInputElement(
            action_id=INPUT_ACTION, initial_value=initial or None, max_length=max_length
        ),
    )
