"""/numbers digest (admins): post the inventory digest to the notifications channel now."""

from __future__ import annotations

from bot.errors import UserFacingError
from bot.inventory import digest
from bot.services import Services
from commands.shared.parsing import parse_args
from commands.shared.permissions import require_admin
from commands.shared.router import Invocation, Subcommand

USAGE = "digest"
NO_CHANNEL = (
    "There is no notifications channel to post the digest to: set NUMBOT_NOTIFICATIONS_CHANNEL to a channel "
    "id (and invite numbot there), then try again."
)


def post_digest(invocation: Invocation, services: Services) -> None:
    parse_args(invocation.words, max_positionals=0, usage=f"/numbers {USAGE}")
    require_admin(invocation.user_id, services)
    channel = services.settings.numbot_notifications_channel
    if not channel:
        raise UserFacingError(NO_CHANNEL)
    digest.post_now(services, invocation.user_id, channel)
    invocation.reply(
        f":white_check_mark: The inventory digest is on its way to <#{channel}>, with its chart.",
        sandbox=services.sandbox,
    )


SUBCOMMANDS = (
    Subcommand(
        "digest",
        USAGE,
        "Post the weekly inventory digest, with its chart, to the notifications channel now (admins).",
        post_digest,
        group="Admin",
    ),
)
