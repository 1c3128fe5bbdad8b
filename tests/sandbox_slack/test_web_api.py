"""The Web API answers the real WebClient like Slack: auth, channels, threads, rate limits, faults."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.slack import LocalSlack, RateLimits
from sandbox.slack.errors import ApiError
from tests.sandbox_slack.conftest import APPROVER, OPS, PRIVATE, QUIET, REQUESTER, ManualClock, local_slack


def api_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value


def test_auth_test_identifies_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0LOCAL", "U0NUMBOT", "B0LOCAL")


@pytest.mark.parametrize(
    ("token", "error"), [("xoxb-wrong", "invalid_auth"), ("xapp-local", "not_allowed_token_type")]
)
def test_wrong_tokens_are_refused(slack: LocalSlack, token: str, error: str) -> None:
    client = WebClient(token=token, base_url=slack.api_url)
    assert api_error(lambda: client.chat_postMessage(channel=OPS, text="hi")).response["error"] == error


def test_posting_needs_membership_or_chat_write_public(
    slack: LocalSlack, client: WebClient, clock: ManualClock
) -> None:
    assert (
        api_error(lambda: client.chat_postMessage(channel=QUIET, text="hi")).response["error"]
        == "not_in_channel"
    )
    assert (
        api_error(lambda: client.chat_postMessage(channel="C0NOPE", text="hi")).response["error"]
        == "channel_not_found"
    )

    client.conversations_join(channel=QUIET)
    client.chat_postMessage(channel=QUIET, text="hi")
    assert [message.text for message in slack.messages(QUIET)] == ["hi"]

    with local_slack(clock, chat_write_public=True) as public:
        public_client = WebClient(token=public.bot_token, base_url=public.api_url)
        public_client.chat_postMessage(channel=QUIET, text="public")
        private = api_error(lambda: public_client.chat_postMessage(channel=PRIVATE, text="private"))
    assert private.response["error"] == "not_in_channel"


def test_threads_permalinks_and_direct_messages(slack: LocalSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=OPS, text="Request r1")["ts"]
    client.chat_postMessage(channel=OPS, text="Approved", thread_ts=parent)
    client.chat_postMessage(channel=REQUESTER, text="Your number is ready")

    [top] = slack.messages(OPS)
    assert (
        [reply.text for reply in top.replies] == ["Approved"] == [m.text for m in slack.thread(OPS, parent)]
    )
    link = client.chat_getPermalink(channel=OPS, message_ts=parent)["permalink"]
    assert link.endswith(f"/archives/{OPS}/p{parent.replace('.', '')}")
    assert [message.text for message in slack.messages(REQUESTER)] == ["Your number is ready"]


def test_directory_lookups(client: WebClient) -> None:
    assert client.users_info(user=REQUESTER)["user"]["real_name"] == "Rita Requester"
    assert client.usergroups_users_list(usergroup="S0APPROVERS")["users"] == [APPROVER]
    assert client.conversations_info(channel=QUIET)["channel"]["is_member"] is False
    assert api_error(lambda: client.users_info(user="U0NOBODY")).response["error"] == "user_not_found"


def test_an_admin_can_change_who_is_in_a_user_group(slack: LocalSlack, client: WebClient) -> None:
    slack.set_usergroup_members("S0APPROVERS", [REQUESTER])
    assert client.usergroups_users_list(usergroup="S0APPROVERS")["users"] == [REQUESTER]

    slack.set_usergroup_members("S0APPROVERS", [])
    assert client.usergroups_users_list(usergroup="S0APPROVERS")["users"] == []

    with pytest.raises(ApiError, match="user_not_found"):
        slack.set_usergroup_members("S0APPROVERS", ["U0NOBODY"])
    with pytest.raises(ApiError, match="no_such_subteam"):
        slack.set_usergroup_members("S0NOSUCH", [APPROVER])


def test_missing_fallback_text_is_accepted_with_a_warning(slack: LocalSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    answer = client.api_call("chat.postMessage", json={"channel": OPS, "blocks": blocks})

    assert answer["ok"] and answer["warning"] == "missing_text_or_fallback_or_attachments"
    assert slack.calls[-1].warnings == ["missing_text_or_fallback_or_attachments"]


def test_each_call_records_when_slack_answered_it(slack: LocalSlack, client: WebClient) -> None:
    before = time.monotonic()
    client.chat_postMessage(channel=OPS, text="first")
    between = time.monotonic()
    client.chat_postMessage(channel=OPS, text="second")

    first, second = slack.calls[-2:]
    assert before <= first.at <= between <= second.at <= time.monotonic()


def test_post_message_is_rate_limited_per_channel(clock: ManualClock) -> None:
    with local_slack(clock, RateLimits(post_message_per_second=1.0, post_message_burst=2)) as slack:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        client.chat_postMessage(channel=OPS, text="1")
        client.chat_postMessage(channel=OPS, text="2")
        limited = api_error(lambda: client.chat_postMessage(channel=OPS, text="3"))
        client.chat_postMessage(channel=REQUESTER, text="other channels have their own budget")
        clock.advance(1.0)
        client.chat_postMessage(channel=OPS, text="3 again")

    assert limited.response.status_code == 429 and limited.response["error"] == "ratelimited"
    assert limited.response.headers["Retry-After"] == "1"
    assert [message.text for message in slack.messages(OPS)] == ["1", "2", "3 again"]


def test_fail_next_injects_errors_and_http_statuses(slack: LocalSlack, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", count=2, status=500)
    slack.fail_next("chat.update", error="not_in_channel")

    statuses = [
        api_error(lambda: client.chat_postMessage(channel=OPS, text="x")).response.status_code
        for _ in range(2)
    ]
    client.chat_postMessage(channel=OPS, text="third time lucky")
    failed_update = api_error(lambda: client.chat_update(channel=OPS, ts=slack.messages(OPS)[0].ts, text="y"))

    assert statuses == [500, 500] and failed_update.response["error"] == "not_in_channel"
    assert [(call.method, call.ok, call.status) for call in slack.calls[-4:]] == [
        ("chat.postMessage", False, 500),
        ("chat.postMessage", False, 500),
        ("chat.postMessage", True, 200),
        ("chat.update", False, 200),
    ]


def test_updating_an_unknown_message_fails(slack: LocalSlack, client: WebClient) -> None:
    assert (
        api_error(lambda: client.chat_update(channel=OPS, ts="1.000001", text="x")).response["error"]
        == "message_not_found"
    )


def test_an_edit_keeps_the_ts_and_records_when_it_landed(slack: LocalSlack, client: WebClient) -> None:
    card = client.chat_postMessage(channel=OPS, text="waiting")["ts"]
    reply = client.chat_postMessage(channel=OPS, text="noted", thread_ts=card)["ts"]
    client.chat_update(channel=OPS, ts=card, text="done")

    edited = slack.messages(OPS)[0]
    assert (edited.ts, edited.text, [old.text for old in edited.edits]) == (card, "done", ["waiting"])
    assert edited.edited_ts is not None and float(edited.edited_ts) > float(reply)
