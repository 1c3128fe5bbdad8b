"""Steps the imported-number and emergency-address tests share: find what the bot showed, approve it."""

from __future__ import annotations

from sandbox.slack import Message, View
from storage import audit
from storage.audit import AuditEntry
from tests.harness import APPROVALS, PROJECT_ID, World, visible_text


def shown(item: Message | View) -> str:
    return (item.text if isinstance(item, Message) else item.title) + "\n" + visible_text(item.blocks)


def top_view(world: World, user_id: str, callback_id: str, containing: str = "") -> View:
    """The user's top modal once it has `callback_id` (and shows `containing`)."""

    def found(_: object) -> View | None:
        stack = world.slack.views(user_id)
        if stack and stack[-1].callback_id == callback_id and containing in shown(stack[-1]):
            return stack[-1]
        return None

    return world.wait_for(found)


def ephemeral(world: World, user_id: str, containing: str) -> Message:
    return world.wait_for(
        lambda slack: next((m for m in slack.ephemerals(user_id) if containing in shown(m)), None)
    )


def card(world: World, containing: str, state: str = "pending") -> Message:
    """The approval card about `containing` once it shows `state` in its fallback text."""
    return world.wait_for(
        lambda slack: next(
            (m for m in slack.messages(APPROVALS.id) if containing in m.text and f": {state} " in m.text),
            None,
        )
    )


def approve(world: World, containing: str, outcome: str = "done") -> Message:
    """The approver approves the pending card about `containing`; returns the reply telling how it ended."""
    world.approver.click(card(world, containing), "approval.approve")
    decided = card(world, containing, outcome)
    return world.wait_for(
        lambda slack: next(
            (m for m in slack.thread(APPROVALS.id, decided.ts) if "was approved by" in m.text), None
        )
    )


def voice_number(world: World) -> str:
    """An active US number that takes calls (the sandbox mixes in SMS-only ones)."""
    numbers = world.sinch.state.seed_active_numbers(10, project_id=PROJECT_ID)
    return next(n for n in numbers if "VOICE" in number_capabilities(world, n))


def number_capabilities(world: World, phone_number: str) -> list[str]:
    number = world.sinch.state.active_number(phone_number, PROJECT_ID)
    assert number is not None
    return list(number["capability"])


def audit_actions(world: World, subject: str) -> list[AuditEntry]:
    return audit.query(world.services.store, subject=subject, limit=50)
