"""What an `update` form asks Sinch to change, and the rules it must follow first (pure functions).

In this form an emptied field *unlinks*: the modal is pre-filled with the current links and says so. Sinch's
rule (Numbers API, PATCH activeNumbers): a number linked to a service plan, campaign or voice resource must
be unlinked before it is linked to a different one. numbot refuses such a change in the modal and says how
to do it in two updates, rather than unlinking silently on the user's behalf: an unlink stops traffic,
so it deserves its own approval.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.approvals.policy import Change
from bot.blockkit.metadata import SlackMeta
from bot.sinch import (
    ActiveNumber,
    Capability,
    EstVoice,
    FaxVoice,
    RtcVoice,
    SmsConfiguration,
    UpdateActiveNumber,
    VoiceApplicationType,
)
from commands.shared import number_forms
from commands.shared.number_forms import (
    CAMPAIGN_BLOCK,
    DISPLAY_NAME_BLOCK,
    SERVICE_PLAN_BLOCK,
    VOICE_ID_BLOCK,
    NumberSettings,
)
from commands.shared.number_view import effective_sms_link, effective_voice_link

CAMPAIGN_REGION = "US"


class CurrentNumber(SlackMeta):
    """The number as the form was filled from it; travels in the modal's private_metadata."""

    phone_number: str
    region_code: str | None = None
    capabilities: tuple[Capability, ...] = ()
    display_name: str = ""
    service_plan_id: str = ""
    campaign_id: str = ""
    voice_type: VoiceApplicationType = VoiceApplicationType.RTC
    voice_id: str = ""

    @classmethod
    def of(cls, number: ActiveNumber) -> CurrentNumber:
        sms = effective_sms_link(number)
        voice = effective_voice_link(number)
        return cls(
            phone_number=number.phone_number,
            region_code=number.region_code,
            capabilities=tuple(number.capability),
            display_name=number.display_name or "",
            service_plan_id=sms.service_plan_id,
            campaign_id=sms.campaign_id,
            voice_type=VoiceApplicationType(voice.type),
            voice_id=voice.target,
        )

    @property
    def campaign_allowed(self) -> bool:
        return self.region_code == CAMPAIGN_REGION

    def as_settings(self) -> NumberSettings:
        return NumberSettings(
            display_name=self.display_name,
            service_plan_id=self.service_plan_id,
            campaign_id=self.campaign_id,
            voice_type=self.voice_type if self.voice_id else None,
            voice_id=self.voice_id,
        )


@dataclass(frozen=True)
class UpdatePlan:
    changes: frozenset[Change]
    update: UpdateActiveNumber
    lines: tuple[str, ...]
    warnings: tuple[str, ...]


def normalised(wanted: NumberSettings) -> NumberSettings:
    # Slack cannot clear a static select, so an emptied ID alone means "no voice".
    return wanted if wanted.voice_id else replace(wanted, voice_type=None)


def update_problems(current: CurrentNumber, wanted: NumberSettings) -> dict[str, str]:
    """`{block_id: message}` for the modal; empty when the change may go ahead."""
    wanted = normalised(wanted)
    found = number_forms.problems(
        wanted,
        phone_number=current.phone_number,
        capabilities=current.capabilities,
        campaign_allowed=current.campaign_allowed,
    )
    relinks = (
        (SERVICE_PLAN_BLOCK, "service plan", current.service_plan_id, wanted.service_plan_id),
        (CAMPAIGN_BLOCK, "campaign", current.campaign_id, wanted.campaign_id),
        (VOICE_ID_BLOCK, f"{current.voice_type} resource", current.voice_id, wanted.voice_id),
    )
    for block, what, linked, asked in relinks:
        if linked and asked and asked != linked:
            found.setdefault(block, _unlink_first(current.phone_number, what, linked, asked))
    if (
        current.voice_id
        and wanted.voice_id == current.voice_id
        and wanted.voice_type not in (None, current.voice_type)
    ):
        found.setdefault(VOICE_ID_BLOCK, _unlink_first(current.phone_number, "voice", current.voice_id, ""))
    if not found and not plan_update(current, wanted).changes:
        found[DISPLAY_NAME_BLOCK] = "Nothing changed: edit a field (or close the form)."
    return found


