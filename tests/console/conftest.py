from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from sandbox.console.main import LiveConsole, console_session, plain_console


class Transcript(io.StringIO):
    """What the console printed; tests wait on it for output that arrives by itself."""

    def __init__(self) -> None:
        super().__init__()
        self._changed = threading.Condition()

    def write(self, text: str) -> int:
        with self._changed:
            written = super().write(text)
            self._changed.notify_all()
            return written

    def wait_for(self, text: str, timeout: float = 5.0) -> str:
        with self._changed:
            if not self._changed.wait_for(lambda: text in self.getvalue(), timeout):
                raise AssertionError(f"{text!r} was never shown; the console showed:\n{self.getvalue()}")
            return self.getvalue()

    def since(self, mark: int) -> str:
        return self.getvalue()[mark:]


@dataclass
class ConsoleUnderTest:
    live: LiveConsole
    transcript: Transcript

    def type(self, line: str) -> str:
        """Run one line; returns what the console printed for it (until the bot settled)."""
        mark = len(self.transcript.getvalue())
        self.live.session.run(line)
        return self.transcript.since(mark)


def console_settings(database: Path) -> Settings:
    # model_validate reads neither the environment nor a .env file: a developer's settings stay out.
    return Settings.model_validate({"numbot_database": database})


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleUnderTest]:
    transcript = Transcript()
    with console_session(
        console_settings(tmp_path / "numbot.db"), plain_console(transcript), expect_timeout=1.0
    ) as live:
        yield ConsoleUnderTest(live, transcript)
