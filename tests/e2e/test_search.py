"""`/numbers search`, the search modal and `check`, end to end against the Sinch sandbox over HTTP."""

from __future__ import annotations

from typing import Any

from bot.blockkit import ids
from bot.sinch.models import Capability, NumberType
from commands.search.modal import CAPABILITIES_BLOCK, PATTERN_BLOCK, POSITION_BLOCK, REGION_BLOCK, TYPE_BLOCK
from commands.shared.number_offer import NumberOffer
from sandbox.slack import Message
from sandbox.slack.models import Ack
from tests.harness import OPS, World, answer_to, ephemeral_containing, shown

ACK_DEADLINE = 3.0


def acked(ack: Ack) -> Ack:
    assert ack.ok and ack.elapsed < ACK_DEADLINE, ack
    assert ack.problem is None, ack.problem
    return ack


def offers_in(message: Message) -> list[NumberOffer]:
    return [NumberOffer.decode(button.element["value"]) for button in message.buttons()]


def searches(world: World) -> list[dict[str, Any]]:
    """The query of every availableNumbers search Sinch received."""
    return [record.query for record in world.sinch.requests if record.path.endswith("/availableNumbers")]


def test_search_lists_matching_numbers_with_prices_and_request_buttons(world: World) -> None:
    acked(world.requester.slash("/numbers", "search us local 5 --ends --sms --limit 5", channel=OPS.id))

    results = ephemeral_containing(
        world, world.requester.user_id, "Available: US LOCAL numbers ending in 5 with SMS"
    )
    offers = offers_in(results)
    assert len(offers) == 5
    for offer in offers:
        assert offer.phone_number.endswith("5") and "SMS" in offer.capabilities
        assert (offer.region, offer.type, offer.currency) == ("US", "LOCAL", "USD")
        prices = "setup 1.00 USD · monthly 1.00 USD"
        assert f"*{offer.phone_number}*  US LOCAL\n{offer.capabilities_text()} · {prices}" in shown(results)
    assert "More numbers match: add digits to narrow the search, or raise `--limit`" in shown(results)
    assert searches(world) == [
        {
            "regionCode": ["US"],
            "type": ["LOCAL"],
            "capabilities": ["SMS"],
            "size": ["6"],
            "numberPattern.pattern": ["5"],
            "numberPattern.searchPattern": ["END"],
        }
    ]
    assert world.slack.messages(OPS.id) == []  # only the requester sees results


def test_many_results_fit_one_message_and_say_how_many_are_not_shown(world: World) -> None:
    acked(world.requester.slash("/numbers", "search US LOCAL --limit 100", channel=OPS.id))

    results = ephemeral_containing(world, world.requester.user_id, "more found but not shown")
    assert len(results.blocks) <= 50
    assert len(offers_in(results)) == 46
    assert "54 more found but not shown: a Slack message holds 46." in shown(results)


def test_documents_required_is_flagged(world: World) -> None:
    acked(world.requester.slash("/numbers", "search GB local --limit 1", channel=OPS.id))

    results = ephemeral_containing(world, world.requester.user_id, "Available: GB LOCAL numbers")
    assert ":page_facing_up: Supporting documents required" in shown(results)
    assert offers_in(results)[0].documents_required


def test_search_mistakes_get_specific_hints_and_reach_no_search(world: World) -> None:
    cases = {
        "search UK MOBILE": "Unknown region `UK`. Did you mean `GB` (United Kingdom)?",
        "search US LOCL": "Unknown number type `LOCL`. Did you mean `LOCAL`?",
        "search US": "Say which region and number type",
        "search US LOCAL --limit 0": "`--limit` must be between 1 and 100, not 0.",
        "search US LOCAL 12 --starts --ends": "`--starts` and `--ends` contradict each other",
        "search US mobile 77 --sms --voice": "Sinch has no MOBILE numbers in US; it offers LOCAL, TOLL_FREE.",
        "search US LOCAL 12x": "The pattern `12x` must be digits",
    }
    for command, message in cases.items():
        told = answer_to(world, world.requester, command, message)
        assert "Usage: `/numbers search <REGION> <TYPE>" in told.text, command

    assert searches(world) == []


def test_a_search_with_no_match_explains_the_country_code(world: World) -> None:
    acked(world.requester.slash("/numbers", "search US LOCAL 206", channel=OPS.id))

    ephemeral_containing(
        world, world.requester.user_id, "A number starts with its country code: try `+1206`."
    )


def test_a_sinch_outage_is_reported_plainly(world: World) -> None:
    world.sinch.faults.fail_next(4, 500)  # more than the client's retries of an idempotent search

    acked(world.requester.slash("/numbers", "search US LOCAL", channel=OPS.id))

    ephemeral_containing(world, world.requester.user_id, ":x: Sinch had an internal error (HTTP 500)")


def test_the_search_modal_loads_regions_and_posts_results_to_the_channel(world: World) -> None:
    acked(world.requester.slash("/numbers", "search", channel=OPS.id))

    form = world.wait_for(
        lambda slack: next(
            (view for view in slack.views(world.requester.user_id) if view.callback_id == ids.SEARCH_MODAL),
            None,
        )
    )
    regions = [option["value"] for option in form.input_block(REGION_BLOCK)["element"]["options"]]
    assert regions == sorted(region.region_code for region in world.services.sinch.regions())
    loading_updates = [call for call in world.slack.calls if call.method == "views.update"]
    assert len(loading_updates) == 1 and loading_updates[0].ok

    bad = acked(world.requester.submit(form, {REGION_BLOCK: "GB", PATTERN_BLOCK: "7 7"}))
    assert isinstance(bad.body, dict) and bad.body["response_action"] == "errors"
    assert "must be digits" in world.slack.views(world.requester.user_id)[-1].errors[PATTERN_BLOCK]

    acked(
        world.requester.submit(
            world.slack.views(world.requester.user_id)[-1],
            {
                REGION_BLOCK: "GB",
                TYPE_BLOCK: "MOBILE",
                CAPABILITIES_BLOCK: ["SMS"],
                PATTERN_BLOCK: "+447",
                POSITION_BLOCK: "START",
            },
        )
    )

    results = ephemeral_containing(
        world, world.requester.user_id, "Available: GB MOBILE numbers starting with +447 with SMS"
    )
    assert results.channel == OPS.id
    assert world.slack.views(world.requester.user_id) == []
    assert all(offer.phone_number.startswith("+447") for offer in offers_in(results))
    assert searches(world)[-1]["numberPattern.pattern"] == ["+447"]


def test_check_shows_price_and_a_request_button_for_an_available_number(world: World) -> None:
    number = world.services.sinch.search_available("US", NumberType.LOCAL, capabilities=[Capability.VOICE])[0]

    acked(world.requester.slash("/numbers", f"check {number.phone_number}", channel=OPS.id))

    told = ephemeral_containing(world, world.requester.user_id, f"{number.phone_number} is available.")
    assert "setup 1.00 USD · monthly 1.00 USD" in shown(told)
    assert offers_in(told) == [NumberOffer.from_available(number)]


def test_check_says_when_a_number_is_taken_or_not_a_number(world: World) -> None:
    taken = world.sinch.state.seed_active_numbers(1, "US", "LOCAL", project_id="another-project")[0]

    for command, message in {
        f"check {taken}": f"{taken} is not available to rent",
        "check +4420": "'+4420' is not a valid phone number for its country code.",
        "check 02079460000": "must start with + and the country code",
        "check": "Which number?",
    }.items():
        answer_to(world, world.requester, command, message)
