from __future__ import annotations

from datetime import timedelta

from storage import Store, orders
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
    _remember(store)
    assert orders.due(store, T0 + timedelta(days=1)) == []

    assert orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0 + timedelta(seconds=10))
    assert not orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0)  # followed already
    [due] = orders.due(store, T0 + timedelta(seconds=10))
    assert (due.state, due.numbers) == ("IN_REVIEW", ("+12025550143",))


def test_remembering_an_order_again_forgets_nothing_told(store: Store) -> None:
    _remember(store)
    orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0)
    _remember(store, request_id=None)
    found = orders.get_order(store, ORDER)
    assert found is not None and found.state == "IN_REVIEW" and found.request_id is None


def test_of_racing_checkers_that_saw_the_same_state_one_records_the_change(store: Store) -> None:
    _remember(store)
    orders.follow(store, ORDER, state="IN_REVIEW", next_check_at=T0)
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
