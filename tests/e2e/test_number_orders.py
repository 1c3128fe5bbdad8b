"""Number orders after the submit, over the local Slack and the Sinch sandbox: every change told once in
the request's thread, from callbacks or, when those are lost, from polling; and the reservation's end
before anyone approved.

Each test creates a real order in the sandbox (US LOCAL needs no KYC fields, so any registration text is
taken), files a `number_order` request for it through the approvals engine, and approves it; the sandbox's
review reads the registration: "REJECT" rejects, "BLOCK" blocks, anything else completes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bot import approvals
from bot.approvals import CardSummary
from bot.sinch import (
    Capability,
    CreateNumberOrderRequest,
    NumberOrder,
    NumberOrderOption,
    NumberOrderState,
    NumberType,
    SmsConfiguration,
)
from bot.watching import orders
from bot.watching.provisioning import FIRST_CHECK
from sandbox.sinch import SandboxConfig, start_sandbox
from sandbox.sinch.orders import BLOCKED_MESSAGE, REJECTED_MESSAGE
from sandbox.slack import LocalSlack, Message
from sandbox.world import World, bot_settings, local_slack, serving
from storage import watches
from storage.request_types import RequestKind, RequestState
from storage.requests import Request, RequestDraft
from tests.e2e.provisioning_world import (
    CALLBACK_SECRET,
    SERVICE_PLAN,
    MovableClock,
    channel_message,
    post_callback,
    receiver_url,
    thread_reply,
)
from tests.harness import ALERTS, APPROVALS, APPROVER, PROJECT_ID, REQUESTER, shown

REVIEW_SECONDS = 0.2
COMPLETE = "is complete"


@contextmanager
def order_world(
    tmp_path: Path, *, reservation_seconds: float = 1800.0
) -> Iterator[tuple[World, MovableClock]]:
    """Reviews end a moment after the submit; callbacks are signed with the bot's secret."""
    slack = local_slack().start()
    sinch = start_sandbox(
        SandboxConfig(
            seed=7,
            provisioning_seconds=3600,
            callback_hmac_secret=CALLBACK_SECRET,
            callback_retry_seconds=(0.05, 0.1),
            order_review_seconds=REVIEW_SECONDS,
            order_reservation_seconds=reservation_seconds,
        )
    )
    clock = MovableClock()
    settings = bot_settings(slack, sinch, tmp_path / "numbot.db", sinch_callback_secret=CALLBACK_SECRET)
    try:
        with serving(slack, settings, clock=clock) as runtime:
            yield World(slack, sinch, runtime), clock
    finally:
        sinch.stop()
        slack.stop()


def order_request(
    world: World, registration: str, *, callbacks: bool = True, requester: str = REQUESTER.id
) -> tuple[NumberOrder, Request]:
    """A sandbox order of one SMS-capable number, registered with `registration`, and its pending request."""
    services = world.services
    [offer] = services.sinch.search_available("US", NumberType.LOCAL, capabilities=[Capability.SMS], size=1)
    order = services.sinch.create_number_order(
        CreateNumberOrderRequest(
            region_code="US",
            number_type=NumberType.LOCAL,
            number_order_option=NumberOrderOption(phone_numbers=[offer.phone_number]),
            sms_configuration=SmsConfiguration(service_plan_id=SERVICE_PLAN),
            callback_url=receiver_url(world) if callbacks else None,
        )
    )
    services.sinch.update_number_order_registration(
        order.id_number_order, {"data": [{"endBusinessName": registration}]}
    )
    draft = RequestDraft(
        kind=RequestKind.NUMBER_ORDER,
        requester=requester,
        subject=order.id_number_order,
        payload={"order_id": order.id_number_order},
        summary=CardSummary(title=f"Order {offer.phone_number}").to_json(),
        ttl=timedelta(hours=72),
        deadline=orders.reservation_end(order, services.clock()),
    )
    request = approvals.submit(services, draft)
    orders.remember(services, order, request_id=request.id)
    return order, request


def approve(world: World, request: Request) -> None:
    approved = approvals.decide(world.services, request.id, APPROVER.id, approve=True)
    assert approved.state is RequestState.DONE, approved.error


def replies(world: World, request: Request, needle: str) -> list[Message]:
    """Every reply in the request card's thread (as delivered so far) that contains `needle`."""
    card = next(card for card in world.slack.messages(APPROVALS.id) if card.text.startswith(request.id))
    return [reply for reply in world.slack.thread(APPROVALS.id, card.ts) if needle in reply.text]


def test_a_completed_order_lists_its_numbers_watches_them_and_tells_notifications(
    tmp_path: Path,
) -> None:
    with order_world(tmp_path) as (world, _):
        order, request = order_request(world, "Acme Plumbing")
        approve(world, request)
        [number] = order.phone_numbers

        thread_reply(world, request, "is in Sinch's review")
        told = thread_reply(world, request, COMPLETE)
        assert number in told.text
        assert "SMS provisioning started" in told.text
        summary = channel_message(world, ALERTS.id, "completed")
        assert number in summary.text and request.id in summary.text
        watch = watches.get_watch(world.services.store, number, "numbers")
        assert watch is not None and watch.request_id == request.id and watch.settled_at is None


