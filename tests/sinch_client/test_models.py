"""The models read what Sinch documents, keep what it adds later, and write request bodies it accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.sinch import (
    ActiveNumber,
    AddressValidation,
    AddressValidationResult,
    Capability,
    EmergencyAddress,
    EstVoice,
    FaxVoice,
    ImportedNumber,
    ImportNumber,
    NumberPattern,
    NumberType,
    ProvisioningStatus,
    RentAnyRequest,
    RentRequest,
    RtcVoice,
    SearchPattern,
    SmsConfiguration,
    UnknownVoice,
    UpdateActiveNumber,
    UpdateImportedNumber,
)
from tests.sinch_client.spec_examples import as_json, imported_spec, numbers_example


@pytest.mark.parametrize(
    ("example", "voice_class", "voice_id"),
    [
        ("activateBothSMSandVoiceNumberRes", RtcVoice, "YOUR_app_id"),
        ("activateVoiceNumberRes", RtcVoice, "YOUR_app_id"),
        ("activateESTNumberRes", EstVoice, "YOUR_trunk_id"),
        ("activateFaxNumberRes", FaxVoice, "YOUR_service_id"),
    ],
)
def test_active_number_examples_pick_the_voice_configuration_by_type(
    example: str, voice_class: type[RtcVoice | EstVoice | FaxVoice], voice_id: str
) -> None:
    number = ActiveNumber.model_validate_json(as_json(numbers_example(example)))

    assert isinstance(number.voice_configuration, voice_class)
    assert voice_id in number.voice_configuration.model_dump().values()
    scheduled = number.voice_configuration.scheduled_voice_provisioning
    assert scheduled is not None
    assert scheduled.status is ProvisioningStatus.WAITING


def test_active_number_example_reads_money_as_decimal_and_dates_as_aware_utc() -> None:
    number = ActiveNumber.model_validate_json(as_json(numbers_example("activateSMSNumberRes")))

    assert number.phone_number == "+12025550134"
    assert number.type is NumberType.MOBILE
    assert number.capability == [Capability.SMS]
    assert number.money is not None
    assert number.money.amount == Decimal("2.00")
    assert str(number.money) == "2.00 USD"
    assert number.next_charge_date == datetime(2024, 8, 24, 14, 15, 22, tzinfo=UTC)
    assert number.sms_configuration is not None
    assert number.sms_configuration.service_plan_id == "YOUR_service_plan_id"
    scheduled = number.sms_configuration.scheduled_provisioning
    assert scheduled is not None
    assert scheduled.last_updated_time == datetime(2024, 8, 4, 14, 15, 22, tzinfo=UTC)


def test_values_and_fields_sinch_adds_later_are_kept_not_rejected() -> None:
    number = ActiveNumber.model_validate(
        {
            "phoneNumber": "+12025550134",
            "type": "SATELLITE",
            "capability": ["SMS", "RCS"],
            "brandNewField": {"x": 1},
            "voiceConfiguration": {"type": "SIP", "sipUri": "sip:ops@example.com"},
        }
    )

    assert number.type == "SATELLITE"
    assert isinstance(number.type, NumberType)
    assert not number.type.is_known
    assert NumberType.LOCAL.is_known
    assert [str(c) for c in number.capability] == ["SMS", "RCS"]
    assert number.model_extra == {"brandNewField": {"x": 1}}
    assert isinstance(number.voice_configuration, UnknownVoice)
    assert number.voice_configuration.type == "SIP"
    assert number.voice_configuration.model_extra == {"sipUri": "sip:ops@example.com"}
    assert number.model_dump(mode="json", by_alias=True)["type"] == "SATELLITE"


def test_voice_configuration_without_type_is_rtc_as_the_spec_defaults() -> None:
    number = ActiveNumber.model_validate(
        {"phoneNumber": "+12025550134", "voiceConfiguration": {"appId": "a"}}
    )

    assert number.voice_configuration == RtcVoice(app_id="a")


def test_timestamps_without_zone_are_utc_and_empty_ones_are_none() -> None:
    number = ActiveNumber.model_validate(
        {"phoneNumber": "+12025550134", "nextChargeDate": "2024-08-24T14:15:22", "expireAt": ""}
    )

    assert number.next_charge_date == datetime(2024, 8, 24, 14, 15, 22, tzinfo=UTC)
    assert number.expire_at is None


@pytest.mark.parametrize("example", ["updateSMSandVoiceNumber", "updateSMSNumber", "updateVoiceNumber"])
def test_update_request_examples_serialise_back_to_the_same_body(example: str) -> None:
    body = numbers_example(example)

    assert UpdateActiveNumber.model_validate(body).to_wire() == body


@pytest.mark.parametrize(
    "example",
    [
        "activateSMSNumberReq",
        "activateBothSMSandVoiceNumberReq",
        "activateVoiceNumberReq",
        "activateESTNumberReq",
        "activateFaxNumberReq",
    ],
)
def test_rent_request_examples_serialise_back_to_the_same_body(example: str) -> None:
    body = numbers_example(example)

    assert RentRequest.model_validate(body).to_wire() == body


def test_rent_any_request_built_in_python_matches_the_spec_example() -> None:
    request = RentAnyRequest(
        region_code="US",
        type=NumberType.LOCAL,
        capabilities=[Capability.SMS],
        number_pattern=NumberPattern(pattern="+1208", search_pattern=SearchPattern.START),
        sms_configuration=SmsConfiguration(
            service_plan_id="YOUR_SMS_servicePlanId", campaign_id="YOUR_campaignId_from_TCR"
        ),
        callback_url="https://www.your-callback-server.com/callback",
    )

    assert request.to_wire() == numbers_example("SearchActivateSMSNumber")


def test_empty_strings_are_sent_because_they_mean_unlink() -> None:
    unlink = UpdateImportedNumber(sms_configuration=SmsConfiguration(service_plan_id="", campaign_id=""))

    assert unlink.to_wire() == {"smsConfiguration": {"servicePlanId": "", "campaignId": ""}}


def test_voice_requests_carry_their_type_and_only_their_id() -> None:
    assert RentRequest(voice_configuration=EstVoice(trunk_id="t1")).to_wire() == {
        "voiceConfiguration": {"type": "EST", "trunkId": "t1"}
    }
    assert UpdateActiveNumber(voice_configuration=FaxVoice(service_id="f1")).to_wire() == {
        "voiceConfiguration": {"type": "FAX", "serviceId": "f1"}
    }


def test_search_pattern_uses_each_apis_spelling() -> None:
    assert SearchPattern.CONTAINS.value == "CONTAINS"
    assert SearchPattern.CONTAINS.imported_wire == "CONTAIN"
    assert SearchPattern.START.imported_wire == "START"
    assert SearchPattern.END.imported_wire == "END"


@pytest.mark.parametrize("example", ["perfectMatch", "nearMatch", "noMatch"])
def test_address_validation_examples_parse(example: str) -> None:
    result = AddressValidation.model_validate_json(as_json(numbers_example(example)))

    assert result.validated_address is not None
    assert result.validated_address.city == "Springfield"
    if result.validation_result is AddressValidationResult.NO_MATCH:
        assert [a.street_info for a in result.candidate_addresses] == ["Elm St", "Oak St"]
    else:
        assert result.candidate_addresses == []


def test_emergency_address_request_example_round_trips() -> None:
    address = EmergencyAddress(
        street_number="12345", street_info="Main St", city="Springfield", state="IL", postal_code="62701"
    )

    assert address.to_wire() == {
        "streetNumber": "12345",
        "streetInfo": "Main St",
        "city": "Springfield",
        "state": "IL",
        "postalCode": "62701",
    }


def test_import_request_example_from_the_imported_spec_round_trips() -> None:
    operation = imported_spec()["paths"]["/v1/projects/{projectId}/importedNumbers"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["examples"]["ProvisioningExample"]["value"]

    request = ImportNumber.model_validate(body)

    assert request.sms_configuration.migrate_to_sinch_tmo is True
    assert request.to_wire() == body


def test_imported_number_reads_provisioning_progress_and_integer_statuses() -> None:
    number = ImportedNumber.model_validate(
        {
            "phoneNumber": "+12025550134",
            "smsConfiguration": {
                "servicePlanId": "plan",
                "scheduledProvisioning": {"status": 2, "errorCodes": [5], "lastUpdatedTime": ""},
            },
            "smsProvisioning": {"serviceType": "SMS", "type": "PROVISIONING", "state": "IN_PROGRESS"},
            "mnoConfiguration": {"smsTmo": {"state": "DONE", "operation": "PROVISIONING", "errorCode": ""}},
        }
    )

    assert number.sms_configuration is not None
    scheduled = number.sms_configuration.scheduled_provisioning
    assert scheduled is not None
    assert (scheduled.status, scheduled.error_codes, scheduled.last_updated_time) == (2, [5], None)
    assert number.sms_provisioning is not None
    assert number.sms_provisioning.state == "IN_PROGRESS"
    assert number.mno_configuration is not None
    assert number.mno_configuration.sms_tmo is not None
    assert number.mno_configuration.sms_tmo.state == "DONE"
