"""Every size limit of SLACK.md is enforced: invalid_blocks / invalid_arguments naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.slack import LocalSlack
from sandbox.slack.limits import message_problems, view_problems
from tests.sandbox_slack.conftest import OPS


def text(value: str, kind: str = "plain_text") -> dict[str, str]:
    return {"type": kind, "text": value}


def section(body: str) -> dict[str, Any]:
    return {"type": "section", "text": text(body, "mrkdwn")}


def button(label: str = "Go", value: str = "v", action_id: str = "go") -> dict[str, Any]:
    return {"type": "button", "text": text(label), "value": value, "action_id": action_id}


def select(options: int, option_text: str = "x") -> dict[str, Any]:
    choices = [{"text": text(option_text), "value": str(index)} for index in range(options)]
    return {"type": "static_select", "action_id": "pick", "options": choices}


def modal(blocks: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    return {"type": "modal", "title": text("Title"), "blocks": blocks or [section("hi")], **fields}


TOO_LONG_MESSAGES = {
    "51 blocks": ([section("x")] * 51, "/blocks"),
    "section text 3001": ([section("x" * 3001)], "/blocks/0/text/text"),
    "header text 151": ([{"type": "header", "text": text("x" * 151)}], "/blocks/0/text/text"),
    "button text 76": (
        [{"type": "actions", "elements": [button(label="x" * 76)]}],
        "/blocks/0/elements/0/text/text",
    ),
    "button value 2001": (
        [{"type": "actions", "elements": [button(value="x" * 2001)]}],
        "/blocks/0/elements/0/value",
    ),
    "action_id 256": (
        [{"type": "actions", "elements": [button(action_id="x" * 256)]}],
        "/blocks/0/elements/0/action_id",
    ),
    "block_id 256": ([{**section("x"), "block_id": "x" * 256}], "/blocks/0/block_id"),
    "101 options": ([{"type": "actions", "elements": [select(101)]}], "/blocks/0/elements/0/options"),
    "option text 76": (
        [{"type": "actions", "elements": [select(1, "x" * 76)]}],
        "/blocks/0/elements/0/options/0/text/text",
    ),
}

TOO_LONG_VIEWS = {
    "101 blocks": (modal([section("x")] * 101), "/view/blocks"),
    "title 25": (modal(title=text("x" * 25)), "/view/title/text"),
    "submit 25": (modal(submit=text("x" * 25)), "/view/submit/text"),
    "close 25": (modal(close=text("x" * 25)), "/view/close/text"),
    "private_metadata 3001": (modal(private_metadata="x" * 3001), "/view/private_metadata"),
}


@pytest.mark.parametrize(("blocks", "pointer"), TOO_LONG_MESSAGES.values(), ids=TOO_LONG_MESSAGES.keys())
def test_messages_over_a_limit_are_invalid_blocks(
    slack: LocalSlack, client: WebClient, blocks: list[dict[str, Any]], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=OPS, text="fallback", blocks=blocks)

    answer = refused.value.response
    assert answer["error"] == "invalid_blocks"
    assert any(f"[json-pointer:{pointer}]" in message for message in answer["response_metadata"]["messages"])
    assert slack.messages(OPS) == []


@pytest.mark.parametrize(("view", "pointer"), TOO_LONG_VIEWS.values(), ids=TOO_LONG_VIEWS.keys())
def test_views_over_a_limit_are_invalid_arguments(
    client: WebClient, view: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as refused:
        # The view is checked before anything else, so no open modal is needed to see the refusal.
        client.views_update(view_id="V0NOTOPEN", view=view)

    answer = refused.value.response
    assert answer["error"] == "invalid_arguments"
    assert any(f"[json-pointer:{pointer}]" in message for message in answer["response_metadata"]["messages"])


def test_limits_are_inclusive() -> None:
    at_the_limit = [
        section("x" * 3000),
        {"type": "header", "text": text("x" * 150)},
        {
            "type": "actions",
            "elements": [
                button(label="x" * 75, value="x" * 2000, action_id="x" * 255),
                select(100, "x" * 75),
            ],
        },
    ]
    assert message_problems([*at_the_limit, *[section("x")] * 47]) == []
    assert view_problems(modal([section("x")] * 100, title=text("x" * 24), submit=text("x" * 24))) == []


def test_a_modal_with_inputs_needs_a_submit_button() -> None:
    field = {
        "type": "input",
        "label": text("Number"),
        "element": {"type": "plain_text_input", "action_id": "n"},
    }
    assert view_problems(modal([field])) == [
        "must provide a submit button when the view has input blocks [json-pointer:/view/submit]"
    ]
