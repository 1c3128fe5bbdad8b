"""An order form longer than one Slack view, sent page by page: each page's mistakes shown on that page, the
answers kept between pages, every page's answers in the registration Sinch receives, and nothing reserved
when the form is closed before its last page. AU mobile numbers need a section per number, so a quantity
order of many of them is such a form (over the local Slack and the Sinch sandbox).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.blockkit import ids
from bot.sinch import NumberOrderState, NumberType
from commands.orders.order_form import OrderMeta
from commands.orders.slots import FieldSlot, all_slots
from sandbox.sinch import SandboxConfig
from sandbox.slack import View
from sandbox.slack.files import FileUpload
from sandbox.slack.models import Ack
from storage import form_drafts, requests
from tests.e2e.test_number_orders import order_world
from tests.e2e.test_order_fix import BLOCKED, approved_and_reviewed, newest_request, reply
from tests.harness import APPROVALS, OPS, World, running_world, shown

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWERS = {
    "purposeOfTheTraffic": "Customer care",
    "intendedUseOfMobileNumbers": "Transactional",
    "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": "true",
    "endBusinessName": "Acme Widgets Pty Ltd",
    "endBusinessAddress": "1 Collins Street",
    "city": "Melbourne",
    "state": "VIC",
    "postalCode": "3000",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "phoneNumber": "+61412345678",
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with running_world(tmp_path, sandbox=SandboxConfig(seed=7, provisioning_seconds=3600)) as started:
        yield started


def sender_id(number: int) -> str:
    """What the requester types as the sender ID of the form's `number`th number (from 0)."""
    return f"+614123{number:05d}"


def answers(world: World, quantity: int) -> dict[str, Any]:
    """Every input of the whole form, by block_id (the per-number inputs share their labels)."""
    requirements = world.services.sinch.lookup_number_requirements("AU", NumberType.MOBILE)
    numbers = OrderMeta(origin_channel=OPS.id, region="AU", type="MOBILE", quantity=quantity).form_numbers()
    filled: dict[str, Any] = {"kyc:doc0": FileUpload("authorisation.pdf", PDF, "application/pdf")}
    for slot in all_slots(requirements, numbers):
        assert isinstance(slot, FieldSlot)
        name = slot.field.name
        if name == "senderId":
            filled[slot.block_id] = sender_id(slot.number or 0)
        elif name in ANSWERS:
            filled[slot.block_id] = ANSWERS[name]
    return filled


def top(world: World, title_part: str) -> View:
    def found(_: object) -> View | None:
        stack = world.slack.views(world.requester.user_id)
        if stack and stack[-1].callback_id == ids.ORDER_MODAL and title_part in stack[-1].title:
            return stack[-1]
        return None

    return world.wait_for(found)


def on_page(view: View, filled: dict[str, Any], **changed: Any) -> dict[str, Any]:
    """The answers for the inputs on `view`, with `changed` ones (by block_id) replaced."""
    mine = {block["block_id"] for block in view.input_blocks()}
    return {block: changed.get(block, value) for block, value in filled.items() if block in mine}


def errors(ack: Ack) -> dict[str, str]:
    assert isinstance(ack.body, dict) and ack.body.get("response_action") == "errors", ack
    return dict(ack.body["errors"])


def created_orders(world: World) -> int:
    calls = world.sinch.requests.snapshot()
    return sum(1 for call in calls if call.method == "POST" and call.path.endswith(":createNumberOrder"))


