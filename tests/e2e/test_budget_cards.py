"""Approval cards show what a request does to the team's monthly spend, against NUMBOT_MONTHLY_BUDGET."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from bot.blockkit import ids
from bot.blockkit.blocks import money
from bot.inventory import snapshot
from bot.sinch import Capability, NumberType
from commands.release.listeners import REASON_BLOCK
from sandbox.slack import Message
from storage import requests
from storage.request_types import RequestKind, RequestState
from storage.requests import Request
from tests.harness import APPROVALS, PROJECT_ID, World, open_modal, running_world, shown, sms_and_voice_number


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with running_world(
        tmp_path_factory.mktemp("budget"), numbot_legacy_rent=True, numbot_monthly_budget="USD=1000"
    ) as started:
        yield started


def card_titled(world: World, title: str) -> Message:
    return world.wait_for(
        lambda slack: next((m for m in slack.messages(APPROVALS.id) if title in shown(m)), None)
    )


def usd_spent(world: World) -> Decimal:
    """The project's monthly bill in USD, as the sandbox's Sinch has it."""
    state = world.sinch.state
    numbers = [state.active_number(phone, PROJECT_ID) for phone in state.active_phone_numbers(PROJECT_ID)]
    return sum(
        (Decimal(n["money"]["amount"]) for n in numbers if n and n["money"]["currencyCode"] == "USD"),
        Decimal(0),
    )


def pending_orders(world: World) -> list[Request]:
    pending = requests.find_requests(world.services.store, states={RequestState.PENDING})
    return [request for request in pending if request.kind is RequestKind.NUMBER_ORDER]


def test_a_rent_over_budget_warns_and_a_release_shows_the_saving(world: World) -> None:
    phone = sms_and_voice_number(world, service_plan_id="plan-a")
    snapshot.refresh(world.services)
    now = usd_spent(world)
    [offer] = world.services.sinch.search_available(
        "US", NumberType.LOCAL, capabilities=[Capability.SMS], size=1
    )
    assert offer.monthly_price is not None
    price = offer.monthly_price.amount
    assert price is not None
    budget = now + price / 2
    world.services.settings.numbot_monthly_budget = {"USD": budget}

    rent = open_modal(world, world.requester, f"rent {offer.phone_number}", "rent.modal")
    world.requester.submit(rent)
    rent_card = shown(card_titled(world, f"Rent {offer.phone_number}"))

    assert (
        f"*Monthly spend (USD):* {money(now, None)} → {money(now + price, None)} (+{money(price, None)}) · "
        f"budget {money(budget, None)}"
    ) in rent_card
    assert (
        ":warning: Over budget: this takes monthly spend in USD above the budget of "
        f"{money(budget, None)} USD. Approving is still allowed."
    ) in rent_card
    assert "approval.approve" in str(
        card_titled(world, f"Rent {offer.phone_number}").blocks
    )  # warned, not blocked

    saved = Decimal(world.sinch.state.active_number(phone, PROJECT_ID)["money"]["amount"])  # type: ignore[index]
    release = open_modal(world, world.requester, f"release {phone}", "release.modal")
    world.requester.submit(release, {REASON_BLOCK: "Campaign ended"})
    release_card = shown(card_titled(world, f"Release {phone}"))

    assert (
        f"*Monthly spend (USD):* {money(now, None)} → {money(now - saved, None)} (-{money(saved, None)})"
    ) in release_card
    assert "Over budget" not in release_card


def test_a_number_order_within_budget_shows_its_spend_without_a_warning(world: World) -> None:
    snapshot.refresh(world.services)
    now = usd_spent(world)
    budget = now + 1000
    world.services.settings.numbot_monthly_budget = {"USD": budget}

    form = open_modal(world, world.requester, "order US LOCAL --quantity 2", ids.ORDER_MODAL)
    world.requester.submit(form, {})
    request = world.wait_for(lambda _: next(iter(pending_orders(world)), None))
    order_card = shown(card_titled(world, f"{request.id}: "))

    assert request.monthly_cost is not None and request.currency == "USD"
    monthly = request.monthly_cost
    assert (
        f"*Monthly spend (USD):* {money(now, None)} → {money(now + monthly, None)} "
        f"(+{money(monthly, None)}) · budget {money(budget, None)}"
    ) in order_card
    assert "Over budget" not in order_card
