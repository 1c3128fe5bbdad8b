"""`numbot console`: the local workspace and the real bot, driven from the keyboard or from a script."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.text import Text

from bot.config import Settings
from sandbox.console.actions import ActionBoard
from sandbox.console.activity import ActivityLog
from sandbox.console.commands import ConsoleError
from sandbox.console.feed import Feed
from sandbox.console.files import uploaded_files
from sandbox.console.screen import Screen
from sandbox.console.session import EXPECT_TIMEOUT_SECONDS, Session
from sandbox.console.workspace import (
    CHANNELS,
    OPS,
    PEOPLE,
    REQUESTER,
    ROLES,
    ConsoleWorld,
    display_name,
    running_console_world,
)
from sandbox.slack.directory import dm_channel_id

CHATTY_LIBRARIES = ("httpx", "apscheduler", "websockets", "waitress")


def run_console(settings: Settings, script: str | None = None, *, inventory: int = 0) -> int:
    """Interactive on a terminal; otherwise run `script` (a file, or - for stdin) and print the transcript.

    Returns the exit code: 0, 1 when a script step failed, 2 when the script cannot be read. The Sinch
    sandbox starts with `inventory` numbers spread like a real team's.
    """
    if script is None and not sys.stdin.isatty():
        script = "-"
    try:
        lines = _script_lines(script)
    except OSError as exc:
        print(f"numbot console: cannot read the script: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    console = terminal_console() if sys.stdout.isatty() else plain_console()
    _quiet_library_logs(settings)
    with console_session(settings, console, inventory=inventory) as live:
        session = live.session
        if lines is None:
            # Imported here: the prompt library is needed only with a person at the keyboard.
            from sandbox.console.interactive import run_interactive  # noqa: PLC0415

            return run_interactive(session)
        return run_script(session, lines)


def terminal_console() -> Console:
    # Forced: under the prompt, stdout is prompt_toolkit's proxy, which is not itself a terminal.
    return Console(force_terminal=True, highlight=False, emoji=False, markup=False)


def plain_console(file: IO[str] | None = None) -> Console:
    """No colours or escape codes, and no hard wrapping: a transcript that reads and greps as text."""
    return Console(
        file=file,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )


@dataclass(frozen=True)
class LiveConsole:
    session: Session
    world: ConsoleWorld


@contextmanager
def console_session(
    settings: Settings,
    console: Console,
    *,
    expect_timeout: float = EXPECT_TIMEOUT_SECONDS,
    inventory: int = 0,
) -> Iterator[LiveConsole]:
    """The workspace, the bot and a session showing everything on `console` until the block ends."""
    with running_console_world(settings, inventory=inventory) as world:
        board = ActionBoard()
        screen = Screen(
            console, display_name, board, emoji=console.is_terminal, files=uploaded_files(world.slack)
        )
        services = world.runtime.services
        session = Session(
            world.slack,
            screen,
            board,
            ActivityLog(),
            world.runtime.is_idle,
            expect_timeout=expect_timeout,
        )
        screen.print(banner(sandbox=services.sandbox, files_dir=world.files_dir))
        feed = Feed(
            world.slack,
            [person.id for person in PEOPLE],
            [channel.id for channel in CHANNELS] + [dm_channel_id(person.id) for person in PEOPLE],
            session.on_change,
        ).start()
        try:
            yield LiveConsole(session, world)
        finally:
            feed.stop()


def run_script(session: Session, lines: Iterable[str]) -> int:
    """Run each line in order, echoing it like a prompt; stop at the first failure (exit code 1)."""
    screen = session.screen
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            screen.print(Text(session.prompt, style="bold") + Text(stripped))
        try:
            if not session.run(stripped):
                return 0
        except ConsoleError as exc:
            screen.print(Text(f"✗ line {number}: {exc}", style="bold red"))
            return 1
    return 0


def banner(*, sandbox: bool, files_dir: Path) -> Text:
    people = ", ".join(f"{person.name} ({role})" for role, person in ROLES.items())
    channels = ", ".join("#" + channel.name for channel in CHANNELS)
    text = Text("numbot console", style="bold")
    text.append(" · a local Slack workspace with the real bot\n")
    text.append(f"People: {people} · Channels: {channels}\n", style="dim")
    if sandbox:
        text.append(
            "Sinch is the sandbox: nothing is rented for real; provisioning completes a few seconds after a "
            "rent.\n",
            style="dim",
        )
    else:
        text.append(
            "Sinch is YOUR PROJECT: requests approved here rent and release real numbers.\n", "bold red"
        )
    text.append(f"Files the bot shares are saved in {files_dir} until the console ends\n", style="dim")
    text.append(
        f"You are {REQUESTER.name} in #{OPS.name}. Type /numbers help, /home for the Home tab, or /help for "
        "the console's commands.",
        "dim",
    )
    return text


def _quiet_library_logs(settings: Settings) -> None:
    """The console shows the bot's work itself; HTTP and scheduler chatter would bury it (DEBUG keeps it)."""
    if logging.getLevelName(settings.numbot_log_level.upper()) == logging.DEBUG:
        return
    for library in CHATTY_LIBRARIES:
        logging.getLogger(library).setLevel(logging.WARNING)


def _script_lines(script: str | None) -> Iterable[str] | None:
    if script is None:
        return None
    if script == "-":
        return sys.stdin
    return Path(script).read_text(encoding="utf-8").splitlines()
