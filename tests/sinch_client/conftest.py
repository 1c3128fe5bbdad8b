"""Fixtures for SinchClient against the embedded Sinch sandbox over real loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sinch import SinchClient
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from tests.sandbox_sinch.callback_receiver import CallbackReceiver
from tests.sinch_client.builders import make_client


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


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    started = CallbackReceiver()
    yield started
    started.stop()
