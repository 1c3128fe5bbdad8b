"""Approvers see Sinch's price, never the one a submission carried: the request modal's private_metadata
makes a round trip through Slack, so the bot asks Sinch again when the request is submitted."""

from __future__ import annotations

from decimal import Decimal

from bot.sinch.models import Capability
from commands.rent.modal import RentModalMeta
from sandbox.slack import View
from storage import requests
from tests.e2e.test_rent import acked, available, request_form, submit_request
from tests.harness import World, ephemeral_containing, request_card, shown

PRICE_CHANGED = "The price changed since the search"


def forge_price(world: World, form: View, amount: str) -> View:
    """The modal as an attacker would send it back: the same request, a price of their choosing."""
    meta = RentModalMeta.decode(form.definition["private_metadata"])
    cheap = meta.offer.model_copy(update={"setup": Decimal(amount), "monthly": Decimal(amount)})
    forged = {**form.definition, "private_metadata": meta.model_copy(update={"offer": cheap}).encode()}
    world.runtime.app.client.views_update(view_id=form.id, view=forged)
    return world.slack.views(world.requester.user_id)[-1]


def test_a_forged_price_never_reaches_the_card(world: World) -> None:
    form = forge_price(
        world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"), "0.01"
    )

    request = submit_request(world, form)

    pending = shown(request_card(world, request, "pending"))
    assert "*Setup*\n1.00 USD" in pending and "*Monthly*\n1.00 USD" in pending
    assert f"{PRICE_CHANGED}: the requester was shown setup 0.01 USD · monthly 0.01 USD" in pending
    assert (request.setup_cost, request.monthly_cost) == (Decimal("1.00"), Decimal("1.00"))
    told = ephemeral_containing(world, world.requester.user_id, "is waiting for a second person")
    assert (
        f"{PRICE_CHANGED}: the requester was shown" in told.text
        and "Sinch now says setup 1.00 USD" in told.text
    )


def test_an_unchanged_price_is_not_flagged(world: World) -> None:
    request = submit_request(world, request_form(world, f"rent {available(world, wanted={Capability.SMS})}"))

    pending = shown(request_card(world, request, "pending"))
    assert "*Monthly*\n1.00 USD" in pending and PRICE_CHANGED not in pending


def test_rent_any_shows_the_price_of_a_match_sinch_gives_at_submit_time(world: World) -> None:
    form = forge_price(world, request_form(world, "rent-any us local 5 --ends --voice"), "0.01")

    request = submit_request(world, form)

    pending = shown(request_card(world, request, "pending"))
    assert "*Setup*\n1.00 USD" in pending and "*Monthly*\n1.00 USD" in pending
    assert PRICE_CHANGED in pending


def test_a_number_gone_since_the_search_is_refused_and_nothing_is_stored(world: World) -> None:
    number = available(world, wanted={Capability.SMS})
    form = request_form(world, f"rent {number}")
    world.sinch.state.inventory.take(number)  # someone else rented it while the form was open

    acked(world.requester.submit(form))

    ephemeral_containing(world, world.requester.user_id, f"{number} is not available to rent")
    ephemeral_containing(world, world.requester.user_id, "Nothing was requested.")
    assert requests.find_requests(world.services.store, requester=world.requester.user_id) == []
