"""/numbers release <+E164>: confirm what stops working, ask an approver, then release."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slack_bolt import Ack
from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement

from bot.approvals import CardSummary
from bot.blockkit import ids
from bot.blockkit.blocks import context, fields, money, section
from bot.blockkit.dates import DATE_ONLY, slack_date
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, SlackMeta
from bot.blockkit.text import escape
from bot.errors import UserFacingError
from bot.inventory.budget import MonthlyCost
from bot.services import Services
from bot.sinch import ActiveNumber, EmergencyAddress
from commands.shared.approval_requests import answer_with_request
from commands.shared.modal_flow import JsonView, modal, open_and_fill
from commands.shared.number_lookup import emergency_address, load_active, phone_argument
from commands.shared.number_view import NONE, stops_working
from commands.shared.router import Invocation, Subcommand
from commands.shared.view_state import INPUT_ACTION, typed
from storage import requests
from storage.request_types import RequestKind, RequestState
from storage.requests import Request

RELEASE_USAGE = "release <+E164>"
TITLE = "Release number"
REASON_BLOCK = "release_reason"
REASON_MAX = 500
_OPEN_STATES = {RequestState.PENDING, RequestState.APPROVED, RequestState.EXECUTING}


class ReleaseForm(SlackMeta):
    """What the confirmation showed; the approval card repeats it, so approvers see the same facts."""

    phone_number: str
    display_name: str = ""
    stops: tuple[str, ...] = ()
    monthly: Decimal | None = None
    currency: str | None = None


def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    form = ReleaseForm.decode(view.get("private_metadata"))
    open_request = open_release_request(services, form.phone_number)
    if open_request is not None:
        ack(response_action="errors", errors={REASON_BLOCK: _already(open_request)})
        return
    answer_with_request(
        services,
        ack,
        view,
        kind=RequestKind.RELEASE,
        requester=body["user"]["id"],
        subject=form.phone_number,
        payload={"phone_number": form.phone_number},
        summary=release_card(form, typed(view["state"]["values"], REASON_BLOCK)),
    )


def open_release(invocation: Invocation, services: Services) -> None:
    phone_number = phone_argument(invocation.words, RELEASE_USAGE)

    def build() -> JsonView:
        open_request = open_release_request(services, phone_number)
        if open_request is not None:
            raise UserFacingError(_already(open_request))
        number = load_active(services, phone_number)
        return confirmation_view(number, emergency_address(services, number), sandbox=services.sandbox)

    open_and_fill(invocation.client, invocation.trigger_id, TITLE, build, sandbox=services.sandbox)


def open_release_request(services: Services, phone_number: str) -> Request | None:
    """A release of this number that is waiting or running: asking twice would only confuse approvers."""
    found = requests.find_requests(services.store, states=_OPEN_STATES, subject=phone_number)
    return next((request for request in found if request.kind is RequestKind.RELEASE), None)


def _already(request: Request) -> str:
    return f"{request.id} already asks to release {request.subject} (it is {request.state.value})."


def confirmation_view(number: ActiveNumber, emergency: EmergencyAddress | None, *, sandbox: bool) -> JsonView:
    stops = stops_working(number, emergency)
    form = ReleaseForm(
        phone_number=number.phone_number,
        display_name=number.display_name or "",
        stops=tuple(stops),
        monthly=number.money.amount if number.money else None,
        currency=number.money.currency_code if number.money else None,
    )
    name = f" ({escape(number.display_name)})" if number.display_name else ""
    paid_until = slack_date(number.next_charge_date, DATE_ONLY) if number.next_charge_date else NONE
    blocks: list[Block] = [
        section(f"Release *{number.phone_number}*{name}, {number.region_code} {number.type}?"),
        section("*What stops working*\n" + escape(_bullets(stops))),
        *fields([("Saves per month", money(form.monthly, form.currency)), ("Paid until", paid_until)]),
        InputBlock(
            block_id=REASON_BLOCK,
            label="Why release it? Approvers see this.",
            optional=True,
            element=PlainTextInputElement(action_id=INPUT_ACTION, multiline=True, max_length=REASON_MAX),
        ),
        context(
            "An approver must agree first. Once released, the number goes back to Sinch and anyone may "
            "rent it; this cannot be undone."
        ),
    ]
    return modal(
        TITLE,
        blocks,
        sandbox=sandbox,
        callback_id=ids.RELEASE_MODAL,
        submit="Request release",
        close="Keep it",
        private_metadata=form.encode(PRIVATE_METADATA_LIMIT),
    )


def release_card(form: ReleaseForm, reason: str) -> CardSummary:
    pairs = [
        ("Number", form.phone_number),
        ("Display name", form.display_name or NONE),
        ("Stops working", _bullets(form.stops)),
        ("Saves per month", money(form.monthly, form.currency)),
    ]
    if reason:
        pairs.append(("Reason", reason))
    saves = (
        MonthlyCost(currency=form.currency, amount=form.monthly)
        if form.monthly is not None and form.currency
        else None
    )
    return CardSummary(
        title=f"Release {form.phone_number}",
        fields=pairs,
        warnings=["Releasing cannot be undone: the number goes back to Sinch and anyone may rent it."],
        removes_monthly=saves,
    )


def _bullets(lines: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines) if lines else "Nothing is linked to it."


SUBCOMMANDS = (
    Subcommand(
        name="release",
        usage=RELEASE_USAGE,
        summary="Give a number back to Sinch: shows what stops working (a second person approves).",
        handler=open_release,
        examples=("release +12025550134",),
    ),
)
