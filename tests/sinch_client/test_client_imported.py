"""Every Imported Numbers API operation of SinchClient, against the sandbox over real HTTP."""

from __future__ import annotations

import pytest

from bot.sinch import (
    Conflict,
    InvalidArgument,
    NotFound,
    NumberPattern,
    ProvisioningState,
    SearchPattern,
    SinchClient,
    SmsConfiguration,
    UpdateImportedNumber,
)
from sandbox.sinch import RunningSandbox
from tests.sinch_client.builders import api_requests, fictional_us_number, import_request, make_client


def test_import_then_get_shows_provisioning_progress(client: SinchClient, sandbox: RunningSandbox) -> None:
    number = fictional_us_number()

    imported = client.imported_import(import_request(number, campaign="CAMP1"))
    fetched = client.imported_get(number)

    assert imported.phone_number == number
    assert fetched.sms_configuration is not None
    assert fetched.sms_configuration.campaign_id == "CAMP1"
    assert fetched.sms_provisioning is not None
    assert fetched.sms_provisioning.state is ProvisioningState.WAITING
    assert fetched.campaign_provisioning is not None
    assert api_requests(sandbox)[0].path.startswith("/imported/v1/projects/")


def test_import_normalises_the_phone_number_before_sending(
    client: SinchClient, sandbox: RunningSandbox
) -> None:
    number = fictional_us_number()
    pasted = f"{number[:2]} ({number[2:5]}) {number[5:8]}-{number[8:]}"

    client.imported_import(import_request(pasted))

    assert api_requests(sandbox)[0].json["phoneNumber"] == number


def test_importing_the_same_number_twice_is_a_conflict(client: SinchClient, sandbox: RunningSandbox) -> None:
    number = fictional_us_number()
    client.imported_import(import_request(number))

    with pytest.raises(Conflict) as caught:
        client.imported_import(import_request(number))

    assert number in caught.value.message
    assert caught.value.code == "ALREADY_EXISTS"
    assert len(api_requests(sandbox)) == 2


def test_import_outside_us_and_ca_is_rejected_in_the_flat_error_shape(client: SinchClient) -> None:
    request = import_request("+447478727259").model_copy(update={"region_code": "GB"})

    with pytest.raises(InvalidArgument) as caught:
        client.imported_import(request)

    assert caught.value.status == 400
    assert "Only US and CA numbers can be imported" in caught.value.message


def test_update_unlinks_with_empty_strings_and_delete_removes(client: SinchClient) -> None:
    number = fictional_us_number()
    client.imported_import(import_request(number, campaign="CAMP1"))

    updated = client.imported_update(
        number,
        UpdateImportedNumber(
            display_name="Unlinked", sms_configuration=SmsConfiguration(service_plan_id="", campaign_id="")
        ),
    )
    client.imported_delete(number)

    assert updated.display_name == "Unlinked"
    assert updated.sms_configuration is not None
    assert (updated.sms_configuration.service_plan_id, updated.sms_configuration.campaign_id) == ("", "")
    with pytest.raises(NotFound) as caught:
        client.imported_get(number)
    assert caught.value.code == "NOT_FOUND"


def test_imported_list_pages_and_spells_contains_the_imported_way(sandbox: RunningSandbox) -> None:
    numbers = [fictional_us_number() for _ in range(5)]
    with make_client(sandbox, "imported-paging") as client:
        for number in numbers:
            client.imported_import(import_request(number, plan="plan-9"))
        sandbox.requests.clear()
        # The last four digits are unique to each number.
        pattern = NumberPattern(pattern=numbers[2][-4:], search_pattern=SearchPattern.CONTAINS)

        listed = [n.phone_number for n in client.imported_list(service_plan_id="plan-9", page_size=2)]
        limited = client.imported_list(page_size=2, limit=3)
        first_three = [n.phone_number for n in limited]
        sandbox.requests.clear()
        matched = [n.phone_number for n in client.imported_list(pattern=pattern)]

    assert listed == sorted(numbers)
    assert first_three == sorted(numbers)[:3]
    assert limited.total_size == 5
    assert matched == [numbers[2]]
    assert api_requests(sandbox)[0].query == {
        "servicePlanId": [""],
        "campaignId": [""],
        "numberPattern.pattern": [numbers[2][-4:]],
        "numberPattern.searchPattern": ["CONTAIN"],
    }


def test_imported_callback_secret_is_separate_from_the_numbers_one(client: SinchClient) -> None:
    numbers_secret = "numbers-secret-0123456789abcdef0123"
    imported_secret = "imported-secret-0123456789abcdef012"

    client.update_callback_config(numbers_secret)
    assert client.update_imported_callback_config(imported_secret).hmac_secret == imported_secret

    assert client.imported_callback_config().hmac_secret == imported_secret
    assert client.callback_config().hmac_secret == numbers_secret
