"""Asking for a second person's approval from a modal, and telling the requester where it went."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot import approvals
from bot.approvals import CardSummary
from bot.errors import describe
from bot.services import Services
from commands.shared.modal_flow import JsonView, notice
from storage.request_types import RequestKind
from storage.requests import Request, RequestDraft


def request_approval(
    services: Services,
    *,
    kind: RequestKind,
    requester: str,
    subject: str,
    payload: dict[str, Any],
    summary: CardSummary,
    idempotency_key: str | None = None,
) -> Request:
    """Store the request and post its card; the same `idempotency_key` never makes a second request."""
    draft = RequestDraft(
        kind=kind,
        requester=requester,
        subject=subject,
        payload=payload,
        summary=summary.to_json(),
        ttl=services.settings.approval_ttl,
        idempotency_key=idempotency_key,
    )
    return approvals.submit(services, draft)


def sent_text(request: Request, services: Services) -> str:
    channel = services.settings.numbot_approvals_channel
    return (
        f":inbox_tray: Request *{request.id}* is waiting for a second person in <#{channel}>. "
        "You cannot approve it yourself; you will hear how it ends in the card's thread."
    )


def sent_view(request: Request, services: Services) -> JsonView:
    """What a modal turns into once its request is on its way to the approvers."""
    return notice(f"Sent: {request.id}", sent_text(request, services), sandbox=services.sandbox)


def view_key(kind: RequestKind, view: dict[str, Any]) -> str:
    """One request per submitted view: a double click on Submit must not ask twice."""
    return f"{kind}:{view['id']}:{view['hash']}"


def answer_with_request(
    services: Services,
    ack: Ack,
    view: dict[str, Any],
    *,
    kind: RequestKind,
    requester: str,
    subject: str,
    payload: dict[str, Any],
    summary: CardSummary,
) -> None:
    """Ask for approval from a submitted modal and turn the modal into where the request went.

    Storing a request is local and fast, so it fits before the ack, and any refusal shows in the modal.
    """
    try:
        request = request_approval(
            services,
            kind=kind,
            requester=requester,
            subject=subject,
            payload=payload,
            summary=summary,
            idempotency_key=view_key(kind, view),
        )
        shown = sent_view(request, services)
    except Exception as exc:  # noqa: BLE001 - the user must learn why nothing was requested
        shown = notice(summary.title, describe(exc), sandbox=services.sandbox)
    ack(response_action="update", view=shown)
