"""Test helpers over the product's world (`sandbox.world`): awaiting what people see, typing commands, and
arranging what a test needs in Sinch, Slack and the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from bot.approvals import Executor, Reconcile, SettledByHand
from bot.services import Services
from commands.shared.view_state import INPUT_ACTION
from sandbox.slack import Message, View
from sandbox.slack.driver import SlackUserDriver
from sandbox.world import (
    ADMIN,
    ALERTS,
    APP_TOKEN,
    APPROVALS,
    APPROVER,
    APPROVER_GROUP,
    BOT_TOKEN,
    BYSTANDER,
    OPS,
    PROJECT_ID,
    REQUESTER,
    SECOND_APPROVER,
    SIGNING_SECRET,
    SINCH_KEY_ID,
    SINCH_KEY_SECRET,
    SPRINGFIELD,
    TEST_RATE_LIMITS,
    World,
    bot_settings,
    local_slack,
    running_world,
    serving,
    shown,
    visible_text,
)
from storage import Store
from storage.request_types import RequestKind
from storage.requests import Request

__all__ = [
    "ADMIN",
    "ALERTS",
    "APPROVALS",
    "APPROVER",
    "APPROVER_GROUP",
    "APP_TOKEN",
    "BOT_TOKEN",
    "BYSTANDER",
    "OPS",
    "PROJECT_ID",
    "REQUESTER",
    "SECOND_APPROVER",
    "SIGNING_SECRET",
    "SINCH_KEY_ID",
    "SINCH_KEY_SECRET",
    "SPRINGFIELD",
    "TEST_RATE_LIMITS",
    "World",
    "answer_to",
    "bot_settings",
    "documents_modal",
    "ephemeral_containing",
    "local_slack",
    "open_modal",
    "outbox_refusing_rows",
    "reconciler",
    "run_after_approval",
    "running_world",
    "seed_active",
    "serving",
    "shown",
    "sms_and_voice_number",
    "visible_text",
]


def ephemeral_containing(world: World, user_id: str, text: str) -> Message:
    """Await the first ephemeral message to `user_id` that shows `text`."""
    return world.wait_for(
        lambda slack: next((message for message in slack.ephemerals(user_id) if text in shown(message)), None)
    )


def request_card(world: World, request: Request, state: str | None = None) -> Message:
    """The approval card of `request`, once its fallback text shows `state` (any state when None)."""
    return world.wait_for(
        lambda slack: next(
            (
                message
                for message in slack.messages(APPROVALS.id)
                if message.text.startswith(f"{request.id} ")
                and (state is None or f": {state} " in message.text)
            ),
            None,
        )
    )


def answer_to(world: World, user: SlackUserDriver, command: str, answer: str) -> Message:
    """`user` types `/numbers <command>` in #ops; the ephemeral reply that shows `answer`."""
    ack = user.slash("/numbers", command, channel=OPS.id)
    assert ack.ok, ack
    return ephemeral_containing(world, user.user_id, answer)


def seed_active(
    world: World, count: int, region: str = "US", number_type: str = "LOCAL", **links: str
) -> list[str]:
    """Make `count` numbers active in the bot's Sinch project (`links`: see `seed_active_numbers`)."""
    return world.sinch.state.seed_active_numbers(count, region, number_type, project_id=PROJECT_ID, **links)


def sms_and_voice_number(world: World, **links: str) -> str:
    """One active SMS and voice capable US LOCAL number (the sandbox mixes in single-capability ones)."""
    for phone_number in seed_active(world, 10, **links):
        number = world.sinch.state.active_number(phone_number, PROJECT_ID)
        if number is not None and set(number["capability"]) == {"SMS", "VOICE"}:
            return phone_number
    raise AssertionError("the sandbox seeded no SMS and voice capable number")


def open_modal(world: World, user: SlackUserDriver, text: str, callback_id: str) -> View:
    """`user` types `/numbers {text}` in #ops; await the modal with `callback_id` it opens for them."""
    user.slash("/numbers", text, channel=OPS.id)
    return world.wait_for(
        lambda slack: next(
            (view for view in slack.views(user.user_id) if view.callback_id == callback_id), None
        )
    )


@contextmanager
def outbox_refusing_rows(store: Store) -> Iterator[None]:
    """While inside, the calling thread's connection cannot queue a message (a full disk, say): the
    statement fails with 'disk full' after whatever the same transaction wrote before it."""
    db = store.db
    db.execute(
        """CREATE TEMP TRIGGER outbox_refuses BEFORE INSERT ON outbox
           BEGIN SELECT RAISE(ABORT, 'disk full'); END"""
    )
    try:
        yield
    finally:
        db.execute("DROP TRIGGER outbox_refuses")


def run_after_approval(services: Services, kind: RequestKind, executor: Executor) -> None:
    """Let a test decide what an approved request of `kind` does (the product's table is left as it is)."""
    services.after_approval = MappingProxyType({**services.after_approval, kind: executor})


def reconciler(services: Services, kind: RequestKind) -> Reconcile:
    """How the product reads back an approved request of `kind` after a lost answer."""
    reconcile = services.after_approval[kind].reconcile
    assert not isinstance(reconcile, SettledByHand), f"{kind} is settled by hand: {reconcile.why}"
    return reconcile


def documents_modal(*, callback_id: str = "documents", **file_input: Any) -> dict[str, Any]:
    """A modal with one "Proof of address" file input (`file_input`: its max_files, filetypes...)."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": "Documents"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "proof",
                "label": {"type": "plain_text", "text": "Proof of address"},
                "element": {"type": "file_input", "action_id": INPUT_ACTION, **file_input},
            }
        ],
    }
