"""Seeing the number orders numbot made, over the local Slack and the Sinch sandbox: `/numbers orders` with
its filters, `/numbers order show <id>` read fresh from Sinch (or from storage, said so, when Sinch cannot
be read), and "Your open orders" on the Home tab.

Orders are made as in `test_number_orders`: a real sandbox order, a `number_order` request through the
approvals engine, and the order remembered with it; "REJECT" in the registration makes the review reject.
"""

from __future__ import annotations

from pathlib import Path

from bot.sinch import NumberOrderState
from sandbox.sinch.orders import REJECTED_MESSAGE
from sandbox.slack import View
from tests.e2e.provisioning_world import thread_reply
from tests.e2e.test_number_orders import approve, order_request, order_world
from tests.harness import SECOND_APPROVER, World, answer_to, shown


def home_of(world: World, containing: str) -> View:
    world.requester.open_home()
    return world.wait_for(
        lambda slack: (
            (home := slack.home(world.requester.user_id)) is not None and containing in shown(home) and home
        )
    )


def test_orders_lists_every_order_newest_first_with_its_request_and_review_and_filters_them(
    tmp_path: Path,
) -> None:
    with order_world(tmp_path) as (world, _):
        rejected, mine = order_request(world, "REJECT me")
        approve(world, mine)
        thread_reply(world, mine, "Sinch rejected")
        waiting, theirs = order_request(world, "Acme Plumbing", requester=SECOND_APPROVER.id)
        [waiting_number] = waiting.phone_numbers

        listed = shown(answer_to(world, world.requester, "orders", "Number orders"))
        assert listed.index(waiting.id_number_order) < listed.index(rejected.id_number_order)
        assert "Newest first, showing 2 of 2" in listed
        newest, oldest = listed.split(rejected.id_number_order)
        assert f"US LOCAL · `{waiting_number}` · *CREATED* · reserved until <!date^" in newest
        assert f"request *{theirs.id}* by <@{SECOND_APPROVER.id}>, awaiting approval" in newest
        assert f"`{rejected.phone_numbers[0]}` · *REJECTED*" in oldest
        assert (
            f"request *{mine.id}* by <@{world.requester.user_id}>, approved by <@{world.approver.user_id}>"
            in (oldest)
        )
        assert f">{REJECTED_MESSAGE[:100]}" in oldest
        assert "reserved until" not in oldest  # a settled order's reservation no longer matters

        opened = shown(answer_to(world, world.requester, "orders --open", "Number orders (open)"))
        assert waiting.id_number_order in opened and rejected.id_number_order not in opened

        own = shown(answer_to(world, world.requester, "orders --mine", "Number orders (yours)"))
        assert rejected.id_number_order in own and waiting.id_number_order not in own

        answer_to(world, world.requester, "orders --open --mine", "No number orders (open, yours).")


def test_orders_refuses_what_it_does_not_take(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        unknown = shown(answer_to(world, world.requester, "orders --all", "Unknown option `--all`"))
        assert "orders [--open] [--mine]" in unknown
        answer_to(world, world.requester, "orders US", "Unexpected `US`")
        answer_to(world, world.requester, "orders", "numbot has made no number orders yet.")


def test_order_show_reads_the_order_and_its_review_fresh_from_sinch(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        # No callbacks: numbot has not heard of the rejection, so only a fresh read can show it.
        order, request = order_request(world, "REJECT me", callbacks=False)
        approve(world, request)
        sinch = world.services.sinch
        assert world.sinch.wait_for(
            lambda: sinch.get_number_order(order.id_number_order).state is NumberOrderState.REJECTED
        )

        detail = shown(answer_to(world, world.requester, f"order show {order.id_number_order}", "*REJECTED*"))
        assert f">{REJECTED_MESSAGE}" in detail
        assert f"`{order.phone_numbers[0]}` · setup " in detail
        assert "service plan `plan-e2e`" in detail
        assert f"request *{request.id}* by <@{world.requester.user_id}>" in detail
        assert "Read from Sinch" in detail

        listed = shown(answer_to(world, world.requester, "orders", "Number orders"))
        assert "*IN_REVIEW*" in listed  # what numbot stored is unchanged by reading


def test_order_show_falls_back_to_what_numbot_stored_when_sinch_cannot_be_read(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        order, _ = order_request(world, "Acme Plumbing")
        world.sinch.faults.fail_next(4, 503)

        detail = shown(
            answer_to(
                world, world.requester, f"order show {order.id_number_order}", "Sinch could not be read"
            )
        )
        assert "this is what numbot last recorded" in detail
        assert "*CREATED*" in detail and order.phone_numbers[0] in detail


def test_order_show_says_clearly_when_no_order_has_that_id(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        answer_to(
            world,
            world.requester,
            "order show 01hzzzzzzzzzzzzzzzzzzzzzzz",
            "No number order `01hzzzzzzzzzzzzzzzzzzzzzzz`: neither numbot nor Sinch knows it.",
        )
        answer_to(world, world.requester, "order show", "Which order?")
        answer_to(world, world.requester, "order show <@U1>", "is not a number order id")
        answer_to(world, world.requester, "order show a b", "Unexpected `b`")


def test_home_shows_my_open_orders_with_state_and_reservation(tmp_path: Path) -> None:
    with order_world(tmp_path) as (world, _):
        rejected, rejected_request = order_request(world, "REJECT me")
        approve(world, rejected_request)
        thread_reply(world, rejected_request, "Sinch rejected")
        waiting, _ = order_request(world, "Acme Plumbing")
        others, _ = order_request(world, "Acme Plumbing", requester=SECOND_APPROVER.id)

        home = shown(home_of(world, "Your open orders"))
        mine = home.split("Your open orders", 1)[1]
        assert f"`{waiting.id_number_order}` US LOCAL · *CREATED* · reserved until <!date^" in mine
        assert rejected.id_number_order not in mine
        assert others.id_number_order not in mine
