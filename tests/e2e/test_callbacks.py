"""Sinch callbacks into the real bot: signatures, durability, dedupe, order, and the message they lead to."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.config import Settings
from bot.server import SINCH_CALLBACKS_PATH
from bot.sinch import BasicAuth, NumberType, RentRequest, SinchClient, SmsConfiguration, SmsErrorCode
from bot.watching.callbacks import CallbackReceiver
from sandbox.sinch import SandboxConfig, start_sandbox
from serving import BackgroundServer
from storage import Store, events
from storage.requests import Request
from tests.e2e.provisioning_world import (
    CALLBACK_SECRET,
    callback_world,
    channel_message,
    post_callback,
    submit_rent,
    thread_reply,
)
from tests.harness import ALERTS, APPROVALS, PROJECT_ID, World

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with callback_world(tmp_path) as started:
        yield started


def event(phone_number: str, event_id: str = "01evt", **fields: str) -> dict[str, str]:
    return {
        "eventId": event_id,
        "timestamp": "2025-03-01T09:00:00.000000",
        "projectId": PROJECT_ID,
        "resourceId": phone_number,
        "resourceType": "ACTIVE_NUMBER",
        "eventType": "PROVISIONING_TO_SMS_PLATFORM",
        "status": "SUCCEEDED",
        **fields,
    }


def stored_count(world: World) -> int:
    return int(world.services.store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0])


def test_a_signed_callback_is_stored_and_acknowledged(world: World) -> None:
    response = post_callback(world, event("+12025550100"))

    assert response.status_code == 200
    assert stored_count(world) == 1


@pytest.mark.parametrize("secret", [None, "not-the-secret"], ids=["unsigned", "wrong-secret"])
def test_unsigned_or_badly_signed_callbacks_are_refused_and_not_stored(
    world: World, secret: str | None
) -> None:
    response = post_callback(world, event("+12025550100"), secret=secret)

    assert response.status_code == 401
    assert stored_count(world) == 0


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"eventId": "x"}'],
    ids=["not-json", "not-an-object", "no-resource-type"],
)
def test_malformed_callbacks_are_refused_with_400(world: World, body: bytes) -> None:
    assert post_callback(world, body).status_code == 400
    assert stored_count(world) == 0


def test_an_event_without_event_id_gets_a_stable_id_so_its_redelivery_dedupes(world: World) -> None:
    payload = event("+12025550100")
    del payload["eventId"]

    assert [post_callback(world, payload).status_code for _ in range(2)] == [200, 200]
    assert stored_count(world) == 1


def test_provisioning_success_reaches_the_request_thread_through_the_callback(world: World) -> None:
    number, request = submit_rent(world)

    world.sinch.complete_provisioning(number)

    reply = thread_reply(world, request, "is ready")
    assert number in reply.text and "SMS" in reply.text
    summary = channel_message(world, ALERTS.id, number)
    assert request.id in summary.text
    [delivery] = [d for d in world.sinch.callback_deliveries if number.encode() in d.body]
    # The sandbox records the delivery once it has read the receiver's answer, which may be after the reply.
    assert world.sinch.wait_for(lambda: delivery.delivered)
    assert delivery.attempts == 1


def test_failure_codes_are_explained_in_the_request_thread(world: World) -> None:
    # Three kinds (campaign, 10DLC limit, account); every code's wording is covered in test_error_codes.
    codes = [
        SmsErrorCode.CAMPAIGN_NOT_AVAILABLE,
        SmsErrorCode.EXCEEDED_10DLC_LIMIT,
        SmsErrorCode.INSUFFICIENT_BALANCE,
    ]
    rented = []
    for code in codes:
        number, request = submit_rent(world)
        world.sinch.fail_provisioning(number, [code])
        rented.append((number, request, code))

    world.sinch.complete_provisioning()

    for number, request, code in rented:
        reply = thread_reply(world, request, "provisioning failed")
        assert number in reply.text
        assert f"`{code}`" in reply.text and "*Next:*" in reply.text


def test_duplicate_deliveries_are_stored_once_and_reported_once(world: World) -> None:
    number, request = submit_rent(world)
    world.sinch.complete_provisioning(number)
    thread_reply(world, request, "is ready")
    [delivery] = [d for d in world.sinch.callback_deliveries if number.encode() in d.body]

    for _ in range(3):
        assert post_callback(world, delivery.body).status_code == 200
    world.runtime.scheduler.run_now("process-events")

    assert stored_count(world) == 1
    assert len([text for text in thread_texts(world, request) if "is ready" in text]) == 1


def test_a_stale_failure_arriving_late_is_checked_against_the_api_and_not_reported(world: World) -> None:
    number, request = submit_rent(world)
    world.sinch.complete_provisioning(number)
    thread_reply(world, request, "is ready")

    stale = event(number, event_id="01stale", eventType="PROVISIONING_TO_SMS_PLATFORM", status="FAILED")
    assert post_callback(world, stale).status_code == 200
    world.runtime.scheduler.run_now("process-events")

    outcome = world.services.store.db.execute(
        "SELECT outcome FROM events WHERE event_id = '01stale'"
    ).fetchone()
    assert outcome[0].startswith("already settled")
    assert not [text for text in thread_texts(world, request) if "failed" in text]


def test_an_early_success_event_for_a_number_still_provisioning_reports_nothing_yet(world: World) -> None:
    number, request = submit_rent(world)

    assert post_callback(world, event(number, event_id="01early")).status_code == 200
    world.runtime.scheduler.run_now("process-events")

    outcome = world.services.store.db.execute(
        "SELECT outcome FROM events WHERE event_id = '01early'"
    ).fetchone()
    assert outcome[0] == "still pending"
    world.sinch.complete_provisioning(number)
    assert "is ready" in thread_reply(world, request, "is ready").text


def test_an_event_for_a_number_numbot_did_not_request_goes_to_the_notifications_channel(world: World) -> None:
    [number] = world.sinch.state.seed_active_numbers(1, project_id=PROJECT_ID, service_plan_id="plan-x")

    assert post_callback(world, event(number, event_id="01foreign")).status_code == 200

    message = channel_message(world, ALERTS.id, number)
    assert "is ready" in message.text


def test_a_receiver_crash_before_200_is_retried_by_sinch_and_stored_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "numbot.db")
    answered: list[int] = []
    second_delivery = threading.Event()

    def crash_once() -> None:
        if not answered:
            raise RuntimeError("the process died after the commit, before answering 200")

    settings = Settings(_env_file=None, sinch_callback_secret=CALLBACK_SECRET)
    receiver = CallbackReceiver(store, settings, lambda: datetime.now(UTC), on_stored=crash_once)

    def counted(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return receiver(environ, start_response)
        finally:
            answered.append(1)
            if len(answered) == 2:
                second_delivery.set()

    config = SandboxConfig(seed=3, callback_hmac_secret=CALLBACK_SECRET, callback_retry_seconds=(0.05,))
    with BackgroundServer(counted) as server, start_sandbox(config) as sinch:
        client = SinchClient(PROJECT_ID, BasicAuth("key", "secret"), numbers_url=sinch.url)
        [offer] = client.search_available("US", NumberType.LOCAL, size=1)
        client.rent(
            offer.phone_number,
            RentRequest(
                sms_configuration=SmsConfiguration(service_plan_id="plan"),
                callback_url=f"{server.url}{SINCH_CALLBACKS_PATH}",
            ),
        )
        sinch.complete_provisioning(offer.phone_number)
        assert second_delivery.wait(5)
        client.close()
        [delivery] = sinch.callback_deliveries

    assert delivery.attempts == 2 and delivery.errors == ["HTTP 500"]
    assert events.backlog(store).count == 1
    store.close_all()


def thread_texts(world: World, request: Request) -> list[str]:
    card = next(
        message for message in world.slack.messages(APPROVALS.id) if message.text.startswith(request.id)
    )
    return [reply.text for reply in world.slack.thread(APPROVALS.id, card.ts)]