def _unlink_first(phone_number: str, what: str, linked: str, asked: str) -> str:
    target = f" `{asked}`" if asked else ""
    return (
        f"This number is linked to {what} `{linked}`. Sinch requires unlinking first: clear this field "
        f"and submit; once that is done, run `/numbers update {phone_number}` again to link{target or ' it'}."
    )


def plan_update(current: CurrentNumber, wanted: NumberSettings) -> UpdatePlan:
    """The PATCH body, which `Change`s it makes, and how to describe it (assumes no problems)."""
    wanted = normalised(wanted)
    changes: set[Change] = set()
    lines: list[str] = []
    warnings: list[str] = []
    display_name = None
    if wanted.display_name != current.display_name:
        changes.add(Change.DISPLAY_NAME)
        display_name = wanted.display_name
        lines.append(f"Display name: “{current.display_name}” → “{wanted.display_name}”")
    sms = _sms_change(current, wanted, lines, warnings)
    if sms is not None:
        changes.add(Change.SMS)
    voice = _voice_change(current, wanted, lines, warnings)
    if voice is not None:
        changes.add(Change.VOICE)
    update = UpdateActiveNumber(display_name=display_name, sms_configuration=sms, voice_configuration=voice)
    return UpdatePlan(frozenset(changes), update, tuple(lines), tuple(warnings))


def _sms_change(
    current: CurrentNumber, wanted: NumberSettings, lines: list[str], warnings: list[str]
) -> SmsConfiguration | None:
    if (wanted.service_plan_id, wanted.campaign_id) == (current.service_plan_id, current.campaign_id):
        return None
    if not wanted.service_plan_id:
        campaign = f" and campaign `{current.campaign_id}`" if current.campaign_id else ""
        lines.append(f"SMS: unlink from service plan `{current.service_plan_id}`{campaign}")
        warnings.append(f"{current.phone_number} cannot send or receive SMS until it is linked again.")
        return SmsConfiguration(service_plan_id="")
    if wanted.service_plan_id != current.service_plan_id:
        lines.append(f"SMS: link to service plan `{wanted.service_plan_id}`")
    if wanted.campaign_id and wanted.campaign_id != current.campaign_id:
        lines.append(f"SMS: add to campaign `{wanted.campaign_id}`")
    elif current.campaign_id and not wanted.campaign_id:
        lines.append(f"SMS: remove from campaign `{current.campaign_id}`")
        warnings.append("Without a 10DLC campaign, US carriers may block application-to-person SMS.")
    # "" for the campaign unlinks it; Sinch reads both ids of the configuration together.
    return SmsConfiguration(service_plan_id=wanted.service_plan_id, campaign_id=wanted.campaign_id)


def _voice_change(
    current: CurrentNumber, wanted: NumberSettings, lines: list[str], warnings: list[str]
) -> RtcVoice | EstVoice | FaxVoice | None:
    if wanted.voice_id == current.voice_id:
        return None
    if not wanted.voice_id:
        lines.append(f"Voice: unlink from {current.voice_type} `{current.voice_id}`")
        warnings.append(f"Calls to {current.phone_number} will not be answered until voice is linked again.")
        return unlinking_voice(current.voice_type)
    lines.append(f"Voice: link to {wanted.voice_type} `{wanted.voice_id}`")
    return wanted.voice_configuration()


def unlinking_voice(voice_type: VoiceApplicationType) -> RtcVoice | EstVoice | FaxVoice:
    """The voice configuration that unlinks: "" in the id field the linked type uses."""
    if voice_type is VoiceApplicationType.EST:
        return EstVoice(trunk_id="")
    if voice_type is VoiceApplicationType.FAX:
        return FaxVoice(service_id="")
    return RtcVoice(app_id="")
