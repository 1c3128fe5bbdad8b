"""/numbers list, show and update: the project's active numbers."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond

from bot.blockkit.text import escape
from bot.services import Services
from commands.active.listing import (
    LIST_USAGE,
    ListQuery,
    fetch_first_page,
    fetch_page,
    first_page_message,
    next_page_message,
    parse_list_query,
)
from commands.shared.number_lookup import emergency_address, load_active, phone_argument
from commands.shared.number_view import detail_blocks
from commands.shared.replies import reply_rendered
from commands.shared.router import Invocation, Subcommand

SHOW_USAGE = "show <+E164>"


def more(ack: Ack, body: dict[str, Any], respond: Respond, services: Services) -> None:
    """The next page of `list`, in place of the one the user is reading."""
    ack()
    query = ListQuery.decode(body["actions"][0].get("value"))
    shown, total, has_more = fetch_page(services, query)
    text, blocks = next_page_message(query, shown, total, more=has_more, sandbox=services.sandbox)
    reply_rendered(respond, text, blocks, replace=True)


def list_numbers(invocation: Invocation, services: Services) -> None:
    query = parse_list_query(invocation.words)
    shown, counted = fetch_first_page(services, query)
    text, blocks = first_page_message(query, shown, counted, sandbox=services.sandbox)
    reply_rendered(invocation.respond, text, blocks)


def show_number(invocation: Invocation, services: Services) -> None:
    phone_number = phone_argument(invocation.words, SHOW_USAGE)
    number = load_active(services, phone_number)
    blocks = detail_blocks(number, emergency_address(services, number))
    invocation.reply(
        escape(f"{number.phone_number} {number.display_name or ''}".strip()),
        sandbox=services.sandbox,
        blocks=blocks,
    )


SUBCOMMANDS = (
    Subcommand(
        name="list",
        usage=LIST_USAGE,
        summary="The project's active numbers with counts; filter by region, type, capability, digits.",
        handler=list_numbers,
        examples=("list", "list US LOCAL --sms", "list +1206"),
    ),
    Subcommand(
        name="show",
        usage=SHOW_USAGE,
        summary="Everything about one number: price, SMS and voice linking, provisioning, E911 address.",
        handler=show_number,
        examples=("show +12025550134",),
    ),
)
