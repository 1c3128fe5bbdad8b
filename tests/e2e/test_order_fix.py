"""After Sinch's review, over the local Slack and the Sinch sandbox (reviews end a moment after the submit):
a blocked order fixed from its thread and resubmitted through a second approval, a rejected one that can
only be started again, a request that expired with its reservation started again, a document of the wrong
kind refused under its input, and a submit whose answer was lost settled by reading the order back.

GB MOBILE asks for a registration and a PDF proof of address; the sandbox's review blocks a registration
containing "BLOCK", rejects one containing "REJECT" and completes any other. Callbacks are off (numbot
has no public URL here), so every change is found by the poll, run when the test says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.blockkit import ids
from bot.sinch import NumberOrderState
from bot.watching.provisioning import FIRST_CHECK
from commands.orders.execute import reconcile_order
from sandbox.sinch.orders import BLOCKED_MESSAGE
from sandbox.slack import Message, View
from sandbox.slack.files import FileUpload
from sandbox.world import GB_REGISTRATION
from storage import orders as stored_orders
from storage import requests
from storage.request_types import RequestState
from storage.requests import Request
from tests.e2e.modal_steps import top_view
from tests.e2e.provisioning_world import MovableClock
from tests.e2e.test_number_orders import order_world
from tests.e2e.test_order_workflow import PDF, answer, searched_form
from tests.harness import APPROVALS, REQUESTER, World, request_card, shown

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BLOCKED = "Sinch blocked"
IN_REVIEW = "is in Sinch's review"
COMPLETE = "is complete"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[World, MovableClock]]:
    with order_world(tmp_path) as started:
        yield started


def ordered(world: World, business: str) -> Request:
    """The requester orders a GB MOBILE number from a search, registered as `business`."""
    _, form = searched_form(world, "GB MOBILE")
    proof = FileUpload("proof.pdf", PDF, "application/pdf")
    world.requester.submit(form, {**GB_REGISTRATION, "Business name": business, "Proof of address": proof})
    return newest_request(world, count=1)


def newest_request(world: World, *, count: int) -> Request:
    """The requester's latest request, once they have made `count`."""

    def made(_: object) -> Request | None:
        found = requests.find_requests(world.services.store, requester=REQUESTER.id)
        return found[0] if len(found) == count else None

    return world.wait_for(made)


def replies(world: World, request: Request, text: str) -> list[Message]:
    return [
        reply
        for reply in world.slack.thread(APPROVALS.id, request_card(world, request).ts)
        if text in shown(reply)
    ]


def reply(world: World, request: Request, text: str) -> Message:
    found = world.wait_for(lambda _: replies(world, request, text)[-1:] or None, timeout=10.0)
    return found[0]


def order_id(request: Request) -> str:
    return str(request.payload["order_id"])


def reviewed(world: World, clock: MovableClock, request: Request, state: NumberOrderState) -> None:
    """Wait for the sandbox's review to end in `state`, then let numbot's poll find it."""
    sinch = world.services.sinch
    assert world.sinch.wait_for(lambda: sinch.get_number_order(order_id(request)).state is state)
    clock.advance(FIRST_CHECK + timedelta(seconds=1))
    world.runtime.scheduler.run_now("poll-number-orders")


def approved_and_reviewed(
    world: World, clock: MovableClock, request: Request, state: NumberOrderState
) -> None:
    world.approver.click(request_card(world, request), ids.APPROVE)
    reply(world, request, IN_REVIEW)
    reviewed(world, clock, request, state)


def initial_values(view: View) -> dict[str, Any]:
    """What each input of the view shows before anyone types, by label."""
    found: dict[str, Any] = {}
    for block in view.blocks:
        element = block.get("element", {})
        for key in ("initial_value", "initial_option", "initial_date"):
            if key in element:
                found[block["label"]["text"]] = element[key]
    return found


def test_a_blocked_order_is_fixed_by_its_requester_approved_again_and_completed(
    world: tuple[World, MovableClock],
) -> None:
    slack_world, clock = world
    first = ordered(slack_world, "BLOCK Widgets Ltd")
    approved_and_reviewed(slack_world, clock, first, NumberOrderState.BLOCKED)
    blocked = reply(slack_world, first, BLOCKED)
    assert f">{BLOCKED_MESSAGE}" in blocked.text

    # Someone else cannot open the requester's registration.
    slack_world.approver.click(blocked, ids.ORDER_FIX)
    refused = top_view(slack_world, slack_world.approver.user_id, ids.LOADING_MODAL, "Only")
    assert "who asked for this order" in shown(refused)

    slack_world.requester.click(blocked, ids.ORDER_FIX)
    form = top_view(slack_world, REQUESTER.id, ids.ORDER_MODAL, "Fix number order")
    prefilled = initial_values(form)
    assert prefilled["Business name"] == "BLOCK Widgets Ltd"
    assert prefilled["Postcode"] == GB_REGISTRATION["Postcode"]
    assert prefilled["Contact phone (E.164)"] == GB_REGISTRATION["Contact phone (E.164)"]
    proof = next(block for block in form.blocks if block.get("label", {}).get("text") == "Proof of address")
    assert proof["optional"] is True
    assert "SMS service plan" not in shown(form)

    # Only the business name is retyped; no document is attached again.
    ack = slack_world.requester.submit(form, {"Business name": "Acme Widgets Ltd"})
    assert answer(ack)["response_action"] == "update"
    second = newest_request(slack_world, count=2)
    assert order_id(second) == order_id(first) and second.state is RequestState.PENDING
    resubmit = shown(request_card(slack_world, second))
    assert "Acme Widgets Ltd" in resubmit and "blocked" in resubmit
    registration = slack_world.services.sinch.get_number_order_registration(order_id(first))
    assert "Acme Widgets Ltd" in str(registration.request_details)
    assert slack_world.services.sinch.get_number_order(order_id(first)).state is NumberOrderState.BLOCKED
    # While that fix waits for approval, a second one is refused.
    slack_world.requester.click(blocked, ids.ORDER_FIX)
    waiting = top_view(slack_world, REQUESTER.id, ids.LOADING_MODAL, "already waits for approval")
    assert second.id in shown(waiting)

    approved_and_reviewed(slack_world, clock, second, NumberOrderState.COMPLETED)
    reply(slack_world, second, COMPLETE)
    clock.advance(FIRST_CHECK * 4)
    slack_world.runtime.scheduler.run_now("poll-number-orders")

    told = {
        (request.id, text): len(replies(slack_world, request, text))
        for request in (first, second)
        for text in (IN_REVIEW, BLOCKED, COMPLETE)
    }
    assert told == {
        (first.id, IN_REVIEW): 1,
        (first.id, BLOCKED): 1,
        (first.id, COMPLETE): 0,
        (second.id, IN_REVIEW): 1,
        (second.id, BLOCKED): 0,
        (second.id, COMPLETE): 1,
    }
    tracked = stored_orders.get_order(slack_world.services.store, order_id(first))
    assert tracked is not None and tracked.state == "COMPLETED" and tracked.request_id == second.id


