"""Fixtures for the Sinch sandbox tests: running sandboxes, API clients and a real callback receiver."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from werkzeug.wrappers import Request, Response

from bot.wsgi_server import BackgroundServer
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

PROJECT = "project-1"
KEY = ("key-id", "key-secret")


@dataclass(frozen=True)
class ReceivedCallback:
    body: bytes
    signature: str | None


class CallbackReceiver:
    """A real HTTP endpoint that records callbacks and can refuse the first few with a 500."""

    def __init__(self) -> None:
        self.received: list[ReceivedCallback] = []
        self.refused = 0
        self._refuse_remaining = 0
        self._changed = threading.Condition()
        self._server = BackgroundServer(self._app).start()
        self.url = f"{self._server.url}/sinch/callbacks"

    def refuse_next(self, count: int) -> None:
        with self._changed:
            self._refuse_remaining = count

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedCallback]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) >= count, timeout), (
                f"expected {count} callbacks, got {len(self.received)}"
            )
            return list(self.received)

    def wait_for_refusals(self, count: int, timeout: float = 5.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self.refused >= count, timeout)

    def stop(self) -> None:
        self._server.stop()

    def _app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        body = request.get_data()
        with self._changed:
            if self._refuse_remaining > 0:
                self._refuse_remaining -= 1
                self.refused += 1
                self._changed.notify_all()
                return Response("try later", 500)(environ, start_response)
            self.received.append(ReceivedCallback(body, request.headers.get("X-Sinch-Signature")))
            self._changed.notify_all()
        return Response("", 200)(environ, start_response)


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """Start sandboxes with any SandboxConfig fields; all are stopped after the test."""
    started: list[RunningSandbox] = []

    def make(**config: Any) -> RunningSandbox:
        config.setdefault("seed", 7)
        config.setdefault("provisioning_seconds", 3600)
        started.append(start_sandbox(SandboxConfig(**config)))
        return started[-1]

    yield make
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., RunningSandbox]) -> RunningSandbox:
    """A sandbox whose provisioning only moves when the test says so."""
    return make_sandbox()


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """The Numbers API of `sandbox` for PROJECT, authenticated with Basic."""
    with client_for(sandbox) as client:
        yield client


@pytest.fixture
def imported_api(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.imported_url}/v1/projects/{PROJECT}", auth=KEY) as client:
        yield client


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """A callback URL whose connections are refused.

    The port stays bound (never listening) for the whole test: a receiver stopped to free its port could
    see another test's server, started in parallel, take that port and accept the callbacks.
    """
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/sinch/callbacks"


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    started = CallbackReceiver()
    yield started
    started.stop()


def client_for(sandbox: RunningSandbox) -> httpx.Client:
    return httpx.Client(base_url=f"{sandbox.url}/v1/projects/{PROJECT}", auth=KEY)


def first_available(api: httpx.Client, capability: str = "SMS", **filters: str) -> str:
    params = {"regionCode": "US", "type": "LOCAL", "capabilities": capability, "size": "1", **filters}
    numbers = api.get("/availableNumbers", params=params).json()["availableNumbers"]
    phone_number: str = numbers[0]["phoneNumber"]
    return phone_number


def rent(api: httpx.Client, phone_number: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return api.post(f"/availableNumbers/{phone_number}:rent", json=body or {})


def field_violations(response: httpx.Response) -> dict[str, str]:
    details = response.json()["error"]["details"]
    return {v["field"]: v["description"] for d in details for v in d.get("fieldViolations", [])}
