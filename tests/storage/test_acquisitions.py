"""Who acquired which number: rent and rent-any requests carried out, and completed number orders."""

from __future__ import annotations

from datetime import timedelta

from storage import Store, orders
from storage.requests import (
    Acquisition,
    RequestDraft,
    RequestKind,
    RequestState,
    acquisitions,
    create_request,
    transition,
)
from tests.storage.helpers import T0


def carried_out(
    store: Store, kind: RequestKind, subject: str, *, result: dict[str, object] | None, minutes: int = 0
) -> str:
    """A request of `kind` by U0ASK, approved by U0OK, that ended done with `result` `minutes` after T0."""
    draft = RequestDraft(kind, "U0ASK", subject, {}, {}, timedelta(hours=1))
    when = T0 + timedelta(minutes=minutes)
    request = create_request(store, draft, when)
    steps = (
        (RequestState.PENDING, RequestState.APPROVED, "U0OK"),
        (RequestState.APPROVED, RequestState.EXECUTING, "sys"),
        (RequestState.EXECUTING, RequestState.DONE, "sys"),
    )
    for before, after, actor in steps:
        done = after is RequestState.DONE
        transition(
            store,
            request.id,
            expected={before},
            to=after,
            actor=actor,
            now=when,
            result=result if done else None,
        )
    return request.id


def ordered(store: Store, order_id: str, request_id: str, numbers: tuple[str, ...]) -> None:
    """numbot made US LOCAL order `order_id` for request `request_id`, reserving `numbers`."""
    orders.remember(
        store,
        order_id=order_id,
        request_id=request_id,
        region="US",
        number_type="LOCAL",
        state=orders.CREATED,
        expire_time=None,
        numbers=numbers,
        now=T0,
    )


def test_rented_and_ordered_numbers_name_their_request_in_phone_number_order(store: Store) -> None:
    rented = carried_out(store, RequestKind.RENT, "+12025550003", result={"phone_number": "+12025550003"})
    picked = carried_out(store, RequestKind.RENT_ANY, "US LOCAL", result={"phone_number": "+12025550001"})
    ordering = carried_out(store, RequestKind.NUMBER_ORDER, "order", result=None)
    ordered(store, "order-1", ordering, ("+12025550002", "+12025550004"))
    [tracked] = orders.find_orders(store, now=T0)[0]
    orders.advance(
        store,
        tracked,
        state=orders.COMPLETED,
        logs_told=0,
        numbers=tracked.numbers,
        now=T0 + timedelta(days=2),
        next_check_at=None,
        settled=True,
    )

    found = list(acquisitions(store))

    assert found == [
        Acquisition("+12025550001", picked, "U0ASK", "U0OK", T0),
        Acquisition("+12025550002", ordering, "U0ASK", "U0OK", T0 + timedelta(days=2)),
        Acquisition("+12025550003", rented, "U0ASK", "U0OK", T0),
        Acquisition("+12025550004", ordering, "U0ASK", "U0OK", T0 + timedelta(days=2)),
    ]


def test_a_number_rented_twice_names_the_latest_request(store: Store) -> None:
    carried_out(store, RequestKind.RENT, "+12025550001", result={"phone_number": "+12025550001"})
    again = carried_out(
        store, RequestKind.RENT, "+12025550001", result={"phone_number": "+12025550001"}, minutes=5
    )

    assert [(one.request_id, one.acquired_at) for one in acquisitions(store)] == [
        (again, T0 + timedelta(minutes=5))
    ]


def test_requests_that_acquired_nothing_are_left_out(store: Store) -> None:
    draft = RequestDraft(RequestKind.RENT, "U0ASK", "+12025550009", {}, {}, timedelta(hours=1))
    rejected = create_request(store, draft, T0)
    transition(
        store, rejected.id, expected={RequestState.PENDING}, to=RequestState.REJECTED, actor="U0NO", now=T0
    )
    carried_out(store, RequestKind.RELEASE, "+12025550008", result={"phone_number": "+12025550008"})
    ordering = carried_out(store, RequestKind.NUMBER_ORDER, "order", result=None)
    ordered(store, "order-2", ordering, ("+12025550007",))

    assert list(acquisitions(store)) == []
