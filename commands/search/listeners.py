"""/numbers search, check and the search modal: find numbers Sinch offers, each with a request button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.services import Services
from bot.sinch import NotFound
from commands.search.modal import TITLE, SearchModalMeta, read_search, search_view
from commands.search.results import Message, check_message, results_message, unavailable_message
from commands.shared.modal_flow import open_and_fill
from commands.shared.number_lookup import phone_argument
from commands.shared.number_offer import NumberOffer
from commands.shared.replies import answer_in, reply_rendered, tell
from commands.shared.router import Invocation, Subcommand
from commands.shared.search_criteria import SEARCH_USAGE, SearchQuery, parse_search

CHECK_USAGE = "/numbers check <+E164>"


def search_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    services: Services,
) -> None:
    read = read_search(view["state"]["values"])
    if read.query is None:
        ack(response_action="errors", errors=read.errors)
        return
    ack()
    user = body["user"]["id"]
    channel = SearchModalMeta.decode(view.get("private_metadata")).origin_channel
    answer_in(context, channel)
    text, blocks = _search(services, read.query)
    tell(client, services, channel=channel, user=user, text=text, blocks=blocks)


def search_command(invocation: Invocation, services: Services) -> None:
    if not invocation.words:
        meta = SearchModalMeta(origin_channel=invocation.channel_id)
        open_and_fill(
            invocation.client,
            invocation.trigger_id,
            TITLE,
            lambda: search_view(services.sinch.regions(), meta, sandbox=services.sandbox),
            sandbox=services.sandbox,
        )
        return
    query = parse_search(invocation.words, services.sinch.regions())
    _respond(invocation, _search(services, query))


def check_command(invocation: Invocation, services: Services) -> None:
    phone_number = phone_argument(invocation.words, CHECK_USAGE)
    try:
        offer = NumberOffer.from_available(services.sinch.check(phone_number))
    except NotFound:
        _respond(invocation, unavailable_message(phone_number, sandbox=services.sandbox))
        return
    _respond(invocation, check_message(offer, sandbox=services.sandbox))


def _search(services: Services, query: SearchQuery) -> Message:
    criteria = query.criteria
    # One more than asked for tells whether more numbers match than the user wanted to see.
    found = services.sinch.search_available(
        criteria.region,
        criteria.number_type,
        pattern=criteria.pattern,
        capabilities=criteria.capabilities,
        size=query.limit + 1,
    )
    offers = [NumberOffer.from_available(number) for number in found]
    return results_message(query, offers, sandbox=services.sandbox)


def _respond(invocation: Invocation, message: Message) -> None:
    reply_rendered(invocation.respond, *message)


SUBCOMMANDS = (
    Subcommand(
        name="search",
        usage=SEARCH_USAGE.removeprefix("/numbers "),
        summary="Find numbers to rent, with prices; no arguments opens a form.",
        handler=search_command,
        examples=("search US LOCAL", "search US LOCAL 206 --starts --sms", "search GB MOBILE 77 --ends"),
    ),
    Subcommand(
        name="check",
        usage=CHECK_USAGE.removeprefix("/numbers "),
        summary="Is this number available, and what does it cost?",
        handler=check_command,
        examples=("check +12065550100",),
    ),
)
