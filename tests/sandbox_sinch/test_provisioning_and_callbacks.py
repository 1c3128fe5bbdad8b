"""Scheduled provisioning to completion or failure, and the signed callbacks that report it."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sandbox.sinch import RunningSandbox
from sandbox.sinch.callbacks import sign
from tests.sandbox_sinch.callback_receiver import CallbackReceiver
from tests.sandbox_sinch.conftest import (
    PROJECT,
    client_for,
    field_violations,
    first_available,
    rent,
)
from tests.shared_dir import fixture_file
from tests.spec_schemas import assert_matches_schema, assert_response_matches_spec

SECRET = "a-callback-secret-of-32-characters-x"
_ULID = re.compile(r"^[0-9a-hjkmnp-tv-z]{26}$")


def events(received: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(callback.body) for callback in received]


def sms_and_voice(receiver: CallbackReceiver, campaign: str = "") -> dict[str, Any]:
    sms = {"servicePlanId": "plan-a", **({"campaignId": campaign} if campaign else {})}
    return {
        "smsConfiguration": sms,
        "voiceConfiguration": {"type": "RTC", "appId": "app-a"},
        "callbackUrl": receiver.url,
    }


def test_provisioning_goes_waiting_in_progress_then_linked_on_its_own(
    make_sandbox: Callable[..., RunningSandbox], receiver: CallbackReceiver
) -> None:
    sandbox = make_sandbox(provisioning_seconds=0.6)
    with client_for(sandbox) as api:
        phone_number = first_available(api, capability="VOICE")
        rented = rent(api, phone_number, sms_and_voice(receiver)).json()
        assert rented["smsConfiguration"]["scheduledProvisioning"]["status"] == "WAITING"
        assert rented["voiceConfiguration"]["scheduledVoiceProvisioning"]["status"] == "WAITING"

        def sms_in_progress() -> bool:
            sms = api.get(f"/activeNumbers/{phone_number}").json()["smsConfiguration"]
            return bool(sms.get("scheduledProvisioning", {}).get("status") == "IN_PROGRESS")

        assert sandbox.wait_for(sms_in_progress)
        receiver.wait_for(2)
        done = api.get(f"/activeNumbers/{phone_number}")

    assert_response_matches_spec("numbers", "NumberService_GetActiveNumber", done)
    assert done.json()["smsConfiguration"] == {"servicePlanId": "plan-a", "campaignId": ""}
    assert done.json()["voiceConfiguration"]["appId"] == "app-a"
    assert "scheduledVoiceProvisioning" not in done.json()["voiceConfiguration"]
    assert {(e["eventType"], e["status"]) for e in events(receiver.received)} == {
        ("PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED"),
        ("PROVISIONING_TO_VOICE_PLATFORM", "SUCCEEDED"),
    }


def test_callbacks_follow_the_spec_and_are_signed_over_the_raw_body(
    make_sandbox: Callable[..., RunningSandbox], receiver: CallbackReceiver
) -> None:
    sandbox = make_sandbox(callback_hmac_secret=SECRET)
    with client_for(sandbox) as api:
        phone_number = first_available(api)
        rent(
            api,
            phone_number,
            {"smsConfiguration": {"servicePlanId": "p", "campaignId": "C1"}, "callbackUrl": receiver.url},
        )
        sandbox.complete_provisioning(phone_number)

    received = receiver.wait_for(2)

    for callback in received:
        expected = hmac.new(SECRET.encode(), callback.body, hashlib.sha1).hexdigest()
        assert callback.signature == expected
        event = json.loads(callback.body)
        assert_matches_schema("numbers", "CallbackPayload", event)
        assert _ULID.match(event["eventId"])
        assert event["projectId"] == PROJECT
        assert event["resourceId"] == phone_number
        assert event["resourceType"] == "ACTIVE_NUMBER"
    # Both events go out at once from the delivery pool; the spec does not guarantee their order.
    assert sorted(e["eventType"] for e in events(received)) == [
        "PROVISIONING_TO_CAMPAIGN",
        "PROVISIONING_TO_SMS_PLATFORM",
    ]
    assert len({e["eventId"] for e in events(received)}) == 2


def test_signatures_match_the_official_sdk_vectors() -> None:
    vectors = json.loads(fixture_file("sinch-signature-vectors.json").read_text())["vectors"]

    for vector in vectors:
        assert sign(vector["secret"], vector["body"].encode()) == vector["x_sinch_signature"]


def test_forced_failure_shows_error_codes_and_reports_failed(
    sandbox: RunningSandbox, api: httpx.Client, receiver: CallbackReceiver
) -> None:
    phone_number = first_available(api)
    rent(
        api,
        phone_number,
        {"smsConfiguration": {"servicePlanId": "p", "campaignId": "C1"}, "callbackUrl": receiver.url},
    )
    sandbox.fail_provisioning(phone_number, ["CAMPAIGN_NOT_AVAILABLE"])

    sandbox.complete_provisioning(phone_number)

    failed = api.get(f"/activeNumbers/{phone_number}")
    assert_response_matches_spec("numbers", "NumberService_GetActiveNumber", failed)
    scheduled = failed.json()["smsConfiguration"]["scheduledProvisioning"]
    assert scheduled["status"] == "FAILED"
    assert scheduled["errorCodes"] == ["CAMPAIGN_NOT_AVAILABLE"]
    assert failed.json()["smsConfiguration"]["servicePlanId"] == ""
    (event,) = events(receiver.wait_for(1))
    assert (event["eventType"], event["status"], event["failureCode"]) == (
        "PROVISIONING_TO_CAMPAIGN",
        "FAILED",
        "CAMPAIGN_NOT_AVAILABLE",
    )
    retried = api.patch(f"/activeNumbers/{phone_number}", json={"smsConfiguration": {"servicePlanId": "p"}})
    assert retried.json()["smsConfiguration"]["scheduledProvisioning"]["status"] == "WAITING"


def test_an_sms_platform_failure_carries_no_failure_code(
    sandbox: RunningSandbox, api: httpx.Client, receiver: CallbackReceiver
) -> None:
    phone_number = first_available(api)
    rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "p"}, "callbackUrl": receiver.url})
    sandbox.fail_provisioning(phone_number, ["SMS_PROVISIONING_FAILED"])
    sandbox.complete_provisioning()

    (event,) = events(receiver.wait_for(1))

    assert (event["eventType"], event["status"], event["failureCode"]) == (
        "PROVISIONING_TO_SMS_PLATFORM",
        "FAILED",
        None,
    )


def test_fail_provisioning_rejects_codes_the_spec_does_not_know(sandbox: RunningSandbox) -> None:
    with pytest.raises(ValueError, match="NOT_A_CODE"):
        sandbox.fail_provisioning("+12025550134", ["NOT_A_CODE"])


def test_failure_rate_is_deterministic_per_number(make_sandbox: Callable[..., RunningSandbox]) -> None:
    def outcomes(sandbox: RunningSandbox) -> list[bool]:
        """For the first 12 SMS numbers in stock: did provisioning fail?"""
        params = {"regionCode": "US", "type": "LOCAL", "capabilities": "SMS", "size": "12"}
        with client_for(sandbox) as api:
            stock = [
                n["phoneNumber"]
                for n in api.get("/availableNumbers", params=params).json()["availableNumbers"]
            ]
            for phone_number in stock:
                rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "p"}})
            sandbox.complete_provisioning()
            return [
                "scheduledProvisioning" in api.get(f"/activeNumbers/{n}").json()["smsConfiguration"]
                for n in stock
            ]

    first = outcomes(make_sandbox(seed=11, failure_rate=0.5))
    again = outcomes(make_sandbox(seed=11, failure_rate=0.5))

    assert first == again
    assert any(first) and not all(first)
    assert not any(outcomes(make_sandbox(seed=11, failure_rate=0.0)))


def test_a_refused_callback_is_retried_until_accepted(
    make_sandbox: Callable[..., RunningSandbox], receiver: CallbackReceiver
) -> None:
    sandbox = make_sandbox(callback_retry_seconds=(0.05, 0.05, 0.05))
    receiver.refuse_next(2)
    with client_for(sandbox) as api:
        phone_number = first_available(api)
        rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "p"}, "callbackUrl": receiver.url})
        sandbox.complete_provisioning()

    (event,) = events(receiver.wait_for(1))

    assert receiver.refused == 2
    assert event["eventType"] == "PROVISIONING_TO_SMS_PLATFORM"
    (delivery,) = sandbox.callback_deliveries
    assert sandbox.wait_for(lambda: delivery.delivered)
    assert delivery.attempts == 3


def test_delivery_gives_up_after_bounded_attempts(
    make_sandbox: Callable[..., RunningSandbox], receiver: CallbackReceiver
) -> None:
    sandbox = make_sandbox(callback_retry_seconds=(0.02, 0.02))
    receiver.refuse_next(100)
    with client_for(sandbox) as api:
        phone_number = first_available(api)
        rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "p"}, "callbackUrl": receiver.url})
        sandbox.complete_provisioning()

    receiver.wait_for_refusals(3)

    (delivery,) = sandbox.callback_deliveries
    assert sandbox.wait_for(lambda: len(delivery.errors) == 3)
    assert delivery.errors == ["HTTP 500"] * 3
    assert not delivery.delivered


def test_a_receiver_that_is_down_does_not_block_the_api(
    make_sandbox: Callable[..., RunningSandbox], refusing_url: str
) -> None:
    sandbox = make_sandbox(callback_retry_seconds=(0.02,))
    with client_for(sandbox) as api:
        phone_number = first_available(api)
        rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "p"}, "callbackUrl": refusing_url})
        sandbox.complete_provisioning()
        assert api.get(f"/activeNumbers/{phone_number}").status_code == 200

    (delivery,) = sandbox.callback_deliveries
    assert sandbox.wait_for(lambda: len(delivery.errors) == 2)
    assert all("ConnectError" in error for error in delivery.errors)


def test_unlink_and_release_report_deprovisioning(
    sandbox: RunningSandbox, api: httpx.Client, receiver: CallbackReceiver
) -> None:
    phone_number = first_available(api, capability="VOICE")
    rent(api, phone_number, sms_and_voice(receiver, campaign="C1"))
    sandbox.complete_provisioning()
    receiver.wait_for(3)

    api.patch(f"/activeNumbers/{phone_number}", json={"voiceConfiguration": {"type": "RTC", "appId": ""}})
    api.post(f"/activeNumbers/{phone_number}:release")

    # Delivery order is not guaranteed (the spec says so), so compare as sets.
    deprovisioning = {e["eventType"] for e in events(receiver.wait_for(6))[3:]}
    assert deprovisioning == {
        "DEPROVISIONING_FROM_VOICE_PLATFORM",
        "DEPROVISIONING_FROM_CAMPAIGN",
        "DEPROVISIONING_FROM_SMS_PLATFORM",
    }


def test_default_callback_url_receives_events_of_numbers_without_one(
    make_sandbox: Callable[..., RunningSandbox], receiver: CallbackReceiver
) -> None:
    sandbox = make_sandbox(default_callback_url=receiver.url)
    with client_for(sandbox) as api:
        rent(api, first_available(api), {"smsConfiguration": {"servicePlanId": "p"}})
        sandbox.complete_provisioning()

    (event,) = events(receiver.wait_for(1))
    assert event["status"] == "SUCCEEDED"
    assert receiver.received[0].signature is None


def test_callback_configuration_sets_the_secret_that_signs_events(
    sandbox: RunningSandbox, api: httpx.Client, receiver: CallbackReceiver
) -> None:
    before = api.get("/callbackConfiguration")
    updated = api.patch("/callbackConfiguration", json={"hmacSecret": SECRET})
    too_short = api.patch("/callbackConfiguration", json={"hmacSecret": "short"})
    rent(api, first_available(api), {"smsConfiguration": {"servicePlanId": "p"}, "callbackUrl": receiver.url})
    sandbox.complete_provisioning()

    (callback,) = receiver.wait_for(1)

    assert_response_matches_spec("numbers", "GetCallbackConfiguration", before)
    assert before.json() == {"projectId": PROJECT}
    assert_response_matches_spec("numbers", "UpdateCallbackConfiguration", updated)
    assert updated.json() == {"projectId": PROJECT, "hmacSecret": SECRET}
    assert "hmacSecret" in field_violations(too_short)
    assert api.get("/callbackConfiguration").json()["hmacSecret"] == SECRET
    assert callback.signature == sign(SECRET, callback.body)


def test_wait_for_answers_false_when_the_awaited_change_never_comes(sandbox: RunningSandbox) -> None:
    assert not sandbox.wait_for(lambda: False, timeout=0.05)
    assert sandbox.wait_for(lambda: True, timeout=0)


def test_a_sandbox_kept_to_loopback_never_calls_another_host(
    sandbox: RunningSandbox, api: httpx.Client
) -> None:
    # What a fuzzer sends as a callbackUrl must not make the sandbox reach out: the delivery is refused
    # before any connection is made, and never retried. (Test sandboxes are all kept to loopback.)
    phone_number = first_available(api)
    outside = "http://192.0.2.1/callbacks"  # TEST-NET-1: reserved, routed nowhere
    rent(api, phone_number, {"smsConfiguration": {"servicePlanId": "p"}, "callbackUrl": outside})
    sandbox.complete_provisioning()

    assert sandbox.wait_for(lambda: any(d.attempts for d in sandbox.callback_deliveries))
    [delivery] = sandbox.callback_deliveries
    assert delivery.url == outside and delivery.attempts == 1 and not delivery.delivered
    assert delivery.errors == ["refused: not a loopback address"]
