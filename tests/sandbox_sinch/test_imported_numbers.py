"""The Imported Numbers API: import US/CA numbers for SMS, list with its required filters, update, delete."""

from __future__ import annotations

import json
from typing import Any

import httpx

from sandbox.sinch import RunningSandbox
from sandbox.sinch.callbacks import sign
from tests.sandbox_sinch.callback_receiver import CallbackReceiver
from tests.spec_schemas import assert_matches_schema, assert_response_matches_spec

US_NUMBER = "+12065550142"
CA_NUMBER = "+14165550123"
FILTERS = {"servicePlanId": "", "campaignId": ""}


def import_number(imported_api: httpx.Client, phone_number: str = US_NUMBER, **extra: Any) -> httpx.Response:
    body = {
        "phoneNumber": phone_number,
        "regionCode": "US",
        "smsConfiguration": {"servicePlanId": "plan-a", "campaignId": "C1"},
        **extra,
    }
    return imported_api.post("/importedNumbers", json=body)


def test_import_then_provisioning_completes(imported_api: httpx.Client, sandbox: RunningSandbox) -> None:
    created = import_number(imported_api, displayName="Legacy line")

    assert_response_matches_spec("imported", "ImportNumberService_ImportNumber", created)
    assert created.json()["smsConfiguration"]["scheduledProvisioning"]["status"] == 1
    pending = imported_api.get(f"/importedNumbers/{US_NUMBER}")
    assert_response_matches_spec("imported", "ImportNumberService_GetImportedNumber", pending)
    assert pending.json()["smsProvisioning"]["state"] == "WAITING"

    sandbox.complete_provisioning(US_NUMBER)

    done = imported_api.get(f"/importedNumbers/{US_NUMBER}").json()
    assert done["displayName"] == "Legacy line"
    assert "scheduledProvisioning" not in done["smsConfiguration"]
    assert done["smsProvisioning"]["state"] == "DONE"
    assert done["campaignProvisioning"]["state"] == "DONE"


def test_importing_twice_is_a_conflict(imported_api: httpx.Client) -> None:
    import_number(imported_api)

    again = import_number(imported_api)

    assert again.status_code == 409
    assert_response_matches_spec("imported", "ImportNumberService_ImportNumber", again)
    assert again.json()["status"] == "ALREADY_EXISTS"
    assert again.json()["code"] == "409"


def test_only_valid_us_and_ca_numbers_can_be_imported(imported_api: httpx.Client) -> None:
    gb = imported_api.post(
        "/importedNumbers",
        json={"phoneNumber": "+447400123456", "regionCode": "GB", "smsConfiguration": {"servicePlanId": "p"}},
    )
    mismatch = import_number(imported_api, phone_number=CA_NUMBER)
    canada_campaign = imported_api.post(
        "/importedNumbers",
        json={
            "phoneNumber": CA_NUMBER,
            "regionCode": "CA",
            "smsConfiguration": {"servicePlanId": "p", "campaignId": "C"},
        },
    )
    canada = imported_api.post(
        "/importedNumbers",
        json={"phoneNumber": CA_NUMBER, "regionCode": "CA", "smsConfiguration": {"servicePlanId": "p"}},
    )
    missing = imported_api.post("/importedNumbers", json={})

    for refused in (gb, mismatch, canada_campaign, missing):
        assert refused.status_code == 400
        assert_response_matches_spec("imported", "ImportNumberService_ImportNumber", refused)
    assert "regionCode" in gb.json()["message"]
    assert "phoneNumber" in mismatch.json()["message"]
    assert "campaignId" in canada_campaign.json()["message"]
    assert canada.status_code == 200


