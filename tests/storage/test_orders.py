from __future__ import annotations

from datetime import timedelta

from storage import Store, orders
from storage.request_types import RequestKind, RequestState
from storage.requests import RequestDraft, create_request, transition
from tests.storage.helpers import T0, race

ORDER = "ord-1"


def _remember(store: Store, *, request_id: str | None = None) -> None:
    orders.remember(
        store,
        order_id=ORDER,
        request_id=request_id,
        region="US",
        number_type="LOCAL",
        state=orders.CREATED,
        expire_time=T0 + timedelta(hours=1),
        numbers=("+12025550143",),
        now=T0,
        remind_at=T0 + timedelta(minutes=45),
    )


def test_an_order_is_checked_only_once_followed(store: Store) -> None:
    first = _request(store, "U_ANN")
    _remember(store)
    assert orders.due(store, T0 + timedelta(days=1)) == []

    assert orders.follow(
        store, ORDER, state="IN_REVIEW", next_check_at=T0 + timedelta(seconds=10), request_id=first
    )
    # followed already
    assert not orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=first)
    [due] = orders.due(store, T0 + timedelta(seconds=10))
    assert (due.state, due.numbers) == ("IN_REVIEW", ("+12025550143",))


def test_remembering_an_order_again_forgets_nothing_told(store: Store) -> None:
    first = _request(store, "U_ANN")
    _remember(store)
    orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=first)
    _remember(store, request_id=None)
    found = orders.get_order(store, ORDER)
    assert found is not None and found.state == "IN_REVIEW" and found.request_id == first


def test_of_racing_checkers_that_saw_the_same_state_one_records_the_change(store: Store) -> None:
    first = _request(store, "U_ANN")
    _remember(store)
    orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=first)
    seen = orders.get_order(store, ORDER)
    assert seen is not None

    def record(_: int) -> bool:
        return orders.advance(
            store,
            seen,
            state="COMPLETED",
            logs_told=0,
            numbers=seen.numbers,
            now=T0,
            next_check_at=None,
            settled=True,
        )

    assert sorted(race(store, 4, record)) == [False, False, False, True]
    settled = orders.get_order(store, ORDER)
    assert (
        settled is not None and settled.settled_at == T0 and orders.due(store, T0 + timedelta(days=1)) == []
    )


def test_a_blocked_order_submitted_again_is_followed_for_the_new_request(store: Store) -> None:
    first = _request(store, "U_ANN")
    second = _request(store, "U_ANN")
    _remember(store, request_id=first)
    orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=first)
    seen = orders.get_order(store, ORDER)
    assert seen is not None
    orders.advance(
        store,
        seen,
        state=orders.BLOCKED,
        logs_told=1,
        numbers=seen.numbers,
        now=T0,
        next_check_at=T0,
        settled=False,
    )

    assert not orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=first)
    assert orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=second)
    assert not orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=second)
    again = orders.get_order(store, ORDER)
    assert again is not None
    assert (again.state, again.request_id, again.logs_told, again.settled_at) == (
        "IN_REVIEW",
        second,
        1,
        None,
    )


def _made(
    store: Store, order_id: str, *, minutes: int, request_id: str | None, state: str = "CREATED"
) -> None:
    orders.remember(
        store,
        order_id=order_id,
        request_id=request_id,
        region="US",
        number_type="LOCAL",
        state=state,
        expire_time=T0 + timedelta(hours=1),
        numbers=(),
        now=T0 + timedelta(minutes=minutes),
    )


def _request(store: Store, requester: str) -> str:
    draft = RequestDraft(
        kind=RequestKind.NUMBER_ORDER,
        requester=requester,
        subject="order",
        payload={},
        summary={},
        ttl=timedelta(hours=1),
    )
    return create_request(store, draft, T0).id


def test_open_orders_leave_out_settled_lapsed_and_never_submitted_ones(store: Store) -> None:
    cancelled = _request(store, "U_ANN")
    transition(
        store, cancelled, expected={RequestState.PENDING}, to=RequestState.CANCELLED, actor="U_ANN", now=T0
    )
    _made(store, "waiting", minutes=1, request_id=_request(store, "U_ANN"))
    _made(store, "cancelled", minutes=2, request_id=cancelled)
    bobs = _request(store, "U_BOB")
    _made(store, "reviewed", minutes=3, request_id=bobs)
    orders.follow(store, "reviewed", state="IN_REVIEW", next_check_at=T0, request_id=bobs)
    _made(store, "settled", minutes=4, request_id=None, state="COMPLETED")
    done = orders.get_order(store, "settled")
    assert done is not None
    orders.advance(
        store, done, state="COMPLETED", logs_told=0, numbers=(), now=T0, next_check_at=None, settled=True
    )

    def ids(found: tuple[list[orders.TrackedOrder], int]) -> tuple[list[str], int]:
        return [order.order_id for order in found[0]], found[1]

    assert ids(orders.find_orders(store, now=T0)) == (["settled", "reviewed", "cancelled", "waiting"], 4)
    assert ids(orders.find_orders(store, now=T0, open_only=True)) == (["reviewed", "waiting"], 2)
    # An hour on, the unsubmitted order's reservation has lapsed; the one in review stays open.
    later = T0 + timedelta(hours=1)
    assert ids(orders.find_orders(store, now=later, open_only=True)) == (["reviewed"], 1)
    assert ids(orders.find_orders(store, now=T0, requester="U_ANN", limit=1)) == (["cancelled"], 2)


def test_the_latest_review_message_is_kept_until_a_newer_one_is_read(store: Store) -> None:
    first = _request(store, "U_ANN")
    _remember(store)
    orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0, request_id=first)
    for state, last_log in (("BLOCKED", "Please add a contact number"), ("IN_REVIEW", None)):
        seen = orders.get_order(store, ORDER)
        assert seen is not None
        assert orders.advance(
            store,
            seen,
            state=state,
            logs_told=1,
            numbers=seen.numbers,
            now=T0,
            next_check_at=T0,
            settled=False,
            last_log=last_log,
        )
    found = orders.get_order(store, ORDER)
    assert found is not None and found.last_log == "Please add a contact number"
