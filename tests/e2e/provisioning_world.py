"""A world whose sandbox signs callbacks with the bot's secret, and a rent request that runs for real.

`submit_rent` goes through the four-eyes engine (a card in the approvals channel, an approver's decision)
with a small executor that rents the number with `callbackUrl` set to the bot's receiver, as the rent
workflow does, and starts watching it; the watcher then reports in the card's thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot import approvals
from bot.approvals import CardSummary, Executor, Outcome, SettledByHand
from bot.config import Settings
from bot.runtime import Runtime
from bot.server import SINCH_CALLBACKS_PATH
from bot.services import Services, utc_now
from bot.sinch import Capability, NumberType, RentRequest, SmsConfiguration, compute_signature
from bot.watching.provisioning import watch_if_pending
from sandbox.sinch import SandboxConfig, start_sandbox
from sandbox.slack import LocalSlack, Message
from storage import requests
from storage.request_types import RequestKind, RequestState
from storage.requests import Request, RequestDraft
from tests.harness import (
    APPROVALS,
    APPROVER,
    REQUESTER,
    World,
    bot_settings,
    local_slack,
    run_after_approval,
    running_world,
)

CALLBACK_SECRET = "e2e-callback-secret-0123456789abcdef"
SERVICE_PLAN = "plan-e2e"


@dataclass
class MovableClock:
    """Real time plus an offset a test may push forward (so a poll is due without waiting for it)."""

    offset: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@contextmanager
def callback_world(tmp_path: Path, **settings_overrides: Any) -> Iterator[World]:
    sandbox = SandboxConfig(
        seed=7,
        provisioning_seconds=3600,
        callback_hmac_secret=CALLBACK_SECRET,
        callback_retry_seconds=(0.05, 0.1),
    )
    with running_world(
        tmp_path,
        sandbox=sandbox,
        sinch_callback_secret=CALLBACK_SECRET,
        numbot_legacy_rent=True,
        **settings_overrides,
    ) as world:
        register_test_rent(world.services)
        yield world


def receiver_url(world: World) -> str:
    return f"{world.runtime.url}{SINCH_CALLBACKS_PATH}"


def register_test_rent(services: Services) -> None:
    run_after_approval(
        services,
        RequestKind.RENT,
        Executor(
            describe="rent with a fixed SMS plan", execute=_rent, reconcile=SettledByHand("a test rent")
        ),
    )


def _rent(services: Services, request: Request) -> Outcome:
    payload = request.payload
    number = services.sinch.rent(
        payload["phone_number"],
        RentRequest(
            sms_configuration=SmsConfiguration(service_plan_id=SERVICE_PLAN),
            callback_url=payload.get("callback_url"),
        ),
    )
    pending = watch_if_pending(services, number, request_id=request.id)
    return Outcome(True, f"Rented {number.phone_number}; provisioning {', '.join(pending)}.")


def submit_rent(world: World, *, with_callbacks: bool = True) -> tuple[str, Request]:
    """Rent a free US number through an approved request; returns the number and the request."""
    services = world.services
    [offer] = services.sinch.search_available("US", NumberType.LOCAL, capabilities=[Capability.SMS], size=1)
    payload = {
        "phone_number": offer.phone_number,
        "callback_url": receiver_url(world) if with_callbacks else None,
    }
    draft = RequestDraft(
        kind=RequestKind.RENT,
        requester=REQUESTER.id,
        subject=offer.phone_number,
        payload=payload,
        summary=CardSummary(title=f"Rent {offer.phone_number}").to_json(),
        ttl=timedelta(hours=1),
    )
    request = approvals.submit(services, draft)
    approvals.decide(services, request.id, APPROVER.id, approve=True)
    return offer.phone_number, approvals.load(services, request.id)


def stuck_request(services: Services, subject: str, *, kind: RequestKind) -> Request:
    """A request whose process died mid-execution: approved and "executing", with no outcome."""
    draft = RequestDraft(
        kind=kind,
        requester=REQUESTER.id,
        subject=subject,
        payload={},
        summary=CardSummary(title=f"Rent {subject}").to_json(),
        ttl=timedelta(hours=1),
    )
    request = approvals.submit(services, draft)
    for before, after in (
        (RequestState.PENDING, RequestState.APPROVED),
        (RequestState.APPROVED, RequestState.EXECUTING),
    ):
        moved = requests.transition(
            services.store, request.id, expected={before}, to=after, actor=APPROVER.id, now=services.clock()
        )
        assert moved is not None
    return request


def thread_reply(world: World, request: Request, needle: str, timeout: float = 5.0) -> Message:
    """Wait for a reply containing `needle` in the thread of the request's approval card."""

    def find(slack: LocalSlack) -> Message | None:
        for card in slack.messages(APPROVALS.id):
            if card.text.startswith(request.id):
                return next(
                    (reply for reply in slack.thread(APPROVALS.id, card.ts) if needle in reply.text), None
                )
        return None

    return world.wait_for(find, timeout=timeout)


def channel_message(world: World, channel: str, needle: str, timeout: float = 5.0) -> Message:
    return world.wait_for(
        lambda slack: next(
            (message for message in slack.messages(channel) if needle in _all_text(message)), None
        ),
        timeout=timeout,
    )


def post_callback(
    world: World, payload: dict[str, Any] | bytes, secret: str | None = CALLBACK_SECRET
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Sinch-Signature"] = compute_signature(secret, body)
    return httpx.post(receiver_url(world), content=body, headers=headers)


def _all_text(message: Message) -> str:
    return message.text + json.dumps(message.blocks)


@dataclass
class ClockedWorld:
    """The harness world with a movable clock, and the parts to start a second bot on the same database."""

    world: World
    clock: MovableClock
    settings: Settings

    def start_another_bot(self) -> Runtime:
        runtime = Runtime(self.settings, clock=self.clock).start()
        register_test_rent(runtime.services)
        return runtime

    def deliver_slack_to(self, runtime: Runtime) -> None:
        self.world.slack.deliver_http(f"{runtime.url}/slack/events")


@contextmanager
def clocked_world(tmp_path: Path) -> Iterator[ClockedWorld]:
    """Stops whichever bot is `world.runtime` at the end, so a test may replace it (a restart)."""
    slack = local_slack().start()
    sinch = start_sandbox(SandboxConfig(seed=11, provisioning_seconds=3600))
    clock = MovableClock()
    settings = bot_settings(slack, sinch, tmp_path / "numbot.db", numbot_legacy_rent=True)
    clocked = ClockedWorld(World(slack, sinch, Runtime(settings, clock=clock)), clock, settings)
    try:
        clocked.world.runtime.start()
        register_test_rent(clocked.world.services)
        clocked.deliver_slack_to(clocked.world.runtime)
        yield clocked
    finally:
        clocked.world.runtime.stop()
        sinch.stop()
        slack.stop()
