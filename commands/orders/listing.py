"""`orders`: the Number Orders numbot made, newest first, from what it stored (no Sinch call per order).

Sinch cannot list orders, so storage is the only list there is; each order is shown with the approval
request that decided on it. The lines here are shared with `order show` and the Home tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block

from bot.blockkit.blocks import (
    SECTION_TEXT,
    chunks,
    clip,
    context,
    header,
    mention,
    section,
    to_dicts,
    with_sandbox_note,
)
from bot.blockkit.dates import slack_date
from bot.blockkit.text import escape
from bot.services import Services
from commands.shared.parsing import parse_args
from storage import orders, requests
from storage.orders import CREATED, TrackedOrder
from storage.request_types import RequestState
from storage.requests import Request

ORDERS_USAGE = "orders [--open] [--mine]"
OPEN = "--open"
MINE = "--mine"
# One message stays far below Slack's 50 blocks and easy to read; `--open`/`--mine` narrow a longer list.
LISTED = 20
NUMBERS_SHOWN = 3
# A review message can be long; the list quotes its start, `order show` all of it.
QUOTED = 200

_APPROVED = frozenset({RequestState.APPROVED, RequestState.EXECUTING, RequestState.DONE, RequestState.FAILED})
# Requests that ended before their order was submitted: Sinch lets such an order's reservation lapse.
_NOT_SUBMITTED = frozenset(
    {RequestState.REJECTED, RequestState.EXPIRED, RequestState.CANCELLED, RequestState.FAILED}
)


@dataclass(frozen=True)
class OrdersQuery:
    open_only: bool = False
    mine: bool = False

    def describe(self) -> str:
        return ", ".join(word for word, on in (("open", self.open_only), ("yours", self.mine)) if on)


@dataclass(frozen=True)
class OrderRow:
    """A stored order and the request that decides (or decided) on it."""

    order: TrackedOrder
    request: Request | None


def parse_orders_query(words: Sequence[str]) -> OrdersQuery:
    parsed = parse_args(words, flags=(OPEN, MINE), max_positionals=0, usage=ORDERS_USAGE)
    return OrdersQuery(open_only=OPEN in parsed.flags, mine=MINE in parsed.flags)


def find_rows(
    services: Services, *, open_only: bool, requester: str | None, limit: int
) -> tuple[list[OrderRow], int]:
    """The newest matching orders with their requests, and how many match in all."""
    found, total = orders.find_orders(
        services.store, now=services.clock(), open_only=open_only, requester=requester, limit=limit
    )
    return [with_request(services, order) for order in found], total


def with_request(services: Services, order: TrackedOrder) -> OrderRow:
    request = requests.get_request(services.store, order.request_id) if order.request_id else None
    return OrderRow(order, request)


def orders_message(
    query: OrdersQuery, rows: Sequence[OrderRow], total: int, *, now: datetime, sandbox: bool
) -> tuple[str, list[dict[str, Any]]]:
    filters = query.describe()
    title = f"Number orders ({filters})" if filters else "Number orders"
    if total == 0:
        text = f"No number orders ({filters})." if filters else "numbot has made no number orders yet."
        return text, to_dicts(with_sandbox_note([section(text)], sandbox))
    lines = [line for row in rows for line in order_lines(row, now)]
    blocks: list[Block] = [header(title), *(section(text) for text in chunks(lines, SECTION_TEXT))]
    blocks.append(context(_footer(len(rows), total)))
    return f"{title}: {total}", to_dicts(with_sandbox_note(blocks, sandbox))


def _footer(shown: int, total: int) -> str:
    more = f", and {total - shown} more: narrow with `{OPEN}` or `{MINE}`" if total > shown else ""
    return (
        f"Newest first, showing {shown} of {total}{more} · states as numbot last heard them: "
        "`/numbers order show <id>` asks Sinch"
    )


def order_lines(row: OrderRow, now: datetime) -> list[str]:
    """One order in a list: what, its state and reservation, who asked and who decided; then the review
    team's latest message, quoted."""
    order = row.order
    parts = [
        f"*`{escape(order.order_id)}`*",
        kind_label(order),
        numbers_label(order.numbers),
        f"*{state_label(order, row.request, now)}*",
    ]
    reservation = reservation_label(order, now)
    if reservation:
        parts.append(reservation)
    parts.append(request_label(row.request, order.request_id))
    lines = [f"• {' · '.join(parts)}"]
    if order.last_log:
        lines.append(quote(clip(order.last_log, QUOTED)))
    return lines


def kind_label(order: TrackedOrder) -> str:
    return escape(f"{order.region or '?'} {order.number_type or '?'}")


def numbers_label(numbers: Sequence[str]) -> str:
    if not numbers:
        return "no numbers yet"
    shown = ", ".join(f"`{escape(number)}`" for number in numbers[:NUMBERS_SHOWN])
    rest = len(numbers) - NUMBERS_SHOWN
    return f"{shown} +{rest} more ({len(numbers)} numbers)" if rest > 0 else shown


def state_label(order: TrackedOrder, request: Request | None, now: datetime) -> str:
    """The state numbot last told; an order never submitted says why it never will be."""
    state = escape(order.state)
    if order.state != CREATED:
        return state
    if request is not None and request.state in _NOT_SUBMITTED:
        return f"{state}, never submitted (request {request.state})"
    if order.expire_time is not None and order.expire_time <= now:
        return f"{state}, reservation lapsed"
    return state


def reservation_label(order: TrackedOrder, now: datetime) -> str | None:
    """Until when the numbers are held, while that still matters (not for a settled order)."""
    if order.expire_time is None or order.settled_at is not None:
        return None
    verb = "reserved until" if order.expire_time > now else "reservation ended"
    return f"{verb} {slack_date(order.expire_time)}"


def request_label(request: Request | None, request_id: str | None) -> str:
    if request is None:
        return f"request *{escape(request_id)}*" if request_id else "no request"
    return f"request *{request.id}* by {mention(request.requester)}, {decision(request)}"


def decision(request: Request) -> str:
    decider = mention(request.decided_by) if request.decided_by else "someone"
    if request.state is RequestState.PENDING:
        return "awaiting approval"
    if request.state is RequestState.FAILED:
        return f"approved by {decider}, failed"
    if request.state in _APPROVED:
        return f"approved by {decider}"
    if request.state is RequestState.REJECTED:
        return f"rejected by {decider}"
    if request.state is RequestState.CANCELLED:
        return f"cancelled by {decider}"
    return "expired undecided"


def quote(message: str) -> str:
    return "\n".join(f">{escape(line)}" for line in message.splitlines() or [""])


def home_orders_text(rows: Sequence[OrderRow], total: int, *, now: datetime) -> str:
    """The Home tab's "Your open orders": state and reservation of each, within one section."""
    if not rows:
        return "*Your open orders*\n_No open orders of yours._"
    lines = ["*Your open orders*"]
    for row in rows:
        reservation = reservation_label(row.order, now)
        until = f" · {reservation}" if reservation else ""
        lines.append(
            f"• `{escape(row.order.order_id)}` {kind_label(row.order)} · "
            f"*{state_label(row.order, row.request, now)}*{until}"
        )
    if total > len(rows):
        lines.append(f"…and {total - len(rows)} more: `/numbers orders --open --mine`.")
    return "\n".join(lines)
