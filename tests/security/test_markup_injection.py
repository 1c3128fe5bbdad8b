"""Text a user or Sinch supplied never turns into Slack markup: no channel-wide ping, no mention, no disguised
link in a card, a thread reply, a view or a message's fallback text; and the server, not the form, holds
typed values to their length and strips control and bidi characters before anything is stored or sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.approvals import CardSummary
from bot.approvals.card import render_card
from bot.blockkit import ids
from bot.sinch.models import Capability, NumberType
from commands.shared.number_forms import DISPLAY_NAME_BLOCK
from sandbox.slack import Message, View
from storage import requests
from storage.request_types import RequestKind, RequestState
from storage.requests import Request
from tests.e2e.modal_steps import top_view
from tests.e2e.provisioning_world import ClockedWorld, clocked_world, stuck_request, thread_reply
from tests.harness import APPROVALS, OPS, PROJECT_ID, World, answer_to, open_modal, request_card
from tests.stored_requests import NOW, stored_request

HOSTILE = "<!channel> <@U0ADMIN01> <https://evil.example|click here>"
ESCAPED = "&lt;!channel&gt; &lt;@U0ADMIN01&gt; &lt;https://evil.example|click here&gt;"
LIVE_MARKUP = ("<!channel>", "<@U0ADMIN01>", "<https://")


def mrkdwn_texts(node: object) -> list[str]:
    """Every mrkdwn text in blocks: where Slack reads mentions and links (plain_text shows literally)."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            return [str(node.get("text", ""))]
        return [text for value in node.values() for text in mrkdwn_texts(value)]
    if isinstance(node, list):
        return [text for item in node for text in mrkdwn_texts(item)]
    return []


def markup_read(surface: Message | View) -> str:
    """What Slack parses as markup on a message (fallback text too) or a view."""
    fallback = surface.text if isinstance(surface, Message) else ""
    return "\n".join([fallback, *mrkdwn_texts(surface.blocks)])


def assert_inert(surface: Message | View) -> None:
    read = markup_read(surface)
    assert ESCAPED in read
    for live in LIVE_MARKUP:
        assert live not in read


def rent_form(world: World) -> View:
    found = world.services.sinch.search_available("US", NumberType.LOCAL, capabilities=[Capability.SMS])
    return open_modal(world, world.requester, f"rent {found[0].phone_number}", ids.RENT_MODAL)


def request_rent(world: World, display_name: str) -> Request:
    ack = world.requester.submit(rent_form(world), {DISPLAY_NAME_BLOCK: display_name})
    assert ack.ok and ack.problem is None, ack
    [request] = world.wait_for(
        lambda _: requests.find_requests(world.services.store, requester=world.requester.user_id)
    )
    return request


def test_a_forged_display_name_is_shown_escaped_on_the_card_and_in_the_thread(world: World) -> None:
    request = request_rent(world, HOSTILE)
    assert request.payload["display_name"] == HOSTILE  # stored as typed: escaping happens when shown

    assert_inert(request_card(world, request, "pending"))
    world.approver.click(request_card(world, request, "pending"), ids.APPROVE)
    assert_inert(request_card(world, request, "done"))
    told = thread_reply(world, request, "is done")
    assert_inert(told)
    assert f"Display name: {ESCAPED}." in told.text
    rented = world.sinch.state.active_number(request.subject, PROJECT_ID)
    assert rented is not None and rented["displayName"] == HOSTILE  # Sinch gets the name, not markup


def test_a_forged_reject_reason_is_shown_escaped_on_the_card(world: World) -> None:
    request = request_rent(world, "Support line")
    world.approver.click(request_card(world, request, "pending"), ids.REJECT)
    reason_form = world.wait_for(lambda slack: slack.views(world.approver.user_id))[-1]
    assert world.approver.submit(reason_form, {"reason": HOSTILE}).ok

    rejected = request_card(world, request, "rejected")
    assert_inert(rejected)
    assert f">{ESCAPED}" in markup_read(rejected)


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[ClockedWorld]:
    with clocked_world(tmp_path) as started:
        yield started


def test_a_forged_settle_note_is_shown_escaped_in_the_thread_and_on_the_card(clocked: ClockedWorld) -> None:
    world = clocked.world
    request = stuck_request(world.services, "US LOCAL", kind=RequestKind.RENT_ANY)
    clocked.clock.advance(timedelta(minutes=3))

    answer_to(world, world.admin, f'settle {request.id} done "{HOSTILE}"', "is now done")

    told = thread_reply(world, request, "is done")
    assert f"as done: {ESCAPED}" in told.text
    # The admin's own mention is the bot's, made from their user id; only the note's markup is inert.
    assert "<!channel>" not in markup_read(told) and "<https://" not in markup_read(told)
    done = request_card(world, request, "done")
    assert ESCAPED in markup_read(done) and "<!channel>" not in markup_read(done)


