from __future__ import annotations

from datetime import timedelta

from storage import Store
from storage.watches import due, get_watch, pending, reschedule, settle, watch
from tests.storage.helpers import T0, race

NUMBER = "+12025550123"


def _watch(store: Store, *, now_offset: int = 0, parts: str = "sms", number: str = NUMBER) -> None:
    now = T0 + timedelta(minutes=now_offset)
    watch(
        store,
        phone_number=number,
        api="numbers",
        parts=parts,
        now=now,
        next_check_at=now + timedelta(minutes=1),
        region="US",
        number_type="LOCAL",
    )


def test_a_watch_becomes_due_at_its_next_check(store: Store) -> None:
    _watch(store)

    assert due(store, T0) == []
    [found] = due(store, T0 + timedelta(minutes=1))
    assert (found.phone_number, found.api, found.parts, found.since, found.checks) == (
        NUMBER,
        "numbers",
        "sms",
        T0,
        0,
    )
    assert (found.region, found.number_type, found.request_id) == ("US", "LOCAL", None)


def test_rescheduling_counts_the_check_and_postpones_it(store: Store) -> None:
    _watch(store)

    assert reschedule(store, NUMBER, "numbers", T0 + timedelta(minutes=5))

    assert due(store, T0 + timedelta(minutes=4)) == []
    [found] = due(store, T0 + timedelta(minutes=5))
    assert found.checks == 1


def test_rewatching_an_unsettled_number_keeps_since_and_checks(store: Store) -> None:
    _watch(store)
    reschedule(store, NUMBER, "numbers", T0 + timedelta(minutes=5))

    _watch(store, now_offset=3, parts="voice")

    [found] = pending(store)
    assert (found.since, found.checks, found.parts) == (T0, 1, "voice")
    assert found.next_check_at == T0 + timedelta(minutes=4)


def test_only_the_first_settle_counts(store: Store) -> None:
    _watch(store)

    assert settle(store, NUMBER, "numbers", "SUCCEEDED", T0 + timedelta(minutes=2))
    assert not settle(store, NUMBER, "numbers", "FAILED", T0 + timedelta(minutes=3))
    assert not reschedule(store, NUMBER, "numbers", T0 + timedelta(minutes=9))

    found = get_watch(store, NUMBER, "numbers")
    assert found is not None
    assert (found.outcome, found.settled_at) == ("SUCCEEDED", T0 + timedelta(minutes=2))
    assert pending(store) == []
    assert due(store, T0 + timedelta(hours=1)) == []


def test_a_callback_racing_a_poll_settles_once(store: Store) -> None:
    _watch(store)

    outcomes = race(store, 4, lambda index: settle(store, NUMBER, "numbers", f"outcome-{index}", T0))

    assert outcomes.count(True) == 1


def test_rewatching_a_settled_number_starts_afresh(store: Store) -> None:
    _watch(store)
    reschedule(store, NUMBER, "numbers", T0 + timedelta(minutes=5))
    settle(store, NUMBER, "numbers", "SUCCEEDED", T0 + timedelta(minutes=6))

    _watch(store, now_offset=60, parts="voice")

    [found] = pending(store)
    assert (found.since, found.checks, found.settled_at, found.outcome) == (
        T0 + timedelta(minutes=60),
        0,
        None,
        None,
    )


def test_pending_lists_longest_waiting_first_and_unknown_is_none(store: Store) -> None:
    _watch(store, now_offset=5, number="+12025550199")
    _watch(store, now_offset=0)

    assert [found.phone_number for found in pending(store)] == [NUMBER, "+12025550199"]
    assert get_watch(store, NUMBER, "imported") is None
