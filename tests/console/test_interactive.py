"""`numbot console` with a person at a terminal (a real pseudo-terminal): colours and emoji, a prompt, and
the bot's later messages appearing while the prompt waits, without anyone pressing a key."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.console.test_cli import NUMBOT, clean_env

# A Ctrl-D the console has not acted on by then was taken by the terminal (see `Terminal.leave`).
AGAIN_AFTER_SECONDS = 2.0
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


class Terminal:
    def __init__(self, master: int) -> None:
        self._master = master
        self.raw = b""

    def type(self, line: str) -> None:
        os.write(self._master, (line + "\r").encode())

    def shown(self) -> str:
        return ESCAPES.sub(b"", self.raw).decode(errors="replace")

    def wait_for(self, text: str, timeout: float = 10.0) -> None:
        """Read the terminal until `text` is on it (select wakes on output; the deadline bounds the wait)."""
        deadline = time.monotonic() + timeout
        while text not in self.shown():
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never appeared on the terminal:\n{self.shown()[-3000:]}"
            readable, _, _ = select.select([self._master], [], [], remaining)
            if readable:
                self.raw += os.read(self._master, 65536)

    def leave(self, process: subprocess.Popen[bytes], timeout: float = 15.0) -> int:
        """Press Ctrl-D until the console exits; returns its exit status.

        While the console prints above the prompt, prompt_toolkit puts the terminal in cooked mode for a
        moment, and a Ctrl-D pressed then is taken by the terminal itself: a person would press it again.
        The output is read meanwhile, so a console with more to print is never blocked on a full terminal.
        """
        deadline = time.monotonic() + timeout
        while True:
            os.write(self._master, b"\x04")
            pressed_at = time.monotonic()
            while time.monotonic() - pressed_at < AGAIN_AFTER_SECONDS:
                if process.poll() is not None:
                    return process.returncode
                assert time.monotonic() < deadline, f"the console did not leave:\n{self.shown()[-3000:]}"
                readable, _, _ = select.select([self._master], [], [], 0.1)
                if readable:
                    try:
                        self.raw += os.read(self._master, 65536)
                    except OSError:  # EIO: the console closed its side of the terminal, it is exiting
                        return process.wait(timeout=max(deadline - time.monotonic(), 0.1))


@pytest.fixture
def terminal(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Terminal]:
    master, slave = pty.openpty()
    # A pseudo-terminal does not answer cursor position requests; prompt_toolkit would wait for it.
    env = clean_env(tmp_path) | {"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env |= getattr(request, "param", {})
    process = subprocess.Popen(
        [str(NUMBOT), "console"], stdin=slave, stdout=slave, stderr=subprocess.DEVNULL, cwd=tmp_path, env=env
    )
    os.close(slave)
    try:
        terminal = Terminal(master)
        yield terminal
        assert terminal.leave(process) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


def test_provisioning_news_appears_while_the_prompt_waits(terminal: Terminal) -> None:
    terminal.wait_for("rita in #ops>")
    for line, answer in [
        ("/numbers search US LOCAL --sms --limit 1", "[Request this number]"),
        ("/click 1", "modal “Order numbers” for rita"),
        ('/submit "SMS service plan ID=plan-1"', "is waiting for a second person"),
        ("/as approver", "alex in #ops>"),
        ("/channel approvals", "[Approve]"),
        ("/click Approve", "SMS provisioning started"),
    ]:
        terminal.type(line)
        terminal.wait_for(answer)

    terminal.wait_for("is ready: SMS provisioning finished.")

    assert "✅" in terminal.shown() and b"\x1b[" in terminal.raw  # emoji and colours on a terminal


@pytest.mark.parametrize("terminal", [{"NUMBOT_LOG_LEVEL": "DEBUG"}], indirect=True)
def test_log_records_are_printed_by_the_console_above_the_prompt(terminal: Terminal) -> None:
    # stderr goes nowhere here: a record only shows if the console printed it itself, above the prompt.
    terminal.wait_for("rita in #ops>")
    terminal.type("/numbers help")
    terminal.wait_for("HTTP Request: POST")
