"""Steps the fault tests share: what users do in Slack, and how the bot's settings reach a subprocess."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.blockkit import ids
from bot.config import Settings
from commands.shared.number_forms import SERVICE_PLAN_BLOCK
from sandbox.sinch import RunningSandbox
from sandbox.sinch.models import Capability, NumberType
from sandbox.slack import Ack, LocalSlack, Message
from tests.harness import APPROVALS, OPS, REQUESTER, shown

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

ACK_DEADLINE = 3.0


def acked(ack: Ack) -> Ack:
    """Slack shows the user an error for anything not acknowledged in time."""
    assert ack.ok and ack.elapsed < ACK_DEADLINE, ack
    return ack


def request_rent(slack: LocalSlack, phone_number: str, service_plan_id: str = "plan-1") -> Message:
    """Rita asks to rent the number (for SMS) through the modal; returns the approval card once pending."""
    return request_through_modal(slack, f"rent {phone_number}", service_plan_id)


def request_through_modal(slack: LocalSlack, command: str, service_plan_id: str = "plan-1") -> Message:
    """Rita types `/numbers <command>` (rent or rent-any) and submits the modal it opens, for SMS; returns
    the approval card once pending."""
    rita = slack.user(REQUESTER.id)
    acked(rita.slash("/numbers", command, channel=OPS.id))
    form = slack.wait_for(
        lambda s: next((view for view in s.views(REQUESTER.id) if view.callback_id == ids.RENT_MODAL), None)
    )
    acked(rita.submit(form, {SERVICE_PLAN_BLOCK: service_plan_id}))
    return card_in_state(slack, "pending")


def sms_number_for_sale(sinch: RunningSandbox) -> str:
    """A US LOCAL number with SMS that Sinch would rent (asked of the sandbox's stock, not over HTTP)."""
    return sinch.state.inventory.search("US", NumberType.LOCAL, frozenset({Capability.SMS}))[0].phone_number


def card_in_state(slack: LocalSlack, state: str, timeout: float = 10.0) -> Message:
    """The (only) approval card, once it shows `state`."""
    return slack.wait_for(
        lambda s: next((card for card in s.messages(APPROVALS.id) if f": {state} (" in card.text), None),
        timeout=timeout,
    )


def reply_under(slack: LocalSlack, card: Message, text: str, timeout: float = 10.0) -> Message:
    return slack.wait_for(
        lambda s: next((reply for reply in s.thread(APPROVALS.id, card.ts) if text in shown(reply)), None),
        timeout=timeout,
    )


class CallbackRecorder:
    """A stand-in receiver for Sinch callbacks: one arriving proves Sinch finished the change behind it."""

    def __init__(self) -> None:
        self.arrived = threading.Event()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self.arrived.set()
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment variables that make `Settings()` in another process equal these settings."""
    return {
        name.upper(): _env_value(value) for name, value in settings.model_dump().items() if value is not None
    }


def _env_value(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list):
        return ",".join(value)
    return str(value)
