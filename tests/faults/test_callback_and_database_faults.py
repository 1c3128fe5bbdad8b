"""Callbacks whose reply never reaches Sinch, and a database another process keeps locked.

Sinch redelivers any callback not answered 2xx. Whether the receiver died after storing the event or could
not store it because the database was busy, the redelivery must be stored once and reported once; and a
user's command must still be acknowledged in time while the database is locked.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.blockkit import ids
from bot.server import SINCH_CALLBACKS_PATH, create_wsgi
from bot.sinch.models import SmsConfiguration, UpdateActiveNumber
from bot.watching import watcher
from bot.watching.callbacks import CallbackReceiver
from bot.watching.provisioning import watch_if_pending
from commands.shared.number_forms import SERVICE_PLAN_BLOCK
from sandbox.sinch import SandboxConfig
from serving import BackgroundServer
from storage.db import Store
from tests.faults.flows import acked, card_in_state, sms_number_for_sale
from tests.harness import (
    ALERTS,
    REQUESTER,
    World,
    ephemeral_containing,
    open_modal,
    running_world,
    seed_active,
    shown,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SECRET = "fault-suite-callback-secret-0123456789"


class FlakyReceiver:
    """The bot's callback receiver, except that its first `die_after_storing` calls die before replying."""

    def __init__(self, die_after_storing: int = 0) -> None:
        self.receiver: WSGIApplication | None = None
        self._deaths_left = die_after_storing
        self.answers: list[str] = []
        self._changed = threading.Condition()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        assert self.receiver is not None, "bind the receiver before Sinch calls back"
        replies: list[tuple[str, list[tuple[str, str]]]] = []

        def hold_reply(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            replies.append((status, headers))
            return lambda data: None

        try:
            body = list(self.receiver(environ, hold_reply))
        except sqlite3.OperationalError as error:
            self._note(f"raised: {error}")
            raise
        status, headers = replies[0]
        if self._deaths_left > 0:
            self._deaths_left -= 1
            self._note(f"died after {status}")
            raise ConnectionAbortedError("killed before replying")
        self._note(status)
        start_response(status, headers)
        return body

    def _note(self, answer: str) -> None:
        with self._changed:
            self.answers.append(answer)
            self._changed.notify_all()

    def wait_for_answers(self, count: int, timeout: float = 10.0) -> list[str]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.answers) >= count, timeout), self.answers
            return list(self.answers)

    def wait_for_answer(self, answer: str, timeout: float = 10.0) -> list[str]:
        """Every answer up to and including the first `answer`."""
        with self._changed:
            assert self._changed.wait_for(lambda: answer in self.answers, timeout), self.answers
            return self.answers[: self.answers.index(answer) + 1]


@dataclass
class CallbackWorld:
    world: World
    receiver: FlakyReceiver
    store: Store


def callback_world(tmp_path: Path, receiver: FlakyReceiver, busy_timeout_ms: int) -> Iterator[CallbackWorld]:
    """The bot, with Sinch's callbacks going to `receiver` over its own store of the bot's database."""
    with BackgroundServer(create_wsgi(None, routes={SINCH_CALLBACKS_PATH: receiver})) as server:
        config = SandboxConfig(
            seed=7,
            provisioning_seconds=0,
            default_callback_url=f"{server.url}{SINCH_CALLBACKS_PATH}",
            callback_hmac_secret=SECRET,
            # Enough retries that a test thread starved of CPU still releases its lock before they run out.
            callback_retry_seconds=(0.2, 0.5, 1.0, 2.0, 4.0),
        )
        with running_world(
            tmp_path, sandbox=config, sinch_callback_secret=SECRET, numbot_legacy_rent=True
        ) as world:
            store = Store(world.runtime.settings.numbot_database, busy_timeout_ms=busy_timeout_ms)
            receiver.receiver = CallbackReceiver(
                store, world.runtime.settings, world.services.clock, on_stored=lambda: None
            )
            yield CallbackWorld(world, receiver, store)
            store.close_all()


def link_sms(world: World, *, watched: bool) -> str:
    """Start SMS linking of an active number; Sinch calls back as soon as it is done."""
    [phone_number] = seed_active(world, 1, service_plan_id="")
    sms = UpdateActiveNumber(sms_configuration=SmsConfiguration(service_plan_id="plan-1"))
    linking = world.services.sinch.update_active(phone_number, sms)
    if watched:
        watch_if_pending(world.services, linking, request_id=None)
    return phone_number


def assert_told_once(world: World, phone_number: str) -> None:
    """The outcome reaches the notifications channel, and only once, whatever the redeliveries."""
    world.wait_for(lambda slack: any(phone_number in shown(message) for message in slack.messages(ALERTS.id)))
    watcher.process_events(world.services)  # anything still stored would be handled now
    db = world.services.store.db
    stored = db.execute("SELECT COUNT(*) FROM events WHERE resource_id = ?", [phone_number]).fetchone()[0]
    queued = db.execute("SELECT COUNT(*) FROM outbox WHERE text LIKE ?", [f"%{phone_number}%"]).fetchone()[0]
    assert (stored, queued) == (1, 1)


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another process's write transaction on the database (as a backup tool or a second bot might hold)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def dying(tmp_path: Path) -> Iterator[CallbackWorld]:
    yield from callback_world(tmp_path, FlakyReceiver(die_after_storing=1), busy_timeout_ms=5000)


@pytest.fixture
def impatient_store(tmp_path: Path) -> Iterator[CallbackWorld]:
    yield from callback_world(tmp_path, FlakyReceiver(), busy_timeout_ms=100)


def test_a_callback_stored_but_never_answered_is_redelivered_and_reported_once(dying: CallbackWorld) -> None:
    phone_number = link_sms(dying.world, watched=True)

    assert dying.receiver.wait_for_answers(2) == ["died after 200 OK", "200 OK"]
    assert_told_once(dying.world, phone_number)


def test_a_callback_refused_while_the_database_is_locked_is_stored_on_redelivery(
    impatient_store: CallbackWorld,
) -> None:
    world = impatient_store.world
    with write_lock(world.runtime.settings.numbot_database):
        phone_number = link_sms(world, watched=False)
        refused = impatient_store.receiver.wait_for_answers(1)[0]
        assert refused == "raised: database is locked"

    # Sinch retries on its own schedule: one or more retries may still meet the lock before it is released.
    *turned_away, _stored = impatient_store.receiver.wait_for_answer("200 OK")
    assert set(turned_away) == {"raised: database is locked"}
    assert_told_once(world, phone_number)


def test_a_request_submitted_while_the_database_is_locked_is_acked_then_stored(world: World) -> None:
    form = open_modal(world, world.requester, f"rent {sms_number_for_sale(world.sinch)}", ids.RENT_MODAL)

    with write_lock(world.runtime.settings.numbot_database):
        acked(world.requester.submit(form, {SERVICE_PLAN_BLOCK: "plan-1"}))

    card_in_state(world.slack, "pending")
    ephemeral_containing(world, REQUESTER.id, "is waiting for a second person")
