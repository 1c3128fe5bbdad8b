"""Renting (one number or any), updating and releasing active numbers, with the spec's validation rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sandbox.sinch import RunningSandbox
from tests.sandbox_sinch.conftest import PROJECT, client_for, field_violations, first_available, rent
from tests.spec_schemas import assert_response_matches_spec

RENT = "NumberService_RentNumber"
UPDATE = "NumberService_UpdateActiveNumber"


def test_rent_moves_a_number_to_active_and_release_puts_it_back(
    api: httpx.Client, sandbox: RunningSandbox
) -> None:
    phone_number = first_available(api)

    rented = rent(api, phone_number, {"callbackUrl": "https://example.com/cb"})
    assert_response_matches_spec("numbers", RENT, rented)
    assert rented.json()["phoneNumber"] == phone_number
    assert rented.json()["projectId"] == PROJECT
    assert rented.json()["callbackUrl"] == "https://example.com/cb"
    assert api.get(f"/availableNumbers/{phone_number}").status_code == 404
    assert rent(api, phone_number).status_code == 404
    active = api.get(f"/activeNumbers/{phone_number}")
    assert_response_matches_spec("numbers", "NumberService_GetActiveNumber", active)
    assert sandbox.state.active_phone_numbers(PROJECT) == [phone_number]

    released = api.post(f"/activeNumbers/{phone_number}:release")

    assert_response_matches_spec("numbers", "NumberService_ReleaseNumber", released)
    assert released.json()["expireAt"] == released.json()["nextChargeDate"]
    assert api.get(f"/activeNumbers/{phone_number}").status_code == 404
    assert api.post(f"/activeNumbers/{phone_number}:release").status_code == 404
    assert api.get(f"/availableNumbers/{phone_number}").status_code == 200
    assert sandbox.state.is_available(phone_number)


def test_rent_is_limited_to_us_local_numbers_unless_relaxed(
    api: httpx.Client, make_sandbox: Callable[..., RunningSandbox]
) -> None:
    gb_mobile = first_available(api, regionCode="GB", type="MOBILE")

    refused = rent(api, gb_mobile)

    assert refused.status_code == 400
    assert "phoneNumber" in field_violations(refused)
    with client_for(make_sandbox(rent_us_local_only=False)) as relaxed:
        assert rent(relaxed, gb_mobile).status_code == 200


def test_rent_any_takes_the_first_match_and_honours_its_filters(api: httpx.Client) -> None:
    request = {
        "regionCode": "US",
        "type": "LOCAL",
        "numberPattern": {"pattern": "+1208", "searchPattern": "START"},
        "smsConfiguration": {"servicePlanId": "plan-a"},
    }
    expected = first_available(
        api, **{"numberPattern.pattern": "+1208", "numberPattern.searchPattern": "START"}
    )

    response = api.post("/availableNumbers:rentAny", json=request)

    assert_response_matches_spec("numbers", "NumberService_RentAnyNumber", response)
    assert response.json()["phoneNumber"] == expected
    assert "SMS" in response.json()["capability"]
    assert response.json()["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == "plan-a"


def test_rent_any_accepts_only_us_local_and_needs_a_match(api: httpx.Client) -> None:
    wrong_market = api.post("/availableNumbers:rentAny", json={"regionCode": "GB", "type": "MOBILE"})
    missing = api.post("/availableNumbers:rentAny", json={})
    no_match = api.post(
        "/availableNumbers:rentAny",
        json={
            "regionCode": "US",
            "type": "LOCAL",
            "numberPattern": {"pattern": "+1999", "searchPattern": "START"},
        },
    )

    assert_response_matches_spec("numbers", "NumberService_RentAnyNumber", wrong_market)
    assert set(field_violations(wrong_market)) == {"regionCode", "type"}
    assert set(field_violations(missing)) == {"regionCode", "type"}
    assert no_match.status_code == 404
    assert_response_matches_spec("numbers", "NumberService_RentAnyNumber", no_match)


def test_rent_any_rejects_a_number_pattern_that_is_not_text(api: httpx.Client) -> None:
    body = {"regionCode": "US", "type": "LOCAL", "numberPattern": {"pattern": 1206}}

    response = api.post("/availableNumbers:rentAny", json=body)

    assert response.status_code == 400
    assert_response_matches_spec("numbers", "NumberService_RentAnyNumber", response)
    assert set(field_violations(response)) == {"numberPattern.pattern"}
    assert api.get("/activeNumbers").json()["activeNumbers"] == []


@pytest.mark.parametrize(
    ("body", "violated_field"),
    [
        ({"smsConfiguration": {}}, "smsConfiguration"),
        ({"smsConfiguration": {"campaignId": "C1"}}, "smsConfiguration.servicePlanId"),
        ({"voiceConfiguration": {}}, "voiceConfiguration"),
        ({"voiceConfiguration": {"type": "EST", "appId": "app"}}, "voiceConfiguration.appId"),
        ({"voiceConfiguration": {"type": "EST"}}, "voiceConfiguration.trunkId"),
        ({"voiceConfiguration": {"type": "FAX", "serviceId": 5}}, "voiceConfiguration.serviceId"),
        ({"voiceConfiguration": {"type": "SIP", "appId": "a"}}, "voiceConfiguration.type"),
        ({"callbackUrl": "ftp://example.com"}, "callbackUrl"),
    ],
)
def test_rent_rejects_invalid_configurations(
    api: httpx.Client, body: dict[str, Any], violated_field: str
) -> None:
    phone_number = first_available(api, capability="VOICE")

    response = rent(api, phone_number, body)

    assert response.status_code == 400
    assert_response_matches_spec("numbers", RENT, response)
    assert violated_field in field_violations(response)
    assert api.get(f"/availableNumbers/{phone_number}").status_code == 200


def test_configuration_must_fit_the_number(
    api: httpx.Client, make_sandbox: Callable[..., RunningSandbox]
) -> None:
    voice_only = next(
        n["phoneNumber"]
        for n in api.get(
            "/availableNumbers", params={"regionCode": "US", "type": "LOCAL", "size": "100"}
        ).json()["availableNumbers"]
        if n["capability"] == ["VOICE"]
    )
    with client_for(make_sandbox(rent_us_local_only=False)) as relaxed:
        gb_mobile = first_available(relaxed, regionCode="GB", type="MOBILE")
        campaign_abroad = rent(
            relaxed, gb_mobile, {"smsConfiguration": {"servicePlanId": "p", "campaignId": "C"}}
        )

    not_sms = rent(api, voice_only, {"smsConfiguration": {"servicePlanId": "p"}})

    assert "smsConfiguration" in field_violations(not_sms)
    assert "smsConfiguration.campaignId" in field_violations(campaign_abroad)


def test_update_changes_display_name_and_rejects_an_empty_request(api: httpx.Client) -> None:
    phone_number = first_available(api)
    rent(api, phone_number)

    renamed = api.patch(f"/activeNumbers/{phone_number}", json={"displayName": "Support line"})
    empty = api.patch(f"/activeNumbers/{phone_number}", json={})
    unknown = api.patch("/activeNumbers/+12025550000", json={"displayName": "x"})
    not_json = api.patch(
        f"/activeNumbers/{phone_number}", content=b"{nope", headers={"Content-Type": "application/json"}
    )

    assert_response_matches_spec("numbers", UPDATE, renamed)
    assert renamed.json()["displayName"] == "Support line"
    assert empty.status_code == 400
    assert_response_matches_spec("numbers", UPDATE, empty)
    assert unknown.status_code == 404
    assert not_json.status_code == 400


def test_relinking_requires_unlinking_first(api: httpx.Client, sandbox: RunningSandbox) -> None:
    phone_number = first_available(api)
    rent(
        api,
        phone_number,
        {"smsConfiguration": {"servicePlanId": "plan-a"}, "voiceConfiguration": {"appId": "app-a"}},
    )
    sandbox.complete_provisioning(phone_number)

    relink_sms = api.patch(
        f"/activeNumbers/{phone_number}", json={"smsConfiguration": {"servicePlanId": "plan-b"}}
    )
    relink_voice = api.patch(
        f"/activeNumbers/{phone_number}", json={"voiceConfiguration": {"type": "RTC", "appId": "b"}}
    )
    same_again = api.patch(
        f"/activeNumbers/{phone_number}", json={"smsConfiguration": {"servicePlanId": "plan-a"}}
    )
    unlink = api.patch(
        f"/activeNumbers/{phone_number}",
        json={"smsConfiguration": {"servicePlanId": ""}, "voiceConfiguration": {"type": "RTC", "appId": ""}},
    )
    link = api.patch(f"/activeNumbers/{phone_number}", json={"smsConfiguration": {"servicePlanId": "plan-b"}})

    assert "smsConfiguration.servicePlanId" in field_violations(relink_sms)
    assert "voiceConfiguration.appId" in field_violations(relink_voice)
    assert same_again.status_code == 200
    assert "scheduledProvisioning" not in same_again.json()["smsConfiguration"]
    assert unlink.json()["smsConfiguration"] == {"servicePlanId": "", "campaignId": ""}
    assert unlink.json()["voiceConfiguration"]["appId"] == ""
    assert link.json()["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == "plan-b"


def test_a_campaign_can_be_added_then_must_be_unlinked_before_another(
    api: httpx.Client, sandbox: RunningSandbox
) -> None:
    phone_number = first_available(api)
    rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "plan-a"}})
    sandbox.complete_provisioning()

    add = api.patch(
        f"/activeNumbers/{phone_number}",
        json={"smsConfiguration": {"servicePlanId": "plan-a", "campaignId": "C1"}},
    )
    sandbox.complete_provisioning()
    switch = api.patch(
        f"/activeNumbers/{phone_number}",
        json={"smsConfiguration": {"servicePlanId": "plan-a", "campaignId": "C2"}},
    )
    drop = api.patch(
        f"/activeNumbers/{phone_number}",
        json={"smsConfiguration": {"servicePlanId": "plan-a", "campaignId": ""}},
    )

    assert add.json()["smsConfiguration"]["scheduledProvisioning"]["campaignId"] == "C1"
    assert "smsConfiguration.campaignId" in field_violations(switch)
    assert drop.json()["smsConfiguration"] == {"servicePlanId": "plan-a", "campaignId": ""}


def test_unknown_routes_and_methods_answer_in_the_api_error_shape(api: httpx.Client) -> None:
    missing = api.get("/nothingHere")
    wrong_method = api.delete("/activeNumbers")

    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"
    assert wrong_method.status_code == 405
