"""Every failure a Slack user can meet becomes one clear ephemeral message; tracebacks stay in the log."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from bot.blockkit import ids
from bot.blockkit.blocks import section, to_dicts, with_sandbox_note
from bot.blockkit.text import escape
from bot.sinch.errors import SinchError

if TYPE_CHECKING:
    from slack_bolt import Respond

    from bot.services import Services

log = logging.getLogger(__name__)


class UserFacingError(Exception):
    """A refusal or problem whose message is meant for the user as is (policy refusals, missing state)."""


class UsageError(Exception):
    """The user typed something we cannot run; `str(error)` says what and how to fix it."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


def describe(error: Exception) -> str:
    """The sentence a user sees for an error (mrkdwn); a reference code ties unexpected ones to the log.

    Usage errors quote what the user typed and Sinch errors what Sinch said: both are escaped. A
    UserFacingError is the bot's own mrkdwn (it may mention approvers), so its raiser escapes what it quotes.
    """
    if isinstance(error, UsageError):
        usage = f"\nUsage: `{_full_usage(error.usage)}`" if error.usage else ""
        return f":warning: {escape(str(error))}{usage}"
    if isinstance(error, UserFacingError):
        return f":no_entry: {error}"
    if isinstance(error, SinchError):
        return f":x: {escape(str(error))}"
    reference = secrets.token_hex(3)
    log.error("unexpected error (ref %s)", reference, exc_info=error)
    return (
        f":boom: Something went wrong on our side (ref `{reference}`). Nothing was changed; please try again."
    )


def _full_usage(usage: str) -> str:
    return usage if usage.startswith("/") else f"{ids.COMMAND} {usage}"


def report_error(
    error: Exception, respond: Respond | None, services: Services, *, help_hint: bool = False
) -> None:
    """Tell the user ephemerally; `help_hint` points a command they could not phrase to `/numbers help`."""
    text = describe(error)
    if help_hint and isinstance(error, UsageError) and not error.usage:
        text += "\nType `/numbers help` for every command with examples."
    if respond is None or respond.response_url is None:
        log.warning("no way to tell the user: %s", text)
        return
    respond(
        text=text,
        blocks=to_dicts(with_sandbox_note([section(text)], services.sandbox)),
        response_type="ephemeral",
        replace_original=False,
    )
