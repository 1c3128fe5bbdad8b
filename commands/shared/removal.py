"""Removals that need four eyes: a modal shows what goes away, its submission asks for approval, and the
approved request removes it (reading Sinch back when the answer was lost).

`imported remove` and `e911 remove` differ only in what they look up, warn about and finally call; the
flow (Loading… modal, confirmation, approval request, "sent" view, removal, reconciliation) is this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack

from bot.approvals import CardSummary, Executor, Outcome
from bot.blockkit.blocks import context, fields, section
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, SlackMeta
from bot.services import Services
from bot.sinch import NotFound
from bot.watching.watcher import end_watch_on_removal
from commands.shared.approval_requests import answer_with_request
from commands.shared.modal_flow import JsonView, modal, open_and_fill
from commands.shared.router import Invocation
from storage.events import EventApi
from storage.request_types import RequestKind
from storage.requests import Request


class RemovalRef(SlackMeta):
    """The number to remove and what the confirmation showed about it (the approval card shows it too)."""

    phone_number: str
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class Removal:
    kind: RequestKind
    describe_kind: str  # what an approved request does, for people ("remove an imported number")
    callback_id: str
    modal_title: str
    card_title: str  # `{phone}` is replaced by the number
    warning: str
    # What the number has now, as label/value pairs; raises UserFacingError when there is nothing to remove.
    describe: Callable[[Services, str], list[tuple[str, str]]]
    # The Sinch call that removes; NotFound means someone removed it meanwhile, which is just as good.
    delete: Callable[[Services, str], object]
    # After a lost answer: NotFound if the removal happened, else the sentence saying what is still there.
    remaining: Callable[[Services, str], str]
    removed_text: str  # the outcome; `{phone}` is replaced by the number
    already_gone_text: str  # the outcome when there was nothing left to remove
    # The API whose provisioning watch on the number the removal ends (None: the number itself stays).
    watched_api: EventApi | None = None
    # Told once the thing is gone (whoever removed it), e.g. to update the inventory snapshot at once.
    on_removed: Callable[[Services, str], None] | None = None


def confirm_removal(removal: Removal, invocation: Invocation, services: Services, phone_number: str) -> None:
    """Open the confirmation modal (Loading… first: looking the number up is a Sinch call)."""

    def build() -> JsonView:
        shown = removal.describe(services, phone_number)
        ref = RemovalRef(phone_number=phone_number, fields=shown)
        return modal(
            removal.modal_title,
            [
                *fields(shown),
                section(f":warning: {removal.warning}"),
                context("Nothing changes until a second person approves."),
            ],
            sandbox=services.sandbox,
            callback_id=removal.callback_id,
            submit="Request removal",
            close="Cancel",
            private_metadata=ref.encode(PRIVATE_METADATA_LIMIT),
        )

    open_and_fill(
        invocation.client, invocation.trigger_id, removal.modal_title, build, sandbox=services.sandbox
    )


def request_removal(
    removal: Removal, ack: Ack, body: dict[str, Any], view: dict[str, Any], services: Services
) -> None:
    """The confirmation was submitted: ask an approver, and turn the modal into where the request went."""
    ref = RemovalRef.decode(view.get("private_metadata"))
    answer_with_request(
        services,
        ack,
        view,
        kind=removal.kind,
        requester=body["user"]["id"],
        subject=ref.phone_number,
        payload={"phone_number": ref.phone_number},
        summary=CardSummary(
            title=removal.card_title.format(phone=ref.phone_number),
            fields=ref.fields,
            warnings=[removal.warning],
        ),
    )


def removal_executor(removal: Removal) -> Executor:
    def execute(services: Services, request: Request) -> Outcome:
        phone = str(request.payload["phone_number"])
        try:
            removal.delete(services, phone)
        except NotFound:
            _tell_removed(removal, services, phone)
            return Outcome(True, removal.already_gone_text.format(phone=phone))
        return _removed(removal, services, request)

    def reconcile(services: Services, request: Request) -> Outcome:
        phone = str(request.payload["phone_number"])
        try:
            still_there = removal.remaining(services, phone)
        except NotFound:
            return _removed(removal, services, request)
        return Outcome(False, still_there)

    return Executor(describe=removal.describe_kind, execute=execute, reconcile=reconcile)


def _removed(removal: Removal, services: Services, request: Request) -> Outcome:
    phone = str(request.payload["phone_number"])
    if removal.watched_api is not None:
        end_watch_on_removal(services, phone, removal.watched_api, request.id)
    _tell_removed(removal, services, phone)
    return Outcome(True, removal.removed_text.format(phone=phone), result={"phone_number": phone})


def _tell_removed(removal: Removal, services: Services, phone: str) -> None:
    if removal.on_removed is not None:
        removal.on_removed(services, phone)
