"""Modals: trigger_id rules, view updates with hashes, submissions, validation errors and closing."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.slack import ElementNotFoundError, LocalSlack, RequiredFieldMissingError
from tests.sandbox_slack.conftest import OPS, REQUESTER, ManualClock


def rent_modal(**extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "rent",
        "title": {"type": "plain_text", "text": "Rent a number"},
        "submit": {"type": "plain_text", "text": "Rent"},
        "private_metadata": '{"request": "r1"}',
        "blocks": [
            {
                "type": "input",
                "block_id": "number",
                "label": {"type": "plain_text", "text": "Number"},
                "element": {"type": "plain_text_input", "action_id": "e164"},
            },
            {
                "type": "input",
                "block_id": "kind",
                "label": {"type": "plain_text", "text": "Type"},
                "element": {
                    "type": "static_select",
                    "action_id": "type",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Local"}, "value": "LOCAL"},
                        {"text": {"type": "plain_text", "text": "Mobile"}, "value": "MOBILE"},
                    ],
                    "initial_option": {"text": {"type": "plain_text", "text": "Local"}, "value": "LOCAL"},
                },
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": True,
                "label": {"type": "plain_text", "text": "Note"},
                "element": {"type": "plain_text_input", "action_id": "text"},
            },
        ],
        **extra,
    }


def message(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture
def opens_rent_modal(app: App) -> list[str]:
    """The app opens the rent modal from /numbers; returns the trigger_ids it received."""
    triggers: list[str] = []

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        triggers.append(command["trigger_id"])
        client.views_open(trigger_id=command["trigger_id"], view=rent_modal(notify_on_close=True))

    return triggers


def test_views_open_within_three_seconds_shows_the_modal(
    slack: LocalSlack, opens_rent_modal: list[str]
) -> None:
    slack.user(REQUESTER).slash("/numbers", "rent", channel=OPS)

    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]
    assert (modal.title, modal.callback_id, modal.submit) == ("Rent a number", "rent", "Rent")
    assert [block["block_id"] for block in modal.input_blocks()] == ["number", "kind", "note"]


def test_trigger_ids_expire_after_three_seconds_and_work_once(
    slack: LocalSlack, app: App, client: WebClient, clock: ManualClock
) -> None:
    triggers: list[str] = []

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any]) -> None:
        triggers.append(command["trigger_id"])
        ack()

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", channel=OPS)
    rita.slash("/numbers", channel=OPS)
    fresh, stale = triggers

    client.views_open(trigger_id=fresh, view=rent_modal())
    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id=fresh, view=rent_modal())
    clock.advance(3.1)
    with pytest.raises(SlackApiError) as expired:
        client.views_open(trigger_id=stale, view=rent_modal())

    assert reused.value.response["error"] == "exchanged_trigger_id"
    assert expired.value.response["error"] == "expired_trigger_id"


def test_submission_sends_state_values_like_slack(
    slack: LocalSlack, app: App, opens_rent_modal: list[str]
) -> None:
    submitted: list[dict[str, Any]] = []

    @app.view("rent")
    def rent(ack: Ack, view: dict[str, Any]) -> None:
        submitted.append(view)
        ack()

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    ack = rita.submit(modal, {"Number": "+15550100"})

    assert ack.ok and slack.views(REQUESTER) == []
    view = submitted[0]
    assert view["state"]["values"] == {
        "number": {"e164": {"type": "plain_text_input", "value": "+15550100"}},
        "kind": {
            "type": {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": "Local"}, "value": "LOCAL"},
            }
        },
        "note": {"text": {"type": "plain_text_input", "value": None}},
    }
    assert (view["id"], view["hash"], view["private_metadata"]) == (modal.id, modal.hash, '{"request": "r1"}')


def test_a_required_input_left_empty_never_reaches_the_app(
    slack: LocalSlack, opens_rent_modal: list[str]
) -> None:
    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    with pytest.raises(RequiredFieldMissingError):
        rita.submit(modal, {"note": "hi"})
    assert slack.views(REQUESTER)[0].id == modal.id


def test_errors_in_the_ack_are_shown_under_the_inputs(
    slack: LocalSlack, app: App, opens_rent_modal: list[str]
) -> None:
    @app.view("rent")
    def rent(ack: Ack, view: dict[str, Any]) -> None:
        if not view["state"]["values"]["number"]["e164"]["value"].startswith("+"):
            ack(response_action="errors", errors={"number": "Use E.164, like +15550100"})
            return
        ack()

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    rita.submit(modal, {"number": "555"})
    shown = slack.views(REQUESTER)[0]
    assert shown.errors == {"number": "Use E.164, like +15550100"}

    rita.submit(shown, {"number": "+15550100"})
    assert slack.views(REQUESTER) == []


def test_errors_for_a_block_that_is_not_an_input_are_a_problem(
    slack: LocalSlack, app: App, opens_rent_modal: list[str]
) -> None:
    @app.view("rent")
    def rent(ack: Ack) -> None:
        ack(response_action="errors", errors={"nonexistent": "nope"})

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    ack = rita.submit(slack.wait_for(lambda s: s.views(REQUESTER))[0], {"number": "+1"})

    assert ack.problem is not None and "nonexistent" in ack.problem


CONFIRM = {
    "type": "modal",
    "callback_id": "confirm",
    "title": {"type": "plain_text", "text": "Confirm"},
    "submit": {"type": "plain_text", "text": "Yes"},
    "blocks": [message("Sure?")],
}
DONE = {
    "type": "modal",
    "callback_id": "done",
    "title": {"type": "plain_text", "text": "Done"},
    "blocks": [message("Rented")],
}


@pytest.fixture
def answers_by_note(app: App) -> None:
    """The rent modal's note decides the response_action; the pushed confirmation clears the stack."""

    @app.view("rent")
    def rent(ack: Ack, view: dict[str, Any]) -> None:
        note = view["state"]["values"]["note"]["text"]["value"]
        ack(response_action=note, view=CONFIRM if note == "push" else DONE)

    @app.view("confirm")
    def confirm(ack: Ack) -> None:
        ack(response_action="clear")


