"""`/numbers list`, `show` and `update`, end to end: local Slack → bot → Sinch sandbox over loopback HTTP."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.sinch.models import SmsConfiguration, UpdateActiveNumber
from commands.shared.number_forms import (
    DISPLAY_NAME_BLOCK,
    SERVICE_PLAN_BLOCK,
    VOICE_ID_BLOCK,
    VOICE_TYPE_BLOCK,
)
from sandbox.sinch import RequestRecord
from sandbox.slack import View
from storage import audit, watches
from tests.harness import (
    APPROVALS,
    OPS,
    PROJECT_ID,
    SPRINGFIELD,
    World,
    answer_to,
    ephemeral_containing,
    open_modal,
    seed_active,
    shown,
    sms_and_voice_number,
)


def sinch_number(world: World, phone_number: str) -> dict[str, Any]:
    number = world.sinch.state.active_number(phone_number, PROJECT_ID)
    assert number is not None
    return number


# list


def test_list_summarises_every_page_and_more_shows_the_next_numbers(world: World) -> None:
    us = seed_active(world, 120)
    gb = seed_active(world, 5, "GB", "MOBILE")
    capabilities = Counter(
        capability for number in us + gb for capability in sinch_number(world, number)["capability"]
    )

    world.requester.slash("/numbers", "list", channel=OPS.id)

    first = ephemeral_containing(world, world.requester.user_id, "Active numbers")
    text = shown(first)
    assert "*Total*\n125" in text
    assert "US 120, GB 5" in text
    assert "LOCAL 120, MOBILE 5" in text
    assert f"SMS {capabilities['SMS']}" in text and f"VOICE {capabilities['VOICE']}" in text
    assert "Showing 1-20 of 125" in text
    ordered = sorted(us + gb)
    assert all(number in text for number in ordered[:20]) and ordered[20] not in text
    assert len(first.blocks) <= 50

    world.requester.click(first, "active.more")

    second = world.wait_for(
        lambda slack: next(
            (m for m in slack.ephemerals(world.requester.user_id) if "Showing 21-40 of 125" in shown(m)), None
        )
    )
    assert ordered[20] in shown(second) and ordered[40] not in shown(second)
    assert ordered[0] not in shown(second)  # the next page replaced the first, it did not repeat it


def test_list_filters_by_region_type_capability_and_digits(world: World) -> None:
    us = seed_active(world, 30)
    seed_active(world, 4, "GB", "MOBILE")
    sms_only = [n for n in us if sinch_number(world, n)["capability"] == ["SMS"]]
    voice_capable = [n for n in us if "VOICE" in sinch_number(world, n)["capability"]]

    gb_list = answer_to(world, world.requester, "list gb mobile", "Active numbers: GB MOBILE")
    assert "*Total*\n4" in shown(gb_list)

    voice_list = answer_to(world, world.requester, "list US --voice", "Active numbers: US VOICE")
    assert f"*Total*\n{len(voice_capable)}" in shown(voice_list)
    assert not any(number in shown(voice_list) for number in sms_only)

    prefix = us[0][:5]
    expected = [n for n in us if n.startswith(prefix)]
    by_prefix = answer_to(world, world.requester, f"list {prefix}", f"starting {prefix}")
    assert f"*Total*\n{len(expected)}" in shown(by_prefix)

    answer_to(world, world.requester, "list SE TOLL_FREE", "No active numbers match SE TOLL_FREE.")


def test_list_refuses_words_it_cannot_read(world: World) -> None:
    answer_to(world, world.requester, "list US GB", "Give one region at most (got `US` and `GB`).")

    refusal = answer_to(world, world.requester, "list locl", "`locl` is not a region code")
    assert "Did you mean `local`?" in shown(refusal)

    answer_to(world, world.requester, "list --fax", "Unknown option `--fax`.")
    assert not any(request.path.endswith("/activeNumbers") for request in world.sinch.requests)


# show


def test_show_tells_everything_about_a_number_including_pending_provisioning_and_e911(world: World) -> None:
    phone = sms_and_voice_number(world, display_name_prefix="Support ", app_id="app-7")
    number = sinch_number(world, phone)
    world.services.sinch.update_active(
        phone, UpdateActiveNumber(sms_configuration=SmsConfiguration(service_plan_id="plan-a"))
    )
    world.services.sinch.emergency_provision(phone, "HQ", SPRINGFIELD)

    world.requester.slash("/numbers", f"show {phone}", channel=OPS.id)

    text = shown(ephemeral_containing(world, world.requester.user_id, f"{phone} · {number['displayName']}"))
    assert f"{number['regionCode']} {number['type']}" in text
    assert f"{number['money']['amount']} USD every 1 month(s)" in text
    assert "Scheduled provisioning to plan `plan-a`" in text and "WAITING" in text
    assert "RTC: `app-7`" in text
    assert "12345 Main St, Springfield, IL 62701" in text
    assert "<!date^" in text  # the next charge date, in each reader's time zone


def test_show_explains_failed_provisioning_error_codes(world: World) -> None:
    phone = sms_and_voice_number(world)
    world.sinch.fail_provisioning(phone, ["CAMPAIGN_EXPIRED"])
    world.services.sinch.update_active(
        phone, UpdateActiveNumber(sms_configuration=SmsConfiguration(service_plan_id="plan-a"))
    )
    world.sinch.complete_provisioning(phone)

    world.requester.slash("/numbers", f"show {phone}", channel=OPS.id)

    text = shown(ephemeral_containing(world, world.requester.user_id, "FAILED"))
    assert "`CAMPAIGN_EXPIRED`: The 10DLC campaign has expired." in text
    assert "Emergency address*\n—" in text


def test_show_refuses_unknown_and_malformed_numbers_and_reports_sinch_failures(world: World) -> None:
    answer_to(world, world.requester, "show +12025550134", "+12025550134 is not one of your numbers")

    answer_to(world, world.requester, "show 2025550134", "must start with + and the country code")

    answer_to(world, world.requester, "show", "Which number?")

    (phone,) = seed_active(world, 1)
    world.sinch.faults.fail_next(4, 500)
    answer_to(world, world.requester, f"show {phone}", "Sinch had an internal error (HTTP 500)")


# update


def open_update(world: World, phone: str) -> View:
    return open_modal(world, world.requester, f"update {phone}", "active.update")


def patches(world: World) -> list[RequestRecord]:
    return [record for record in world.sinch.requests if record.method == "PATCH"]


def test_renaming_happens_at_once_and_is_audited(world: World) -> None:
    (phone,) = seed_active(world, 1, display_name_prefix="Old ")
    form = open_update(world, phone)
    assert form.input_block(DISPLAY_NAME_BLOCK)["element"]["initial_value"] == "Old 1"

    world.requester.submit(form, {DISPLAY_NAME_BLOCK: "Support line"})

    ephemeral_containing(world, world.requester.user_id, f"{phone} is now called “Support line”.")
    assert sinch_number(world, phone)["displayName"] == "Support line"
    (entry,) = audit.query(world.services.store, subject=phone)
    assert (entry.actor, entry.action, entry.detail) == (
        world.requester.user_id,
        "number.renamed",
        {"from": "Old 1", "to": "Support line"},
    )
    assert world.slack.messages(APPROVALS.id) == []


def test_linking_sms_waits_for_approval_then_runs_once_and_watches_provisioning(world: World) -> None:
    phone = sms_and_voice_number(world)
    world.requester.submit(open_update(world, phone), {SERVICE_PLAN_BLOCK: "plan-a"})

    card = world.wait_for(lambda slack: next(iter(slack.messages(APPROVALS.id)), None))
    assert "SMS: link to service plan `plan-a`" in shown(card)
    assert patches(world) == []
    sent = world.slack.views(world.requester.user_id)[-1]
    assert sent.title.startswith("Sent: R-")

    world.requester.click(card, "approval.approve")
    ephemeral_containing(world, world.requester.user_id, "You requested this yourself")
    world.approver.click(card, "approval.approve")

    world.wait_for(
        lambda slack: "done" in slack.messages(APPROVALS.id)[0].text and slack.messages(APPROVALS.id)[0]
    )
    (patch,) = patches(world)
    assert patch.json == {"smsConfiguration": {"servicePlanId": "plan-a", "campaignId": ""}}
    scheduled = sinch_number(world, phone)["smsConfiguration"]["scheduledProvisioning"]
    assert (scheduled["servicePlanId"], scheduled["status"]) == ("plan-a", "WAITING")
    watch = watches.get_watch(world.services.store, phone, "numbers")
    assert watch is not None and watch.parts == "sms"


def test_moving_to_another_plan_must_unlink_first(world: World) -> None:
    phone = sms_and_voice_number(world, service_plan_id="plan-a")
    form = open_update(world, phone)
    assert form.input_block(SERVICE_PLAN_BLOCK)["element"]["initial_value"] == "plan-a"

    refused = world.requester.submit(form, {SERVICE_PLAN_BLOCK: "plan-b"})

    assert isinstance(refused.body, dict) and refused.body["response_action"] == "errors"
    assert "Sinch requires unlinking first" in refused.body["errors"][SERVICE_PLAN_BLOCK]
    assert world.slack.messages(APPROVALS.id) == [] and patches(world) == []

    world.requester.submit(form, {SERVICE_PLAN_BLOCK: ""})
    card = world.wait_for(lambda slack: next(iter(slack.messages(APPROVALS.id)), None))
    text = shown(card)
    assert "SMS: unlink from service plan `plan-a`" in text
    assert "cannot send or receive SMS until it is linked again" in text


def test_update_form_refuses_no_change_and_a_voice_id_without_its_type(world: World) -> None:
    (phone,) = seed_active(world, 1)
    form = open_update(world, phone)

    unchanged = world.requester.submit(form)
    assert isinstance(unchanged.body, dict)
    assert unchanged.body["errors"] == {
        DISPLAY_NAME_BLOCK: "Nothing changed: edit a field (or close the form)."
    }

    mismatched = world.requester.submit(form, {VOICE_ID_BLOCK: "app-1"})
    assert isinstance(mismatched.body, dict)
    assert VOICE_TYPE_BLOCK in mismatched.body["errors"]
    assert patches(world) == []


def test_update_of_a_number_that_is_not_ours_says_so_in_the_modal(world: World) -> None:
    world.requester.slash("/numbers", "update +12025550134", channel=OPS.id)
    modal = world.wait_for(
        lambda slack: next(
            (v for v in slack.views(world.requester.user_id) if "not one of your numbers" in shown(v)), None
        )
    )
    assert modal.submit is None


def test_sinch_refusing_an_approved_update_fails_the_request_with_its_reason(world: World) -> None:
    phone = sms_and_voice_number(world)
    world.requester.submit(open_update(world, phone), {SERVICE_PLAN_BLOCK: "plan-a"})
    card = world.wait_for(lambda slack: next(iter(slack.messages(APPROVALS.id)), None))
    world.sinch.faults.fail_next(1, 400)

    world.approver.click(card, "approval.approve")

    failed = world.wait_for(
        lambda slack: next((m for m in slack.messages(APPROVALS.id) if "but it failed" in shown(m)), None)
    )
    assert "Sinch rejected the request (HTTP 400)" in shown(failed)
    assert len(patches(world)) == 1
    assert "scheduledProvisioning" not in sinch_number(world, phone)["smsConfiguration"]
    assert watches.get_watch(world.services.store, phone, "numbers") is None


def test_list_reports_a_sinch_outage_instead_of_a_partial_list(world: World) -> None:
    seed_active(world, 3)
    world.sinch.faults.fail_next(4, 503)

    world.requester.slash("/numbers", "list", channel=OPS.id)

    ephemeral_containing(world, world.requester.user_id, "Sinch had an internal error (HTTP 503)")
