"""What the last page of a multi-page order form shows when Sinch refuses answers given on earlier pages."""

from __future__ import annotations

from bot.sinch import FieldViolation, NumberRequirements
from commands.orders.order_form import OrderMeta, block_pages, form_views, shown_on_page
from commands.orders.registration import violation_errors
from sandbox.sinch.requirements import AU_MOBILE

REQUIREMENTS = NumberRequirements.model_validate(AU_MOBILE.view())
META = OrderMeta(origin_channel="C0OPS", region="AU", type="MOBILE", quantity=40)
LABELS = {"kyc:r0:n0:f0": "Sender ID (the number)", "kyc:r1:f5": "Postcode"}


def test_a_violation_on_an_earlier_page_is_named_with_its_page_under_the_last_pages_first_input() -> None:
    views = form_views(META, REQUIREMENTS, sandbox=True)
    last = views[-1]
    violations = [
        FieldViolation("requestDetails.data[0][0].senderId", "Not a number Sinch can verify"),
        FieldViolation("requestDetails.data[1].postalCode", "Not in Victoria"),
    ]
    problems = violation_errors(REQUIREMENTS, META.form_numbers(), violations)
    pages = block_pages(views)
    postcode = next(block for block, message in problems.items() if message == "Not in Victoria")

    shown = shown_on_page(problems, LABELS, last, pages)

    first_input = next(block["block_id"] for block in last["blocks"] if block.get("type") == "input")
    assert len(views) == 3 and pages["kyc:r0:n0:f0"] == 1 and pages[postcode] == 3
    assert shown[postcode] == "Not in Victoria"
    assert "Page 1, Sender ID (the number): Not a number Sinch can verify" in shown[first_input]
    assert set(shown) <= {block["block_id"] for block in last["blocks"] if block.get("type") == "input"}


def test_a_one_page_problem_list_is_left_as_it_is() -> None:
    views = form_views(META.model_copy(update={"quantity": 2}), REQUIREMENTS, sandbox=True)
    problems = {"kyc:r0:n0:f0": "Not a number Sinch can verify"}

    assert shown_on_page(problems, LABELS, views[0], block_pages(views)) == problems
