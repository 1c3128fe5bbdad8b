"""Clicking buttons and picking options in messages, the way Slack delivers block_actions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from sandbox.slack import ElementNotFoundError, LocalSlack
from tests.sandbox_slack.conftest import APPROVER, OPS, REQUESTER, ManualClock

REQUEST_BLOCKS: list[dict[str, Any]] = [
    {
        "type": "section",
        "block_id": "summary",
        "text": {"type": "mrkdwn", "text": "Rita asks for +1 555 0100"},
    },
    {
        "type": "actions",
        "block_id": "decision",
        "elements": [
            {
                "type": "button",
                "action_id": "approve",
                "text": {"type": "plain_text", "text": "Approve"},
                "value": "r1",
            },
            {
                "type": "button",
                "action_id": "reject",
                "text": {"type": "plain_text", "text": "Reject"},
                "value": "r1",
            },
        ],
    },
]


def post_request(client: WebClient) -> str:
    return str(client.chat_postMessage(channel=OPS, text="Approval needed", blocks=REQUEST_BLOCKS)["ts"])


def test_click_then_chat_update_replaces_the_buttons(slack: LocalSlack, app: App, client: WebClient) -> None:
    payloads: list[dict[str, Any]] = []

    @app.action("approve")
    def approve(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        payloads.append(body)
        ack()
        client.chat_update(
            channel=body["channel"]["id"], ts=body["message"]["ts"], text="Approved by alex", blocks=[]
        )

    ts = post_request(client)
    request = slack.messages(OPS)[0]

    ack = slack.user(APPROVER).click(request, "Approve")

    assert ack.ok
    updated = slack.wait_for(lambda s: [m for m in s.messages(OPS) if m.edits])
    assert updated[0].text == "Approved by alex" and updated[0].buttons() == []
    assert updated[0].edits[0].button("approve").text == "Approve"
    body = payloads[0]
    assert (
        body["type"] == "block_actions"
        and body["user"]["id"] == APPROVER
        and body["user"]["username"] == "alex"
    )
    assert body["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": OPS,
        "is_ephemeral": False,
    }
    assert body["actions"][0] | {"action_ts": "-"} == {
        "type": "button",
        "action_id": "approve",
        "block_id": "decision",
        "text": {"type": "plain_text", "text": "Approve"},
        "value": "r1",
        "action_ts": "-",
    }
    assert body["message"]["ts"] == ts and body["response_url"] and body["trigger_id"]


def test_respond_replace_original_edits_the_clicked_message(
    slack: LocalSlack, app: App, client: WebClient
) -> None:
    @app.action("reject")
    def reject(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Rejected", replace_original=True)

    post_request(client)
    slack.user(APPROVER).click(slack.messages(OPS)[0], "reject")

    assert slack.wait_for(lambda s: s.messages(OPS)[0].text == "Rejected")
    assert slack.ephemerals(APPROVER) == []


def test_a_button_that_is_gone_cannot_be_clicked(slack: LocalSlack, app: App, client: WebClient) -> None:
    ts = post_request(client)
    seen_before = slack.messages(OPS)[0]
    client.chat_update(channel=OPS, ts=ts, text="Approved", blocks=[])

    with pytest.raises(ElementNotFoundError):
        slack.user(REQUESTER).click(seen_before, "approve")


def test_same_action_id_buttons_are_told_apart_by_value(
    slack: LocalSlack, app: App, client: WebClient
) -> None:
    picked: list[str] = []

    @app.action("rent")
    def rent(ack: Ack, action: dict[str, Any]) -> None:
        picked.append(action["value"])
        ack()

    rows = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": number},
            "accessory": {
                "type": "button",
                "action_id": "rent",
                "text": {"type": "plain_text", "text": "Rent"},
                "value": number,
            },
        }
        for number in ("+15550100", "+15550101")
    ]
    client.chat_postMessage(channel=OPS, text="2 numbers", blocks=rows)

    slack.user(REQUESTER).click(slack.messages(OPS)[0], "rent", value="+15550101")

    assert picked == ["+15550101"]


def test_static_select_sends_the_selected_option(slack: LocalSlack, app: App, client: WebClient) -> None:
    selected: list[dict[str, Any]] = []

    @app.action("region")
    def region(ack: Ack, action: dict[str, Any]) -> None:
        selected.append(action["selected_option"])
        ack()

    options = [
        {"text": {"type": "plain_text", "text": name}, "value": code}
        for name, code in (("USA", "US"), ("Sweden", "SE"))
    ]
    select = {"type": "static_select", "action_id": "region", "options": options}
    client.chat_postMessage(channel=OPS, text="Pick", blocks=[{"type": "actions", "elements": [select]}])

    slack.user(REQUESTER).click(slack.messages(OPS)[0], "region", value="Sweden")

    assert selected == [{"text": {"type": "plain_text", "text": "Sweden"}, "value": "SE"}]


def test_buttons_on_an_ephemeral_message_answer_through_response_url(
    slack: LocalSlack, app: App, client: WebClient
) -> None:
    bodies: list[dict[str, Any]] = []

    @app.action("approve")
    def approve(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        bodies.append(body)
        ack()
        respond(delete_original=True)

    client.chat_postEphemeral(channel=OPS, user=REQUESTER, text="Confirm?", blocks=REQUEST_BLOCKS)
    slack.user(REQUESTER).click(slack.ephemerals(REQUESTER)[0], "approve")

    slack.wait_for(lambda s: s.ephemerals(REQUESTER) == [])
    assert bodies[0]["container"]["is_ephemeral"] is True and "message" not in bodies[0]


def test_response_url_serves_five_responses_for_thirty_minutes(
    slack: LocalSlack, app: App, clock: ManualClock
) -> None:
    urls: list[str] = []

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any]) -> None:
        urls.append(command["response_url"])
        ack()

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", "one", channel=OPS)
    rita.slash("/numbers", "two", channel=OPS)
    used, expiring = urls

    answers = [httpx.post(used, json={"text": f"answer {n}"}) for n in range(6)]
    assert [answer.status_code for answer in answers] == [200] * 5 + [404]
    assert answers[-1].text == "used_url"
    assert len(slack.ephemerals(REQUESTER)) == 5

    clock.advance(30 * 60 + 1)
    expired = httpx.post(expiring, json={"text": "too late"})
    assert (expired.status_code, expired.text) == (404, "expired_url")
