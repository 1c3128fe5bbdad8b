"""Searching and checking available numbers, and the regions on offer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import phonenumbers
import pytest

from sandbox.sinch import RunningSandbox
from tests.sandbox_sinch.conftest import client_for, field_violations
from tests.spec_schemas import assert_response_matches_spec

LIST = "NumberService_ListAvailableNumbers"
OFFERED = [
    ("US", "LOCAL"),
    ("US", "TOLL_FREE"),
    ("CA", "LOCAL"),
    ("CA", "TOLL_FREE"),
    ("GB", "MOBILE"),
    ("GB", "LOCAL"),
    ("GB", "TOLL_FREE"),
    ("SE", "MOBILE"),
    ("SE", "LOCAL"),
    ("SE", "TOLL_FREE"),
    ("DE", "MOBILE"),
    ("DE", "LOCAL"),
    ("DE", "TOLL_FREE"),
]
_PHONENUMBERS_TYPES = {
    "MOBILE": {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE},
    "LOCAL": {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE},
    "TOLL_FREE": {phonenumbers.PhoneNumberType.TOLL_FREE},
}


def search(api: httpx.Client, *, check_spec: bool = True, **params: Any) -> list[dict[str, Any]]:
    response = api.get("/availableNumbers", params=params)
    assert response.status_code == 200, response.text
    if check_spec:
        assert_response_matches_spec("numbers", LIST, response)
    numbers: list[dict[str, Any]] = response.json()["availableNumbers"]
    return numbers


@pytest.mark.parametrize(("region", "number_type"), OFFERED)
def test_every_offered_region_and_type_has_hundreds_of_valid_numbers(
    api: httpx.Client, region: str, number_type: str
) -> None:
    # The shape is checked against the spec elsewhere; validating 1000 items here would only be slow.
    numbers = search(api, check_spec=False, regionCode=region, type=number_type, size="1000")

    assert len(numbers) >= 300
    assert len({n["phoneNumber"] for n in numbers}) == len(numbers)
    for number in numbers:
        parsed = phonenumbers.parse(str(number["phoneNumber"]))
        assert phonenumbers.is_valid_number_for_region(parsed, region)
        assert phonenumbers.number_type(parsed) in _PHONENUMBERS_TYPES[number_type]
        assert number["regionCode"] == region and number["type"] == number_type


def test_prices_and_paperwork_are_realistic(api: httpx.Client) -> None:
    us_local = search(api, regionCode="US", type="LOCAL", size="1")[0]
    de_local = search(api, regionCode="DE", type="LOCAL", size="1")[0]

    assert us_local["setupPrice"] == {"currencyCode": "USD", "amount": "1.00"}
    assert us_local["monthlyPrice"] == {"currencyCode": "USD", "amount": "1.00"}
    assert us_local["supportingDocumentationRequired"] is False
    assert de_local["supportingDocumentationRequired"] is True


def test_size_caps_the_results(api: httpx.Client) -> None:
    assert len(search(api, regionCode="US", type="LOCAL", size="3")) == 3


@pytest.mark.parametrize(
    ("pattern", "search_pattern", "check"),
    [
        ("+1206", "START", lambda n: n.startswith("+1206")),
        ("1206", None, lambda n: n.startswith("+1206")),
        ("77", "CONTAINS", lambda n: "77" in n),
        ("00", "END", lambda n: n.endswith("00")),
    ],
)
def test_number_patterns_filter_the_search(
    api: httpx.Client, pattern: str, search_pattern: str | None, check: Callable[[str], bool]
) -> None:
    params = {"regionCode": "US", "type": "LOCAL", "numberPattern.pattern": pattern, "size": "1000"}
    if search_pattern:
        params["numberPattern.searchPattern"] = search_pattern

    numbers = [str(n["phoneNumber"]) for n in search(api, check_spec=True, **params)]

    assert numbers
    assert all(check(number) for number in numbers)


def test_capabilities_filter_requires_every_listed_capability(api: httpx.Client) -> None:
    both = search(api, regionCode="US", type="LOCAL", capabilities=["SMS", "VOICE"], size="1000")
    voice = search(api, regionCode="US", type="LOCAL", capabilities="VOICE", size="1000")

    assert all(set(n["capability"]) == {"SMS", "VOICE"} for n in both)
    assert len(voice) > len(both)


def test_region_and_type_are_required_and_validated(api: httpx.Client) -> None:
    missing = api.get("/availableNumbers")
    wrong = api.get(
        "/availableNumbers",
        params={
            "regionCode": "US",
            "type": "PREMIUM",
            "capabilities": "FAX",
            "numberPattern.searchPattern": "ANY",
        },
    )

    assert_response_matches_spec("numbers", LIST, missing)
    assert set(field_violations(missing)) == {"regionCode", "type"}
    assert missing.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert set(field_violations(wrong)) == {"type", "capabilities", "numberPattern.searchPattern"}


def test_an_empty_type_is_missing_not_a_server_error(api: httpx.Client) -> None:
    response = api.get("/availableNumbers", params={"type": "", "regionCode": "r"})

    assert response.status_code == 400
    assert_response_matches_spec("numbers", LIST, response)
    assert set(field_violations(response)) == {"type"}


def test_a_region_without_that_type_has_no_numbers(api: httpx.Client) -> None:
    assert search(api, regionCode="US", type="MOBILE") == []


def test_checking_one_number(api: httpx.Client) -> None:
    number = search(api, regionCode="GB", type="MOBILE", size="1")[0]

    found = api.get(f"/availableNumbers/{number['phoneNumber']}")
    unknown = api.get("/availableNumbers/+12025550000")
    malformed = api.get("/availableNumbers/12025550000")

    assert_response_matches_spec("numbers", "NumberService_GetAvailableNumber", found)
    assert found.json() == number
    assert unknown.status_code == 404
    assert_response_matches_spec("numbers", "NumberService_GetAvailableNumber", unknown)
    assert unknown.json()["error"]["status"] == "NOT_FOUND"
    assert malformed.status_code == 400
    assert "phoneNumber" in field_violations(malformed)


def test_the_inventory_is_deterministic_for_a_seed(make_sandbox: Callable[..., RunningSandbox]) -> None:
    def first_numbers(sandbox: RunningSandbox) -> list[str]:
        with client_for(sandbox) as client:
            return [n["phoneNumber"] for n in search(client, regionCode="SE", type="MOBILE", size="20")]

    one, same, other = make_sandbox(seed=3), make_sandbox(seed=3), make_sandbox(seed=4)

    assert first_numbers(one) == first_numbers(same)
    assert first_numbers(one) != first_numbers(other)


def test_regions_list_and_filter_by_type(api: httpx.Client) -> None:
    everything = api.get("/availableRegions")
    mobile = api.get("/availableRegions", params={"types": "MOBILE"})
    invalid = api.get("/availableRegions", params={"types": "SATELLITE"})

    assert_response_matches_spec("numbers", "NumberService_ListAvailableRegions", everything)
    codes = [region["regionCode"] for region in everything.json()["availableRegions"]]
    assert codes == ["AU", "CA", "DE", "GB", "SE", "US"]
    us = next(r for r in everything.json()["availableRegions"] if r["regionCode"] == "US")
    assert us == {"regionCode": "US", "regionName": "United States", "types": ["LOCAL", "TOLL_FREE"]}
    assert [r["regionCode"] for r in mobile.json()["availableRegions"]] == ["AU", "DE", "GB", "SE"]
    assert invalid.status_code == 400
