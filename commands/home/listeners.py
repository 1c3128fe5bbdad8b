"""The Home tab: the inventory dashboard, your pending requests, your open number orders, requests waiting for
your approval, and the commands at hand.

Rebuilt from storage each time the user opens the tab (`app_home_opened`): the inventory comes from the
snapshot numbot keeps, so opening the tab never waits for Sinch. Only the Refresh button reads Sinch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.blockkit.blocks import SECTION_TEXT, chunks, context, header, mention, section, with_sandbox_note
from bot.blockkit.dates import slack_date
from bot.blockkit.text import escape
from bot.inventory import snapshot
from bot.services import Services
from bot.sinch import SinchError
from commands.home.dashboard import (
    NUMBERS_NAMED,
    Examples,
    Inventory,
    RefreshState,
    TeamWork,
    inventory_blocks,
)
from commands.orders.listing import find_rows, home_orders_text
from commands.shared.router import CommandRouter
from storage import inventory, orders, requests
from storage.db import Store
from storage.inventory import RowFilter, Source
from storage.request_types import RequestState
from storage.requests import Request

# Each list stays readable and the whole tab far below Slack's 100 blocks.
LISTED = 15
NOT_REFRESHING = RefreshState()


def home_opened(event: dict[str, Any], client: WebClient, services: Services, router: CommandRouter) -> None:
    if event.get("tab", "home") != "home":
        return  # the Messages tab also sends this event
    user = event["user"]
    if inventory.refreshed_at(services.store, Source.ACTIVE) is None:
        snapshot.changed(services)  # never read: the refresh job reads it at its next tick
    client.views_publish(user_id=user, view=home_for(services, router, user))


def refresh_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, router: CommandRouter
) -> None:
    """Read the inventory from Sinch again, saying so on the tab meanwhile; a failure keeps the figures."""
    ack()
    user = body["user"]["id"]
    client.views_publish(user_id=user, view=home_for(services, router, user, RefreshState(running=True)))
    client.views_publish(user_id=user, view=home_for(services, router, user, refreshed(services)))


def refreshed(services: Services) -> RefreshState:
    """Refresh the snapshot; what the tab says about it afterwards."""
    try:
        done = snapshot.refresh(services)
    except SinchError as error:
        return RefreshState(problem=f"Refresh failed: Sinch could not be read ({escape(str(error))}).")
    if done is None:
        return RefreshState(problem="Another refresh is running: open the tab again in a moment.")
    return NOT_REFRESHING


def home_for(
    services: Services, router: CommandRouter, user_id: str, refresh: RefreshState = NOT_REFRESHING
) -> dict[str, Any]:
    pending = requests.find_requests(services.store, states={RequestState.PENDING}, limit=200)
    mine = [request for request in pending if request.requester == user_id]
    waiting = None
    if user_id in services.directory.rules().deciders:
        waiting = [request for request in pending if request.requester != user_id]
    open_orders, open_total = find_rows(services, open_only=True, requester=user_id, limit=LISTED)
    return home_view(
        inventory_blocks(inventory_now(services), team_work(services), refresh),
        mine,
        waiting,
        home_orders_text(open_orders, open_total, now=services.clock()),
        commands=[(sub.usage, sub.summary) for sub in router.subcommands.values()],
        approvals_channel=services.settings.numbot_approvals_channel,
        sandbox=services.sandbox,
    )


def inventory_now(services: Services) -> Inventory:
    store = services.store
    return Inventory(
        as_of=inventory.refreshed_at(store, Source.ACTIVE),
        totals=inventory.totals(store, now=services.clock()),
        attention=inventory.attention(store),
        examples=Examples(
            e911_missing=_first(store, RowFilter.E911_MISSING),
            idle=_first(store, RowFilter.IDLE),
            provisioning_failed=_first(store, RowFilter.PROVISIONING_FAILED),
        ),
    )


def _first(store: Store, kind: RowFilter) -> list[str]:
    return [row.phone_number for row in inventory.rows(store, Source.ACTIVE, where=kind, limit=NUMBERS_NAMED)]


def team_work(services: Services) -> TeamWork:
    return TeamWork(
        blocked_orders=orders.count_blocked(services.store),
        pending_requests=requests.count_requests(services.store, {RequestState.PENDING}),
        approvals_channel=services.settings.numbot_approvals_channel,
    )


def home_view(
    dashboard: Sequence[Block],
    mine: Sequence[Request],
    waiting: Sequence[Request] | None,
    orders_text: str,
    *,
    commands: Sequence[tuple[str, str]],
    approvals_channel: str | None,
    sandbox: bool,
) -> dict[str, Any]:
    """The tab's view: the inventory `dashboard` (`inventory_blocks`), then the user's requests and orders;
    `waiting` is None for someone who is not an approver, `orders_text` is the section of their open number
    orders (`home_orders_text`)."""
    where = f" in <#{approvals_channel}>" if approvals_channel else ""
    blocks: list[Block] = [
        header("numbot: phone numbers from Slack"),
        *dashboard,
        DividerBlock(),
        section("*Your pending requests*\n" + _listing(mine, "Nothing pending from you.", by=False)),
        section(orders_text),
    ]
    if waiting is not None:
        listing = _listing(waiting, "Nothing waits for your approval.", by=True)
        blocks.append(section(f"*Waiting for your approval*{where}\n{listing}"))
    blocks.append(DividerBlock())
    # As many sections as the commands need: one would cut the last ones off at Slack's 3000 characters.
    usage = [f"• `/numbers {name}`: {summary}" for name, summary in commands]
    blocks.extend(section(text) for text in chunks(["*Commands*", *usage], SECTION_TEXT))
    blocks.append(
        context("`/numbers help` shows examples. Spending money or re-routing traffic needs an approver.")
    )
    return View(type="home", blocks=with_sandbox_note(blocks, sandbox)).to_dict()


def _listing(shown: Sequence[Request], empty: str, *, by: bool) -> str:
    if not shown:
        return f"_{empty}_"
    lines = [_line(request, by=by) for request in shown[:LISTED]]
    if len(shown) > LISTED:
        lines.append(f"…and {len(shown) - LISTED} more.")
    return "\n".join(lines)


def _line(request: Request, *, by: bool) -> str:
    title = escape(str(request.summary.get("title", request.kind)))
    requester = f" · from {mention(request.requester)}" if by else ""
    return f"• *{request.id}* {title}{requester} · expires {slack_date(request.expires_at)}"
