"""The app's uploads: slack-sdk's files_upload_v2 over the external upload flow, and images of Slack files."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.slack import LocalSlack
from tests.sandbox_slack.conftest import OPS, QUIET, REQUESTER, ManualClock, local_slack

CSV = "number,region\n+12025550100,US\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def test_a_file_shared_to_a_channel_arrives_as_a_message_and_in_the_folder(
    slack: LocalSlack, client: WebClient
) -> None:
    completed = client.files_upload_v2(
        channel=OPS, content=CSV, filename="numbers.csv", title="Numbers 2025-01-01", initial_comment="Here"
    )

    uploaded = slack.wait_for_upload(lambda one: one.name == "numbers.csv")
    assert (uploaded.title, uploaded.size, uploaded.channels, uploaded.thread_ts) == (
        "Numbers 2025-01-01",
        len(CSV),
        (OPS,),
        None,
    )
    assert uploaded.text() == CSV
    assert uploaded.path.parent == slack.files_dir
    assert completed["file"]["id"] == uploaded.id
    [message] = slack.messages(OPS)
    assert message.text == "Here"
    assert [shared["id"] for shared in message.files] == [uploaded.id]
    assert uploaded.message_ts == {OPS: message.ts}
    info = client.files_info(file=uploaded.id)["file"]
    assert (info["title"], info["size"], info["channels"], info["filetype"]) == (
        "Numbers 2025-01-01",
        len(CSV),
        [OPS],
        "csv",
    )
    download = httpx.get(info["url_private_download"], headers={"Authorization": f"Bearer {slack.bot_token}"})
    assert download.text == CSV


def test_a_file_shared_in_a_thread_is_a_reply(slack: LocalSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=OPS, text="The weekly digest")["ts"]

    client.files_upload_v2(channel=OPS, thread_ts=parent, content=PNG, filename="chart.png", title="Chart")

    uploaded = slack.wait_for_upload()
    assert (uploaded.channels, uploaded.thread_ts, uploaded.mimetype) == ((OPS,), parent, "image/png")
    [top] = slack.messages(OPS)
    assert [reply.files[0]["id"] for reply in top.replies] == [uploaded.id]


def test_a_file_without_a_channel_stays_private(slack: LocalSlack, client: WebClient) -> None:
    client.files_upload_v2(content=PNG, filename="chart.png", title="Chart")

    uploaded = slack.wait_for_upload()
    assert uploaded.channels == ()
    assert slack.messages(OPS) == []
    info = client.files_info(file=uploaded.id)["file"]
    assert (info["is_public"], info["channels"], info["ims"]) == (False, [], [])


def test_a_file_shared_in_a_dm_lands_in_the_dm(slack: LocalSlack, client: WebClient) -> None:
    client.files_upload_v2(channel=REQUESTER, content=CSV, filename="numbers.csv")

    uploaded = slack.wait_for_upload()
    [message] = slack.messages(REQUESTER)
    assert uploaded.channels == (message.channel,)
    assert message.files[0]["id"] == uploaded.id


def test_a_channel_the_bot_is_not_in_refuses_and_keeps_nothing(slack: LocalSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.files_upload_v2(channel=QUIET, content=CSV, filename="numbers.csv")

    assert refused.value.response["error"] == "not_in_channel"
    assert slack.uploads() == []
    assert list(slack.files_dir.iterdir()) == []


def test_bytes_of_another_length_than_announced_are_refused(slack: LocalSlack, client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="numbers.csv", length=len(CSV) + 1)

    posted = httpx.post(reserved["upload_url"], content=CSV.encode())

    assert posted.status_code == 400
    with pytest.raises(SlackApiError) as refused:
        client.files_completeUploadExternal(files=[{"id": reserved["file_id"], "title": "x"}])
    assert refused.value.response["error"] == "file_not_found"
    assert slack.uploads() == []


def test_an_upload_url_is_good_once_and_unknown_urls_are_refused(
    slack: LocalSlack, client: WebClient
) -> None:
    reserved = client.files_getUploadURLExternal(filename="numbers.csv", length=len(CSV))

    first = httpx.post(reserved["upload_url"], content=CSV.encode())
    again = httpx.post(reserved["upload_url"], content=CSV.encode())
    unknown = httpx.post(f"{slack.url}/upload/v1/not-a-key", content=CSV.encode())

    assert (first.status_code, again.status_code, unknown.status_code) == (200, 404, 404)


def test_a_file_completes_once(slack: LocalSlack, client: WebClient) -> None:
    client.files_upload_v2(content=CSV, filename="numbers.csv")
    [uploaded] = slack.uploads()

    with pytest.raises(SlackApiError) as refused:
        client.files_completeUploadExternal(files=[{"id": uploaded.id}], channel_id=OPS)

    assert refused.value.response["error"] == "file_not_found"
    assert slack.messages(OPS) == []


def test_the_upload_flow_needs_the_bot_token_and_files_write(clock: ManualClock) -> None:
    with local_slack(clock, files_write=False) as slack:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        anonymous = WebClient(base_url=slack.api_url)

        with pytest.raises(SlackApiError) as unscoped:
            client.files_upload_v2(content=CSV, filename="numbers.csv")
        with pytest.raises(SlackApiError) as untokened:
            anonymous.files_upload_v2(content=CSV, filename="numbers.csv")

        assert (unscoped.value.response["error"], unscoped.value.response["needed"]) == (
            "missing_scope",
            "files:write",
        )
        assert untokened.value.response["error"] == "not_authed"
        assert slack.uploads() == []


def test_an_image_block_shows_an_uploaded_image_by_id_or_url(slack: LocalSlack, client: WebClient) -> None:
    image = client.files_upload_v2(content=PNG, filename="chart.png")["file"]
    by_id = {"type": "image", "alt_text": "chart", "slack_file": {"id": image["id"]}}
    by_url = {"type": "image", "alt_text": "chart", "slack_file": {"url": image["url_private"]}}

    client.chat_postMessage(channel=OPS, text="Chart", blocks=[by_id, by_url])

    [message] = slack.messages(OPS)
    assert [block["slack_file"] for block in message.blocks] == [by_id["slack_file"], by_url["slack_file"]]


def refused_image(client: WebClient, slack_file: object) -> str:
    """The first problem Slack reports for a message showing an image of `slack_file`."""
    image = {"type": "image", "alt_text": "chart", "slack_file": slack_file}
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=OPS, text="Chart", blocks=[image])
    assert refused.value.response["error"] == "invalid_blocks"
    return str(refused.value.response["errors"][0])


@pytest.mark.parametrize("slack_file", [{"id": "F0NOSUCH"}, {"url": "https://example.com/chart.png"}])
def test_an_image_block_of_an_unknown_file_is_refused(
    slack: LocalSlack, client: WebClient, slack_file: object
) -> None:
    problem = refused_image(client, slack_file)

    assert "slack_file does not name a file of this workspace" in problem
    assert slack.messages(OPS) == []


def test_an_image_block_of_a_file_that_is_no_image_is_refused(slack: LocalSlack, client: WebClient) -> None:
    csv = client.files_upload_v2(content=CSV, filename="numbers.csv")["file"]

    problem = refused_image(client, {"id": csv["id"]})

    assert f"slack_file {csv['id']} is not an image" in problem
    assert slack.messages(OPS) == []
