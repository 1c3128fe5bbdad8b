"""What runs once a number order request is approved: submit the order to Sinch's review.

The request's payload holds `order_id`, the order created (and registered) before the request. A submit is
never repeated: when its answer is lost, `reconcile_order` reads the order back instead. Either way, once
submitted the order is followed by `bot.watching.orders`, which reports every later change in the thread.
"""

from __future__ import annotations

from bot.approvals import Executor, Outcome
from bot.blockkit.text import escape
from bot.services import Services
from bot.sinch import NotFound, NumberOrder, NumberOrderState, SinchError
from bot.watching import orders
from storage.requests import Request

# Orders in these states went through the submit (BLOCKED and REJECTED come only from a review).
_SUBMITTED = frozenset(
    {
        NumberOrderState.IN_REVIEW,
        NumberOrderState.BLOCKED,
        NumberOrderState.COMPLETED,
        NumberOrderState.REJECTED,
    }
)


def execute_order(services: Services, request: Request) -> Outcome:
    order = services.sinch.submit_number_order(_order_id(request))
    return _submitted(services, request, order)


def reconcile_order(services: Services, request: Request) -> Outcome | None:
    """Whether the submit reached Sinch: the order in review or beyond (done), still CREATED or gone
    (failed); None if Sinch cannot be read now."""
    order_id = _order_id(request)
    try:
        order = services.sinch.get_number_order(order_id)
    except NotFound:
        return Outcome(False, f"Sinch no longer knows number order {escape(order_id)}; nothing was ordered.")
    except SinchError:
        return None
    if order.state in _SUBMITTED:
        return _submitted(services, request, order)
    if order.state is NumberOrderState.EXPIRED:
        return Outcome(False, "The number reservation lapsed before the order reached Sinch's review.")
    return Outcome(False, "Sinch did not receive the submit; nothing was ordered. Request it again.")


def _submitted(services: Services, request: Request, order: NumberOrder) -> Outcome:
    orders.follow(services, order, request_id=request.id)
    numbers = ", ".join(escape(number) for number in order.phone_numbers)
    text = (
        f"Number order {escape(order.id_number_order)} ({numbers}) is in Sinch's review; "
        "numbot reports every change here."
    )
    return Outcome(True, text, {"text": text, "order_id": order.id_number_order})


def _order_id(request: Request) -> str:
    return str(request.payload["order_id"])


NUMBER_ORDER = Executor(describe="order numbers", execute=execute_order, reconcile=reconcile_order)