def test_listing_requires_its_filters_and_paginates(
    imported_api: httpx.Client, sandbox: RunningSandbox
) -> None:
    for index in range(5):
        import_number(imported_api, phone_number=f"+1206555010{index}")
    imported_api.post(
        "/importedNumbers",
        json={"phoneNumber": CA_NUMBER, "regionCode": "CA", "smsConfiguration": {"servicePlanId": "p"}},
    )

    unfiltered = imported_api.get("/importedNumbers")
    first = imported_api.get("/importedNumbers", params={**FILTERS, "pageSize": "4"})
    second = imported_api.get(
        "/importedNumbers", params={**FILTERS, "pageSize": "4", "pageToken": first.json()["nextPageToken"]}
    )
    by_plan = imported_api.get("/importedNumbers", params={"servicePlanId": "p", "campaignId": ""})
    by_pattern = imported_api.get(
        "/importedNumbers",
        params={**FILTERS, "numberPattern.pattern": "0103", "numberPattern.searchPattern": "END"},
    )
    by_creation = imported_api.get("/importedNumbers", params={**FILTERS, "orderBy": "createdTime"})
    numbers_api_spelling = imported_api.get(
        "/importedNumbers", params={**FILTERS, "numberPattern.searchPattern": "CONTAINS"}
    )

    assert unfiltered.status_code == 400
    assert_response_matches_spec("imported", "ImportNumberService_ListImportedNumbers", unfiltered)
    assert "servicePlanId" in unfiltered.json()["message"]
    assert_response_matches_spec("imported", "ImportNumberService_ListImportedNumbers", first)
    assert first.json()["totalSize"] == 6
    assert len(first.json()["importedNumbers"]) + len(second.json()["importedNumbers"]) == 6
    assert second.json()["nextPageToken"] == ""
    assert [n["phoneNumber"] for n in by_plan.json()["importedNumbers"]] == [CA_NUMBER]
    assert [n["phoneNumber"] for n in by_pattern.json()["importedNumbers"]] == ["+12065550103"]
    assert by_creation.json()["importedNumbers"][-1]["phoneNumber"] == CA_NUMBER
    assert numbers_api_spelling.status_code == 400


def test_update_follows_the_unlink_before_relink_rule(
    imported_api: httpx.Client, sandbox: RunningSandbox
) -> None:
    import_number(imported_api)
    sandbox.complete_provisioning()
    path = f"/importedNumbers/{US_NUMBER}"

    renamed = imported_api.patch(path, json={"displayName": "Renamed"})
    relink = imported_api.patch(path, json={"smsConfiguration": {"servicePlanId": "plan-b"}})
    unlink = imported_api.patch(path, json={"smsConfiguration": {"servicePlanId": "", "campaignId": ""}})
    link = imported_api.patch(path, json={"smsConfiguration": {"servicePlanId": "plan-b"}})
    empty = imported_api.patch(path, json={})
    unknown = imported_api.patch("/importedNumbers/+12065550199", json={"displayName": "x"})

    assert_response_matches_spec("imported", "ImportNumberService_UpdateImportedNumber", renamed)
    assert renamed.json()["displayName"] == "Renamed"
    assert relink.status_code == 400
    assert_response_matches_spec("imported", "ImportNumberService_UpdateImportedNumber", relink)
    assert unlink.json()["smsConfiguration"]["servicePlanId"] == ""
    assert link.json()["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == "plan-b"
    assert empty.status_code == 400
    assert unknown.status_code == 404
    assert_response_matches_spec("imported", "ImportNumberService_UpdateImportedNumber", unknown)


def test_delete_removes_the_number(imported_api: httpx.Client, sandbox: RunningSandbox) -> None:
    import_number(imported_api)

    deleted = imported_api.delete(f"/importedNumbers/{US_NUMBER}")

    assert_response_matches_spec("imported", "ImportNumberService_DeleteImportedNumber", deleted)
    assert imported_api.get(f"/importedNumbers/{US_NUMBER}").status_code == 404
    assert imported_api.delete(f"/importedNumbers/{US_NUMBER}").status_code == 404
    assert sandbox.state.imported_number(US_NUMBER) is None


def test_imported_callbacks_use_the_imported_apis_own_secret(
    imported_api: httpx.Client, sandbox: RunningSandbox, receiver: CallbackReceiver
) -> None:
    configured = imported_api.patch("/callbackConfiguration", json={"hmacSecret": "imported-secret"})
    sandbox.fail_provisioning(US_NUMBER, ["CAMPAIGN_MNO_REJECTED"])
    import_number(imported_api, callbackUrl=receiver.url)
    sandbox.complete_provisioning()
    imported_api.delete(f"/importedNumbers/{US_NUMBER}")

    received = receiver.wait_for(3)

    assert_response_matches_spec("imported", "UpdateCallbackConfiguration", configured)
    assert_response_matches_spec(
        "imported", "GetCallbackConfiguration", imported_api.get("/callbackConfiguration")
    )
    outcomes = set()
    for callback in received:
        assert callback.signature == sign("imported-secret", callback.body)
        event = json.loads(callback.body)
        assert_matches_schema("imported", "CallbackPayload", event)
        assert event["resourceType"] == "IMPORTED_NUMBER"
        outcomes.add((event["eventType"], event["status"], event["failureCode"]))
    assert outcomes == {
        ("PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED", None),
        ("LINK_TO_10DLC_CAMPAIGN", "FAILED", "CAMPAIGN_MNO_REJECTED"),
        ("DELETE", "SUCCEEDED", None),
    }
