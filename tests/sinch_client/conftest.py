"""Fixtures for SinchClient against the embedded Sinch sandbox over real loopback HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from werkzeug.wrappers import Request, Response

from bot.sinch import SinchClient
from bot.wsgi_server import BackgroundServer
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from tests.sinch_client.builders import make_client

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


@pytest.fixture(scope="module")
def shared_sandbox() -> Iterator[RunningSandbox]:
    """One sandbox per module; provisioning only moves when a test calls complete_provisioning."""
    with start_sandbox(SandboxConfig(seed=7, provisioning_seconds=3600)) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(shared_sandbox: RunningSandbox) -> RunningSandbox:
    """The module's sandbox with no faults queued and an empty request log."""
    shared_sandbox.faults.reset()
    shared_sandbox.requests.clear()
    return shared_sandbox


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[SinchClient]:
    with make_client(sandbox) as sinch:
        yield sinch


@dataclass(frozen=True)
class ReceivedCallback:
    body: bytes
    signature: str | None


class CallbackReceiver:
    """A real HTTP endpoint standing in for numbot's /sinch/callbacks; tests await what it receives."""

    def __init__(self) -> None:
        self._received: list[ReceivedCallback] = []
        self._changed = threading.Condition()
        self._server = BackgroundServer(self._app).start()
        self.url = f"{self._server.url}/sinch/callbacks"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedCallback]:
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self._received) >= count, timeout)
            assert arrived, f"expected {count} callbacks, got {len(self._received)}"
            return list(self._received)

    def stop(self) -> None:
        self._server.stop()

    def _app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        with self._changed:
            self._received.append(
                ReceivedCallback(request.get_data(), request.headers.get("X-Sinch-Signature"))
            )
            self._changed.notify_all()
        return Response("", 200)(environ, start_response)


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    started = CallbackReceiver()
    yield started
    started.stop()