def test_a_rejected_order_quotes_the_review_teams_reason(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        _, request = order_request(world, "REJECT me")
        approve(world, request)

        told = thread_reply(world, request, "Sinch rejected")
        assert f">{REJECTED_MESSAGE}" in told.text
        assert not replies(world, request, COMPLETE)
        # The team hears how it ended, not only the requester.
        assert request.id in channel_message(world, ALERTS.id, "rejected").text


def test_a_blocked_order_quotes_what_sinch_asks_for(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        _, request = order_request(world, "BLOCK me")
        approve(world, request)

        told = thread_reply(world, request, "Sinch blocked")
        assert f">{BLOCKED_MESSAGE}" in told.text
        assert "stay reserved until" in told.text
        assert request.id in channel_message(world, ALERTS.id, "blocked").text


def test_a_blocked_order_left_until_its_reservation_ends_is_told_expired(tmp_path: Path) -> None:
    with order_world(tmp_path, reservation_seconds=1.5) as (world, _):
        _, request = order_request(world, "BLOCK me")
        approve(world, request)

        thread_reply(world, request, "Sinch blocked")
        told = thread_reply(world, request, "expired", timeout=10.0)
        assert "the reservation lapsed" in told.text


def test_duplicate_and_late_callbacks_are_told_once(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        order, request = order_request(world, "Acme Plumbing")
        approve(world, request)
        thread_reply(world, request, COMPLETE)

        event = {
            "eventId": "late-in-review",
            "projectId": PROJECT_ID,
            "resourceId": order.id_number_order,
            "resourceType": "NUMBER_ORDER",
            "eventType": "NUMBER_ORDER_PROCESSING",
        }
        late = post_callback(world, {**event, "status": "IN_REVIEW"})
        again = post_callback(world, {**event, "eventId": "completed-again", "status": "COMPLETED"})
        redelivered = post_callback(world, {**event, "eventId": "completed-again", "status": "COMPLETED"})
        assert (late.status_code, again.status_code) == (200, 200)
        assert redelivered.json()["detail"] == "duplicate"
        world.runtime.scheduler.run_now("process-events")

        outcomes = dict(
            world.services.store.db.execute(
                "SELECT event_id, outcome FROM events WHERE event_id IN ('late-in-review', 'completed-again')"
            ).fetchall()
        )
        assert outcomes == {
            "late-in-review": "already told: COMPLETED",
            "completed-again": "already told: COMPLETED",
        }
        # Anything those callbacks had queued would be in the outbox by now.
        queued = world.services.store.db.execute("SELECT text FROM outbox").fetchall()
        assert sum(COMPLETE in text for (text,) in queued) == 1
        assert len(replies(world, request, COMPLETE)) == 1


def test_a_lost_callback_is_caught_by_polling(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, clock):
        order, request = order_request(world, "Acme Plumbing", callbacks=False)
        approve(world, request)
        sinch = world.services.sinch
        assert world.sinch.wait_for(
            lambda: sinch.get_number_order(order.id_number_order).state is NumberOrderState.COMPLETED
        )
        assert not replies(world, request, COMPLETE)

        clock.advance(FIRST_CHECK + timedelta(seconds=1))
        world.runtime.scheduler.run_now("poll-number-orders")
        told = thread_reply(world, request, COMPLETE)
        assert order.phone_numbers[0] in told.text


def test_a_pending_order_request_is_reminded_once_then_expires_with_its_reservation(tmp_path: Path) -> None:
    with order_world(tmp_path, reservation_seconds=1800.0) as (world, clock):
        order, request = order_request(world, "Acme Plumbing")
        assert order.expire_time is not None and request.expires_at == order.expire_time
        # 30 minutes of reservation: reminded a quarter (7.5 minutes) before its end.
        assert world.runtime.scheduler.run_now("remind-expiring-orders") == 0

        clock.advance(timedelta(minutes=23))
        world.runtime.scheduler.run_now("remind-expiring-orders")
        reminder = thread_reply(world, request, "reserved only until")
        assert "the request expires" in reminder.text
        assert world.runtime.scheduler.run_now("remind-expiring-orders") == 0

        clock.advance(timedelta(minutes=8))
        world.runtime.scheduler.run_now("expire-requests")
        assert approvals.load(world.services, request.id).state is RequestState.EXPIRED
        thread_reply(world, request, "the number reservation lapsed")

        def lapsed_card(slack: LocalSlack) -> Message | None:
            return next(
                (
                    card
                    for card in slack.messages(APPROVALS.id)
                    if card.text.startswith(request.id) and "reservation lapsed" in shown(card)
                ),
                None,
            )

        world.wait_for(lapsed_card)
        assert len(replies(world, request, "reserved only until")) == 1