def test_push_stacks_a_view_and_clear_closes_them_all(
    slack: LocalSlack, opens_rent_modal: list[str], answers_by_note: None
) -> None:
    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    rent_view = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    rita.submit(rent_view, {"number": "+1", "note": "push"})
    stack = slack.views(REQUESTER)
    assert [view.callback_id for view in stack] == ["rent", "confirm"]
    assert stack[1].previous_view_id == rent_view.id and stack[1].root_view_id == rent_view.id

    rita.submit(stack[1])
    assert slack.views(REQUESTER) == []


def test_update_replaces_the_submitted_view_in_place(
    slack: LocalSlack, opens_rent_modal: list[str], answers_by_note: None
) -> None:
    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    rent_view = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    rita.submit(rent_view, {"number": "+1", "note": "update"})

    updated = slack.views(REQUESTER)
    assert [(view.id, view.callback_id) for view in updated] == [(rent_view.id, "done")]
    assert updated[0].hash != rent_view.hash
    with pytest.raises(ElementNotFoundError):
        rita.submit(updated[0])


def test_views_update_checks_the_hash(
    slack: LocalSlack, client: WebClient, opens_rent_modal: list[str]
) -> None:
    slack.user(REQUESTER).slash("/numbers", "rent", channel=OPS)
    loading = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    client.views_update(view_id=loading.id, hash=loading.hash, view=rent_modal(private_metadata="loaded"))
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=loading.id, hash=loading.hash, view=rent_modal())
    with pytest.raises(SlackApiError) as unknown:
        client.views_update(view_id="V404", view=rent_modal())

    assert stale.value.response["error"] == "hash_conflict"
    assert unknown.value.response["error"] == "view_not_found"
    assert slack.views(REQUESTER)[0].private_metadata == "loaded"


def test_closing_notifies_the_app_when_asked(
    slack: LocalSlack, app: App, opens_rent_modal: list[str]
) -> None:
    closed: list[str] = []

    @app.view_closed("rent")
    def rent_closed(ack: Ack, view: dict[str, Any]) -> None:
        closed.append(view["id"])
        ack()

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "rent", channel=OPS)
    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    ack = rita.close(modal)

    assert ack is not None and ack.ok
    assert closed == [modal.id] and slack.views(REQUESTER) == []


def test_button_in_a_modal_carries_the_view(slack: LocalSlack, app: App, client: WebClient) -> None:
    seen: list[dict[str, Any]] = []
    button = {"type": "button", "action_id": "more", "text": {"type": "plain_text", "text": "More"}}
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Numbers"},
        "blocks": [{"type": "actions", "elements": [button]}],
    }

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any]) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=view)

    @app.action("more")
    def more(ack: Ack, body: dict[str, Any]) -> None:
        seen.append(body)
        ack()
        client.views_push(trigger_id=body["trigger_id"], view=view)

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", channel=OPS)
    rita.click(slack.wait_for(lambda s: s.views(REQUESTER))[0], "More")

    assert seen[0]["container"]["type"] == "view" and seen[0]["view"]["id"] == slack.views(REQUESTER)[0].id
    assert len(slack.wait_for(lambda s: len(s.views(REQUESTER)) == 2 and s.views(REQUESTER))) == 2
