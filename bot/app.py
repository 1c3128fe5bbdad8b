"""`create_app`: the Bolt app with every workflow registered. A factory, never a module global."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk import WebClient

from bot.blockkit import ids
from bot.config import Settings
from bot.errors import describe, report_error
from bot.services import Services
from commands.active import listeners as active
from commands.admin import audit, callbacks, settle
from commands.approvals import listeners as approval_actions
from commands.e911 import listeners as emergency
from commands.home import help as help_command
from commands.home import listeners as home
from commands.imported import listeners as imported
from commands.release import listeners as release
from commands.rent import listeners as rent
from commands.search import listeners as search
from commands.shared.modal_flow import notice
from commands.shared.router import CommandRouter, Invocation
from commands.shared.view_state import clean_text, text_problems

log = logging.getLogger(__name__)

# Each module has `register(app, services, router)`: its subcommands, buttons and modals.
WORKFLOWS: tuple[ModuleType, ...] = (
    search,
    rent,
    active,
    release,
    audit,
    imported,
    emergency,
    callbacks,
    settle,
    home,
    approval_actions,
)

# Acks happen inside listeners, so a pool exhausted by slow Sinch calls would delay every ack behind them.
LISTENER_THREADS = 64


def create_app(settings: Settings, services: Services, *, client: WebClient | None = None) -> App:
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
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="bolt"),
        raise_error_for_unhandled_request=False,
    )
    app.middleware(checked_submission)
    router = CommandRouter()
    for workflow in WORKFLOWS:
        workflow.register(app, services, router)

    @app.command(ids.COMMAND)
    def numbers(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        try:
            subcommand, words = router.resolve(command.get("text", ""))
            invocation = Invocation(
                user_id=command["user_id"],
                channel_id=command["channel_id"],
                trigger_id=command["trigger_id"],
                words=words,
                respond=respond,
                client=client,
            )
            if subcommand is None:
                help_command.show_help(invocation, router, services)
            else:
                subcommand.handler(invocation, services)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message, never silence
            report_error(exc, respond, services, help_hint=True)

    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], respond: Respond, response: BoltResponse | None
    ) -> BoltResponse | None:
        if body.get("type") == "view_submission" and response is not None:
            # Not acked yet, and a submission has no response_url: the open modal is where the user looks.
            return BoltResponse(status=200, body=failed_submission(body["view"], error, services))
        report_error(error, respond, services, help_hint=True)
        return None

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


def failed_submission(view: dict[str, Any], error: Exception, services: Services) -> dict[str, Any]:
    """The ack that turns a modal whose submission failed into the reason why."""
    title = str(view.get("title", {}).get("text") or "numbot")
    return {"response_action": "update", "view": notice(title, describe(error), sandbox=services.sandbox)}
