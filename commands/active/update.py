"""`update <+E164>`: the pre-filled modal, the immediate rename, and the approved SMS/voice change.

A rename only touches how the team sees the number, so it runs at once (audited). Changes to SMS or voice
routing go to an approver; once approved, `execute_update` sends the PATCH and starts a provisioning watch.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk.models.blocks import Block

from bot.approvals import CardSummary, policy
from bot.blockkit import ids
from bot.blockkit.blocks import context, section
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, SlackMeta
from bot.blockkit.text import escape
from bot.inventory import snapshot
from bot.services import Services
from bot.sinch import ActiveNumber, UpdateActiveNumber
from commands.active.update_plan import CurrentNumber, UpdatePlan, plan_update, update_problems
from commands.shared import number_forms
from commands.shared.approval_requests import answer_with_request
from commands.shared.modal_flow import JsonView, modal, open_and_fill
from commands.shared.number_lookup import load_active, phone_argument
from commands.shared.replies import answer_through, reply
from commands.shared.router import Invocation, Subcommand
from storage import audit
from storage.request_types import RequestKind

UPDATE_USAGE = "update <+E164>"
TITLE = "Update number"


class UpdateForm(SlackMeta):
    """The modal's private_metadata: the number as shown, and where to tell the outcome of a rename."""

    current: CurrentNumber
    response_url: str | None = None


def submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, services: Services
) -> None:
    form = UpdateForm.decode(view.get("private_metadata"))
    wanted = number_forms.read_settings(view["state"]["values"])
    errors = update_problems(form.current, wanted)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    plan = plan_update(form.current, wanted)
    user = body["user"]["id"]
    if policy.needs_approval(RequestKind.UPDATE, plan.changes):
        answer_with_request(
            services,
            ack,
            view,
            kind=RequestKind.UPDATE,
            requester=user,
            subject=form.current.phone_number,
            payload={"phone_number": form.current.phone_number, "update": plan.update.to_wire()},
            summary=_card(form.current, plan),
        )
        return
    ack()
    answer_through(context, form.response_url)
    rename(services, user, form.current, plan, Respond(response_url=form.response_url))


def open_update(invocation: Invocation, services: Services) -> None:
    phone_number = phone_argument(invocation.words, UPDATE_USAGE)

    def build() -> JsonView:
        number = load_active(services, phone_number)
        return update_view(number, invocation.respond.response_url, sandbox=services.sandbox)

    open_and_fill(invocation.client, invocation.trigger_id, TITLE, build, sandbox=services.sandbox)


def update_view(number: ActiveNumber, response_url: str | None, *, sandbox: bool) -> JsonView:
    current = CurrentNumber.of(number)
    blocks: list[Block] = [
        section(escape(f"*{number.phone_number}* · {number.region_code} {number.type}")),
        *number_forms.input_blocks(campaign=current.campaign_allowed, initial=current.as_settings()),
        context(
            "Renaming happens at once. Linking or unlinking SMS and voice waits for an approver. "
            "*Clear a field to unlink it.* To move to another plan, campaign or voice app, unlink first "
            "(Sinch's rule), then update again."
        ),
    ]
    form = UpdateForm(current=current, response_url=response_url)
    return modal(
        TITLE,
        blocks,
        sandbox=sandbox,
        callback_id=ids.UPDATE_MODAL,
        submit="Save",
        close="Cancel",
        private_metadata=form.encode(PRIVATE_METADATA_LIMIT),
    )


def rename(services: Services, user: str, current: CurrentNumber, plan: UpdatePlan, respond: Respond) -> None:
    name = plan.update.display_name or ""
    services.sinch.update_active(current.phone_number, UpdateActiveNumber(display_name=name))
    snapshot.changed(services)
    audit.record(
        services.store,
        actor=user,
        action="number.renamed",
        subject=current.phone_number,
        now=services.clock(),
        detail={"from": current.display_name, "to": name},
    )
    text = (
        f":white_check_mark: {current.phone_number} is now called “{escape(name)}”."
        if name
        else (f":white_check_mark: {current.phone_number} no longer has a display name.")
    )
    reply(respond, text, sandbox=services.sandbox)


def _card(current: CurrentNumber, plan: UpdatePlan) -> CardSummary:
    return CardSummary(
        title=f"Update {current.phone_number}",
        fields=[
            ("Number", current.phone_number),
            ("Display name", current.display_name or "—"),
            ("Changes", "\n".join(plan.lines)),
        ],
        warnings=list(plan.warnings),
    )


UPDATE_SUBCOMMAND = Subcommand(
    name="update",
    usage=UPDATE_USAGE,
    summary="Rename a number (at once) or change its SMS / voice linking (a second person approves).",
    handler=open_update,
    examples=("update +12025550134",),
)