def test_a_rejected_order_offers_a_new_order_not_a_fix(world: tuple[World, MovableClock]) -> None:
    slack_world, clock = world
    first = ordered(slack_world, "REJECT Widgets Ltd")
    [phone_number] = slack_world.services.sinch.get_number_order(order_id(first)).phone_numbers
    approved_and_reviewed(slack_world, clock, first, NumberOrderState.REJECTED)
    rejected = reply(slack_world, first, "Sinch rejected")

    actions = [button.element["action_id"] for button in rejected.buttons()]
    assert actions == [ids.ORDER_AGAIN]
    assert "cannot be fixed" in rejected.text

    slack_world.requester.click(rejected, ids.ORDER_AGAIN)
    form = top_view(slack_world, REQUESTER.id, ids.ORDER_MODAL, phone_number)
    assert "Fix number order" not in shown(form) and initial_values(form).get("Business name") is None


def test_an_order_request_that_expired_with_its_reservation_starts_again(tmp_path: Path) -> None:
    with order_world(tmp_path, reservation_seconds=2.0) as (slack_world, _):
        first = ordered(slack_world, "Acme Widgets Ltd")
        [phone_number] = slack_world.services.sinch.get_number_order(order_id(first)).phone_numbers
        sinch = slack_world.services.sinch
        assert slack_world.sinch.wait_for(
            lambda: sinch.get_number_order(order_id(first)).state is NumberOrderState.EXPIRED, timeout=10.0
        )
        slack_world.runtime.scheduler.run_now("expire-requests")
        expired = reply(slack_world, first, "the number reservation lapsed")

        slack_world.requester.click(expired, ids.ORDER_AGAIN)
        form = top_view(slack_world, REQUESTER.id, ids.ORDER_MODAL, phone_number)
        assert "Proof of address" in shown(form) and "reserved when you send this form" in shown(form)


def test_a_png_given_as_the_pdf_proof_is_refused_under_its_input(world: tuple[World, MovableClock]) -> None:
    slack_world, _ = world
    _, form = searched_form(slack_world, "GB MOBILE")

    ack = slack_world.requester.submit(
        form, {**GB_REGISTRATION, "Proof of address": FileUpload("proof.pdf", PNG, "application/pdf")}
    )

    assert answer(ack)["response_action"] == "errors"
    [problem] = answer(ack)["errors"].values()
    assert "proof.pdf" in problem and "PDF" in problem
    assert not requests.find_requests(slack_world.services.store, requester=REQUESTER.id)


def test_a_submit_whose_answer_was_lost_is_settled_by_reading_the_order_back(
    world: tuple[World, MovableClock],
) -> None:
    slack_world, _ = world
    request = ordered(slack_world, "Acme Widgets Ltd")
    slack_world.sinch.faults.lose_next_answers(1)

    slack_world.approver.click(request_card(slack_world, request), ids.APPROVE)

    told = reply(slack_world, request, IN_REVIEW)
    assert "was approved by" in told.text
    done = requests.get_request(slack_world.services.store, request.id)
    assert done is not None and done.state is RequestState.DONE
    submits = [call.path for call in slack_world.sinch.requests if call.path.endswith("/submit")]
    assert len(submits) == 1  # read back, never sent twice


def test_reconciling_a_resubmission_tells_a_still_blocked_order_from_one_blocked_again(
    world: tuple[World, MovableClock],
) -> None:
    slack_world, clock = world
    first = ordered(slack_world, "BLOCK Widgets Ltd")
    approved_and_reviewed(slack_world, clock, first, NumberOrderState.BLOCKED)
    slack_world.requester.click(reply(slack_world, first, BLOCKED), ids.ORDER_FIX)
    form = top_view(slack_world, REQUESTER.id, ids.ORDER_MODAL, "Fix number order")
    slack_world.requester.submit(form, {"Business name": "BLOCK Widgets Holdings"})
    second = newest_request(slack_world, count=2)
    services = slack_world.services

    unsent = reconcile_order(services, second)
    services.sinch.submit_number_order(order_id(second))  # as if numbot's own submit had gone through
    reviewed_again = slack_world.sinch.wait_for(
        lambda: len(services.sinch.get_number_order_registration(order_id(second)).logs) == 2
    )
    resubmitted = reconcile_order(services, second)

    assert unsent is not None and not unsent.ok and "did not receive the resubmission" in unsent.text
    assert reviewed_again and resubmitted is not None and resubmitted.ok