def test_a_forged_address_line_is_shown_escaped_in_sinch_s_verdict(world: World) -> None:
    phone = world.sinch.state.seed_active_numbers(1, project_id=PROJECT_ID)[0]
    world.requester.slash("/numbers", f"e911 set {phone}", channel=OPS.id)
    form = top_view(world, world.requester.user_id, ids.E911_MODAL)
    address = {
        "e911_display_name": "Acme HQ",
        "e911_street_number": "1",
        "e911_street_info": "Nowhere Rd",
        "e911_location": HOSTILE,
        "e911_city": "Springfield",
        "e911_state": "IL",
        "e911_postal_code": "62701",
    }
    assert world.requester.submit(form, address).ok

    assert_inert(top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "could not match"))


def test_a_display_name_stored_at_sinch_is_shown_escaped_by_show_and_list(world: World) -> None:
    [phone] = world.sinch.state.seed_active_numbers(1, project_id=PROJECT_ID, display_name_prefix=HOSTILE)

    assert_inert(answer_to(world, world.requester, f"show {phone}", "Display name"))
    assert_inert(answer_to(world, world.requester, "list", phone))


def test_a_forged_5000_character_display_name_is_refused_under_the_field(world: World) -> None:
    form = rent_form(world)
    ack = world.requester.submit(form, {DISPLAY_NAME_BLOCK: "x" * 5000})

    assert isinstance(ack.body, dict) and ack.body["response_action"] == "errors"
    assert ack.body["errors"] == {DISPLAY_NAME_BLOCK: "Keep this to 100 characters or fewer (it has 5000)."}
    assert requests.find_requests(world.services.store, requester=world.requester.user_id) == []
    assert [r.path for r in world.sinch.requests if r.method != "GET" and r.path != "/oauth2/token"] == []
    assert world.slack.messages(APPROVALS.id) == []


def test_a_forged_5000_character_reject_reason_is_refused_and_the_request_stays_pending(
    world: World,
) -> None:
    request = request_rent(world, "Support line")
    world.approver.click(request_card(world, request, "pending"), ids.REJECT)
    reason_form = world.wait_for(lambda slack: slack.views(world.approver.user_id))[-1]

    ack = world.approver.submit(reason_form, {"reason": "y" * 5000})

    assert isinstance(ack.body, dict)
    assert ack.body["errors"] == {"reason": "Keep this to 500 characters or fewer (it has 5000)."}
    assert requests.get_request(world.services.store, request.id).state is RequestState.PENDING  # type: ignore[union-attr]


def test_a_forged_5000_character_option_is_refused_before_anything_reaches_sinch(world: World) -> None:
    name = "z" * 5000
    refused = answer_to(world, world.requester, f'imported update +12065550100 --name "{name}"', "Keep")

    assert "Keep `--name` to 100 characters or fewer (it has 5000)." in refused.text
    assert [r.path for r in world.sinch.requests if r.path != "/oauth2/token"] == []


def test_a_bidi_override_in_a_display_name_is_removed_before_it_is_stored_or_sent(world: World) -> None:
    request = request_rent(world, "Support\u202e enil\u2066\x1b")
    assert request.payload["display_name"] == "Support enil"

    world.approver.click(request_card(world, request, "pending"), ids.APPROVE)
    request_card(world, request, "done")
    rented = world.sinch.state.active_number(request.subject, PROJECT_ID)
    assert rented is not None and rented["displayName"] == "Support enil"


def test_command_words_lose_control_and_bidi_characters(world: World) -> None:
    refused = answer_to(
        world, world.admin, "settle R-2345678 fini\u202eshed\x07 it worked", "is not an outcome"
    )
    assert "“finished” is not an outcome: say done or failed." in refused.text


# The property: whatever the text, the card's only markup is the bot's own mentions and dates.


BOT_MARKUP = re.compile(r"<@U0(?:REQUEST|APPROVE)>|<!date\^\d+\^[^|<>]*\|[^<>]*>")


def _request(text: str, state: RequestState) -> Request:
    summary = CardSummary(title=text, fields=[(text, text)], warnings=[text]).to_json()
    decided_by = None if state is RequestState.PENDING else "U0APPROVE"
    return stored_request(state=state, summary=summary, decided_by=decided_by, reason=text)


def _markup_left(text: str, blocks: list[dict[str, Any]]) -> str:
    return BOT_MARKUP.sub("", "\n".join([text, *mrkdwn_texts(blocks)]))


@given(text=st.text(), state=st.sampled_from([RequestState.PENDING, RequestState.REJECTED]))
def test_whatever_is_typed_the_card_has_no_markup_but_the_bot_s_own(text: str, state: RequestState) -> None:
    fallback, blocks = render_card(_request(text, state), now=NOW, sandbox=True)
    left = _markup_left(fallback, blocks)
    assert "<" not in left and ">" not in left.replace("\n>", "\n")
