"""Listing active numbers: filters, orderBy and page-token pagination, over numbers seeded in bulk."""

from __future__ import annotations

import time
from typing import Any

import httpx

from sandbox.sinch import RunningSandbox
from tests.sandbox_sinch.conftest import PROJECT, field_violations
from tests.spec_schemas import assert_response_matches_spec

LIST = "NumberService_ListActiveNumbers"


def all_pages(api: httpx.Client, **params: str) -> tuple[list[dict[str, Any]], int]:
    numbers: list[dict[str, Any]] = []
    token = ""
    while True:
        response = api.get("/activeNumbers", params={**params, "pageToken": token} if token else params)
        assert response.status_code == 200, response.text
        body = response.json()
        numbers.extend(body["activeNumbers"])
        token = body["nextPageToken"]
        if not token:
            return numbers, body["totalSize"]


def test_pages_cover_every_number_once_in_phone_number_order(
    api: httpx.Client, sandbox: RunningSandbox
) -> None:
    seeded = sandbox.state.seed_active_numbers(23, project_id=PROJECT)

    first = api.get("/activeNumbers", params={"pageSize": "10"})
    numbers, total = all_pages(api, pageSize="10")

    assert_response_matches_spec("numbers", LIST, first)
    assert len(first.json()["activeNumbers"]) == 10
    assert first.json()["totalSize"] == 23
    assert total == 23
    assert [n["phoneNumber"] for n in numbers] == sorted(seeded)


def test_numbers_released_between_pages_are_neither_skipped_nor_repeated(
    api: httpx.Client, sandbox: RunningSandbox
) -> None:
    seeded = sorted(sandbox.state.seed_active_numbers(6, project_id=PROJECT))
    first = api.get("/activeNumbers", params={"pageSize": "3"}).json()
    api.post(f"/activeNumbers/{seeded[0]}:release")

    rest = api.get("/activeNumbers", params={"pageSize": "3", "pageToken": first["nextPageToken"]}).json()

    assert [n["phoneNumber"] for n in rest["activeNumbers"]] == seeded[3:]


def test_order_by_display_name(api: httpx.Client, sandbox: RunningSandbox) -> None:
    seeded = sandbox.state.seed_active_numbers(12, project_id=PROJECT, display_name_prefix="line-")

    numbers, _ = all_pages(api, orderBy="displayName", pageSize="5")

    names = [n["displayName"] for n in numbers]
    assert names == sorted(f"line-{i}" for i in range(1, 13))
    assert {n["phoneNumber"] for n in numbers} == set(seeded)


def test_filters_by_region_type_pattern_and_capability(api: httpx.Client, sandbox: RunningSandbox) -> None:
    sandbox.state.seed_active_numbers(5, project_id=PROJECT)
    gb = sandbox.state.seed_active_numbers(4, "GB", "MOBILE", project_id=PROJECT)
    sandbox.state.seed_active_numbers(3, "SE", "LOCAL", project_id=PROJECT)

    by_region = api.get("/activeNumbers", params={"regionCode": "GB"}).json()
    by_type = api.get("/activeNumbers", params={"type": "LOCAL", "regionCode": "SE"}).json()
    by_pattern = api.get(
        "/activeNumbers", params={"numberPattern.pattern": "+44", "numberPattern.searchPattern": "START"}
    ).json()
    voice_only_region = api.get("/activeNumbers", params={"regionCode": "SE", "capability": "SMS"}).json()

    assert sorted(n["phoneNumber"] for n in by_region["activeNumbers"]) == sorted(gb)
    assert by_type["totalSize"] == 3
    assert by_pattern["totalSize"] == 4
    assert voice_only_region["totalSize"] == 0


def test_projects_are_isolated(api: httpx.Client, sandbox: RunningSandbox) -> None:
    sandbox.state.seed_active_numbers(3, project_id="someone-else")

    assert api.get("/activeNumbers").json()["totalSize"] == 0


def test_bad_list_parameters_are_field_violations(api: httpx.Client, sandbox: RunningSandbox) -> None:
    sandbox.state.seed_active_numbers(4, project_id=PROJECT)
    token = api.get("/activeNumbers", params={"pageSize": "2"}).json()["nextPageToken"]

    wrong = api.get("/activeNumbers", params={"orderBy": "price", "type": "CHEAP", "pageSize": "x"})
    forged = api.get("/activeNumbers", params={"pageToken": "not-a-token"})
    other_order = api.get("/activeNumbers", params={"pageToken": token, "orderBy": "displayName"})

    assert_response_matches_spec("numbers", LIST, wrong)
    assert set(field_violations(wrong)) == {"orderBy", "type", "pageSize"}
    assert set(field_violations(forged)) == {"pageToken"}
    assert set(field_violations(other_order)) == {"pageToken"}


def test_seeding_thousands_of_numbers_is_fast(sandbox: RunningSandbox) -> None:
    started = time.perf_counter()

    seeded = sandbox.state.seed_active_numbers(5000, service_plan_id="plan", app_id="app")

    assert time.perf_counter() - started < 3
    assert len(set(seeded)) == 5000
    view = sandbox.state.active_number(seeded[0])
    assert view is not None
    assert view["smsConfiguration"] == {"servicePlanId": "plan", "campaignId": ""}
    assert view["voiceConfiguration"]["appId"] == "app"
    assert not any(sandbox.state.is_available(number) for number in seeded[:50])
