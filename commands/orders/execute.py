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

# Orders in these states went through the submit (REJECTED comes only from a review).
_SUBMITTED = frozenset({NumberOrderState.IN_REVIEW, NumberOrderState.COMPLETED, NumberOrderState.REJECTED})
# In the payload of a request that resubmits a blocked order: how many review messages Sinch had written
# when the fix was sent. A blocked order was submitted again only if a later review wrote more.
REVIEWS_BEFORE_FIX = "reviews_before_fix"


def execute_order(services: Services, request: Request) -> Outcome:
    order = services.sinch.submit_number_order(_order_id(request))
    return _submitted(services, request, order)


def reconcile_order(services: Services, request: Request) -> Outcome | None:
    """Whether the submit reached Sinch: the order in review or beyond (done), still CREATED, still blocked
    with no review since the fix, or gone (failed); None if Sinch cannot be read now."""
    order_id = _order_id(request)
    try:
        order = services.sinch.get_number_order(order_id)
        reviewed_again = _blocked_after_the_submit(services, request, order)
    except NotFound:
        return Outcome(False, f"Sinch no longer knows number order {escape(order_id)}; nothing was ordered.")
    except SinchError:
        return None
    if order.state in _SUBMITTED or reviewed_again:
        return _submitted(services, request, order)
    if order.state is NumberOrderState.BLOCKED:
        return Outcome(
            False,
            "Sinch did not receive the resubmission; the order is still blocked and nothing changed. "
            "Fix and resubmit it again.",
        )
    if order.state is NumberOrderState.EXPIRED:
        return Outcome(False, "The number reservation lapsed before the order reached Sinch's review.")
    return Outcome(False, "Sinch did not receive the submit; nothing was ordered. Request it again.")


def _blocked_after_the_submit(services: Services, request: Request, order: NumberOrder) -> bool:
    """A blocked order was submitted by this request if a review blocked it since: always for a new order
    (only a review blocks), for a fix only if the review wrote more than before it."""
    if order.state is not NumberOrderState.BLOCKED:
        return False
    before = request.payload.get(REVIEWS_BEFORE_FIX)
    if before is None:
        return True
    return len(services.sinch.get_number_order_registration(order.id_number_order).logs) > int(before)


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
