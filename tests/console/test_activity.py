"""Waiting for the bot to settle, and for text to appear, on a Condition (never a fixed sleep)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from sandbox.console.activity import ActivityLog, Entry
from sandbox.console.feed import ModalClosed
from tests.console.test_feed import modal


def entry(text: str) -> Entry:
    return Entry(ModalClosed(modal("V1", "x")), text)


def containing(text: str) -> Callable[[Entry], str | None]:
    return lambda found: found.text if text in found.text else None


def test_settled_once_quiet_and_idle() -> None:
    log = ActivityLog()
    started = time.monotonic()

    assert log.wait_settled(0.05, bot_idle=lambda: True, timeout=2.0)
    assert time.monotonic() - started >= 0.05


def test_not_settled_while_the_bot_still_has_work() -> None:
    log = ActivityLog()

    assert not log.wait_settled(0.01, bot_idle=lambda: False, timeout=0.1)


def test_activity_restarts_the_quiet_period() -> None:
    log = ActivityLog()
    busy = threading.Event()

    def keep_busy() -> None:
        for _ in range(5):
            log.record([])
            busy.wait(0.02)

    worker = threading.Thread(target=keep_busy)
    started = time.monotonic()
    worker.start()
    assert log.wait_settled(0.1, bot_idle=lambda: True, timeout=3.0)
    worker.join()
    assert time.monotonic() - started >= 0.1 + 4 * 0.02


def test_expect_sees_only_what_appeared_since_the_last_action() -> None:
    log = ActivityLog()
    log.record([entry("old: approved by alex")])
    log.user_acted()
    threading.Timer(0.05, lambda: log.record([entry("new: approved by alex")])).start()

    assert log.wait_for_entry(containing("approved by alex"), timeout=2.0) == "new: approved by alex"


def test_expect_gives_up_after_its_timeout() -> None:
    log = ActivityLog()
    log.user_acted()

    with pytest.raises(TimeoutError):
        log.wait_for_entry(containing("never"), timeout=0.05)
