"""`seed_inventory`: a team's inventory as Sinch's API shows it, with every kind of number a dashboard
counts, the same for the same seed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from sandbox.sinch import RunningSandbox
from sandbox.sinch.team import INVENTORY_MAX, MIX, shares
from tests.sandbox_sinch.conftest import KEY, PROJECT, client_for
from tests.sandbox_sinch.test_active_numbers import LIST, all_pages
from tests.spec_schemas import assert_response_matches_spec

CURRENCIES = {"US": "USD", "CA": "CAD", "GB": "GBP", "DE": "EUR", "SE": "SEK", "AU": "AUD"}


def listed(sandbox: RunningSandbox) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every active and imported number of PROJECT, read over the API as a client would."""
    with client_for(sandbox) as api:
        first = api.get("/activeNumbers", params={"pageSize": "1000"})
        assert_response_matches_spec("numbers", LIST, first)
        active, _ = all_pages(api, pageSize="1000")
    url = f"{sandbox.imported_url}/v1/projects/{PROJECT}"
    with httpx.Client(base_url=url, auth=KEY) as imported_api:
        page = imported_api.get(
            "/importedNumbers", params={"servicePlanId": "", "campaignId": "", "pageSize": "1000"}
        )
    assert page.status_code == 200, page.text
    return active, page.json()["importedNumbers"]


def configured(number: dict[str, Any]) -> tuple[bool, bool]:
    voice = number["voiceConfiguration"]
    voice_target = voice.get("appId") or voice.get("trunkId") or voice.get("serviceId")
    return bool(number["smsConfiguration"]["servicePlanId"]), bool(voice_target)


def failed(number: dict[str, Any]) -> bool:
    sms = number["smsConfiguration"].get("scheduledProvisioning", {})
    voice = number["voiceConfiguration"].get("scheduledVoiceProvisioning", {})
    return "FAILED" in (sms.get("status"), voice.get("status"))


def test_two_hundred_numbers_hold_every_kind_a_team_has(sandbox: RunningSandbox) -> None:
    seeded = sandbox.state.seed_inventory(200, project_id=PROJECT)
    active, imported = listed(sandbox)

    assert sorted(number["phoneNumber"] for number in active) == sorted(seeded.active)
    assert len(active) == 200
    assert {(n["regionCode"], n["type"]) for n in active} == {(region, kind) for region, kind, _ in MIX}
    assert {tuple(n["capability"]) for n in active} == {("SMS",), ("VOICE",), ("SMS", "VOICE")}
    assert all(n["money"]["currencyCode"] == CURRENCIES[n["regionCode"]] for n in active)
    today = datetime.now(UTC)
    charges = [datetime.fromisoformat(n["nextChargeDate"]) for n in active]
    assert all(today < charge <= today + timedelta(days=31) for charge in charges)
    assert len({charge.date() for charge in charges}) >= 20  # spread over the month, not one day

    uses = Counter(configured(number) for number in active if not failed(number))
    assert uses[(True, True)] and uses[(True, False)] and uses[(False, True)]
    assert 0 < uses[(False, False)] < 200 * 0.2  # some idle, most in use
    assert 0 < sum(failed(number) for number in active) < 200 * 0.1

    voice_us_ca = [n for n in active if "VOICE" in n["capability"] and n["regionCode"] in ("US", "CA")]
    addresses = [sandbox.state.emergency_address(n["phoneNumber"], PROJECT) for n in voice_us_ca]
    assert any(addresses) and not all(addresses)
    elsewhere = [n["phoneNumber"] for n in active if n not in voice_us_ca]
    assert not any(sandbox.state.emergency_address(number, PROJECT) for number in elsewhere)

    assert 1 <= len(imported) <= 20
    assert sorted(n["phoneNumber"] for n in imported) == sorted(seeded.imported)
    assert {n["regionCode"] for n in imported} <= {"US", "CA"}
    assert all(n["smsConfiguration"]["servicePlanId"] for n in imported)
    assert not set(seeded.imported) & set(seeded.active)


def test_the_same_seed_gives_the_same_inventory_and_another_seed_another(
    make_sandbox: Callable[..., RunningSandbox],
) -> None:
    first, again, other = make_sandbox(seed=3), make_sandbox(seed=3), make_sandbox(seed=4)
    for sandbox in (first, again, other):
        sandbox.state.seed_inventory(60, project_id=PROJECT)

    def content(sandbox: RunningSandbox) -> list[dict[str, Any]]:
        active, imported = listed(sandbox)
        # nextChargeDate counts from today, and lastUpdatedTime from now: the rest must match exactly.
        for number in active:
            number.pop("nextChargeDate")
            number["voiceConfiguration"].pop("lastUpdatedTime", None)
            number["smsConfiguration"].get("scheduledProvisioning", {}).pop("lastUpdatedTime", None)
            number["voiceConfiguration"].get("scheduledVoiceProvisioning", {}).pop("lastUpdatedTime", None)
        return active + [{"imported": number["phoneNumber"]} for number in imported]

    assert content(first) == content(again)
    assert content(first) != content(other)


def test_the_searchable_stock_is_untouched(sandbox: RunningSandbox) -> None:
    with client_for(sandbox) as api:
        params = {"regionCode": "US", "type": "LOCAL", "size": "20"}
        before = api.get("/availableNumbers", params=params).json()
        sandbox.state.seed_inventory(100, project_id=PROJECT)
        after = api.get("/availableNumbers", params=params).json()

    assert after == before


@pytest.mark.parametrize("count", [-1, INVENTORY_MAX + 1])
def test_a_size_out_of_range_is_refused_and_seeds_nothing(sandbox: RunningSandbox, count: int) -> None:
    with pytest.raises(ValueError, match="0 to 100,000 numbers"):
        sandbox.state.seed_inventory(count, project_id=PROJECT)

    assert sandbox.state.active_phone_numbers(PROJECT) == []


@pytest.mark.parametrize("count", [0, 1, 7, 99, 200, 1001])
def test_shares_add_up_to_the_count(count: int) -> None:
    assert sum(share for _, _, share in shares(count)) == count
