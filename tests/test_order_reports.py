"""The messages about a number order's changes (pure), and when a pending order request is reminded."""

from __future__ import annotations

from datetime import timedelta

from bot.blockkit import ids
from bot.blockkit.metadata import OrderAgain, OrderRef
from bot.sinch import NumberOrder, NumberOrderState
from bot.watching.orders import REMINDER_LEAD, order_report, reminder_lead


def _order(state: NumberOrderState) -> NumberOrder:
    return NumberOrder.model_validate(
        {"idNumberOrder": "ord-1", "state": state.value, "orderNumbers": [{"phoneNumber": "+12025550143"}]}
    )


def test_review_messages_from_sinch_are_escaped_and_quoted_line_by_line() -> None:
    report = order_report(
        _order(NumberOrderState.REJECTED),
        ["<!channel> we could not verify\nthe business & its owner"],
        pending=[],
        request_id="R-7K2Q9",
        sandbox=False,
    )
    assert "<!channel>" not in report.detail_text
    assert ">&lt;!channel&gt; we could not verify\n>the business &amp; its owner" in report.detail_text


def test_a_rejection_without_a_message_says_no_reason_was_given() -> None:
    report = order_report(_order(NumberOrderState.REJECTED), [], pending=[], request_id=None, sandbox=False)
    assert "Sinch gave no reason." in report.detail_text


def test_a_completed_order_names_its_numbers_and_the_request_in_its_summary() -> None:
    report = order_report(
        _order(NumberOrderState.COMPLETED), [], pending=["sms"], request_id="R-7K2Q9", sandbox=True
    )
    assert "+12025550143" in report.detail_text and "SMS provisioning started" in report.detail_text
    assert "+12025550143" in report.summary and "R-7K2Q9" in report.summary
    assert "SANDBOX" in str(report.detail_blocks)


def test_the_reminder_comes_30_minutes_before_or_a_quarter_of_a_shorter_reservation() -> None:
    assert reminder_lead(timedelta(hours=48)) == REMINDER_LEAD == timedelta(minutes=30)
    assert reminder_lead(timedelta(hours=2)) == timedelta(minutes=30)
    assert reminder_lead(timedelta(minutes=30)) == timedelta(minutes=7, seconds=30)


def _buttons(state: NumberOrderState) -> list[tuple[str, str]]:
    order = NumberOrder.model_validate(
        {
            "idNumberOrder": "ord-1",
            "state": state.value,
            "regionCode": "GB",
            "numberType": "MOBILE",
            "orderNumbers": [{"phoneNumber": "+447700900123"}],
        }
    )
    report = order_report(order, [], pending=[], request_id="R-7K2Q9", sandbox=False)
    return [
        (element["action_id"], element["value"])
        for block in report.detail_blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_a_blocked_order_can_be_fixed_a_rejected_one_only_ordered_anew_and_others_neither() -> None:
    [(fix, fixed_order)] = _buttons(NumberOrderState.BLOCKED)
    assert fix == ids.ORDER_FIX and OrderRef.decode(fixed_order).order_id == "ord-1"
    [(again, what)] = _buttons(NumberOrderState.REJECTED)
    assert again == ids.ORDER_AGAIN
    assert OrderAgain.decode(what) == OrderAgain(region="GB", type="MOBILE", phone_number="+447700900123")
    for state in (NumberOrderState.IN_REVIEW, NumberOrderState.COMPLETED, NumberOrderState.EXPIRED):
        assert _buttons(state) == []
