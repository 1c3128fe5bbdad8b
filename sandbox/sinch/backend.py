"""What every request handler works with: the state and the services that act on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict

from sandbox.sinch.config import SandboxConfig
from sandbox.sinch.events import EventPublisher
from sandbox.sinch.provisioning import Provisioner
from sandbox.sinch.state import SandboxState

if TYPE_CHECKING:
    from sandbox.sinch.orders import OrderDesk


@dataclass(frozen=True)
class Backend:
    config: SandboxConfig
    state: SandboxState
    provisioner: Provisioner
    events: EventPublisher
    orders: OrderDesk


@dataclass(frozen=True)
class UploadStream:
    """A multipart request body, left unread for the handler to stream."""

    content_type: str
    stream: IO[bytes]


@dataclass(frozen=True)
class Call:
    """One API request, already routed: path parameters, query and parsed JSON body (or upload stream)."""

    project_id: str
    query: MultiDict[str, str]
    body: Any = None
    phone_number: str = ""
    order_id: str = ""
    attachment_id: str = ""
    upload: UploadStream | None = None
