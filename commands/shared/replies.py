"""Answer the user who submitted a modal: view submissions carry no response_url, so the answer is an
ephemeral message in the channel the modal was opened from (or a DM when the bot cannot post there)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blockkit.blocks import section, to_dicts, with_sandbox_note
from bot.errors import describe
from bot.services import Services
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)


def tell(
    client: WebClient,
    services: Services,
    *,
    channel: str,
    user: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """Show `text` (or `blocks`) to `user` only, in `channel`."""
    shown = blocks if blocks is not None else to_dicts(with_sandbox_note([section(text)], services.sandbox))
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=shown)
    except SlackApiError as exc:
        # E.g. not_in_channel: the modal was opened where the bot is not a member. A DM always works,
        # and the outbox makes sure it arrives even if Slack is briefly unavailable.
        log.info("ephemeral to %s in %s failed (%s); sending a DM", user, channel, exc.response.get("error"))
        services.notifier.post(OutboxMessage(channel=user, text=text, blocks=shown))


def tell_error(client: WebClient, services: Services, *, channel: str, user: str, error: Exception) -> None:
    tell(client, services, channel=channel, user=user, text=describe(error))
