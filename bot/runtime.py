"""One numbot process: Sinch (or the embedded sandbox), storage, Slack client, delivery, scheduler, servers.

`Runtime` is used by `numbot serve`, by the console and by the end-to-end tests alike, so what the tests
start is what users run.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Unpack

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from bot import redaction
from bot.app import ListenerPool, create_app
from bot.approvals.directory import ApproverDirectory
from bot.config import ConfigError, Settings
from bot.notify import Notifier
from bot.readiness import (
    PROBE_SINCH,
    Cached,
    Probe,
    Prober,
    SinchOptions,
    bot_token,
    database_check,
    probe_slack_client,
    run_checks,
    sinch_check,
    slack_check,
    slack_token_checks,
)
from bot.scheduler import PROCESS_EVENTS, Scheduler
from bot.server import LARGEST_BODY_BYTES, SINCH_CALLBACKS_PATH, create_wsgi
from bot.services import Clock, Services, utc_now
from bot.sinch import Auth, BasicAuth, OAuth2ClientCredentials, SinchClient
from bot.watching.callbacks import CallbackReceiver, accepted_secrets, callback_url, ensure_callback_secret
from commands.after_approval import AFTER_APPROVAL
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from serving import BackgroundServer
from storage import outbox, requests
from storage.db import Store
from storage.request_types import RequestState

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

SANDBOX_PROJECT = "sandbox-project"
_RUNNING_STATES = frozenset({RequestState.APPROVED, RequestState.EXECUTING})


class Runtime:
    def __init__(
        self, settings: Settings, *, clock: Clock = utc_now, sandbox_seed: int = 1, sandbox_inventory: int = 0
    ) -> None:
        """`sandbox_inventory`: how many active numbers, spread like a real team's, the embedded sandbox
        starts with (`SandboxState.seed_inventory`); ConfigError when Sinch is not the sandbox."""
        if sandbox_inventory and not settings.uses_sinch_sandbox:
            raise ConfigError(
                "--inventory fills the Sinch sandbox, but Sinch credentials are configured: "
                "add --sandbox to use the sandbox"
            )
        self.settings = settings
        self._clock = clock
        self._listeners = ListenerPool()
        self._sandbox_seed = sandbox_seed
        self._sandbox_inventory = sandbox_inventory
        self._sandbox: RunningSandbox | None = None
        self.http: BackgroundServer | None = None
        self._socket_handler: SocketModeHandler | None = None
        self._wsgi: WSGIApplication = create_wsgi(None)
        self._probe_sinch: SinchClient | None = None
        self._ready_checks: list[Prober] = []

    def start(self) -> Runtime:
        settings = self.settings
        redaction.register_settings(settings)
        store = Store(settings.numbot_database)
        redaction.register(*accepted_secrets(store, settings, self._clock()))
        # Bound (not yet serving) first: the embedded sandbox needs the callback URL before it starts.
        self.http = BackgroundServer(
            self._serve,
            host=settings.numbot_http_host,
            port=settings.numbot_http_port,
            max_request_body_size=LARGEST_BODY_BYTES,
        )
        self._start_sandbox(store)
        sinch = self._sinch_client()
        token = bot_token(settings)
        slack = WebClient(token=token, base_url=settings.slack_api_url)
        notifier = Notifier(store, slack, self._clock)
        directory = ApproverDirectory(slack, settings.numbot_approvers, settings.numbot_admins)
        self.services = Services(
            settings, store, sinch, notifier, directory, AFTER_APPROVAL, clock=self._clock
        )
        self.app: App = create_app(settings, self.services, client=slack, listeners=self._listeners)
        notifier.start()
        self.scheduler = Scheduler(self.services)
        self.scheduler.start()
        self._ready_checks = self._readiness_checks(store, token)
        receiver = CallbackReceiver(
            store, settings, self._clock, on_stored=lambda: self.scheduler.wake(PROCESS_EVENTS)
        )
        self._wsgi = create_wsgi(
            None if settings.socket_mode else self.app,
            signing_secret=(
                settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
            ),
            routes={SINCH_CALLBACKS_PATH: receiver},
            health=self._health,
            ready=self.readiness,
        )
        self.http.start()
        if settings.socket_mode:
            self._start_socket_mode()
        if settings.uses_sinch_sandbox:
            log.warning("SANDBOX: Sinch is simulated; no real numbers are rented and no money is spent")
        return self

    def _start_sandbox(self, store: Store) -> None:
        if self.settings.uses_sinch_sandbox:
            self._sandbox = start_sandbox(
                SandboxConfig(
                    seed=self._sandbox_seed,
                    # Quick enough to watch a whole number order in one sitting at the console.
                    order_review_seconds=5.0,
                    default_callback_url=self._own_callback_url(),
                    callback_hmac_secret=ensure_callback_secret(store, self.settings, self._clock()),
                )
            )
            if self._sandbox_inventory:
                seeded = self._sandbox.state.seed_inventory(
                    self._sandbox_inventory, project_id=SANDBOX_PROJECT
                )
                log.info(
                    "SANDBOX: Sinch starts with %d active and %d imported numbers",
                    len(seeded.active),
                    len(seeded.imported),
                )

    def _sinch_client(self, **options: Unpack[SinchOptions]) -> SinchClient:
        sandbox = self._sandbox
        if sandbox is None:
            return sinch_client(self.settings, **options)
        return SinchClient(
            SANDBOX_PROJECT,
            BasicAuth("sandbox", "sandbox"),
            numbers_url=sandbox.url,
            imported_url=sandbox.imported_url,
            **options,
        )

    def _readiness_checks(self, store: Store, token: str | None) -> list[Prober]:
        # Clients of their own: a probe must fail fast, not wait out the retries real work deserves.
        probe_sinch = self._probe_sinch = self._sinch_client(**PROBE_SINCH)
        probe_slack = probe_slack_client(token, self.settings.slack_api_url)
        return [
            lambda: database_check(store, self._clock()),
            Cached(lambda: sinch_check(probe_sinch)),
            Cached(lambda: slack_check(probe_slack)),
        ]

    def _serve(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # Late-bound: the socket is bound before the app exists, and requests only arrive after start().
        return self._wsgi(environ, start_response)

    def _own_callback_url(self) -> str:
        assert self.http is not None
        return callback_url(self.settings) or f"http://127.0.0.1:{self.http.port}{SINCH_CALLBACKS_PATH}"

    def _start_socket_mode(self) -> None:
        assert self.settings.slack_app_token is not None
        handler = SocketModeHandler(self.app, self.settings.slack_app_token.get_secret_value())
        handler.connect()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
        self._socket_handler = handler

    def _health(self) -> dict[str, object]:
        return {"sandbox": self.settings.uses_sinch_sandbox, "socket_mode": self.settings.socket_mode}

    def readiness(self) -> list[Probe]:
        """What `/readyz` answers: the database takes writes, Sinch answers, Slack accepts the token."""
        return run_checks(self._ready_checks)

    @property
    def url(self) -> str:
        assert self.http is not None
        return self.http.url

    @property
    def sandbox(self) -> RunningSandbox | None:
        """The embedded Sinch sandbox, when this process runs one (no Sinch credentials configured)."""
        return self._sandbox

    def is_idle(self) -> bool:
        """No listener still answering, nothing the bot must still send to Slack now, and no approved request
        still running (the console waits for this before it reads the next line of a script)."""
        if self._listeners.busy:
            return False
        store, now = self.services.store, self.services.clock()
        running = requests.find_requests(store, states=_RUNNING_STATES, limit=1)
        return not outbox.due(store, now, limit=1) and not running

    def stop(self) -> None:
        if self._socket_handler is not None:
            self._socket_handler.close()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
        if self.http is not None:
            self.http.stop()
        self.scheduler.stop()
        self.services.notifier.stop()
        self.services.sinch.close()
        if self._probe_sinch is not None:
            self._probe_sinch.close()
        if self._sandbox is not None:
            self._sandbox.stop()
        self.services.store.close_all()

    def __enter__(self) -> Runtime:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def sinch_client(settings: Settings, **options: Unpack[SinchOptions]) -> SinchClient:
    """A client for the configured Sinch project (not the sandbox)."""
    assert settings.sinch_project_id and settings.sinch_key_id and settings.sinch_key_secret
    secret = settings.sinch_key_secret.get_secret_value()
    auth: Auth = (
        OAuth2ClientCredentials(settings.sinch_key_id, secret, token_url=settings.sinch_auth_url)
        if settings.sinch_auth_mode == "oauth"
        else BasicAuth(settings.sinch_key_id, secret)
    )
    return SinchClient(
        settings.sinch_project_id,
        auth,
        numbers_url=settings.sinch_numbers_url,
        imported_url=settings.sinch_imported_url,
        **options,
    )


def serve(settings: Settings, *, sandbox_inventory: int = 0) -> None:
    """`numbot serve`: run until Ctrl-C or SIGTERM (what process managers send), then stop cleanly.

    A token Slack refuses, or a Slack it cannot reach, stops it before anything starts (ConfigError):
    Bolt and Socket Mode would otherwise fail later with a traceback.
    """
    settings.check_ready_to_serve()
    for check in slack_token_checks(settings):
        probe = check()
        if not probe.ok:
            raise ConfigError(probe.detail)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stopped.set())
    with Runtime(settings, sandbox_inventory=sandbox_inventory) as runtime:
        mode = "Socket Mode" if settings.socket_mode else f"HTTP on {runtime.url}/slack/events"
        log.info("numbot serving (%s); health at %s/healthz and %s/readyz", mode, runtime.url, runtime.url)
        stopped.wait()
        log.info("stopping: finishing in-flight work, pending notifications stay queued in the database")
