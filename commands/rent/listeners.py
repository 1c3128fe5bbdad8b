"""/numbers rent, rent-any and "Request this number": the commands and the request modal's listeners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import approvals
from bot.blockkit import ids
from bot.errors import UserFacingError, report_error
from bot.services import Services
from bot.sinch.errors import NotFound
from commands.rent.modal import TITLE, AnyNumber, RentModalMeta, rent_draft, rent_problems, rent_view
from commands.search.results import unavailable_text
from commands.shared.approval_requests import sent_text, view_key
from commands.shared.modal_flow import JsonView, open_and_fill
from commands.shared.number_forms import read_settings
from commands.shared.number_lookup import phone_argument
from commands.shared.number_offer import NumberOffer
from commands.shared.replies import tell, tell_error
from commands.shared.router import CommandRouter, Invocation, Subcommand
from commands.shared.search_criteria import RENT_ANY_USAGE, parse_rent_any

RENT_USAGE = "/numbers rent <+E164>"


def register(app: App, services: Services, router: CommandRouter) -> None:
    router.add(
        Subcommand(
            name="rent",
            usage=RENT_USAGE.removeprefix("/numbers "),
            summary="Ask to rent this number (a second person approves).",
            handler=rent_command,
            examples=("rent +12065550100",),
        )
    )
    router.add(
        Subcommand(
            name="rent-any",
            usage=RENT_ANY_USAGE.removeprefix("/numbers "),
            summary="Ask to rent whichever US LOCAL number matches (a second person approves).",
            handler=rent_any_command,
            examples=("rent-any US LOCAL 206 --sms",),
        )
    )

    @app.action(ids.REQUEST_NUMBER)
    def request_number(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        try:
            offer = NumberOffer.decode(body["actions"][0].get("value"))
            # A search result lives in a channel; its id is where the requester hears back.
            origin = body.get("channel", {}).get("id") or body["user"]["id"]
            meta = RentModalMeta(origin_channel=origin, offer=offer)
            client.views_open(trigger_id=body["trigger_id"], view=rent_view(meta, sandbox=services.sandbox))
        except Exception as exc:  # noqa: BLE001 - every refusal or failure is told to the clicker
            report_error(exc, respond, services)

    @app.view(ids.RENT_MODAL)
    def rent_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        try:
            meta = RentModalMeta.decode(view.get("private_metadata"))
        except UserFacingError as exc:
            ack()
            tell_error(client, services, channel=user, user=user, error=exc)
            return
        settings = read_settings(view["state"]["values"])
        problems = rent_problems(meta, settings)
        if problems:
            ack(response_action="errors", errors=problems)
            return
        ack()
        try:
            draft = rent_draft(
                meta,
                settings,
                requester=user,
                ttl=services.settings.approval_ttl,
                idempotency_key=view_key(meta.kind, view),
            )
            request = approvals.submit(services, draft)
            tell(client, services, channel=meta.origin_channel, user=user, text=sent_text(request, services))
        except Exception as exc:  # noqa: BLE001 - the modal is closed: the user must hear why
            tell_error(client, services, channel=meta.origin_channel, user=user, error=exc)


def rent_command(invocation: Invocation, services: Services) -> None:
    phone_number = phone_argument(invocation.words, RENT_USAGE)

    def form() -> JsonView:
        # Checked first: the form shows the price, and a number that is gone gets no form at all.
        try:
            offer = NumberOffer.from_available(services.sinch.check(phone_number))
        except NotFound:
            raise UserFacingError(unavailable_text(phone_number)) from None
        meta = RentModalMeta(origin_channel=invocation.channel_id, offer=offer)
        return rent_view(meta, sandbox=services.sandbox)

    _open_loading(invocation, services, form)


def rent_any_command(invocation: Invocation, services: Services) -> None:
    criteria = parse_rent_any(invocation.words, services.sinch.regions())

    def form() -> JsonView:
        # One match proves the criteria can be met and gives the price the approvers will see.
        matches = services.sinch.search_available(
            criteria.region,
            criteria.number_type,
            pattern=criteria.pattern,
            capabilities=criteria.capabilities,
            size=1,
        )
        if not matches:
            raise UserFacingError(
                f"No {criteria.describe()} are available right now; there is nothing to rent."
            )
        meta = RentModalMeta(
            origin_channel=invocation.channel_id,
            offer=NumberOffer.from_available(matches[0]),
            any_number=AnyNumber.from_criteria(criteria),
        )
        return rent_view(meta, sandbox=services.sandbox)

    _open_loading(invocation, services, form)


def _open_loading(invocation: Invocation, services: Services, form: Callable[[], JsonView]) -> None:
    """The trigger expires ~3 s after the command: open a Loading view now and let Sinch take its time."""
    open_and_fill(invocation.client, invocation.trigger_id, TITLE, form, sandbox=services.sandbox)
