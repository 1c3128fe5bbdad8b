"""What a requested SMS or voice configuration means for a number: link, unlink, nothing, or a 400.

The specs' rule: a number linked to a service plan, campaign or voice resource must be unlinked (empty
string) before it can be linked to a different one. A pending scheduled provisioning counts as linked to
its target, so a second change cannot race the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sandbox.sinch.errors import ApiError, invalid_field
from sandbox.sinch.models import VOICE_ID_FIELD, Job, VoiceType


class Change(Enum):
    NOTHING = "nothing"
    LINK = "link"
    UNLINK = "unlink"
    UNLINK_CAMPAIGN = "unlink-campaign"


@dataclass(frozen=True)
class SmsRequest:
    service_plan_id: str
    # None: the request did not mention the campaign.
    campaign_id: str | None


@dataclass(frozen=True)
class VoiceRequest:
    type: VoiceType
    target: str


@dataclass(frozen=True)
class SmsDecision:
    change: Change
    service_plan_id: str = ""
    campaign_id: str = ""


def decide_sms(linked_plan: str, linked_campaign: str, job: Job | None, request: SmsRequest) -> SmsDecision:
    pending = job is not None and job.pending
    plan, campaign = (
        (job.target, job.campaign_id) if job is not None and pending else (linked_plan, linked_campaign)
    )
    if request.service_plan_id == "":
        nothing_to_unlink = plan == "" and not pending
        return SmsDecision(Change.NOTHING if nothing_to_unlink else Change.UNLINK)
    wanted_campaign = request.campaign_id
    if wanted_campaign is None:
        wanted_campaign = campaign if request.service_plan_id == plan else ""
    if (request.service_plan_id, wanted_campaign) == (plan, campaign):
        return SmsDecision(Change.NOTHING)
    if plan and request.service_plan_id != plan:
        raise _unlink_first("smsConfiguration.servicePlanId", "service plan", plan)
    if plan and wanted_campaign != campaign:
        if pending:
            raise invalid_field("smsConfiguration", "A scheduled provisioning is in progress for this number")
        if wanted_campaign == "":
            return SmsDecision(Change.UNLINK_CAMPAIGN)
        if campaign:
            raise _unlink_first("smsConfiguration.campaignId", "campaign", campaign)
    return SmsDecision(Change.LINK, request.service_plan_id, wanted_campaign)


def decide_voice(
    linked_type: VoiceType, linked_target: str, job: Job | None, request: VoiceRequest
) -> Change:
    pending = job is not None and job.pending
    voice_type, target = (
        (job.voice_type, job.target) if job is not None and pending else (linked_type, linked_target)
    )
    if request.target == "":
        return Change.NOTHING if target == "" and not pending else Change.UNLINK
    if (request.type, request.target) == (voice_type, target):
        return Change.NOTHING
    if target:
        field_name = f"voiceConfiguration.{VOICE_ID_FIELD[request.type]}"
        raise _unlink_first(field_name, f"{voice_type} resource", target)
    return Change.LINK


def _unlink_first(field_name: str, what: str, current: str) -> ApiError:
    return invalid_field(
        field_name,
        f"The number is linked to {what} {current!r}; unlink it (empty string) before linking another",
    )
