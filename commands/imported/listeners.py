"""/numbers imported list | show | add | update | remove: non-Sinch numbers enabled for SMS through Sinch.

Importing, relinking and removing change how carriers route a number's messages, so they wait for a second
person; renaming is harmless and runs at once (bot.approvals.policy decides which is which).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.approvals import CardSummary, policy
from bot.blockkit import ids
from bot.errors import UsageError, UserFacingError
from bot.inventory import snapshot
from bot.services import Services
from bot.sinch import ImportedNumber, NotFound
from commands.imported.execute import (
    _changed_text,
)
from commands.imported.forms import import_modal, import_summary, read_order
from commands.imported.rules import WantedUpdate, list_criteria, list_filters, plan_update
from commands.imported.view import detail_blocks, list_blocks, sms_of
from commands.shared.approval_requests import answer_with_request, request_approval
from commands.shared.number_lookup import e164, joined_number, phone_argument
from commands.shared.parsing import parse_args
from commands.shared.removal import Removal, confirm_removal, request_removal
from commands.shared.replies import sent_text
from commands.shared.router import Invocation, Subcommand
from storage import audit
from storage.request_types import RequestKind

GROUP = "Imported numbers"
LIST_USAGE = "imported list [REGION] [pattern] [--plan ID] [--campaign ID]"
SHOW_USAGE = "imported show <+E164>"
ADD_USAGE = "imported add"
UPDATE_USAGE = (
    'imported update <+E164> [--name "Name"] [--plan ID] [--campaign ID] [--unlink | --unlink-campaign]'
)
REMOVE_USAGE = "imported remove <+E164>"
ROUTING_WARNING = (
    "Changes where carriers deliver this number's SMS; messages may pause while Sinch provisions."
)


def import_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    order, errors = read_order(view["state"]["values"])
    if order is None:
        ack(response_action="errors", errors=errors)
        return
    answer_with_request(
        services,
        ack,
        view,
        kind=RequestKind.IMPORT,
        requester=body["user"]["id"],
        subject=order.phone_number,
        payload=order.model_dump(mode="json"),
        summary=import_summary(order),
    )


def remove_confirmed(ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services) -> None:
    request_removal(REMOVAL, ack, body, view, services)


def list_numbers(invocation: Invocation, services: Services) -> None:
    parsed = parse_args(
        invocation.words, options=("--plan", "--campaign"), max_positionals=2, usage=LIST_USAGE
    )
    criteria = list_criteria(parsed.positionals, LIST_USAGE)
    filters = list_filters(parsed.options.get("--plan"), parsed.options.get("--campaign"), services.settings)
    numbers = services.sinch.imported_list(
        criteria.region_code,
        pattern=criteria.pattern,
        service_plan_id=filters.service_plan_id,
        campaign_id=filters.campaign_id,
    )
    narrowed = [
        filters.description,
        *([f"region {criteria.region_code}"] if criteria.region_code else []),
        *([f"digits `{criteria.pattern.pattern}`"] if criteria.pattern else []),
    ]
    text, blocks = list_blocks(numbers, " · ".join(narrowed))
    invocation.reply(text, sandbox=services.sandbox, blocks=blocks)


def show(invocation: Invocation, services: Services) -> None:
    number = load_imported(services, phone_argument(invocation.words, SHOW_USAGE))
    blocks = detail_blocks(number)
    invocation.reply(f"Imported number {number.phone_number}", sandbox=services.sandbox, blocks=blocks)


def add(invocation: Invocation, services: Services) -> None:
    parse_args(invocation.words, max_positionals=0, usage=ADD_USAGE)
    invocation.client.views_open(
        trigger_id=invocation.trigger_id, view=import_modal(sandbox=services.sandbox)
    )


def update(invocation: Invocation, services: Services) -> None:
    parsed = parse_args(
        joined_number(invocation.words),
        flags=("--unlink", "--unlink-campaign"),
        options=("--name", "--plan", "--campaign"),
        max_positionals=1,
        usage=UPDATE_USAGE,
    )
    if not parsed.positionals:
        raise UsageError("Which number? Give it in international format, e.g. `+12025550134`.", UPDATE_USAGE)
    wanted = WantedUpdate(
        display_name=parsed.options.get("--name"),
        service_plan_id=parsed.options.get("--plan"),
        campaign_id=parsed.options.get("--campaign"),
        unlink="--unlink" in parsed.flags,
        unlink_campaign="--unlink-campaign" in parsed.flags,
    )
    if wanted == WantedUpdate():
        raise UsageError("Say what to change.", UPDATE_USAGE)
    number = load_imported(services, e164(parsed.positionals[0], UPDATE_USAGE))
    planned = plan_update(number, wanted, UPDATE_USAGE)
    if policy.needs_approval(RequestKind.IMPORTED_UPDATE, planned.changes):
        request = request_approval(
            services,
            kind=RequestKind.IMPORTED_UPDATE,
            requester=invocation.user_id,
            subject=number.phone_number,
            payload={
                "phone_number": number.phone_number,
                "update": planned.update.to_wire(),
                "fields": planned.fields,
                "provisions": list(planned.provisions),
            },
            summary=CardSummary(
                title=f"Change imported number {number.phone_number}",
                fields=planned.fields,
                warnings=[ROUTING_WARNING],
            ),
        )
        invocation.reply(sent_text(request, services), sandbox=services.sandbox)
        return
    services.sinch.imported_update(number.phone_number, planned.update)
    snapshot.changed(services)
    audit.record(
        services.store,
        actor=invocation.user_id,
        action="imported.rename",
        subject=number.phone_number,
        now=services.clock(),
        detail={"display_name": planned.update.display_name},
    )
    invocation.reply(
        f":white_check_mark: {_changed_text(number.phone_number, planned.fields)}", sandbox=services.sandbox
    )


def remove(invocation: Invocation, services: Services) -> None:
    confirm_removal(REMOVAL, invocation, services, phone_argument(invocation.words, REMOVE_USAGE))


def load_imported(services: Services, phone: str) -> ImportedNumber:
    try:
        return services.sinch.imported_get(phone)
    except NotFound:
        raise UserFacingError(
            f"{phone} is not an imported number in this Sinch project. "
            "`/numbers imported list` shows those that are."
        ) from None


def _describe_for_removal(services: Services, phone: str) -> list[tuple[str, str]]:
    number = load_imported(services, phone)
    sms = sms_of(number)
    return [
        ("Number", phone),
        ("Display name", number.display_name or "—"),
        ("Service plan", f"`{sms.service_plan_id}`" if sms.service_plan_id else "none"),
        ("Campaign", f"`{sms.campaign_id}`" if sms.campaign_id else "none"),
    ]


def _number_still_there(services: Services, phone: str) -> str:
    services.sinch.imported_get(phone)
    return f"Sinch did not remove {phone}; it is still imported."


REMOVAL = Removal(
    kind=RequestKind.IMPORTED_REMOVE,
    describe_kind="remove an imported number",
    callback_id=ids.IMPORTED_REMOVE_MODAL,
    modal_title="Remove imported number",
    card_title="Remove imported number {phone}",
    warning="Sinch stops handling SMS for this number: carriers no longer deliver its messages via Sinch.",
    describe=_describe_for_removal,
    delete=lambda services, phone: services.sinch.imported_delete(phone),
    remaining=_number_still_there,
    removed_text="{phone} is no longer imported; Sinch handles no SMS for it.",
    already_gone_text="{phone} was no longer imported; nothing to remove.",
    watched_api="imported",
)


SUBCOMMANDS = (
    Subcommand(
        "imported list",
        LIST_USAGE,
        "Imported numbers, filtered by service plan or campaign",
        list_numbers,
        ("imported list US +1206 --plan 9f8e7d", "imported list --campaign C0FFEE1"),
        GROUP,
    ),
    Subcommand(
        "imported show",
        SHOW_USAGE,
        "SMS links, scheduled provisioning and carrier progress",
        show,
        ("imported show +12065550100",),
        GROUP,
    ),
    Subcommand(
        "imported add", ADD_USAGE, "Import a US/CA number for SMS (approval)", add, ("imported add",), GROUP
    ),
    Subcommand(
        "imported update",
        UPDATE_USAGE,
        "Rename at once; link or unlink a plan or campaign (approval)",
        update,
        (
            'imported update +12065550100 --name "Support line"',
            "imported update +12065550100 --unlink",
            "imported update +12065550100 --plan 9f8e7d --campaign C0FFEE1",
        ),
        GROUP,
    ),
    Subcommand(
        "imported remove", REMOVE_USAGE, "Stop handling SMS for a number (approval)", remove, (), GROUP
    ),
)
