"""/numbers e911 show | set | remove: a number's emergency (E911) address, changed only with four eyes.

`set` is a short modal conversation: the form, Sinch's validation verdict (exact, near or no match), then
an approval request; emergency calls are routed to whatever address is provisioned, so a second person
always approves it, seeing the current and the new address side by side.
"""

from __future__ import annotations

from concurrent.futures import Future, wait
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blockkit import ids
from bot.blockkit.text import escape
from bot.errors import UserFacingError, describe
from bot.inventory import sweep
from bot.services import Services
from bot.sinch import ActiveNumber, AddressValidation, Capability, InvalidArgument
from commands.e911 import coverage as views
from commands.e911 import forms
from commands.e911.forms import AddressFlow, E911Order
from commands.shared.approval_requests import answer_with_request
from commands.shared.modal_flow import JsonView, open_and_fill, start_in_background, update_when_done
from commands.shared.number_lookup import e164, emergency_address, load_active, phone_argument
from commands.shared.number_view import format_address
from commands.shared.parsing import parse_args
from commands.shared.removal import Removal, confirm_removal, request_removal
from commands.shared.router import Invocation, Subcommand
from storage.request_types import RequestKind

GROUP = "Emergency addresses (E911)"
SHOW_USAGE = "e911 show <+E164>"
SET_USAGE = "e911 set <+E164>"
REMOVE_USAGE = "e911 remove <+E164>"
COVERAGE_USAGE = "e911 coverage"
# Slack drops a view_submission ack after 3 s; waiting this long for Sinch leaves room for the ack itself.
VALIDATION_ACK_BUDGET_SECONDS = 2.0


def address_submitted(ack: Ack, view: dict[str, Any], client: WebClient, services: Services) -> None:
    validate_submission(services, ack, view, client)


