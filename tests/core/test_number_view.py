"""How an active number reads in Slack: links in effect, the E911 address, what a release stops."""

from __future__ import annotations

from typing import Any

from bot.sinch.models import ActiveNumber, EmergencyAddress
from commands.shared.number_view import (
    effective_sms_link,
    effective_voice_link,
    format_address,
    stops_working,
)


def number(**fields: Any) -> ActiveNumber:
    return ActiveNumber.model_validate({"phoneNumber": "+12025550134", **fields})


def test_a_running_provisioning_counts_as_the_current_link_and_a_failed_one_does_not() -> None:
    running = number(
        smsConfiguration={
            "servicePlanId": "",
            "scheduledProvisioning": {"servicePlanId": "plan-b", "campaignId": "", "status": "WAITING"},
        },
        voiceConfiguration={
            "type": "RTC",
            "appId": "",
            "scheduledVoiceProvisioning": {"type": "EST", "trunkId": "trunk-1", "status": "IN_PROGRESS"},
        },
    )
    assert effective_sms_link(running).service_plan_id == "plan-b"
    assert (effective_voice_link(running).type, effective_voice_link(running).target) == ("EST", "trunk-1")
    failed = number(
        smsConfiguration={
            "servicePlanId": "plan-a",
            "scheduledProvisioning": {
                "servicePlanId": "plan-b",
                "status": "FAILED",
                "errorCodes": ["INTERNAL_ERROR"],
            },
        }
    )
    assert effective_sms_link(failed).service_plan_id == "plan-a"


def test_addresses_read_like_an_envelope() -> None:
    address = EmergencyAddress(
        street_number="350",
        street_info="5th Ave",
        location="Floor 3",
        city="New York",
        state="NY",
        postal_code="10118",
        postal_code_plus_four="0110",
    )
    assert format_address(address) == "350 5th Ave, Floor 3, New York, NY 10118-0110"
    assert format_address(EmergencyAddress()) == "—"


def test_a_release_lists_every_link_that_stops_and_nothing_for_a_bare_number() -> None:
    linked = number(
        smsConfiguration={"servicePlanId": "plan-a", "campaignId": "camp-1"},
        voiceConfiguration={"type": "FAX", "serviceId": "fax-1"},
        callbackUrl="https://example.com/cb",
    )
    stops = stops_working(linked, EmergencyAddress(street_number="1", street_info="Main St", city="X"))
    assert stops == [
        "SMS through service plan `plan-a` stops.",
        "The number leaves 10DLC campaign `camp-1`.",
        "Calls stop reaching voice FAX `fax-1`.",
        "The emergency (E911) address is dropped: 1 Main St, X.",
        "Callbacks to https://example.com/cb stop.",
    ]
    assert stops_working(number(), None) == []
