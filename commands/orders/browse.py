"""`/numbers orders` and `/numbers order show <id>`: seeing the orders numbot made."""

from __future__ import annotations

from bot.services import Services
from commands.orders.detail import (
    ORDER_SHOW_USAGE,
    Fresh,
    fresh_message,
    load_row,
    order_id_argument,
    read_fresh,
    stored_message,
)
from commands.orders.listing import LISTED, ORDERS_USAGE, find_rows, orders_message, parse_orders_query
from commands.shared.replies import reply_rendered
from commands.shared.router import Invocation, Subcommand

GROUP = "Number orders"


def list_orders(invocation: Invocation, services: Services) -> None:
    query = parse_orders_query(invocation.words)
    requester = invocation.user_id if query.mine else None
    rows, total = find_rows(services, open_only=query.open_only, requester=requester, limit=LISTED)
    text, blocks = orders_message(query, rows, total, now=services.clock(), sandbox=services.sandbox)
    reply_rendered(invocation.respond, text, blocks)


def show_order(invocation: Invocation, services: Services) -> None:
    order_id = order_id_argument(invocation.words)
    row = load_row(services, order_id)
    found = read_fresh(services, order_id, row)
    now = services.clock()
    if isinstance(found, Fresh):
        text, blocks = fresh_message(found, row, now=now, sandbox=services.sandbox)
    elif row is not None:
        text, blocks = stored_message(row, found, now=now, sandbox=services.sandbox)
    else:
        raise found
    reply_rendered(invocation.respond, text, blocks)


SUBCOMMANDS = (
    Subcommand(
        name="orders",
        usage=ORDERS_USAGE,
        summary="The number orders numbot made, newest first: state, reservation, review, who decided.",
        handler=list_orders,
        examples=("orders", "orders --open --mine"),
        group=GROUP,
    ),
    Subcommand(
        name="order show",
        usage=ORDER_SHOW_USAGE,
        summary="One number order read fresh from Sinch: numbers, prices, documents, review messages.",
        handler=show_order,
        examples=("order show 01j9zq4m8d6c2x7v3b5n1k0wre",),
        group=GROUP,
    ),
)
