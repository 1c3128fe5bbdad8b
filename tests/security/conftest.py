"""The bot as an attacker meets it: a real `numbot` subprocess serving over loopback, its stderr kept."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sandbox.sinch import SandboxConfig, start_sandbox
from serving import BackgroundServer
from tests.faults.bot_process import start_bot_process
from tests.faults.flows import settings_env
from tests.harness import bot_settings, local_slack

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


@dataclass
class BotProcess:
    url: str
    pid: int
    stderr: Path

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    def peak_rss_bytes(self) -> int:
        """The most resident memory the process has ever held (the kernel's high-water mark)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmHWM in /proc status")

    def log_mark(self) -> int:
        return self.stderr.stat().st_size

    def log_since(self, mark: int) -> str:
        with self.stderr.open("rb") as log:
            log.seek(mark)
            return log.read().decode(errors="replace")


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    folder = tmp_path_factory.mktemp("bot")
    with (
        local_slack() as slack,
        start_sandbox(SandboxConfig(seed=7, provisioning_seconds=3600)) as sinch,
        (folder / "stderr.log").open("wb") as stderr,
    ):
        settings = bot_settings(slack, sinch, folder / "numbot.db", numbot_legacy_rent=True)
        process, url = start_bot_process(settings_env(settings), stderr=stderr)
        try:
            yield BotProcess(url, process.pid, folder / "stderr.log")
        finally:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Listener:
    """A WSGI app that records every request it gets: the attacker's `response_url`, and a canary's."""

    received: list[tuple[str, bytes]] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        with self._changed:
            self.received.append((environ["PATH_INFO"], body))
            self._changed.notify_all()
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    def paths(self) -> list[str]:
        with self._changed:
            return [path for path, _ in self.received]

    def wait_for(self, path: str, timeout: float = 10.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: path in (p for p, _ in self.received), timeout=timeout)


@pytest.fixture
def listener() -> Iterator[tuple[Listener, str]]:
    """A listener on 127.0.0.1 and its base URL."""
    recorded = Listener()
    with BackgroundServer(recorded) as server:
        yield recorded, server.url
