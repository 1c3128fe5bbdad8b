"""The update form's rules: what an edit changes, and Sinch's unlink-before-relink rule, as pure functions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.approvals.policy import Change
from bot.sinch.models import Capability, VoiceApplicationType
from commands.active.update_plan import CurrentNumber, plan_update, update_problems
from commands.shared.number_forms import (
    CAMPAIGN_BLOCK,
    DISPLAY_NAME_BLOCK,
    SERVICE_PLAN_BLOCK,
    VOICE_ID_BLOCK,
    NumberSettings,
)

LINKED = CurrentNumber(
    phone_number="+12025550134",
    region_code="US",
    capabilities=(Capability.SMS, Capability.VOICE),
    display_name="Support",
    service_plan_id="plan-a",
    campaign_id="camp-1",
    voice_type=VoiceApplicationType.RTC,
    voice_id="app-1",
)
UNLINKED = LINKED.model_copy(update={"service_plan_id": "", "campaign_id": "", "voice_id": ""})


def edited(current: CurrentNumber, **changes: Any) -> NumberSettings:
    return replace(current.as_settings(), **changes)


def test_a_rename_alone_is_a_display_name_change_and_sends_only_the_name() -> None:
    plan = plan_update(LINKED, edited(LINKED, display_name="Sales"))
    assert plan.changes == {Change.DISPLAY_NAME}
    assert plan.update.to_wire() == {"displayName": "Sales"}
    assert plan.lines == ("Display name: “Support” → “Sales”",)


def test_moving_to_another_plan_campaign_or_voice_app_is_refused_with_the_two_step_way() -> None:
    problems = update_problems(
        LINKED, edited(LINKED, service_plan_id="plan-b", campaign_id="camp-2", voice_id="app-2")
    )
    assert set(problems) == {SERVICE_PLAN_BLOCK, CAMPAIGN_BLOCK, VOICE_ID_BLOCK}
    assert "linked to service plan `plan-a`" in problems[SERVICE_PLAN_BLOCK]
    assert "clear this field and submit" in problems[SERVICE_PLAN_BLOCK]
    assert "`/numbers update +12025550134` again to link `plan-b`" in problems[SERVICE_PLAN_BLOCK]


def test_changing_only_the_voice_type_of_a_linked_resource_is_refused_too() -> None:
    problems = update_problems(LINKED, edited(LINKED, voice_type=VoiceApplicationType.EST))
    assert "linked to voice `app-1`" in problems[VOICE_ID_BLOCK]


def test_clearing_fields_unlinks_and_warns_that_traffic_stops() -> None:
    wanted = edited(LINKED, service_plan_id="", campaign_id="", voice_id="")
    assert update_problems(LINKED, wanted) == {}
    plan = plan_update(LINKED, wanted)
    assert plan.changes == {Change.SMS, Change.VOICE}
    assert plan.update.to_wire() == {
        "smsConfiguration": {"servicePlanId": ""},
        "voiceConfiguration": {"type": "RTC", "appId": ""},
    }
    assert plan.lines == (
        "SMS: unlink from service plan `plan-a` and campaign `camp-1`",
        "Voice: unlink from RTC `app-1`",
    )
    assert len(plan.warnings) == 2


def test_removing_only_the_campaign_keeps_the_plan() -> None:
    plan = plan_update(LINKED, edited(LINKED, campaign_id=""))
    assert plan.update.to_wire() == {"smsConfiguration": {"servicePlanId": "plan-a", "campaignId": ""}}
    assert plan.lines == ("SMS: remove from campaign `camp-1`",)


def test_linking_an_unlinked_number_is_allowed_and_names_the_voice_field_by_type() -> None:
    wanted = edited(
        UNLINKED, service_plan_id="plan-b", voice_type=VoiceApplicationType.EST, voice_id="trunk-9"
    )
    assert update_problems(UNLINKED, wanted) == {}
    plan = plan_update(UNLINKED, wanted)
    assert plan.update.to_wire() == {
        "smsConfiguration": {"servicePlanId": "plan-b", "campaignId": ""},
        "voiceConfiguration": {"type": "EST", "trunkId": "trunk-9"},
    }


def test_an_unchanged_form_is_refused() -> None:
    assert update_problems(LINKED, LINKED.as_settings()) == {
        DISPLAY_NAME_BLOCK: "Nothing changed: edit a field (or close the form)."
    }


def test_campaigns_are_refused_outside_the_us_and_sms_on_a_voice_only_number() -> None:
    swedish = UNLINKED.model_copy(update={"region_code": "SE", "capabilities": (Capability.VOICE,)})
    problems = update_problems(swedish, edited(swedish, service_plan_id="plan-a", campaign_id="c"))
    assert "only apply to US numbers" in problems[CAMPAIGN_BLOCK]
    assert "cannot send or receive SMS" in problems[SERVICE_PLAN_BLOCK]
