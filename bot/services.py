"""The collaborators every workflow needs, built once per process and passed explicitly (no globals)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.approvals import Executor
    from bot.approvals.directory import ApproverDirectory
    from bot.config import Settings
    from bot.notify import Notifier
    from bot.sinch import SinchClient
    from storage.db import Store
    from storage.request_types import RequestKind

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    store: Store
    sinch: SinchClient
    notifier: Notifier
    directory: ApproverDirectory
    # What runs once a request of each kind is approved: the composition root passes commands' static table.
    after_approval: Mapping[RequestKind, Executor]
    clock: Clock = field(default=utc_now)

    @property
    def sandbox(self) -> bool:
        """True when Sinch is the embedded sandbox: every message then says so."""
        return self.settings.uses_sinch_sandbox
