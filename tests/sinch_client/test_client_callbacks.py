"""Callbacks the sandbox really sends verify with verify_signature and parse with parse_event."""

from __future__ import annotations

from bot.sinch import (
    EventStatus,
    EventType,
    ResourceType,
    SinchClient,
    SmsConfiguration,
    UpdateImportedNumber,
    parse_event,
    verify_signature,
)
from sandbox.sinch import RunningSandbox
from tests.sandbox_sinch.callback_receiver import CallbackReceiver
from tests.sinch_client.builders import fictional_us_number, import_request, rent_sms_number

NUMBERS_SECRET = "numbers-callback-secret-0123456789ab"
IMPORTED_SECRET = "imported-callback-secret-0123456789a"


def test_a_provisioning_callback_is_signed_with_the_configured_secret(
    client: SinchClient, sandbox: RunningSandbox, receiver: CallbackReceiver
) -> None:
    client.update_callback_config(NUMBERS_SECRET)
    number = rent_sms_number(client, callback_url=receiver.url).phone_number

    sandbox.complete_provisioning(number)
    [callback] = receiver.wait_for(1)

    assert verify_signature(NUMBERS_SECRET, callback.body, callback.signature)
    assert not verify_signature("another-secret-0123456789abcdef0123", callback.body, callback.signature)
    event = parse_event(callback.body)
    assert event.resource_type is ResourceType.ACTIVE_NUMBER
    assert event.event_type is EventType.PROVISIONING_TO_SMS_PLATFORM
    assert event.status is EventStatus.SUCCEEDED
    assert event.resource_id == number
    assert event.timestamp is not None
    assert event.timestamp.tzinfo is not None


def test_imported_number_callbacks_use_the_imported_secret(
    client: SinchClient, sandbox: RunningSandbox, receiver: CallbackReceiver
) -> None:
    client.update_callback_config(NUMBERS_SECRET)
    client.update_imported_callback_config(IMPORTED_SECRET)
    number = fictional_us_number()
    client.imported_import(import_request(number, campaign="CAMP1"))
    sandbox.complete_provisioning(number)
    unlink = SmsConfiguration(service_plan_id="plan-1", campaign_id="")

    client.imported_update(number, UpdateImportedNumber(sms_configuration=unlink, callback_url=receiver.url))
    [callback] = receiver.wait_for(1)

    assert verify_signature(IMPORTED_SECRET, callback.body, callback.signature)
    assert not verify_signature(NUMBERS_SECRET, callback.body, callback.signature)
    event = parse_event(callback.body)
    assert event.resource_type is ResourceType.IMPORTED_NUMBER
    assert event.event_type is EventType.UNLINK_TO_10DLC_CAMPAIGN
    assert event.resource_id == number
