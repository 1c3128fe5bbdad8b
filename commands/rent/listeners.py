"""/numbers rent, rent-any and "Request this number": the commands and the request modal's listeners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import approvals
from bot.errors import UserFacingError
from bot.services import Services
from bot.sinch import NotFound
from commands.rent.modal import TITLE, AnyNumber, RentModalMeta, rent_draft, rent_problems, rent_view
from commands.search.results import unavailable_text
from commands.shared.approval_requests import view_key
from commands.shared.modal_flow import JsonView, open_and_fill
from commands.shared.number_forms import NumberSettings, read_settings
from commands.shared.number_lookup import phone_argument
from commands.shared.number_offer import NumberOffer
from commands.shared.replies import answer_in, sent_text, tell
from commands.shared.router import Invocation, Subcommand
from commands.shared.search_criteria import RENT_ANY_USAGE, Criteria, parse_rent_any

RENT_USAGE = "/numbers rent <+E164>"


def request_number(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """ "Request this number" under a search result: the request modal, filled from the result."""
    ack()
    offer = NumberOffer.decode(body["actions"][0].get("value"))
    # A search result lives in a channel; its id is where the requester hears back.
    origin = body.get("channel", {}).get("id") or body["user"]["id"]
    meta = RentModalMeta(origin_channel=origin, offer=offer)
    client.views_open(trigger_id=body["trigger_id"], view=rent_view(meta, sandbox=services.sandbox))


def rent_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    services: Services,
) -> None:
    user = body["user"]["id"]
    meta = RentModalMeta.decode(view.get("private_metadata"))
    settings = read_settings(view["state"]["values"])
    problems = rent_problems(meta, settings)
    if problems:
        ack(response_action="errors", errors=problems)
        return
    ack()  # the modal closes; Sinch is asked afterwards, and the requester hears back in the channel
    answer_in(context, meta.origin_channel)
    priced = meta.model_copy(update={"offer": offer_now(services, meta)})
    price_change = priced.offer.price_change_from(meta.offer)
    _refuse_problems(priced, settings)
    draft = rent_draft(
        priced,
        settings,
        requester=user,
        ttl=services.settings.approval_ttl,
        idempotency_key=view_key(meta.kind, view),
        price_change=price_change,
    )
    request = approvals.submit(services, draft)
    text = sent_text(request, services) + (f"\n:warning: {price_change}" if price_change else "")
    tell(client, services, channel=meta.origin_channel, user=user, text=text)


def offer_now(services: Services, meta: RentModalMeta) -> NumberOffer:
    """What Sinch offers at this moment: the modal's copy made a round trip through Slack and proves nothing
    (a forged one could show approvers any price)."""
    if meta.any_number is not None:
        return _first_match(services, meta.any_number.criteria())
    phone_number = meta.offer.phone_number
    try:
        return NumberOffer.from_available(services.sinch.check(phone_number))
    except NotFound:
        raise UserFacingError(f"{unavailable_text(phone_number)} Nothing was requested.") from None


def _refuse_problems(meta: RentModalMeta, settings: NumberSettings) -> None:
    # The form was checked against the modal's copy of the number; Sinch's own may say otherwise.
    problems = rent_problems(meta, settings)
    if problems:
        raise UserFacingError(f"Nothing was requested: {' '.join(problems.values())}")


def _first_match(services: Services, criteria: Criteria) -> NumberOffer:
    """One match proves the criteria can be met and gives the price the approvers will see."""
    matches = services.sinch.search_available(
        criteria.region,
        criteria.number_type,
        pattern=criteria.pattern,
        capabilities=criteria.capabilities,
        size=1,
    )
    if not matches:
        raise UserFacingError(f"No {criteria.describe()} are available right now; there is nothing to rent.")
    return NumberOffer.from_available(matches[0])


def rent_command(invocation: Invocation, services: Services) -> None:
    _require_legacy_rent(services)
    phone_number = phone_argument(invocation.words, RENT_USAGE)

    def form() -> JsonView:
        # Checked first: the form shows the price, and a number that is gone gets no form at all.
        try:
            offer = NumberOffer.from_available(services.sinch.check(phone_number))
        except NotFound:
            raise UserFacingError(unavailable_text(phone_number)) from None
        if not offer.directly_rentable():
            raise UserFacingError(
                f"Sinch rents only US LOCAL numbers directly: `/numbers order {phone_number}`."
            )
        meta = RentModalMeta(origin_channel=invocation.channel_id, offer=offer)
        return rent_view(meta, sandbox=services.sandbox)

    _open_loading(invocation, services, form)


def rent_any_command(invocation: Invocation, services: Services) -> None:
    _require_legacy_rent(services)
    criteria = parse_rent_any(invocation.words, services.sinch.regions())

    def form() -> JsonView:
        meta = RentModalMeta(
            origin_channel=invocation.channel_id,
            offer=_first_match(services, criteria),
            any_number=AnyNumber.from_criteria(criteria),
        )
        return rent_view(meta, sandbox=services.sandbox)

    _open_loading(invocation, services, form)


def _require_legacy_rent(services: Services) -> None:
    if not services.settings.numbot_legacy_rent:
        raise UserFacingError(
            "Numbers are ordered with Sinch's Number Orders now: `/numbers order <+E164>`, or "
            "`/numbers order <REGION> <TYPE> --quantity N` for any matching numbers."
        )


def _open_loading(invocation: Invocation, services: Services, form: Callable[[], JsonView]) -> None:
    """The trigger expires ~3 s after the command: open a Loading view now and let Sinch take its time."""
    open_and_fill(invocation.client, invocation.trigger_id, TITLE, form, sandbox=services.sandbox)


SUBCOMMANDS = (
    Subcommand(
        name="rent",
        usage=RENT_USAGE.removeprefix("/numbers "),
        summary="Ask to rent this number (a second person approves).",
        handler=rent_command,
        examples=("rent +12065550100",),
    ),
    Subcommand(
        name="rent-any",
        usage=RENT_ANY_USAGE.removeprefix("/numbers "),
        summary="Ask to rent whichever US LOCAL number matches (a second person approves).",
        handler=rent_any_command,
        examples=("rent-any US LOCAL 206 --sms",),
    ),
)
