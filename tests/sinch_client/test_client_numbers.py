"""Every Numbers API operation of SinchClient, against the sandbox over real HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.sinch import (
    AddressValidationResult,
    Capability,
    EmergencyAddress,
    InvalidArgument,
    NotFound,
    NumberPattern,
    NumberType,
    ProvisioningStatus,
    RentAnyRequest,
    RentRequest,
    SearchPattern,
    SinchClient,
    SmsConfiguration,
    UpdateActiveNumber,
)
from sandbox.sinch import RunningSandbox
from tests.harness import SPRINGFIELD
from tests.sinch_client.builders import (
    api_requests,
    make_client,
    rent_sms_number,
    rent_voice_number,
)


def test_search_available_sends_the_documented_filters_and_returns_typed_numbers(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    found = client.search_available(
        "US",
        NumberType.LOCAL,
        pattern=NumberPattern(pattern="2", search_pattern=SearchPattern.CONTAINS),
        capabilities=[Capability.SMS, Capability.VOICE],
        size=3,
    )

    assert 0 < len(found) <= 3
    for number in found:
        assert "2" in number.phone_number[1:]
        assert {Capability.SMS, Capability.VOICE} <= set(number.capability)
        assert number.type is NumberType.LOCAL
        assert number.monthly_price is not None
        assert isinstance(number.monthly_price.amount, Decimal)
    [request] = api_requests(sandbox)
    assert request.query == {
        "regionCode": ["US"],
        "type": ["LOCAL"],
        "capabilities": ["SMS", "VOICE"],
        "size": ["3"],
        "numberPattern.pattern": ["2"],
        "numberPattern.searchPattern": ["CONTAINS"],
    }


def test_check_answers_for_an_available_number_and_not_found_for_a_rented_one(client: SinchClient) -> None:
    offer = client.search_available("US", NumberType.LOCAL, size=1)[0]

    assert client.check(offer.phone_number).phone_number == offer.phone_number
    client.rent(offer.phone_number, RentRequest())
    with pytest.raises(NotFound) as caught:
        client.check(offer.phone_number)
    assert offer.phone_number in caught.value.message


def test_rent_starts_sms_provisioning_and_the_number_becomes_active(client: SinchClient) -> None:
    rented = rent_sms_number(client, plan="plan-42")

    assert rented.sms_configuration is not None
    scheduled = rented.sms_configuration.scheduled_provisioning
    assert scheduled is not None
    assert (scheduled.service_plan_id, scheduled.status) == ("plan-42", ProvisioningStatus.WAITING)
    assert client.get_active(rented.phone_number).phone_number == rented.phone_number


def test_rent_outside_us_local_is_rejected_with_the_field_that_is_wrong(client: SinchClient) -> None:
    offer = client.search_available("GB", NumberType.MOBILE, size=1)[0]

    with pytest.raises(InvalidArgument) as caught:
        client.rent(offer.phone_number, RentRequest())

    assert [v.field for v in caught.value.field_violations] == ["phoneNumber"]
    assert caught.value.message.startswith("Sinch rejected the request (HTTP 400): phoneNumber: ")


def test_rent_any_rents_a_number_matching_the_pattern(client: SinchClient, sandbox: RunningSandbox) -> None:
    prefix = client.search_available("US", NumberType.LOCAL, size=1)[0].phone_number[:5]
    request = RentAnyRequest(
        region_code="US",
        type=NumberType.LOCAL,
        number_pattern=NumberPattern(pattern=prefix),
        capabilities=[Capability.SMS],
    )

    rented = client.rent_any(request)

    assert rented.phone_number.startswith(prefix)
    assert api_requests(sandbox)[-1].json == {
        "regionCode": "US",
        "type": "LOCAL",
        "numberPattern": {"pattern": prefix, "searchPattern": "START"},
        "capabilities": ["SMS"],
    }


def test_update_active_renames_and_unlinks_with_empty_strings(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    number = rent_sms_number(client).phone_number
    sandbox.complete_provisioning(number)

    updated = client.update_active(
        number,
        UpdateActiveNumber(
            display_name="Support line", sms_configuration=SmsConfiguration(service_plan_id="")
        ),
    )

    assert updated.display_name == "Support line"
    assert updated.sms_configuration is not None
    assert updated.sms_configuration.service_plan_id == ""
    assert api_requests(sandbox)[-1].json == {
        "displayName": "Support line",
        "smsConfiguration": {"servicePlanId": ""},
    }


def test_update_active_with_nothing_to_change_is_invalid(client: SinchClient) -> None:
    number = rent_sms_number(client).phone_number

    with pytest.raises(InvalidArgument) as caught:
        client.update_active(number, UpdateActiveNumber())

    assert [v.field for v in caught.value.field_violations] == ["body"]


def test_release_returns_the_number_and_it_is_gone(client: SinchClient) -> None:
    number = rent_sms_number(client).phone_number

    released = client.release(number)

    assert released.phone_number == number
    assert released.expire_at is not None
    with pytest.raises(NotFound):
        client.get_active(number)


def test_list_active_walks_pages_lazily_up_to_the_limit(sandbox: RunningSandbox) -> None:
    project = "paging-project"
    seeded = sandbox.state.seed_active_numbers(7, project_id=project)

    with make_client(sandbox, project) as client:
        numbers = client.list_active("US", NumberType.LOCAL, page_size=3, order_by="phoneNumber", limit=5)
        first_five = [n.phone_number for n in numbers]
        page_tokens = [r.query.get("pageToken") for r in api_requests(sandbox)]
        everything = [n.phone_number for n in client.list_active(page_size=3)]

    assert first_five == sorted(seeded)[:5]
    assert page_tokens[0] is None
    assert len(page_tokens) == 2
    assert everything == sorted(seeded)
    assert numbers.total_size == 7


def test_list_active_filters_by_capability_with_its_singular_wire_name(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    list(client.list_active(capabilities=[Capability.VOICE], page_size=2, limit=1))

    assert api_requests(sandbox)[0].query == {"capability": ["VOICE"], "pageSize": ["2"]}


def test_regions_can_be_narrowed_to_types(client: SinchClient) -> None:
    regions = client.regions([NumberType.TOLL_FREE])

    assert "US" in {r.region_code for r in regions}
    assert all(NumberType.TOLL_FREE in r.types for r in regions)
    assert all(r.region_name for r in regions)


def test_callback_secret_is_set_and_read_back(client: SinchClient) -> None:
    secret = "numbot-callback-secret-0123456789abcdef"

    assert client.update_callback_config(secret).hmac_secret == secret
    assert client.callback_config().hmac_secret == secret


@pytest.mark.parametrize("secret", ["too-short", "x" * 65, "has spaces but is long enough to pass 32"])
def test_an_undocumented_callback_secret_is_refused_before_sending(
    client: SinchClient, sandbox: RunningSandbox, secret: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        client.update_callback_config(secret)

    assert caught.value.status is None
    assert [v.field for v in caught.value.field_violations] == ["hmacSecret"]
    assert list(sandbox.requests) == []


def test_emergency_address_lifecycle(client: SinchClient) -> None:
    number = rent_voice_number(client).phone_number
    near = SPRINGFIELD.model_copy(update={"street_info": "Main Street"})

    exact = client.emergency_validate(number, "Ops desk", SPRINGFIELD)
    corrected = client.emergency_validate(number, "Ops desk", near)
    provisioned = client.emergency_provision(number, "Ops desk", SPRINGFIELD)
    fetched = client.emergency_get(number)
    client.emergency_deprovision(number)

    assert exact.validation_result is AddressValidationResult.EXACT_MATCH
    assert corrected.validation_result is AddressValidationResult.NEAR_MATCH
    assert corrected.corrected_address is not None
    assert corrected.corrected_address.street_info == "Main St"
    assert provisioned.city == fetched.city == "Springfield"
    with pytest.raises(NotFound):
        client.emergency_get(number)


def test_emergency_provision_of_an_unknown_address_lists_what_is_wrong(client: SinchClient) -> None:
    number = rent_voice_number(client).phone_number
    nowhere = EmergencyAddress(
        street_number="1", street_info="Nowhere Rd", city="X", state="ZZ", postal_code="1"
    )

    assert client.emergency_validate(number, "Ops", nowhere).candidate_addresses
    with pytest.raises(InvalidArgument) as caught:
        client.emergency_provision(number, "Ops", nowhere)

    assert [v.field for v in caught.value.field_violations] == ["address"]
