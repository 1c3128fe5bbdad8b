"""Emergency addresses: deterministic validation, and provision / get / deprovision on voice numbers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox.sinch import RunningSandbox
from tests.sandbox_sinch.conftest import PROJECT, field_violations, first_available, rent
from tests.spec_schemas import assert_response_matches_spec

KNOWN = {
    "streetNumber": "12345",
    "streetInfo": "Main St",
    "city": "Springfield",
    "state": "IL",
    "postalCode": "62701",
}


@pytest.fixture
def voice_number(api: httpx.Client) -> str:
    phone_number = first_available(api, capability="VOICE")
    rent(api, phone_number)
    return phone_number


def validate(api: httpx.Client, phone_number: str, address: dict[str, str]) -> dict[str, Any]:
    response = api.post(
        f"/activeNumbers/{phone_number}/emergencyAddress:validate",
        json={"displayName": "HQ", "address": address},
    )
    assert_response_matches_spec("numbers", "NumberService_ValidateEmergencyAddress", response)
    result: dict[str, Any] = response.json()
    return result


def test_a_known_address_is_an_exact_match(api: httpx.Client, voice_number: str) -> None:
    result = validate(api, voice_number, {**KNOWN, "location": "Apt 5"})

    assert result["validationResult"] == "EXACT_MATCH"
    assert result["phoneNumber"] == voice_number
    assert result["displayName"] == "HQ"
    assert result["validatedAddress"] == {**KNOWN, "location": "Apt 5", "postalCodePlusFour": "1234"}
    assert result["candidateAddresses"] == []


@pytest.mark.parametrize(
    "variant", [{"streetInfo": "Main Street"}, {"streetInfo": "main st."}, {"postalCode": "62799"}]
)
def test_a_known_street_written_differently_is_a_near_match_with_a_correction(
    api: httpx.Client, voice_number: str, variant: dict[str, str]
) -> None:
    result = validate(api, voice_number, {**KNOWN, **variant})

    assert result["validationResult"] == "NEAR_MATCH"
    assert result["correctedAddress"] == {**KNOWN, "postalCodePlusFour": "1234"}


def test_an_unknown_address_is_no_match_with_candidates_from_the_same_state(
    api: httpx.Client, voice_number: str
) -> None:
    result = validate(api, voice_number, {**KNOWN, "streetNumber": "1", "streetInfo": "Nowhere Rd"})

    assert result["validationResult"] == "NO_MATCH"
    assert result["correctedAddress"] == {}
    assert 2 <= len(result["candidateAddresses"]) <= 3
    assert all(candidate["state"] == "IL" for candidate in result["candidateAddresses"])


def test_provision_get_and_deprovision(api: httpx.Client, sandbox: RunningSandbox, voice_number: str) -> None:
    base = f"/activeNumbers/{voice_number}/emergencyAddress"
    assert api.get(base).status_code == 404

    provisioned = api.post(
        f"{base}:provision", json={"displayName": "HQ", "address": {**KNOWN, "streetInfo": "Main Street"}}
    )
    fetched = api.get(base)
    deprovisioned = api.post(f"{base}:deprovision")

    assert_response_matches_spec("numbers", "NumberService_ProvisionEmergencyAddress", provisioned)
    assert provisioned.json()["streetInfo"] == "Main St"
    assert_response_matches_spec("numbers", "NumberService_GetEmergencyAddress", fetched)
    assert fetched.json() == provisioned.json()
    assert_response_matches_spec("numbers", "NumberService_DeprovisionEmergencyAddress", deprovisioned)
    assert api.get(base).status_code == 404
    assert api.post(f"{base}:deprovision").status_code == 404
    assert sandbox.state.emergency_address(voice_number, PROJECT) is None


def test_provision_refuses_unverifiable_addresses_and_incomplete_requests(
    api: httpx.Client, voice_number: str
) -> None:
    base = f"/activeNumbers/{voice_number}/emergencyAddress"

    unknown = api.post(
        f"{base}:provision", json={"displayName": "HQ", "address": {**KNOWN, "streetInfo": "Elsewhere"}}
    )
    incomplete = api.post(f"{base}:provision", json={"address": {"streetNumber": "1"}})

    assert "address" in field_violations(unknown)
    assert_response_matches_spec("numbers", "NumberService_ProvisionEmergencyAddress", incomplete)
    assert set(field_violations(incomplete)) == {
        "displayName",
        "address.streetInfo",
        "address.city",
        "address.state",
        "address.postalCode",
    }


def test_only_active_voice_numbers_have_emergency_addresses(api: httpx.Client) -> None:
    sms_only = next(
        n["phoneNumber"]
        for n in api.get(
            "/availableNumbers", params={"regionCode": "US", "type": "LOCAL", "size": "100"}
        ).json()["availableNumbers"]
        if n["capability"] == ["SMS"]
    )
    rent(api, sms_only)
    body = {"displayName": "HQ", "address": KNOWN}

    not_voice = api.post(f"/activeNumbers/{sms_only}/emergencyAddress:provision", json=body)
    not_active = api.post("/activeNumbers/+12025550000/emergencyAddress:provision", json=body)

    assert "phoneNumber" in field_violations(not_voice)
    assert not_active.status_code == 404
