"""Documents attached in a modal reach the bot safely: described by files.info, downloaded with the bot token
from Slack only, refused when too large or not a PDF, PNG or JPEG, and streamed without holding them."""

from __future__ import annotations

import hashlib
import queue
import tracemalloc
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient

from commands.shared.slack_files import (
    MEGABYTE,
    FileTooLargeError,
    FileTypeNotAllowedError,
    UntrustedFileHostError,
    fetch_slack_file,
    token_may_go_to,
)
from commands.shared.view_state import attached
from sandbox.slack import FileUpload, LocalSlack
from serving import BackgroundServer
from tests.harness import documents_modal
from tests.sandbox_slack.conftest import OPS, REQUESTER, ManualClock, bolt_app, local_slack, serve_over_http

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8

Submitted = Mapping[str, Any]


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with local_slack(ManualClock()) as workspace:
        yield workspace


@pytest.fixture
def submissions(slack: LocalSlack) -> Iterator[queue.Queue[list[Submitted]]]:
    """A Bolt app that opens the documents modal and passes on the file objects each submission carries."""
    received: queue.Queue[list[Submitted]] = queue.Queue()
    app: App = bolt_app(slack)

    @app.command("/numbers")
    def numbers(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=documents_modal(max_files=1))

    @app.view("documents")
    def documents(ack: Ack, view: dict[str, Any]) -> None:
        ack()
        received.put(attached(view["state"]["values"], "proof"))

    server = serve_over_http(slack, app)
    yield received
    server.stop()


@pytest.fixture
def bot(slack: LocalSlack) -> WebClient:
    """The bot's client, pointed at the local Slack the way SLACK_API_URL does."""
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def attach(slack: LocalSlack, submissions: queue.Queue[list[Submitted]], upload: FileUpload) -> Submitted:
    """Rita opens the form, attaches `upload` and submits; the file object the bot's listener got."""
    rita = slack.user(REQUESTER)
    rita.slash("/numbers", channel=OPS)
    modal = slack.wait_for(lambda s: s.views(REQUESTER))[0]
    assert rita.submit(modal, {"Proof of address": upload}).ok
    [file] = submissions.get(timeout=5)
    return file


class Recorder:
    """A web server on loopback standing in for a foreign host: it notes every request it gets."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None]] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self.requests.append((str(environ.get("PATH_INFO")), environ.get("HTTP_AUTHORIZATION")))
        start_response("200 OK", [("Content-Type", "application/pdf")])
        return [PDF]


def test_the_bot_downloads_the_exact_bytes_through_files_info_and_the_private_url(
    slack: LocalSlack, submissions: queue.Queue[list[Submitted]], bot: WebClient
) -> None:
    file = attach(slack, submissions, FileUpload("bill.png", PNG, "image/png"))

    with fetch_slack_file(bot, file) as fetched:
        content = fetched.content.read()

    assert (fetched.name, fetched.mime_type, fetched.size, content) == (
        "bill.png",
        "image/png",
        len(PNG),
        PNG,
    )
    assert [call.args for call in slack.calls if call.method == "files.info"] == [{"file": file["id"]}]


def test_a_download_url_on_another_host_is_refused_and_never_requested(
    slack: LocalSlack, submissions: queue.Queue[list[Submitted]], bot: WebClient
) -> None:
    recorder = Recorder()
    with BackgroundServer(recorder) as foreign:
        slack.serve_files_from(foreign.url)
        file = attach(slack, submissions, FileUpload("bill.pdf", PDF, "application/pdf"))

        with pytest.raises(UntrustedFileHostError) as refused, fetch_slack_file(bot, file):
            pass

    assert file["url_private_download"].startswith(foreign.url)
    assert "“bill.pdf” was not downloaded: Slack named a place for it that is not Slack" in str(refused.value)
    assert recorder.requests == []


def test_a_file_larger_than_the_cap_is_refused_with_its_size(
    slack: LocalSlack, submissions: queue.Queue[list[Submitted]], bot: WebClient
) -> None:
    scan = b"%PDF-" + bytes(int(1.3 * MEGABYTE))
    file = attach(slack, submissions, FileUpload("scan.pdf", scan, "application/pdf"))

    with pytest.raises(FileTooLargeError) as refused, fetch_slack_file(bot, file, max_bytes=MEGABYTE):
        pass

    assert str(refused.value) == "“scan.pdf” is 1.3 MB; Sinch accepts at most 1 MB"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            FileUpload("passport.exe", b"MZ\x90\x00", "application/x-msdownload"),
            "“passport.exe” is not a PDF, PNG or JPEG",
        ),
        (FileUpload("passport.pdf", b"MZ\x90\x00" * 100, "application/pdf"), "“passport.pdf” is not a PDF"),
        (FileUpload("<!channel>.png", b"GIF89a" * 10, "image/png"), "“&lt;!channel&gt;.png” is not a PNG"),
    ],
    ids=["declared type", "content that is not what its name says", "a name that would ping"],
)
def test_a_file_that_is_not_a_pdf_png_or_jpeg_is_refused(
    slack: LocalSlack,
    submissions: queue.Queue[list[Submitted]],
    bot: WebClient,
    upload: FileUpload,
    message: str,
) -> None:
    file = attach(slack, submissions, upload)

    with pytest.raises(FileTypeNotAllowedError) as refused, fetch_slack_file(bot, file):
        pass

    assert str(refused.value) == message


def test_a_five_megabyte_document_streams_without_being_held_in_memory(
    slack: LocalSlack, submissions: queue.Queue[list[Submitted]], bot: WebClient
) -> None:
    document = b"%PDF-1.7\n" + bytes(5 * MEGABYTE)
    file = attach(slack, submissions, FileUpload("lease.pdf", document, "application/pdf"))
    digest = hashlib.sha256()

    tracemalloc.start()
    try:
        with fetch_slack_file(bot, file) as fetched:
            for chunk in iter(lambda: fetched.content.read(64 * 1024), b""):
                digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert digest.digest() == hashlib.sha256(document).digest()
    assert peak < MEGABYTE, f"peak {peak / MEGABYTE:.1f} MB while fetching a 5 MB document"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/a.pdf", True),
        ("https://slack.com/files/a.pdf", True),
        ("http://files.slack.com/files-pri/T1-F1/download/a.pdf", False),
        ("https://files.slack.com.example.org/a.pdf", False),
        ("https://notslack.com/a.pdf", False),
        ("https://files.slack.com@example.org/a.pdf", False),
        ("http://127.0.0.1:8000/files-pri/T1-F1/download/a.pdf", True),
        ("http://127.0.0.1:8001/files-pri/T1-F1/download/a.pdf", False),
        ("https://127.0.0.1:8000/a.pdf", False),
        ("file:///etc/passwd", False),
        ("", False),
    ],
)
def test_the_token_goes_to_slack_or_to_the_host_of_slack_api_url_only(url: str, allowed: bool) -> None:
    assert token_may_go_to(url, "http://127.0.0.1:8000/api/") is allowed