def test_a_four_page_form_keeps_every_pages_answers_and_sinch_receives_them_all(world: World) -> None:
    quantity = 60
    filled = answers(world, quantity)
    world.requester.slash("/numbers", f"order AU MOBILE --quantity {quantity}", channel=OPS.id)
    first = top(world, "1/4")
    root = first.id

    ack = world.requester.submit(first, on_page(first, filled, **{"kyc:r0:n0:f0": "not a number"}))
    assert list(errors(ack)) == ["kyc:r0:n0:f0"]
    assert len(world.slack.views(world.requester.user_id)) == 1

    world.requester.submit(first, on_page(first, filled))
    second = top(world, "2/4")
    assert [view.id for view in world.slack.views(world.requester.user_id)] == [root, second.id]
    assert "Use of each number: number 19 (continued)" in shown(second)
    late_number = next(b["block_id"] for b in second.input_blocks() if b["block_id"].endswith(":f0"))
    ack = world.requester.submit(second, on_page(second, filled, **{late_number: "12345"}))
    assert list(errors(ack)) == [late_number]

    world.requester.submit(second, on_page(second, filled))
    third = top(world, "3/4")
    world.requester.submit(third, on_page(third, filled))
    fourth = top(world, "4/4")
    # Slack stacks at most three views: the fourth page took the third's place.
    assert [view.id for view in world.slack.views(world.requester.user_id)] == [root, second.id, third.id]
    assert fourth.id == third.id and "Postcode" in shown(fourth)
    assert created_orders(world) == 0

    world.requester.submit(fourth, on_page(fourth, filled))
    sent = world.wait_for(
        lambda slack: next(
            (v for v in slack.views(world.requester.user_id) if "waiting for a second person" in shown(v)),
            None,
        )
    )
    [request] = requests.find_requests(world.services.store, requester=world.requester.user_id)
    assert request.id in shown(sent)
    details = world.services.sinch.get_number_order_registration(str(request.payload["order_id"]))
    data = details.request_details["data"]
    assert [item["senderId"] for item in data[0]] == [sender_id(n) for n in range(quantity)]
    assert all(item["purposeOfTheTraffic"] == "Customer care" for item in data[0])
    assert data[1]["postalCode"] == "3000" and data[1]["endBusinessName"] == "Acme Widgets Pty Ltd"
    assert data[2]["firstName"] == "Ada"
    card = world.wait_for(
        lambda slack: next((m for m in slack.messages(APPROVALS.id) if m.text.startswith(request.id)), None)
    )
    assert "authorisation.pdf" in shown(card)
    assert form_drafts.saved_pages(world.services.store, root, world.services.clock()) == []


def test_a_form_closed_before_its_last_page_reserves_and_requests_nothing(world: World) -> None:
    filled = answers(world, 20)
    world.requester.slash("/numbers", "order AU MOBILE --quantity 20", channel=OPS.id)
    first = top(world, "1/2")
    world.requester.submit(first, on_page(first, filled))
    second = top(world, "2/2")

    world.requester.close(second)
    world.requester.close(first)

    assert world.slack.views(world.requester.user_id) == []
    assert created_orders(world) == 0
    assert requests.find_requests(world.services.store, requester=world.requester.user_id) == []


def test_a_blocked_multi_page_order_is_fixed_page_by_page_from_what_sinch_holds(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, clock):
        filled = answers(world, 20)
        world.requester.slash("/numbers", "order AU MOBILE --quantity 20", channel=OPS.id)
        first = top(world, "1/2")
        world.requester.submit(first, on_page(first, filled))
        second = top(world, "2/2")
        business = next(b["block_id"] for b in second.input_blocks() if b["label"]["text"] == "Business name")
        world.requester.submit(second, on_page(second, filled, **{business: "BLOCK Widgets Pty Ltd"}))
        blocked_request = newest_request(world, count=1)
        approved_and_reviewed(world, clock, blocked_request, NumberOrderState.BLOCKED)

        world.requester.click(reply(world, blocked_request, BLOCKED), ids.ORDER_FIX)
        fix_first = top(world, "1/2")
        assert "Fix number order" in shown(fix_first)
        world.requester.submit(fix_first, {})  # every answer is filled in from Sinch's registration
        fix_second = top(world, "2/2")
        assert fix_second.input_block(business)["element"]["initial_value"] == "BLOCK Widgets Pty Ltd"
        world.requester.submit(fix_second, {business: "Acme Widgets Pty Ltd"})

        fixed = newest_request(world, count=2)
        assert fixed.payload["order_id"] == blocked_request.payload["order_id"]
        details = world.services.sinch.get_number_order_registration(str(fixed.payload["order_id"]))
        data = details.request_details["data"]
        assert [item["senderId"] for item in data[0]] == [sender_id(n) for n in range(20)]
        assert data[1]["endBusinessName"] == "Acme Widgets Pty Ltd"
