"""Files in modals: file_input limits, uploads in view_submission, files.info and private downloads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.shared.view_state import INPUT_ACTION
from sandbox.slack import FILE_MAX_BYTES, FileRefusedError, FileUpload, LocalSlack, View
from tests.harness import documents_modal as one_document_modal
from tests.sandbox_slack.conftest import OPS, REQUESTER, ManualClock, bolt_app, local_slack, serve_over_http

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def documents_modal(**file_input: Any) -> dict[str, Any]:
    """The one-document modal, plus an optional second file input left empty."""
    modal = one_document_modal(**file_input)
    modal["blocks"].append(
        {
            "type": "input",
            "block_id": "extra",
            "optional": True,
            "label": {"type": "plain_text", "text": "Anything else"},
            "element": {"type": "file_input", "action_id": "files"},
        }
    )
    return modal


@pytest.fixture
def submitted(app: App) -> list[dict[str, Any]]:
    """The app opens the documents modal from /numbers and keeps every submitted view."""
    views: list[dict[str, Any]] = []

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=documents_modal(filetypes=["pdf", "png"]))

    @app.view("documents")
    def documents(ack: Ack, view: dict[str, Any]) -> None:
        views.append(view)
        ack()

    return views


def open_documents(slack: LocalSlack) -> View:
    slack.user(REQUESTER).slash("/numbers", channel=OPS)
    modal: View = slack.wait_for(lambda s: s.views(REQUESTER))[0]
    return modal


def test_a_submitted_file_reaches_the_app_as_slacks_file_object(
    slack: LocalSlack, submitted: list[dict[str, Any]]
) -> None:
    modal = open_documents(slack)

    ack = slack.user(REQUESTER).submit(
        modal, {"Proof of address": [FileUpload("bill.pdf", PDF, "application/pdf")]}
    )

    assert ack.ok
    values = submitted[0]["state"]["values"]
    assert values["extra"] == {"files": {"type": "file_input", "files": []}}
    state = values["proof"][INPUT_ACTION]
    assert state["type"] == "file_input"
    [sent] = state["files"]
    assert (sent["name"], sent["mimetype"], sent["size"], sent["filetype"]) == (
        "bill.pdf",
        "application/pdf",
        len(PDF),
        "pdf",
    )
    assert sent["id"].startswith("F") and sent["user"] == REQUESTER
    assert sent["url_private_download"].startswith(f"{slack.url}/files-pri/")
    assert slack.file(sent["id"]).content == PDF


def test_files_info_describes_the_file_and_knows_no_other(
    slack: LocalSlack, submitted: list[dict[str, Any]], client: WebClient
) -> None:
    slack.user(REQUESTER).submit(
        open_documents(slack), {"proof": FileUpload("bill.pdf", PDF, "application/pdf")}
    )
    [sent] = submitted[0]["state"]["values"]["proof"][INPUT_ACTION]["files"]

    info = client.files_info(file=sent["id"])
    with pytest.raises(SlackApiError) as unknown:
        client.files_info(file="F0NOSUCH")

    assert info["file"] == sent
    assert unknown.value.response["error"] == "file_not_found"
    assert "files:read" in info.headers["X-Oauth-Scopes"].split(",")


def test_the_private_download_serves_the_exact_bytes_to_the_bot_token_only(
    slack: LocalSlack, submitted: list[dict[str, Any]]
) -> None:
    slack.user(REQUESTER).submit(
        open_documents(slack), {"proof": FileUpload("bill.pdf", PDF, "application/pdf")}
    )
    [sent] = submitted[0]["state"]["values"]["proof"][INPUT_ACTION]["files"]
    url = sent["url_private_download"]

    with_token = httpx.get(url, headers={"Authorization": f"Bearer {slack.bot_token}"})
    anonymous = httpx.get(url)
    wrong_token = httpx.get(url, headers={"Authorization": "Bearer xoxb-guessed"})
    app_token = httpx.get(url, headers={"Authorization": f"Bearer {slack.app_token}"})

    assert (with_token.status_code, with_token.content) == (200, PDF)
    assert with_token.headers["Content-Type"].startswith("application/pdf")
    assert (anonymous.status_code, wrong_token.status_code, app_token.status_code) == (401, 403, 403)
    assert PDF[:5] not in anonymous.content + wrong_token.content + app_token.content


def test_slacks_client_refuses_files_the_input_does_not_take(
    slack: LocalSlack, submitted: list[dict[str, Any]]
) -> None:
    modal = open_documents(slack)
    rita = slack.user(REQUESTER)
    too_large = FileUpload("scan.pdf", b"%PDF-" + bytes(FILE_MAX_BYTES), "application/pdf")

    with pytest.raises(FileRefusedError, match="10 MB"):
        rita.submit(modal, {"Proof of address": too_large})
    with pytest.raises(FileRefusedError, match="only pdf, png"):
        rita.submit(
            modal, {"Proof of address": FileUpload("passport.exe", b"MZ", "application/x-msdownload")}
        )

    assert submitted == [] and slack.views(REQUESTER) == [modal]


def test_max_files_is_held_in_the_view_and_at_upload(slack: LocalSlack, app: App, client: WebClient) -> None:
    opened: list[str] = []

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            client.views_open(trigger_id=command["trigger_id"], view=documents_modal(max_files=11))
        except SlackApiError as error:
            opened.append(error.response["error"])
            client.views_open(trigger_id=command["trigger_id"], view=documents_modal(max_files=1))

    rita = slack.user(REQUESTER)
    rita.slash("/numbers", channel=OPS)
    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]

    two = [FileUpload("a.pdf", PDF, "application/pdf"), FileUpload("b.pdf", PDF, "application/pdf")]
    with pytest.raises(FileRefusedError, match="at most 1 file"):
        rita.submit(modal, {"Proof of address": two})
    assert opened == ["invalid_arguments"]


def test_a_file_input_outside_a_modal_input_is_refused(slack: LocalSlack, client: WebClient) -> None:
    file_input = {"type": "file_input", "action_id": "files"}
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=OPS, text="x", blocks=[{"type": "actions", "elements": [file_input]}])

    assert refused.value.response["error"] == "invalid_blocks"
    assert "file_input is only allowed in an input block of a modal" in refused.value.response["errors"][0]


def test_without_files_read_the_file_cannot_be_described_or_downloaded(clock: ManualClock) -> None:
    with local_slack(clock, files_read=False) as slack:
        app = bolt_app(slack)
        views: list[dict[str, Any]] = []

        @app.command("/numbers")
        def numbers(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=documents_modal())

        @app.view("documents")
        def documents(ack: Ack, view: dict[str, Any]) -> None:
            views.append(view)
            ack()

        server = serve_over_http(slack, app)
        try:
            slack.user(REQUESTER).submit(open_documents(slack), {"proof": FileUpload("bill.pdf", PDF)})
        finally:
            server.stop()
        [sent] = views[0]["state"]["values"]["proof"][INPUT_ACTION]["files"]
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)

        with pytest.raises(SlackApiError) as refused:
            client.files_info(file=sent["id"])
        download = httpx.get(
            sent["url_private_download"], headers={"Authorization": f"Bearer {slack.bot_token}"}
        )

    assert (refused.value.response["error"], refused.value.response["needed"]) == (
        "missing_scope",
        "files:read",
    )
    assert (download.status_code, download.text) == (403, "missing_scope")
