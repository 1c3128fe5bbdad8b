"""`/submit "Proof of address=@scan.pdf"` attaches a local file to the open modal's file input, end to end."""

from __future__ import annotations

import queue
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack

from commands.shared.slack_files import fetch_slack_file
from commands.shared.view_state import attached
from sandbox.console.commands import ConsoleError
from sandbox.console.workspace import REQUESTER
from tests.console.conftest import ConsoleUnderTest
from tests.harness import documents_modal

SCAN = b"%PDF-1.7\n" + bytes(range(256)) * 100
DOCUMENTS = documents_modal(callback_id="test.documents", filetypes=["pdf"], max_files=1)


@pytest.fixture
def documents_form(console: ConsoleUnderTest) -> queue.Queue[list[Mapping[str, Any]]]:
    """Rita has a documents form open (standing in for the order form), and the bot keeps what it gets."""
    world = console.live.world
    received: queue.Queue[list[Mapping[str, Any]]] = queue.Queue()

    @world.runtime.app.view("test.documents")
    def documents(ack: Ack, view: dict[str, Any]) -> None:
        ack()
        received.put(attached(view["state"]["values"], "proof"))

    console.type("/numbers search")
    [search] = world.slack.views(REQUESTER.id)
    world.runtime.app.client.views_update(view_id=search.id, view=DOCUMENTS)
    world.slack.wait_for(lambda slack: slack.views(REQUESTER.id)[0].callback_id == "test.documents")
    return received


def test_a_local_file_is_attached_with_an_at_path_and_reaches_the_bot(
    console: ConsoleUnderTest, documents_form: queue.Queue[list[Mapping[str, Any]]], tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(SCAN)
    # The form as the console draws it says what the input takes and how to attach.
    console.transcript.wait_for("files (pdf; 1 file): key=@path")

    said = console.type(f'/submit "Proof of address=@{scan}"')

    assert "📎 attached to “Proof of address”: scan.pdf (25 KB)" in said
    [file] = documents_form.get(timeout=5)
    with fetch_slack_file(console.live.world.runtime.app.client, file) as fetched:
        assert (fetched.name, fetched.mime_type, fetched.content.read()) == (
            "scan.pdf",
            "application/pdf",
            SCAN,
        )


@pytest.mark.parametrize(
    ("value", "refusal"),
    [
        ("scan.pdf", '“Proof of address” takes files: /submit "Proof of address=@path/to/file.pdf"'),
        ("@missing.pdf", "cannot attach missing.pdf to “Proof of address”: No such file or directory"),
        (
            "@notes.txt",
            "Slack would not attach that: 'Proof of address' takes only pdf files, not 'notes.txt'",
        ),
    ],
)
def test_what_cannot_be_attached_is_explained_and_nothing_is_sent(
    console: ConsoleUnderTest,
    documents_form: queue.Queue[list[Mapping[str, Any]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    refusal: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("not a document")

    with pytest.raises(ConsoleError) as refused:
        console.type(f'/submit "Proof of address={value}"')

    assert str(refused.value).startswith(refusal)
    assert documents_form.empty()
