"""`create_app`: the Bolt app with every workflow registered, and the one error handler. A factory, never a
module global."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.blockkit import ids
from bot.config import Settings
from bot.services import Services
from commands import WORKFLOWS
from commands.shared.replies import answering
from commands.shared.router import CommandRouter, numbers
from commands.shared.view_state import clean_text, text_problems

log = logging.getLogger(__name__)

T = TypeVar("T")

# Acks happen inside listeners, so a pool exhausted by slow Sinch calls would delay every ack behind them.
LISTENER_THREADS = 64


class ListenerPool(ThreadPoolExecutor):
    """The threads Bolt runs listeners on, counting the ones still running: the bot is not idle while a
    listener is still answering someone (the console waits for that before it reads its next line)."""

    def __init__(self) -> None:
        super().__init__(max_workers=LISTENER_THREADS, thread_name_prefix="bolt")
        self._lock = threading.Lock()
        self._running = 0

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with self._lock:
            self._running += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any]) -> None:
        with self._lock:
            self._running -= 1

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running > 0


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    listeners: ListenerPool | None = None,
) -> App:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    app = App(
        # A given client carries the token (and the Web API URL of the local workspace in tests).
        token=token if client is None else None,
        signing_secret=(
            settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        ),
        client=client,
        # Socket Mode deliveries are not signed (the socket itself is authenticated).
        request_verification_enabled=not settings.socket_mode,
        listener_executor=listeners or ListenerPool(),
        raise_error_for_unhandled_request=False,
    )
    router = CommandRouter()

    def provide(context: BoltContext, next_: Callable[[], BoltResponse]) -> BoltResponse:
        # Listeners are plain functions: Bolt passes them `services` and `router` from the context.
        context["services"] = services
        context["router"] = router
        return next_()

    app.middleware(provide)
    app.middleware(checked_submission)
    for workflow in WORKFLOWS:
        workflow.register(app, router)
    app.command(ids.COMMAND)(answering(numbers))
    return app


def checked_submission(body: dict[str, Any], next_: Callable[[], BoltResponse]) -> BoltResponse | None:
    """Every modal submission, before its listener: refused under the field when a typed value is longer than
    its input allows (nothing is read, stored or sent), else passed on with its typed values cleaned."""
    if body.get("type") != "view_submission":
        return next_()
    problems = text_problems(body["view"])
    if problems:
        return BoltResponse(status=200, body={"response_action": "errors", "errors": problems})
    clean_text(body["view"])
    return next_()
