"""Pure rules of `imported list` and `imported update`: filters, criteria, unlink-before-relink."""

from __future__ import annotations

from typing import Any

import pytest

from bot.approvals.policy import Change
from bot.config import Settings
from bot.errors import UsageError, UserFacingError
from bot.sinch.models import ImportedNumber, SearchPattern, SmsConfiguration
from commands.imported.rules import WantedUpdate, list_criteria, list_filters, plan_update

USAGE = "imported update"


def settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, **overrides)


def number(plan: str = "", campaign: str = "", region: str = "US", name: str = "") -> ImportedNumber:
    return ImportedNumber(
        phone_number="+12062345678",
        region_code=region,
        display_name=name,
        sms_configuration=SmsConfiguration(service_plan_id=plan, campaign_id=campaign),
    )


def test_filters_prefer_options_then_defaults_and_send_any_for_the_missing_one() -> None:
    configured = settings(numbot_imported_service_plan_id="P0", numbot_imported_campaign_id="C0")
    chosen = list_filters("P1", None, configured)
    assert (chosen.service_plan_id, chosen.campaign_id) == ("P1", "C0")
    assert chosen.description == (
        "service plan `P1` (from `--plan`) · campaign `C0` (default from NUMBOT_IMPORTED_CAMPAIGN_ID)"
    )
    only_plan = list_filters(None, None, settings(numbot_imported_service_plan_id="P0"))
    assert (only_plan.service_plan_id, only_plan.campaign_id) == ("P0", "")


def test_filters_without_any_source_name_the_settings() -> None:
    with pytest.raises(UserFacingError, match="NUMBOT_IMPORTED_SERVICE_PLAN_ID"):
        list_filters(None, None, settings())


def test_criteria_tell_region_from_pattern_in_any_order() -> None:
    criteria = list_criteria(["+1206", "us"], "usage")
    assert criteria.region_code == "US"
    assert criteria.pattern is not None
    assert (criteria.pattern.pattern, criteria.pattern.search_pattern) == ("1206", SearchPattern.START)
    assert list_criteria(["555"], "usage").pattern.search_pattern is SearchPattern.CONTAINS  # type: ignore[union-attr]
    with pytest.raises(UsageError, match="neither a region"):
        list_criteria(["Seattle"], "usage")


def test_rename_alone_needs_no_approval_but_a_link_does() -> None:
    rename = plan_update(number(plan="P1"), WantedUpdate(display_name="Desk"), USAGE)
    assert rename.changes == {Change.DISPLAY_NAME}
    assert rename.update.to_wire() == {"displayName": "Desk"}

    link = plan_update(number(), WantedUpdate(service_plan_id="P1", campaign_id="C1"), USAGE)
    assert link.changes == {Change.SMS}
    assert link.update.to_wire() == {"smsConfiguration": {"servicePlanId": "P1", "campaignId": "C1"}}
    assert ("Service plan", "none → `P1`") in link.fields


def test_adding_a_campaign_keeps_the_linked_plan() -> None:
    planned = plan_update(number(plan="P1"), WantedUpdate(campaign_id="C1"), USAGE)
    assert planned.update.to_wire() == {"smsConfiguration": {"servicePlanId": "P1", "campaignId": "C1"}}


def test_a_campaign_only_change_does_not_show_the_unchanged_plan() -> None:
    added = plan_update(number(plan="P1"), WantedUpdate(campaign_id="C1"), USAGE)
    assert added.fields == [("Number", "+12062345678"), ("Campaign", "none → `C1`")]
    removed = plan_update(number(plan="P1", campaign="C1"), WantedUpdate(unlink_campaign=True), USAGE)
    assert removed.fields == [("Number", "+12062345678"), ("Campaign", "`C1` → none")]


@pytest.mark.parametrize(
    ("current", "wanted", "message"),
    [
        (number(plan="P1"), WantedUpdate(service_plan_id="P2"), "Unlink it first"),
        (number(plan="P1", campaign="C1"), WantedUpdate(campaign_id="C2"), "--unlink-campaign"),
        (number(plan="P1", region="CA"), WantedUpdate(campaign_id="C1"), "only apply to US numbers"),
        (number(), WantedUpdate(campaign_id="C1"), "needs a service plan"),
        (number(), WantedUpdate(unlink=True), "nothing to unlink"),
        (number(plan="P1"), WantedUpdate(unlink_campaign=True), "nothing to unlink"),
        (number(plan="P1", name="Desk"), WantedUpdate(service_plan_id="P1", display_name="Desk"), "nothing"),
    ],
)
def test_impossible_updates_are_explained(
    current: ImportedNumber, wanted: WantedUpdate, message: str
) -> None:
    with pytest.raises(UserFacingError, match=message):
        plan_update(current, wanted, USAGE)


def test_unlink_and_link_at_once_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="two steps"):
        plan_update(number(plan="P1"), WantedUpdate(unlink=True, service_plan_id="P2"), USAGE)


def test_unlinks_send_empty_strings() -> None:
    both = plan_update(number(plan="P1", campaign="C1"), WantedUpdate(unlink=True), USAGE)
    assert both.update.to_wire() == {"smsConfiguration": {"servicePlanId": "", "campaignId": ""}}
    campaign = plan_update(number(plan="P1", campaign="C1"), WantedUpdate(unlink_campaign=True), USAGE)
    assert campaign.update.to_wire() == {"smsConfiguration": {"servicePlanId": "P1", "campaignId": ""}}
