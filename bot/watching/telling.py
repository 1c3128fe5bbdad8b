"""Where the watchers' news goes: the request's thread, and one line in the notifications channel.

Callers queue these inside the transaction that records the change, so a change and the messages
announcing it commit together (the outbox delivers them once).
"""

from __future__ import annotations

import logging

from bot.blockkit.blocks import section, to_dicts, with_sandbox_note
from bot.services import Services
from bot.watching.provisioning import Report
from storage import outbox, requests
from storage.outbox import OutboxMessage, OutboxRow

log = logging.getLogger(__name__)


def tell(
    services: Services, request_id: str | None, message: Report, *, digest_key: str, summarize: bool = True
) -> None:
    """The detail in the request's thread and, if `summarize`, its summary line in the notifications
    channel; without a thread the detail goes to the channel instead."""
    card = card_of(services, request_id)
    channel = services.settings.numbot_notifications_channel
    if card is not None:
        services.notifier.post(
            OutboxMessage(card.channel, message.detail_text, message.detail_blocks, parent_id=card.id)
        )
        if not summarize:
            return
    if channel is not None:
        if card is None:
            text, blocks = message.detail_text, message.detail_blocks
        else:
            text = message.summary
            blocks = to_dicts(with_sandbox_note([section(message.summary)], services.sandbox))
        services.notifier.post(OutboxMessage(channel, text, blocks, digest_key=digest_key))
    elif card is None:
        log.warning("no notifications channel: not posted: %s", message.summary)


def card_of(services: Services, request_id: str | None) -> OutboxRow | None:
    """The approval card of the request, under which its outcomes are threaded."""
    request = requests.get_request(services.store, request_id) if request_id else None
    if request is None or request.card_outbox_id is None:
        return None
    return outbox.get_message(services.store, request.card_outbox_id)
