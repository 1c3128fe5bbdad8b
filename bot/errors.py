"""The errors a Slack user can meet, and the one sentence each becomes; tracebacks stay in the log.

`commands.shared.replies.on_error` shows that sentence wherever the user is looking.
"""

from __future__ import annotations

import logging
import secrets

from bot.blockkit import ids
from bot.blockkit.text import escape
from bot.sinch import SinchError

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
