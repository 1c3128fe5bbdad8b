"""Start and stop a sandbox: in-process for tests (`start_sandbox`) or in the foreground (`serve_cli`)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

from sandbox.sinch.app import IMPORTED_PREFIX, OAUTH_PATH, SandboxApp
from sandbox.sinch.auth import Authenticator
from sandbox.sinch.backend import Backend
from sandbox.sinch.callbacks import CallbackDispatcher, Delivery
from sandbox.sinch.changes import ChangeSignal
from sandbox.sinch.config import DEFAULT_PROJECT_ID, SandboxConfig
from sandbox.sinch.events import EventPublisher
from sandbox.sinch.faults import FaultConfig
from sandbox.sinch.orders import OrderDesk
from sandbox.sinch.provisioning import Provisioner
from sandbox.sinch.request_log import RequestLog
from sandbox.sinch.scheduler import TimerQueue
from sandbox.sinch.state import SandboxState
from serving import BackgroundServer


class RunningSandbox:
    """A listening sandbox and the handles tests use to inspect and steer it."""

    def __init__(self, config: SandboxConfig, host: str, port: int) -> None:
        self.config = config
        self.state = SandboxState(config.seed, config.callback_hmac_secret)
        self.requests = RequestLog()
        self.faults = FaultConfig(seed=config.seed)
        self._timers = TimerQueue()
        self._changes = ChangeSignal()
        self._dispatcher = CallbackDispatcher(
            self._timers,
            self._changes,
            config.callback_retry_seconds,
            loopback_only=config.loopback_callbacks_only,
        )
        events = EventPublisher(self.state, self._dispatcher, config.default_callback_url)
        self._provisioner = Provisioner(
            self.state,
            events,
            self._timers,
            self._changes,
            seed=config.seed,
            duration_seconds=config.provisioning_seconds,
            failure_rate=config.failure_rate,
        )
        orders = OrderDesk(
            config,
            self.state,
            provisioner=self._provisioner,
            events=events,
            timers=self._timers,
            changes=self._changes,
        )
        self._auth = Authenticator(config.credentials, config.token_ttl_seconds, config.clock)
        app = SandboxApp(
            Backend(config, self.state, self._provisioner, events, orders),
            self._auth,
            self.faults,
            self.requests,
        )
        try:
            self._server = BackgroundServer(app, host=host, port=port).start()
        except OSError:
            # A taken port must not leave the timer and delivery threads behind.
            self._timers.stop()
            self._dispatcher.stop()
            raise

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def imported_url(self) -> str:
        return f"{self.url}{IMPORTED_PREFIX}"

    @property
    def token_url(self) -> str:
        return f"{self.url}{OAUTH_PATH}"

    @property
    def callback_deliveries(self) -> list[Delivery]:
        """Every callback queued so far, with its attempts and whether the receiver accepted it."""
        return list(self._dispatcher.deliveries)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Block until `predicate()` holds (True) or `timeout` seconds pass (False).

        The predicate is re-checked whenever a provisioning job advances or finishes and whenever a
        callback delivery attempt ends, so it may look at the API, the state or `callback_deliveries`.
        """
        return self._changes.wait_for(predicate, timeout)

    def complete_provisioning(self, phone_number: str | None = None) -> None:
        self._provisioner.complete(phone_number)

    def fail_provisioning(self, phone_number: str, error_codes: list[str]) -> None:
        """The number's next provisioning outcome is FAILED with these SmsErrorCode values."""
        self._provisioner.fail_next(phone_number, error_codes)

    def revoke_tokens(self) -> None:
        self._auth.revoke_all()

    def stop(self) -> None:
        self._server.stop()
        self._timers.stop()
        self._dispatcher.stop()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_sandbox(
    config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningSandbox:
    """Start a sandbox; it is listening when this returns (port 0 picks a free port)."""
    return RunningSandbox(config or SandboxConfig(), host, port)


def serve_cli(
    host: str, port: int, seed: int, *, inventory: int = 0, project_id: str = DEFAULT_PROJECT_ID
) -> None:
    """Run a sandbox in the foreground until Ctrl-C, announcing its URL on one line (and, with an
    `inventory`, what project `project_id` holds on the line before)."""
    sandbox = start_sandbox(SandboxConfig(seed=seed), host=host, port=port)
    if inventory:
        seeded = sandbox.state.seed_inventory(inventory, project_id=project_id)
        sys.stdout.write(
            f"project {project_id} holds {len(seeded.active)} active and {len(seeded.imported)} "
            "imported numbers\n"
        )
    sys.stdout.write(f"sandbox listening on {sandbox.url}\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