def edit(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """ "Edit the address" on Sinch's verdict: back to the form, as the user typed it."""
    ack()
    shown = body["view"]
    flow = AddressFlow.decode(shown.get("private_metadata"))
    form = forms.address_form(flow, sandbox=services.sandbox)
    client.views_update(view_id=shown["id"], hash=shown["hash"], view=form)


def verdict_accepted(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    request_provisioning(services, ack, body, view)


def remove_confirmed(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    request_removal(REMOVAL, ack, body, view, services)


def show(invocation: Invocation, services: Services) -> None:
    phone = phone_argument(invocation.words, SHOW_USAGE)
    address = emergency_address(services, _voice_number(services, phone))
    text = f"*Emergency address of {phone}*\n{escape(format_address(address)) if address else 'none'}"
    invocation.reply(text, sandbox=services.sandbox)


def set_address(invocation: Invocation, services: Services) -> None:
    phone = phone_argument(invocation.words, SET_USAGE)
    open_address_form(services, invocation.client, invocation.trigger_id, phone)


def set_from_coverage(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """ "Set address" beside a number in `e911 coverage`: the same form as `e911 set <number>`."""
    ack()
    phone = e164(body["actions"][0].get("value") or "", SET_USAGE)
    open_address_form(services, client, body["trigger_id"], phone)


def open_address_form(services: Services, client: WebClient, trigger_id: str, phone: str) -> None:
    def build() -> JsonView:
        number = _voice_number(services, phone)
        flow = AddressFlow(
            phone_number=phone,
            current=emergency_address(services, number),
            display_name=number.display_name or "",
        )
        return forms.address_form(flow, sandbox=services.sandbox)

    open_and_fill(client, trigger_id, forms.TITLE, build, sandbox=services.sandbox)


def coverage(invocation: Invocation, services: Services) -> None:
    parse_args(invocation.words, max_positionals=0, usage=COVERAGE_USAGE)
    shown = sweep.coverage(services, shown=views.SHOWN)
    text, blocks = views.coverage_message(shown, services.clock())
    invocation.reply(text, sandbox=services.sandbox, blocks=blocks)


def remove(invocation: Invocation, services: Services) -> None:
    confirm_removal(REMOVAL, invocation, services, phone_argument(invocation.words, REMOVE_USAGE))


def validate_submission(services: Services, ack: Ack, view: dict[str, Any], client: WebClient) -> None:
    """Check locally, then ask Sinch; answer in the ack if Sinch is quick, else via views.update."""
    values = view["state"]["values"]
    display_name, entered = forms.read_address(values)
    problems = forms.address_problems(display_name, entered)
    if problems:
        ack(response_action="errors", errors=problems)
        return
    flow = AddressFlow.decode(view.get("private_metadata")).model_copy(
        update={"display_name": display_name, "entered": entered}
    )
    pending = start_in_background(
        lambda: services.sinch.emergency_validate(flow.phone_number, display_name, entered)
    )
    finished, _ = wait([pending], timeout=VALIDATION_ACK_BUDGET_SECONDS)
    if not finished:
        # The "Validating…" view has nothing to click, so replacing it later (without a hash) races nothing.
        ack(response_action="update", view=forms.validating_view(flow, sandbox=services.sandbox))
        update_when_done(client, view["id"], pending, lambda done: _verdict(services, flow, done))
        return
    failure = pending.exception()
    errors = forms.violation_errors(failure.field_violations) if isinstance(failure, InvalidArgument) else {}
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack(response_action="update", view=_verdict(services, flow, pending))


def request_provisioning(services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    flow = AddressFlow.decode(view.get("private_metadata"))
    address = forms.chosen_address(flow, view["state"]["values"])
    if address is None:
        ack(response_action="errors", errors={forms.CANDIDATE_BLOCK: "Pick one of the addresses."})
        return
    order = E911Order(phone_number=flow.phone_number, display_name=flow.display_name, address=address)
    answer_with_request(
        services,
        ack,
        view,
        kind=RequestKind.E911_PROVISION,
        requester=body["user"]["id"],
        subject=flow.phone_number,
        payload=order.model_dump(mode="json", exclude_none=True),
        summary=forms.provision_summary(order, flow.current, flow.verdict),
    )


def _describe_for_removal(services: Services, phone: str) -> list[tuple[str, str]]:
    address = emergency_address(services, _voice_number(services, phone))
    if address is None:
        raise UserFacingError(f"{phone} has no emergency address; there is nothing to remove.")
    return [("Number", phone), ("Current address", format_address(address))]


def _address_still_there(services: Services, phone: str) -> str:
    still = services.sinch.emergency_get(phone)
    return f"Sinch did not remove it: {phone} still reports {escape(format_address(still))}."


REMOVAL = Removal(
    kind=RequestKind.E911_REMOVE,
    describe_kind="remove an emergency address",
    callback_id=ids.E911_REMOVE_MODAL,
    modal_title="Remove E911 address",
    card_title="Remove the emergency address of {phone}",
    warning=(
        "Emergency calls from this number will have no registered location: "
        "responders will not know where to go."
    ),
    describe=_describe_for_removal,
    delete=lambda services, phone: services.sinch.emergency_deprovision(phone),
    remaining=_address_still_there,
    removed_text="{phone} has no emergency address any more.",
    already_gone_text="{phone} had no emergency address any more; nothing to remove.",
    on_removed=lambda services, phone: sweep.record_own_change(services, phone, present=False),
)


def _voice_number(services: Services, phone: str) -> ActiveNumber:
    number = load_active(services, phone)
    if Capability.VOICE not in number.capability:
        raise UserFacingError(
            f"{phone} cannot take calls, so it has no emergency address (only voice numbers can)."
        )
    return number


def _verdict(services: Services, flow: AddressFlow, done: Future[AddressValidation]) -> JsonView:
    try:
        validation = done.result()
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the open modal must say it
        return forms.failed_view(flow, describe(exc), sandbox=services.sandbox)
    return forms.result_view(flow, validation, sandbox=services.sandbox)


SUBCOMMANDS = (
    Subcommand(
        "e911 show",
        SHOW_USAGE,
        "The emergency address of a number",
        show,
        ("e911 show +12025550134",),
        GROUP,
    ),
    Subcommand(
        "e911 set",
        SET_USAGE,
        "Set the emergency address (validated by Sinch, approved by a second person)",
        set_address,
        ("e911 set +12025550134",),
        GROUP,
    ),
    Subcommand(
        "e911 coverage",
        COVERAGE_USAGE,
        "Voice numbers in the US and Canada without an emergency address, each with a button to set one",
        coverage,
        ("e911 coverage",),
        GROUP,
    ),
    Subcommand(
        "e911 remove",
        REMOVE_USAGE,
        "Remove the emergency address (approved by a second person)",
        remove,
        ("e911 remove +12025550134",),
        GROUP,
    ),
)
