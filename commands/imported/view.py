"""An imported number as people read it in Slack: one line in a list, or everything `show` tells.

Pure functions over the Sinch models. The Imported Numbers spec documents `scheduledProvisioning.status`
and `errorCodes` as protobuf enum integers; they are named here in the order of the Numbers API enums
they mirror (the order a protobuf-generated API numbers them), and shown raw when out of range. Names, IDs,
URLs, states and error messages are whatever Sinch holds, so they are escaped where they become mrkdwn.
"""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.blocks import Block

from bot.blockkit.blocks import MESSAGE_BLOCKS, SECTION_TEXT, chunks, context, fields, header, section
from bot.blockkit.text import escape
from bot.sinch import (
    CarrierState,
    ImportedNumber,
    ProvisioningProgress,
    ProvisioningStatus,
    ScheduledProvisioning,
    SmsConfiguration,
)
from bot.watching.error_codes import code_name, explain
from bot.watching.provisioning import job_status

NONE = "—"
# Header, filter line, "more" line and the sandbox note leave this many blocks for the list itself.
LIST_SECTIONS = MESSAGE_BLOCKS - 4


def status_name(status: ProvisioningStatus | int | None) -> str:
    if status is None:
        return "unknown"
    known = job_status(status)
    return known.value if known is not None else f"status {status}"


def sms_state(number: ImportedNumber) -> str:
    """Where SMS stands in a few words: a pending or failed job wins over the last recorded step."""
    scheduled = sms_of(number).scheduled_provisioning
    if scheduled is not None:
        return status_name(scheduled.status)
    if number.sms_provisioning is not None and number.sms_provisioning.state is not None:
        return str(number.sms_provisioning.state)
    return "linked" if sms_of(number).service_plan_id else "not linked"


def number_line(number: ImportedNumber) -> str:
    sms = sms_of(number)
    name = f" *{escape(number.display_name)}*" if number.display_name else ""
    campaign = f" · campaign {_id(sms.campaign_id)}" if sms.campaign_id else ""
    return (
        f"{_id(number.phone_number)}{name} · {escape(number.region_code or '?')} · "
        f"plan {_id(sms.service_plan_id)}"
        f"{campaign} · SMS {escape(sms_state(number))}"
    )


def list_blocks(numbers: Iterable[ImportedNumber], filters: str) -> tuple[str, list[Block]]:
    """The list as sections of lines within Slack's limits, and a count of what did not fit."""
    lines = [number_line(number) for number in numbers]
    title = f"Imported numbers ({len(lines)})"
    sections = chunks(lines, SECTION_TEXT)
    blocks: list[Block] = [header(title), context(f"Filters: {filters}")]
    blocks.extend(section(text) for text in sections[:LIST_SECTIONS])
    if not lines:
        blocks.append(section("No imported number matches."))
    hidden = sum(text.count("\n") + 1 for text in sections[LIST_SECTIONS:])
    if hidden:
        blocks.append(context(f"…and {hidden} more. Narrow the list with a region or a number pattern."))
    return f"{title}. Filters: {filters}", blocks


def detail_blocks(number: ImportedNumber) -> list[Block]:
    """Everything `imported show` tells: links, scheduled provisioning, per-service and carrier progress."""
    sms = sms_of(number)
    title = f"{number.phone_number} · {number.display_name}" if number.display_name else number.phone_number
    blocks: list[Block] = [header(title)]
    blocks.extend(
        fields(
            [
                ("Region", escape(number.region_code or NONE)),
                ("Display name", escape(number.display_name or NONE)),
                ("Service plan", _id(sms.service_plan_id)),
                ("Campaign", _id(sms.campaign_id)),
                ("Migrate to Sinch on T-Mobile", _yes_no(sms.migrate_to_sinch_tmo)),
                ("Callback URL", escape(number.callback_url or "project default")),
            ]
        )
    )
    if sms.scheduled_provisioning is not None:
        blocks.append(section(_scheduled_text(sms.scheduled_provisioning)))
    progress = [
        _progress_line("SMS platform", number.sms_provisioning),
        _progress_line("10DLC campaign", number.campaign_provisioning),
        *_carrier_lines(number),
    ]
    shown = [line for line in progress if line]
    if shown:
        blocks.append(section("*Provisioning*\n" + "\n".join(shown)))
    return blocks


def _scheduled_text(scheduled: ScheduledProvisioning) -> str:
    target = f"plan {_id(scheduled.service_plan_id)}, campaign {_id(scheduled.campaign_id)}"
    lines = [f"*Scheduled provisioning* to {target}: *{escape(status_name(scheduled.status))}*"]
    lines.extend(f"• {explain(code).as_line()}" for code in scheduled.error_codes)
    return "\n".join(lines)


def _progress_line(label: str, progress: ProvisioningProgress | None) -> str:
    if progress is None:
        return ""
    operation = f" ({escape(str(progress.type).lower())})" if progress.type else ""
    line = f"{label}{operation}: *{escape(str(progress.state or 'unknown'))}*"
    if progress.error_code or progress.error_message:
        code = f"`{escape(code_name(progress.error_code))}` " if progress.error_code else ""
        line += f": {code}{escape(progress.error_message or '')}".rstrip()
    return line


def _carrier_lines(number: ImportedNumber) -> list[str]:
    carriers = number.mno_configuration
    if carriers is None:
        return []
    named: list[tuple[str, CarrierState | None]] = [
        ("SMS on AT&T", carriers.sms_att),
        ("SMS on T-Mobile", carriers.sms_tmo),
        ("MMS on AT&T", carriers.mms_att),
        ("MMS on T-Mobile", carriers.mms_tmo),
    ]
    return [
        f"{label}: *{escape(str(state.state or 'unknown'))}*"
        + (f" {_id(state.error_code)}" if state.error_code else "")
        for label, state in named
        if state is not None
    ]


def sms_of(number: ImportedNumber) -> SmsConfiguration:
    return number.sms_configuration or SmsConfiguration()


def _id(value: str | None) -> str:
    return f"`{escape(value)}`" if value else NONE


def _yes_no(value: bool | None) -> str:
    return NONE if value is None else ("yes" if value else "no")
