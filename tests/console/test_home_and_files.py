"""`/home` shows numbot's Home tab as the person at the keyboard sees it, with buttons to click; files the bot
shares are printed with their size, CSV rows and PNG pixels, and saved where the console said at start."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from sandbox.console.commands import ConsoleError
from sandbox.console.main import console_session, plain_console
from sandbox.console.render import Renderer
from sandbox.console.workspace import FILES_FOLDER, OPS, REQUESTER, display_name
from sandbox.slack import Message
from tests.console.conftest import ConsoleUnderTest, Transcript, console_settings

INVENTORY = 30


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleUnderTest]:
    database = tmp_path_factory.mktemp("home") / "numbot.db"
    transcript = Transcript()
    with console_session(
        console_settings(database), plain_console(transcript), expect_timeout=2.0, inventory=INVENTORY
    ) as live:
        yield ConsoleUnderTest(live, transcript)


def bot_client(console: ConsoleUnderTest) -> WebClient:
    """The bot's own Slack client: what it shares, it shares through this."""
    return console.live.world.runtime.app.client


def png(width: int, height: int) -> bytes:
    """A real (grey) PNG of that size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_home_shows_the_tab_and_its_button_is_clicked_by_its_number(console: ConsoleUnderTest) -> None:
    shown = console.type("/home")

    assert "numbot's Home tab, as rita sees it" in shown
    assert "numbot: phone numbers from Slack" in shown
    button = re.search(r"\[(\d+)\] \[Refresh\]", shown)
    assert button is not None, shown

    clicked = console.type(f"/click {button.group(1)}")

    assert "numbot's Home tab, as rita sees it · updated" in clicked
    assert f"{INVENTORY} active numbers" in console.transcript.wait_for(f"{INVENTORY} active numbers")


def test_help_tells_what_home_does(console: ConsoleUnderTest) -> None:
    assert "/home                   open numbot's Home tab as the current user" in console.type("/help")


def test_each_person_sees_their_own_home(console: ConsoleUnderTest) -> None:
    console.type("/as alex")
    shown = console.type("/home")
    console.type("/as rita")

    assert "numbot's Home tab, as alex sees it" in shown
    assert "Waiting for your approval" in shown  # alex approves; rita's tab has no such list


def test_a_home_the_bot_never_publishes_is_reported(console: ConsoleUnderTest) -> None:
    console.live.world.slack.fail_next("views.publish", error="internal_error")

    with pytest.raises(ConsoleError, match="numbot published no Home tab for rita within 2 s"):
        console.type("/home")


def test_the_files_folder_is_named_at_start(console: ConsoleUnderTest) -> None:
    files_dir = console.live.world.files_dir

    assert files_dir.name == FILES_FOLDER and files_dir.is_dir()
    assert (
        f"Files the bot shares are saved in {files_dir} until the console ends"
        in console.transcript.getvalue()
    )


def test_a_csv_shared_in_the_channel_is_printed_with_its_row_count(console: ConsoleUnderTest) -> None:
    rows = [
        "+12065550100,US,LOCAL",
        '+12065550101,US,"LOCAL, with a comma\nand a line break"',
        "+4420,GB,LOCAL",
    ]
    content = "number,region,type\n" + "\n".join(rows) + "\n"

    bot_client(console).files_upload_v2(
        channel=OPS.id, content=content, filename="numbers.csv", initial_comment="The inventory"
    )

    shown = console.transcript.wait_for("[file: numbers.csv")
    size = len(content.encode())
    saved = next(console.live.world.files_dir.glob("*numbers.csv"))
    assert (
        f"#ops · numbot\n  The inventory\n  [file: numbers.csv · {size} bytes · 3 rows] saved as {saved}"
        in shown
    )
    assert saved.read_text(encoding="utf-8") == content


def test_a_png_shared_in_a_dm_shows_its_pixels_and_an_image_block_its_name(console: ConsoleUnderTest) -> None:
    client = bot_client(console)

    upload = client.files_upload_v2(channel=REQUESTER.id, content=png(640, 480), filename="chart.png")
    shown = console.transcript.wait_for("[file: chart.png")
    file_id = upload["file"]["id"]
    client.chat_postMessage(
        channel=OPS.id,
        text="Weekly chart",
        blocks=[{"type": "image", "slack_file": {"id": file_id}, "alt_text": "Numbers by region"}],
    )
    with_image = console.transcript.wait_for("[image: chart.png]")

    assert "DM with rita · numbot" in shown
    assert re.search(r"\[file: chart\.png · \d+ (bytes|KB) · 640x480 px\]", shown)
    assert "[image: chart.png]" in with_image


def test_a_file_the_console_cannot_read_is_shown_by_name() -> None:
    shared = Message("1.0", OPS.id, "", [], "B1", files=[{"id": "F404", "name": "gone.csv"}])

    assert Renderer(display_name).message(shared).plain == "[file: gone.csv]"
