"""What every request handler works with: the state and the services that act on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from sandbox.sinch.config import SandboxConfig
from sandbox.sinch.events import EventPublisher
from sandbox.sinch.provisioning import Provisioner
from sandbox.sinch.state import SandboxState


@dataclass(frozen=True)
class Backend:
    config: SandboxConfig
    state: SandboxState
    provisioner: Provisioner
    events: EventPublisher


@dataclass(frozen=True)
class Call:
    """One API request, already routed: path parameters, query and parsed JSON body."""

    project_id: str
    query: MultiDict[str, str]
    body: Any = None
    phone_number: str = ""
