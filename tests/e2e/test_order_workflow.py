"""Ordering numbers from Slack end to end: search → "Request this number" → the KYC form Sinch's
requirements generate (with a document attached) → the approval card → submit → Sinch's review told in
the card's thread. Over the local Slack and the Sinch sandbox, whose review ends a moment after the submit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.blockkit import ids
from bot.sinch import CreateNumberOrderRequest, NumberOrderOption, NumberOrderState, NumberType
from commands.shared.number_offer import NumberOffer
from sandbox.sinch import SandboxConfig
from sandbox.slack import Message, View
from sandbox.slack.files import FileUpload
from sandbox.slack.models import Ack
from sandbox.world import GB_REGISTRATION
from storage import requests
from storage.requests import Request
from tests.harness import APPROVALS, OPS, World, answer_to, request_card, running_world, shown, visible_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    config = SandboxConfig(
        seed=7, provisioning_seconds=3600, order_review_seconds=0.2, attachment_max_bytes=4096
    )
    with running_world(tmp_path, sandbox=config) as started:
        yield started


def answer(ack: Ack) -> dict[str, Any]:
    """What the bot answered a submission with."""
    assert isinstance(ack.body, dict), ack
    return ack.body


def order_form(world: World) -> View:
    return world.wait_for(
        lambda slack: next(
            (view for view in slack.views(world.requester.user_id) if view.callback_id == ids.ORDER_MODAL),
            None,
        )
    )


def searched_form(world: World, criteria: str) -> tuple[str, View]:
    results = answer_to(world, world.requester, f"search {criteria} --limit 1", "Request this number")
    button = results.buttons()[0]
    world.requester.click(results, ids.REQUEST_NUMBER, value=button.element["value"])
    return NumberOffer.decode(button.element["value"]).phone_number, order_form(world)


def sent(world: World) -> Request:
    ephemeral_or_view = world.wait_for(
        lambda slack: next(
            (
                view
                for view in slack.views(world.requester.user_id)
                if "waiting for a second person" in shown(view)
            ),
            None,
        )
    )
    found = requests.find_requests(world.services.store, requester=world.requester.user_id)
    assert len(found) == 1 and found[0].id in shown(ephemeral_or_view)
    return found[0]


def thread_reply(world: World, parent: Message, text: str) -> Message:
    return world.wait_for(
        lambda slack: next(
            (reply for reply in slack.thread(APPROVALS.id, parent.ts) if text in shown(reply)), None
        ),
        timeout=10.0,
    )


def test_gb_mobile_from_search_with_a_document_is_approved_submitted_and_completed(world: World) -> None:
    phone_number, form = searched_form(world, "GB MOBILE")
    assert "Proof of address" in shown(form) and "Postcode" in shown(form)

    world.requester.submit(
        form, {**GB_REGISTRATION, "Proof of address": FileUpload("proof.pdf", PDF, "application/pdf")}
    )
    request = sent(world)

    pending = request_card(world, request)
    text = shown(pending)
    assert phone_number in text and "proof.pdf" in text and "Acme Widgets Ltd" in text
    assert (
        "J***" in text
        and "S****" in text
        and "jane@example.com" not in text
        and "Reservation ends" in text
        and "UTC" in text
    )
    order_id = str(request.payload["order_id"])
    assert world.services.sinch.get_number_order(order_id).state is NumberOrderState.CREATED

    world.approver.click(pending, ids.APPROVE)
    thread_reply(world, pending, "is in Sinch's review")
    assert world.services.sinch.get_number_order(order_id).state in {
        NumberOrderState.IN_REVIEW,
        NumberOrderState.COMPLETED,
    }


def test_a_bad_email_comes_back_under_its_input_and_nothing_is_requested(world: World) -> None:
    _, form = searched_form(world, "GB MOBILE")

    ack = world.requester.submit(
        form,
        {
            **GB_REGISTRATION,
            "Contact email": "not-an-email",
            "Proof of address": FileUpload("proof.pdf", PDF, "application/pdf"),
        },
    )

    assert answer(ack)["response_action"] == "errors"
    assert not requests.find_requests(world.services.store, requester=world.requester.user_id)


def test_a_document_larger_than_sinch_takes_is_named(world: World) -> None:
    _, form = searched_form(world, "GB MOBILE")
    big = PDF + b"0" * 8192

    ack = world.requester.submit(
        form, {**GB_REGISTRATION, "Proof of address": FileUpload("big.pdf", big, "application/pdf")}
    )

    assert answer(ack)["response_action"] == "errors"
    assert any("big.pdf" in message for message in answer(ack)["errors"].values())
    assert not requests.find_requests(world.services.store, requester=world.requester.user_id)


def test_a_quantity_order_reserves_two_numbers_and_shows_both_on_the_card(world: World) -> None:
    world.requester.slash("/numbers", "order US LOCAL --quantity 2", channel=OPS.id)
    form = order_form(world)
    assert "Sinch picks the numbers" in shown(form)

    world.requester.submit(form, {})
    request = sent(world)

    order = world.services.sinch.get_number_order(str(request.payload["order_id"]))
    assert len(order.phone_numbers) == 2
    text = shown(request_card(world, request))
    assert all(number in text for number in order.phone_numbers)


def test_a_number_gone_meanwhile_says_so_and_offers_a_search(world: World) -> None:
    phone_number, form = searched_form(world, "US LOCAL")
    # Someone else reserves it between the search and the submit.
    world.services.sinch.create_number_order(
        CreateNumberOrderRequest(
            region_code="US",
            number_type=NumberType.LOCAL,
            number_order_option=NumberOrderOption(phone_numbers=[phone_number]),
        )
    )

    ack = world.requester.submit(form, {})

    assert answer(ack)["response_action"] == "update"
    refusal = visible_text(answer(ack)["view"]["blocks"])
    assert f"{phone_number} is not available" in refusal and "/numbers search US LOCAL" in refusal
    assert not requests.find_requests(world.services.store, requester=world.requester.user_id)
