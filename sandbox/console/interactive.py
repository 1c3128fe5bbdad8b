"""The prompt with a person at the keyboard: line editing and history, with the bot's messages and log
records printed above the prompt as they arrive (prompt_toolkit keeps the line being typed intact)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.patch_stdout import patch_stdout
from rich.text import Text

from sandbox.console.commands import ConsoleError
from sandbox.console.screen import Screen
from sandbox.console.session import Session


def run_interactive(session: Session) -> int:
    prompt: PromptSession[str] = PromptSession(history=InMemoryHistory())
    # raw: the escape codes rich writes for colours pass through to the terminal.
    with patch_stdout(raw=True), logs_on(session.screen):
        while True:
            try:
                line = prompt.prompt(session.prompt)
            except EOFError:
                return 0
            except KeyboardInterrupt:
                continue
            try:
                if not session.run(line):
                    return 0
            except ConsoleError as exc:
                session.screen.print(Text(f"✗ {exc}", style="bold red"))


class _ScreenHandler(logging.Handler):
    """Prints each record through the console's screen: above the prompt, never into the typed line."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self._screen = screen

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._screen.print(Text(self.format(record), style="dim"))
        except Exception:  # noqa: BLE001  # logging's own rule: a failing handler must not raise
            self.handleError(record)


@contextmanager
def logs_on(screen: Screen) -> Iterator[None]:
    """While inside, the root logger's records go to `screen` instead of its handlers (stderr would write
    straight into the prompt line); the handlers come back afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:]
    handler = _ScreenHandler(screen)
    handler.setFormatter(
        saved[0].formatter if saved else logging.Formatter("%(levelname)s %(name)s: %(message)s")
    )
    root.handlers = [handler]
    try:
        yield
    finally:
        root.handlers = saved
