from __future__ import annotations

import json
from dataclasses import replace

from bot.approvals import CardSummary
from bot.approvals.card import render_card, render_outcome_reply
from bot.blockkit import ids
from storage.request_types import RequestKind, RequestState
from tests.stored_requests import NOW, stored_request


def _action_ids(blocks: list[dict[str, object]]) -> list[str]:
    return [
        element["action_id"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]  # type: ignore[attr-defined]
    ]


def test_pending_card_shows_cost_requester_warning_and_decision_buttons() -> None:
    text, blocks = render_card(stored_request(), now=NOW, sandbox=False)
    dumped = json.dumps(blocks)
    assert "R-7K2Q9" in text and "<@U0REQUEST>" in text
    assert "1.00 USD" in dumped and "2.50 USD" in dumped
    assert "Docs needed" in dumped
    assert _action_ids(blocks) == [ids.APPROVE, ids.REJECT, ids.CANCEL]


def test_decided_cards_have_no_buttons_and_say_who_and_why() -> None:
    rejected = stored_request(state=RequestState.REJECTED, decided_by="U0APPROVE", reason="Wrong region")
    _, blocks = render_card(rejected, now=NOW, sandbox=False)
    dumped = json.dumps(blocks)
    assert _action_ids(blocks) == []
    assert "Rejected by <@U0APPROVE>" in dumped and "Wrong region" in dumped


def test_failed_card_shows_the_error() -> None:
    failed = stored_request(
        state=RequestState.FAILED, decided_by="U0APPROVE", error="Number no longer available"
    )
    _, blocks = render_card(failed, now=NOW, sandbox=False)
    assert "Number no longer available" in json.dumps(blocks)


def test_sandbox_note_on_every_card_and_reply() -> None:
    _, card = render_card(stored_request(), now=NOW, sandbox=True)
    _, reply = render_outcome_reply(stored_request(state=RequestState.EXPIRED), None, sandbox=True)
    assert "SANDBOX" in json.dumps(card) and "SANDBOX" in json.dumps(reply)


def test_reply_mentions_the_requester_with_the_outcome() -> None:
    done = stored_request(state=RequestState.DONE, decided_by="U0APPROVE")
    text, _ = render_outcome_reply(done, "Rented +1 202-555-0143.", sandbox=False)
    assert text.startswith("<@U0REQUEST> your request R-7K2Q9 was approved by <@U0APPROVE> and is done")
    assert "Rented +1 202-555-0143." in text


def test_long_titles_are_clipped_to_slack_limits() -> None:
    long = stored_request(summary=CardSummary(title="x" * 500).to_json())
    _, blocks = render_card(long, now=NOW, sandbox=False)
    assert len(blocks[0]["text"]["text"]) <= 150


def test_an_expired_number_order_says_its_reservation_lapsed_and_a_rent_does_not() -> None:
    order = stored_request(kind=RequestKind.NUMBER_ORDER, state=RequestState.EXPIRED, decided_by="numbot")
    _, card = render_card(order, now=NOW, sandbox=False)
    reply, _ = render_outcome_reply(order, None, sandbox=False)
    assert "reservation lapsed" in json.dumps(card) and "reservation lapsed" in reply
    rent = replace(order, kind=RequestKind.RENT)
    _, rent_card = render_card(rent, now=NOW, sandbox=False)
    assert "reservation" not in json.dumps(rent_card)
    assert "reservation" not in render_outcome_reply(rent, None, sandbox=False)[0]


def test_only_an_expired_number_order_offers_to_start_again_with_what_it_ordered() -> None:
    again = {"region": "GB", "type": "MOBILE", "phone_number": "+447700900123"}
    order = stored_request(
        kind=RequestKind.NUMBER_ORDER, state=RequestState.EXPIRED, payload={"again": again}
    )

    _, blocks = render_outcome_reply(order, None, sandbox=False)

    [button] = [element for block in blocks if block["type"] == "actions" for element in block["elements"]]
    assert button["action_id"] == ids.ORDER_AGAIN and json.loads(button["value"]) == {
        **again,
        "quantity": 1,
        "capabilities": [],
    }
    for other in (replace(order, state=RequestState.REJECTED), replace(order, kind=RequestKind.RENT)):
        _, other_blocks = render_outcome_reply(other, None, sandbox=False)
        assert all(block["type"] != "actions" for block in other_blocks)
