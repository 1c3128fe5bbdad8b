"""An active number as people read it in Slack: one-line summaries, the full detail, what a release stops.

Pure functions over the Sinch models; the workflows fetch, these render. Names, IDs, addresses and URLs are
whatever someone stored at Sinch: the mrkdwn renderers escape them; `format_address` and `stops_working` give
plain text (for plain_text objects and stored card summaries, which are escaped where they are shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Block

from bot.blockkit.blocks import context, fields, header, money, section
from bot.blockkit.dates import DATE_ONLY, slack_date
from bot.blockkit.text import escape
from bot.sinch import (
    ActiveNumber,
    EmergencyAddress,
    EstVoice,
    FaxVoice,
    ProvisioningStatus,
    RtcVoice,
    ScheduledProvisioning,
    ScheduledVoiceProvisioning,
    VoiceConfiguration,
)
from bot.watching.error_codes import explain_all
from bot.watching.provisioning import is_failed

NONE = "—"


@dataclass(frozen=True)
class SmsLink:
    """The service plan and campaign a number is linked to ("" = none)."""

    service_plan_id: str = ""
    campaign_id: str = ""


@dataclass(frozen=True)
class VoiceLink:
    """The voice application type and the id of the app, trunk or service it routes to ("" = none)."""

    type: str = "RTC"
    target: str = ""


def voice_link(voice: VoiceConfiguration | None) -> VoiceLink:
    if isinstance(voice, RtcVoice):
        return VoiceLink("RTC", voice.app_id or "")
    if isinstance(voice, EstVoice):
        return VoiceLink("EST", voice.trunk_id or "")
    if isinstance(voice, FaxVoice):
        return VoiceLink("FAX", voice.service_id or "")
    return VoiceLink(str(voice.type), "") if voice is not None else VoiceLink()


def scheduled_voice_link(scheduled: ScheduledVoiceProvisioning) -> VoiceLink:
    target = scheduled.app_id or scheduled.trunk_id or scheduled.service_id or ""
    return VoiceLink(str(scheduled.type or "RTC"), target)


def sms_link(number: ActiveNumber) -> SmsLink:
    sms = number.sms_configuration
    if sms is None:
        return SmsLink()
    return SmsLink(sms.service_plan_id or "", sms.campaign_id or "")


def is_pending(status: ProvisioningStatus | int | None) -> bool:
    return not is_failed(status)


def effective_sms_link(number: ActiveNumber) -> SmsLink:
    """What the number is linked to or being linked to: Sinch treats a running job as the current link."""
    sms = number.sms_configuration
    scheduled = sms.scheduled_provisioning if sms is not None else None
    if scheduled is not None and is_pending(scheduled.status):
        return SmsLink(scheduled.service_plan_id or "", scheduled.campaign_id or "")
    return sms_link(number)


def effective_voice_link(number: ActiveNumber) -> VoiceLink:
    voice = number.voice_configuration
    scheduled = voice.scheduled_voice_provisioning if voice is not None else None
    if scheduled is not None and is_pending(scheduled.status):
        return scheduled_voice_link(scheduled)
    return voice_link(voice)


def format_address(address: EmergencyAddress) -> str:
    street = " ".join(part for part in (address.street_number, address.street_info) if part)
    postal = "-".join(part for part in (address.postal_code, address.postal_code_plus_four) if part)
    region = " ".join(part for part in (address.state, postal) if part)
    parts = [street, address.location, address.city, region]
    return ", ".join(part for part in parts if part) or NONE


def number_line(number: ActiveNumber) -> str:
    """One line per number in `list`: number, name, where, what it can do and what it is linked to."""
    name = f" *{escape(number.display_name)}*" if number.display_name else ""
    capabilities = "+".join(sorted(number.capability)) or "no capabilities"
    links = []
    sms = sms_link(number)
    if sms.service_plan_id:
        links.append(f"SMS plan {_id(sms.service_plan_id)}")
    voice = voice_link(number.voice_configuration)
    if voice.target:
        links.append(f"voice {escape(voice.type)} {_id(voice.target)}")
    linked = f" · {', '.join(links)}" if links else ""
    where = escape(f"{number.region_code} {number.type}")
    return f"{_id(number.phone_number)}{name} · {where} · {escape(capabilities)}{linked}"


def detail_blocks(number: ActiveNumber, emergency: EmergencyAddress | None) -> list[Block]:
    """Everything `show` tells about a number."""
    title = f"{number.phone_number} · {number.display_name}" if number.display_name else number.phone_number
    blocks: list[Block] = [header(title)]
    monthly = money(number.money.amount, number.money.currency_code) if number.money else "n/a"
    interval = number.payment_interval_months
    blocks.extend(
        fields(
            [
                ("Display name", escape(number.display_name or NONE)),
                ("Region / type", escape(f"{number.region_code or '?'} {number.type or '?'}")),
                ("Capabilities", escape(", ".join(sorted(number.capability)) or NONE)),
                ("Price", f"{monthly} every {interval} month(s)" if interval else monthly),
                ("Next charge", _date(number)),
                ("Callback URL", escape(number.callback_url or "project default")),
            ]
        )
    )
    blocks.append(section(_sms_text(number)))
    blocks.append(section(_voice_text(number)))
    blocks.append(section(f"*Emergency address*\n{escape(format_address(emergency)) if emergency else NONE}"))
    if number.expire_at is not None:
        blocks.append(context(f":hourglass: Released; stays active until {slack_date(number.expire_at)}."))
    return blocks


def stops_working(number: ActiveNumber, emergency: EmergencyAddress | None) -> list[str]:
    """What a release of the number cuts off, one plain-text sentence each (empty: nothing is linked)."""
    lines = []
    sms = effective_sms_link(number)
    if sms.service_plan_id:
        lines.append(f"SMS through service plan `{sms.service_plan_id}` stops.")
    if sms.campaign_id:
        lines.append(f"The number leaves 10DLC campaign `{sms.campaign_id}`.")
    voice = effective_voice_link(number)
    if voice.target:
        lines.append(f"Calls stop reaching voice {voice.type} `{voice.target}`.")
    if emergency is not None:
        lines.append(f"The emergency (E911) address is dropped: {format_address(emergency)}.")
    if number.callback_url:
        lines.append(f"Callbacks to {number.callback_url} stop.")
    return lines


def _date(number: ActiveNumber) -> str:
    return slack_date(number.next_charge_date, DATE_ONLY) if number.next_charge_date else NONE


def _sms_text(number: ActiveNumber) -> str:
    sms = sms_link(number)
    lines = [
        "*SMS*",
        f"Service plan: {_id(sms.service_plan_id)} · Campaign: {_id(sms.campaign_id)}",
    ]
    scheduled = number.sms_configuration.scheduled_provisioning if number.sms_configuration else None
    if scheduled is not None:
        lines.extend(_scheduled_sms_lines(scheduled))
    return "\n".join(lines)


def _scheduled_sms_lines(scheduled: ScheduledProvisioning) -> list[str]:
    target = f"plan {_id(scheduled.service_plan_id)}, campaign {_id(scheduled.campaign_id)}"
    status = escape(str(scheduled.status))
    lines = [f"{_status_icon(scheduled.status)} Scheduled provisioning to {target}: *{status}*"]
    if not is_pending(scheduled.status):
        lines.extend(f"• {explanation.as_line()}" for explanation in explain_all(scheduled.error_codes))
    return lines


def _voice_text(number: ActiveNumber) -> str:
    voice = voice_link(number.voice_configuration)
    lines = ["*Voice*", f"{escape(voice.type)}: {_id(voice.target)}"]
    config = number.voice_configuration
    scheduled = config.scheduled_voice_provisioning if config is not None else None
    if scheduled is not None:
        pending = scheduled_voice_link(scheduled)
        lines.append(
            f"{_status_icon(scheduled.status)} Scheduled voice provisioning to {escape(pending.type)} "
            f"{_id(pending.target)}: *{escape(str(scheduled.status))}*"
        )
    return "\n".join(lines)


def _status_icon(status: ProvisioningStatus | int | None) -> str:
    return ":hourglass_flowing_sand:" if is_pending(status) else ":x:"


def _id(value: str | None) -> str:
    return f"`{escape(value)}`" if value else NONE
