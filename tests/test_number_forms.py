"""The SMS / voice inputs of number modals: what the user typed becomes Sinch's request, or a form error."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sinch.models import Capability, RentRequest, VoiceApplicationType
from commands.shared.number_forms import (
    CAMPAIGN_BLOCK,
    DISPLAY_NAME_BLOCK,
    SERVICE_PLAN_BLOCK,
    VOICE_ID_BLOCK,
    VOICE_TYPE_BLOCK,
    NumberSettings,
    input_blocks,
    problems,
    read_settings,
)
from commands.shared.view_state import INPUT_ACTION

BOTH = frozenset({Capability.SMS, Capability.VOICE})


def state(typed: dict[str, str] | None = None, voice_type: str | None = None) -> dict[str, Any]:
    """state.values as Slack sends them for the inputs `input_blocks` builds."""
    values: dict[str, Any] = {
        block: {INPUT_ACTION: {"type": "plain_text_input", "value": value}}
        for block, value in (typed or {}).items()
    }
    option = {"text": {"type": "plain_text", "text": voice_type}, "value": voice_type} if voice_type else None
    values[VOICE_TYPE_BLOCK] = {INPUT_ACTION: {"type": "static_select", "selected_option": option}}
    return values


def check(
    settings: NumberSettings, capabilities: frozenset[Capability] | None = BOTH, us: bool = True
) -> dict[str, str]:
    return problems(settings, phone_number="+12065550100", capabilities=capabilities, campaign_allowed=us)


def test_typed_values_are_read_trimmed_and_empty_inputs_mean_not_given() -> None:
    settings = read_settings(
        state({DISPLAY_NAME_BLOCK: "  Support line ", SERVICE_PLAN_BLOCK: " plan-1 "}, voice_type="EST")
        | {VOICE_ID_BLOCK: {INPUT_ACTION: {"type": "plain_text_input", "value": None}}}
    )

    assert settings == NumberSettings(
        display_name="Support line", service_plan_id="plan-1", voice_type=VoiceApplicationType.EST
    )
    assert settings.wants_sms and not settings.wants_voice


def test_sms_and_each_voice_type_become_the_spec_request_body() -> None:
    for voice_type, id_field in (("RTC", "appId"), ("EST", "trunkId"), ("FAX", "serviceId")):
        settings = NumberSettings(
            service_plan_id="plan-1",
            campaign_id="CAMP1",
            voice_type=VoiceApplicationType(voice_type),
            voice_id="res-9",
        )
        body = RentRequest(
            sms_configuration=settings.sms_configuration(),
            voice_configuration=settings.voice_configuration(),
        ).to_wire()

        assert body == {
            "smsConfiguration": {"servicePlanId": "plan-1", "campaignId": "CAMP1"},
            "voiceConfiguration": {"type": voice_type, id_field: "res-9"},
        }


def test_nothing_given_sends_neither_configuration() -> None:
    # The spec: adding a configuration object that is not needed is an error.
    settings = NumberSettings(display_name="Lobby")

    assert settings.sms_configuration() is None and settings.voice_configuration() is None
    assert RentRequest(sms_configuration=None, voice_configuration=None).to_wire() == {}


def test_a_complete_form_has_no_problems() -> None:
    settings = NumberSettings(
        service_plan_id="plan-1", campaign_id="C1", voice_type=VoiceApplicationType.RTC, voice_id="app-1"
    )

    assert check(settings) == {}
    assert check(NumberSettings()) == {}


@pytest.mark.parametrize(
    ("settings", "block", "words"),
    [
        (NumberSettings(campaign_id="C1"), CAMPAIGN_BLOCK, "needs a service plan"),
        (NumberSettings(voice_id="app-1"), VOICE_TYPE_BLOCK, "Choose what the ID belongs to"),
        (NumberSettings(voice_type=VoiceApplicationType.FAX), VOICE_ID_BLOCK, "Enter the service ID"),
        (NumberSettings(voice_type=VoiceApplicationType.EST), VOICE_ID_BLOCK, "Enter the trunk ID"),
        (NumberSettings(service_plan_id="plan 1"), SERVICE_PLAN_BLOCK, "no spaces"),
    ],
)
def test_each_broken_rule_is_named_on_its_input(settings: NumberSettings, block: str, words: str) -> None:
    found = check(settings)

    assert list(found) == [block]
    assert words in found[block]


def test_campaigns_are_refused_outside_the_us() -> None:
    found = check(NumberSettings(service_plan_id="plan-1", campaign_id="C1"), us=False)

    assert found == {CAMPAIGN_BLOCK: "10DLC campaigns only apply to US numbers; leave this empty."}


def test_configuration_the_number_cannot_use_is_refused() -> None:
    settings = NumberSettings(service_plan_id="plan-1", voice_type=VoiceApplicationType.RTC, voice_id="app")

    voice_only = check(settings, capabilities=frozenset({Capability.VOICE}))
    sms_only = check(settings, capabilities=frozenset({Capability.SMS}))

    assert (
        list(voice_only) == [SERVICE_PLAN_BLOCK]
        and "+12065550100 cannot send or receive SMS" in voice_only[SERVICE_PLAN_BLOCK]
    )
    assert list(sms_only) == [VOICE_ID_BLOCK] and "cannot take calls" in sms_only[VOICE_ID_BLOCK]
    # Rent-any: the number is not chosen yet, Sinch picks one that can.
    assert check(settings, capabilities=None) == {}


def test_inputs_are_optional_and_the_campaign_input_only_appears_for_us_numbers() -> None:
    us = [block.to_dict() for block in input_blocks(campaign=True)]
    elsewhere = [block.to_dict() for block in input_blocks(campaign=False)]

    assert [block["block_id"] for block in us] == [
        DISPLAY_NAME_BLOCK,
        SERVICE_PLAN_BLOCK,
        CAMPAIGN_BLOCK,
        VOICE_TYPE_BLOCK,
        VOICE_ID_BLOCK,
    ]
    assert CAMPAIGN_BLOCK not in [block["block_id"] for block in elsewhere]
    assert all(block["optional"] for block in us)
    voice_options = us[3]["element"]["options"]
    assert [option["value"] for option in voice_options] == ["RTC", "EST", "FAX"]


def test_initial_values_prefill_the_inputs_for_editing() -> None:
    initial = NumberSettings(
        display_name="Desk", service_plan_id="p", voice_type=VoiceApplicationType.FAX, voice_id="f"
    )

    blocks = {
        block.to_dict()["block_id"]: block.to_dict()
        for block in input_blocks(campaign=False, initial=initial)
    }

    assert blocks[DISPLAY_NAME_BLOCK]["element"]["initial_value"] == "Desk"
    assert blocks[SERVICE_PLAN_BLOCK]["element"]["initial_value"] == "p"
    assert blocks[VOICE_TYPE_BLOCK]["element"]["initial_option"]["value"] == "FAX"
    assert blocks[VOICE_ID_BLOCK]["element"]["initial_value"] == "f"


def test_summary_names_what_will_be_configured() -> None:
    settings = NumberSettings(
        display_name="Desk",
        service_plan_id="p1",
        campaign_id="C9",
        voice_type=VoiceApplicationType.EST,
        voice_id="t1",
    )

    assert settings.summary_fields() == [
        ("Display name", "Desk"),
        ("SMS", "service plan `p1`, campaign `C9`"),
        ("Voice", "Elastic SIP trunk (EST), trunk ID `t1`"),
    ]
    assert NumberSettings().summary_fields() == []
