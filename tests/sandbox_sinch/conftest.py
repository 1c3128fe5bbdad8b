"""Fixtures for the Sinch sandbox tests: running sandboxes, API clients and a real callback receiver."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from tests.sandbox_sinch.callback_receiver import CallbackReceiver

PROJECT = "project-1"
KEY = ("key-id", "key-secret")


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., RunningSandbox]]:
    """Start sandboxes with any SandboxConfig fields; all are stopped after the test."""
    started: list[RunningSandbox] = []

    def make(**config: Any) -> RunningSandbox:
        config.setdefault("seed", 7)
        config.setdefault("provisioning_seconds", 3600)
        config.setdefault("loopback_callbacks_only", True)
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
