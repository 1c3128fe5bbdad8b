"""The prompt with a person at the keyboard: line editing and history, with the bot's messages printed
above the prompt as they arrive (prompt_toolkit keeps the line being typed intact)."""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.patch_stdout import patch_stdout
from rich.text import Text

from sandbox.console.commands import ConsoleError
from sandbox.console.session import Session


def run_interactive(session: Session) -> int:
    prompt: PromptSession[str] = PromptSession(history=InMemoryHistory())
    # raw: the escape codes rich writes for colours pass through to the terminal.
    with patch_stdout(raw=True):
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
