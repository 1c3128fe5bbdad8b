"""Requesting numbers end to end: search → "Request this number" → modal → approval card → rent, once.

Everything runs over loopback HTTP: the local Slack workspace delivers signed requests to the real bot,
which calls the Sinch sandbox with OAuth2 and posts through its outbox.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot import approvals
from bot.blockkit import ids
from bot.sinch.models import Capability, NumberType, RentRequest
from commands.rent.execute import reconcile_rent
from commands.shared.number_forms import CAMPAIGN_BLOCK, SERVICE_PLAN_BLOCK, VOICE_ID_BLOCK, VOICE_TYPE_BLOCK
from commands.shared.number_offer import NumberOffer
from sandbox.sinch import SandboxConfig
from sandbox.slack import Message, View
from sandbox.slack.models import Ack
from storage import audit, requests
from storage.request_types import RequestState
from storage.requests import Request
from tests.harness import (
    APPROVALS,
    OPS,
    PROJECT_ID,
    World,
    answer_to,
    ephemeral_containing,
    outbox_refusing_rows,
    request_card,
    running_world,
    shown,
)

ACK_DEADLINE = 3.0


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """Renting directly is the deprecated path, kept for US LOCAL behind `numbot_legacy_rent`."""
    with running_world(tmp_path, numbot_legacy_rent=True) as started:
        yield started


def acked(ack: Ack) -> Ack:
    """Every delivery must be acknowledged in time, or Slack shows the user an error."""
    assert ack.ok and ack.elapsed < ACK_DEADLINE, ack
    assert ack.problem is None, ack.problem
    return ack


def sinch_calls(world: World, suffix: str) -> list[str]:
    return [record.path for record in world.sinch.requests if record.path.endswith(suffix)]


def available(world: World, *, wanted: set[Capability], region: str = "US", kind: str = "LOCAL") -> str:
    """An available number whose capabilities are exactly `wanted` (asked of Sinch over HTTP)."""
    found = world.services.sinch.search_available(region, NumberType(kind), capabilities=sorted(wanted))
    return next(number.phone_number for number in found if set(number.capability) == wanted)


def request_form(world: World, command: str) -> View:
    """Type `/numbers <command>` and await the request modal it opens."""
    acked(world.requester.slash("/numbers", command, channel=OPS.id))
    return world.wait_for(
        lambda slack: next(
            (view for view in slack.views(world.requester.user_id) if view.callback_id == ids.RENT_MODAL),
            None,
        )
    )


def submit_request(world: World, form: View, values: dict[str, str] | None = None) -> Request:
    """Submit the modal; returns the stored request once the requester has been told about it."""
    acked(world.requester.submit(form, values or {}))
    told = ephemeral_containing(world, world.requester.user_id, "is waiting for a second person")
    found = requests.find_requests(world.services.store, requester=world.requester.user_id)
    assert len(found) == 1 and found[0].id in told.text and told.channel == OPS.id
    return found[0]


def thread_reply(world: World, parent: Message, text: str) -> Message:
    return world.wait_for(
        lambda slack: next(
            (reply for reply in slack.thread(APPROVALS.id, parent.ts) if text in shown(reply)), None
        )
    )


def test_search_request_approve_rents_once_and_tells_everyone(world: World) -> None:
    results = answer_to(
        world, world.requester, "search US LOCAL +1206 --sms --voice --limit 3", "Request this number"
    )
    chosen = results.buttons()[1]
    phone_number = NumberOffer.decode(chosen.element["value"]).phone_number
    assert f"*{phone_number}*  US LOCAL\nSMS, VOICE" in shown(results)

    acked(world.requester.click(results, ids.REQUEST_NUMBER, value=chosen.element["value"]))
    form = world.wait_for(lambda slack: slack.views(world.requester.user_id))[-1]
    assert phone_number in shown(form) and "setup 1.00 USD · monthly 1.00 USD" in shown(form)
    request = submit_request(
        world,
        form,
        {
            "Display name": "Support line",
            SERVICE_PLAN_BLOCK: "plan-1",
            CAMPAIGN_BLOCK: "CAMP1",
            VOICE_TYPE_BLOCK: "RTC",
            VOICE_ID_BLOCK: "app-7",
        },
    )
    pending = request_card(world, request, "pending")
    for expected in (
        f"Rent {phone_number}",
        "service plan `plan-1`, campaign `CAMP1`",
        "app ID `app-7`",
        "Support line",
        "*Setup*\n1.00 USD",
        "*Monthly*\n1.00 USD",
        "Waiting for approval",
    ):
        assert expected in shown(pending)
    assert sinch_calls(world, ":rent") == []

    acked(world.approver.click(pending, ids.APPROVE))

    done = request_card(world, request, "done")
    assert done.buttons() == []
    assert f"Rented {phone_number} (US LOCAL)" in shown(done) and "Approved by <@U0APPROVE>" in shown(done)
    told = thread_reply(world, done, "was approved by <@U0APPROVE> and is done")
    assert "<@U0REQUEST>" in told.text
    assert "SMS and voice provisioning started; the result will appear in this thread." in told.text
    rents = [record for record in world.sinch.requests if record.path.endswith(":rent")]
    assert len(rents) == 1
    assert rents[0].json == {
        "smsConfiguration": {"servicePlanId": "plan-1", "campaignId": "CAMP1"},
        "voiceConfiguration": {"type": "RTC", "appId": "app-7"},
    }
    active = world.sinch.state.active_number(phone_number, PROJECT_ID)
    assert active is not None and active["displayName"] == "Support line"
    history = audit.query(world.services.store, subject=phone_number)
    assert [entry.action for entry in reversed(history)] == [
        "request.created",
        "request.approved",
        "request.executing",
        "number.rented",
        "request.done",
    ]
    rented = [entry for entry in history if entry.action == "number.rented"]
    assert rented[0].detail == {"kind": "rent", "requested_by": "U0REQUEST", "approved_by": "U0APPROVE"}


def test_the_requester_cannot_approve_their_own_request(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    pending = request_card(world, request, "pending")

    acked(world.requester.click(pending, ids.APPROVE))

    refusal = ephemeral_containing(
        world, world.requester.user_id, "You requested this yourself; another approver must decide: ask one"
    )
    assert "<@U0APPROVE>" in refusal.text and "<@U0REQUEST>" not in refusal.text
    assert sinch_calls(world, ":rent") == []
    assert requests.get_request(world.services.store, request.id).state == "pending"  # type: ignore[union-attr]


def test_someone_who_is_not_an_approver_cannot_decide(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    pending = request_card(world, request, "pending")

    acked(world.bystander.click(pending, ids.APPROVE))

    refusal = ephemeral_containing(world, world.bystander.user_id, "Only approvers can decide")
    assert "<@U0APPROVE>" in refusal.text
    assert sinch_calls(world, ":rent") == []


def test_a_rejection_reason_reaches_the_card_and_the_requester(world: World) -> None:
    request = submit_request(
        world, request_form(world, f"rent {available(world, wanted={Capability.VOICE})}")
    )
    pending = request_card(world, request, "pending")

    acked(world.approver.click(pending, ids.REJECT))
    reason_form = world.wait_for(lambda slack: slack.views(world.approver.user_id))[-1]
    acked(world.approver.submit(reason_form, {"reason": "We have enough voice numbers & no budget."}))

    rejected = request_card(world, request, "rejected")
    assert "Rejected by <@U0APPROVE>" in shown(rejected) and ">We have enough voice numbers" in shown(
        rejected
    )
    assert rejected.buttons() == []
    told = thread_reply(world, rejected, "<@U0REQUEST> your request")
    assert "Reason: We have enough voice numbers &amp; no budget." in shown(told)
    assert sinch_calls(world, ":rent") == []


def test_a_request_nobody_decides_expires(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    request_card(world, request, "pending")
    after_deadline = replace(world.services, clock=lambda: request.expires_at + timedelta(seconds=1))

    assert approvals.expire_due(after_deadline) == 1

    expired = request_card(world, request, "expired")
    assert "Expired*: nobody decided in time. Nothing was done." in shown(expired) and expired.buttons() == []
    thread_reply(world, expired, "expired before anyone decided; nothing was done")
    assert sinch_calls(world, ":rent") == []


def test_an_expiry_that_cannot_be_announced_is_not_recorded_and_happens_on_the_next_run(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    request_card(world, request, "pending")
    after_deadline = replace(world.services, clock=lambda: request.expires_at + timedelta(seconds=1))

    with outbox_refusing_rows(world.services.store), pytest.raises(sqlite3.IntegrityError):
        approvals.expire_due(after_deadline)

    assert approvals.load(world.services, request.id).state is RequestState.PENDING
    assert approvals.expire_due(after_deadline) == 1
    thread_reply(world, request_card(world, request, "expired"), "expired before anyone decided")


def test_two_approvers_clicking_at_once_rent_exactly_once(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    pending = request_card(world, request, "pending")
    start = threading.Barrier(2)
    acks: list[Ack] = []

    def approve(driver_name: str) -> None:
        driver = getattr(world, driver_name)
        start.wait(timeout=5)
        acks.append(driver.click(pending, ids.APPROVE))

    clickers = [threading.Thread(target=approve, args=(name,)) for name in ("approver", "second_approver")]
    for clicker in clickers:
        clicker.start()
    for clicker in clickers:
        clicker.join(timeout=10)

    assert len(acks) == 2 and all(acked(ack) for ack in acks)
    done = request_card(world, request, "done")
    assert len(sinch_calls(world, ":rent")) == 1
    assert done.buttons() == []


def test_the_requester_can_cancel_while_pending(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    pending = request_card(world, request, "pending")

    acked(world.requester.click(pending, ids.CANCEL))

    cancelled = request_card(world, request, "cancelled")
    assert "Cancelled by <@U0REQUEST>.* Nothing was done." in shown(cancelled) and cancelled.buttons() == []
    assert sinch_calls(world, ":rent") == []


def test_rent_checks_the_number_first_and_refuses_what_is_not_available(world: World) -> None:
    taken = world.sinch.state.seed_active_numbers(1, "US", "LOCAL", project_id="someone-else")[0]

    acked(world.requester.slash("/numbers", f"rent {taken}", channel=OPS.id))

    # The modal opened at once (Slack's trigger expires in 3 s) says so instead of offering a form.
    refusal = modal_saying(world, f"{taken} is not available to rent")
    assert refusal.callback_id != ids.RENT_MODAL and refusal.submit is None
    assert sinch_calls(world, ":rent") == []


def find_form(views: list[View]) -> View | None:
    return next((view for view in views if view.callback_id == ids.RENT_MODAL), None)


def modal_saying(world: World, text: str) -> View:
    return world.wait_for(
        lambda slack: next(
            (view for view in slack.views(world.requester.user_id) if text in shown(view)), None
        )
    )


def test_rent_any_without_a_match_says_so_in_the_modal(world: World) -> None:
    acked(world.requester.slash("/numbers", "rent-any US LOCAL 99999999 --contains", channel=OPS.id))

    refusal = modal_saying(world, "No US LOCAL numbers containing 99999999 are available")
    assert refusal.submit is None
    assert requests.find_requests(world.services.store) == []


def test_a_slow_sinch_still_gets_the_form_open(world: World) -> None:
    phone_number = available(world, wanted={Capability.SMS})
    # Longer than the 3 s a trigger_id lives: the form must not wait for Sinch to open.
    world.sinch.faults.latency_seconds = 3.2

    acked(world.requester.slash("/numbers", f"rent {phone_number}", channel=OPS.id))

    modal_saying(world, "Loading")
    form = world.wait_for(
        lambda slack: next(
            (view for view in slack.views(world.requester.user_id) if view.callback_id == ids.RENT_MODAL),
            None,
        ),
        timeout=10,
    )
    assert phone_number in shown(form)


def test_bad_rent_arguments_get_a_specific_message(world: World) -> None:
    cases = {
        "rent": "Which number? Give it in international format",
        "rent 2065550100": "must start with + and the country code",
        "rent +1206": "'+1206' is not a valid phone number for its country code.",
        "rent +12065550100 +12065550101": "Unexpected `+12065550101`",
        "rent-any GB MOBILE": "only rent *any* matching number for US LOCAL",
        "rent-any US LOCL": "Did you mean `LOCAL`?",
    }
    for command, message in cases.items():
        answer_to(world, world.requester, command, message)

    assert world.slack.views(world.requester.user_id) == []
    assert requests.find_requests(world.services.store) == []


def test_the_modal_names_each_broken_rule_and_creates_nothing(world: World) -> None:
    voice_only = available(world, wanted={Capability.VOICE})
    form = request_form(world, f"rent {voice_only}")

    ack = acked(world.requester.submit(form, {SERVICE_PLAN_BLOCK: "plan-1", VOICE_ID_BLOCK: "app-1"}))

    assert isinstance(ack.body, dict) and ack.body["response_action"] == "errors"
    shown_errors = world.slack.views(world.requester.user_id)[-1].errors
    assert shown_errors == {
        SERVICE_PLAN_BLOCK: f"{voice_only} cannot send or receive SMS; leave this empty.",
        VOICE_TYPE_BLOCK: "Choose what the ID belongs to: a Voice API app, a SIP trunk or a fax service.",
    }
    assert requests.find_requests(world.services.store) == []


def test_without_the_legacy_setting_rent_and_rent_any_point_to_orders(tmp_path: Path) -> None:
    with running_world(tmp_path) as world:
        number = available(world, wanted={Capability.SMS, Capability.VOICE})
        for command in (f"rent {number}", "rent-any US LOCAL 206"):
            answer_to(world, world.requester, command, "Numbers are ordered with Sinch's Number Orders now")

        assert not world.slack.views(world.requester.user_id)
        assert not sinch_calls(world, ":rent") and not sinch_calls(world, ":rentAny")


def test_a_number_taken_before_approval_fails_clearly(world: World) -> None:
    number = available(world, wanted={Capability.SMS})
    request = submit_request(world, request_form(world, f"rent {number}"))
    world.sinch.state.inventory.take(number)  # someone else rented it meanwhile

    acked(world.approver.click(request_card(world, request, "pending"), ids.APPROVE))

    failed = request_card(world, request, "failed")
    assert f"{number} is no longer available: it was rented or withdrawn since the request." in shown(failed)
    assert len(sinch_calls(world, ":rent")) == 1


def test_a_sinch_outage_during_the_rent_fails_without_a_retry(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))
    world.sinch.faults.fail_next(1, 500)

    acked(world.approver.click(request_card(world, request, "pending"), ids.APPROVE))

    failed = request_card(world, request, "failed")
    assert "Sinch had an internal error (HTTP 500)" in shown(failed)
    assert len(sinch_calls(world, ":rent")) == 1  # never blindly repeated


def test_reconcile_reads_back_whether_the_rent_happened(world: World) -> None:
    number = available(world, wanted={Capability.SMS})
    request = submit_request(world, request_form(world, f"rent {number}"))

    missing = reconcile_rent(world.services, request)
    world.services.sinch.rent(number, RentRequest())  # as if the bot's own call had gone through
    found = reconcile_rent(world.services, request)

    assert missing is not None and not missing.ok and f"Sinch did not rent {number}" in missing.text
    assert found is not None and found.ok and f"Rented {number} (US LOCAL)." in found.text
    assert len(sinch_calls(world, ":rent")) == 1  # reconciling never rents


def test_rent_any_end_to_end_sends_the_criteria_and_names_the_number(tmp_path: Path) -> None:
    with running_world(
        tmp_path,
        sandbox=SandboxConfig(seed=7, provisioning_seconds=3600),
        numbot_public_url="https://numbot.example.com/",
        numbot_legacy_rent=True,
    ) as world:
        form = request_form(world, "rent-any us local 5 --ends --voice")
        assert "Sinch picks the first available US LOCAL numbers ending in 5 with VOICE" in shown(form)
        request = submit_request(world, form, {SERVICE_PLAN_BLOCK: "plan-9"})
        pending = request_card(world, request, "pending")
        assert "Rent any US LOCAL number" in shown(pending) and "Sinch picks the number on approval" in shown(
            pending
        )

        acked(world.approver.click(pending, ids.APPROVE))

        done = request_card(world, request, "done")
        calls = [record for record in world.sinch.requests if record.path.endswith(":rentAny")]
        assert len(calls) == 1
        assert calls[0].json == {
            "regionCode": "US",
            "type": "LOCAL",
            "numberPattern": {"pattern": "5", "searchPattern": "END"},
            "capabilities": ["SMS", "VOICE"],
            "smsConfiguration": {"servicePlanId": "plan-9"},
            "callbackUrl": "https://numbot.example.com/sinch/callbacks",
        }
        rented = world.sinch.state.active_phone_numbers(PROJECT_ID)
        assert len(rented) == 1 and rented[0].endswith("5")
        assert f"Rented {rented[0]} (US LOCAL)." in shown(done)
        thread_reply(world, done, "SMS provisioning started")
