"""Asking for a second person's approval from a modal, and telling the requester where it went."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot import approvals
from bot.approvals import CardSummary
from bot.services import Services
from commands.shared.replies import sent_view
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

    Storing a request is local and fast, so it fits before the ack, and a refusal shows in the modal (the
    app's error handler answers the submission with it).
    """
    request = request_approval(
        services,
        kind=kind,
        requester=requester,
        subject=subject,
        payload=payload,
        summary=summary,
        idempotency_key=view_key(kind, view),
    )
    ack(response_action="update", view=sent_view(request, services))
