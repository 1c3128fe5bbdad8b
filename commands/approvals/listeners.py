"""Approve / Reject / Cancel on approval cards, and the reject-reason modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot import approvals
from bot.approvals import policy
from bot.blockkit import ids
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, RequestRef
from bot.errors import UserFacingError
from bot.services import Services

REASON_BLOCK = "reason"
REASON_INPUT = "reason_input"


def approve(ack: Ack, body: dict[str, Any], services: Services) -> None:
    ack()
    approvals.decide(services, _ref(body).request_id, body["user"]["id"], approve=True)


def cancel(ack: Ack, body: dict[str, Any], services: Services) -> None:
    ack()
    approvals.cancel(services, _ref(body).request_id, body["user"]["id"])


def reject(ack: Ack, body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Ask for a reason first (the requester reads it), but only someone who may decide is asked."""
    ack()
    ref = _ref(body)
    request = approvals.load(services, ref.request_id)
    verdict = policy.may_approve(services.directory.rules_now(), request.requester, body["user"]["id"])
    if not verdict.allowed:
        raise UserFacingError(verdict.reason)
    client.views_open(trigger_id=body["trigger_id"], view=reason_modal(ref))


def submit_reason(ack: Ack, view: dict[str, Any], body: dict[str, Any], services: Services) -> None:
    reason = (view["state"]["values"][REASON_BLOCK][REASON_INPUT].get("value") or "").strip()
    if not reason:
        ack(response_action="errors", errors={REASON_BLOCK: "Say why, so the requester can fix it."})
        return
    try:
        ref = RequestRef.decode(view.get("private_metadata"))
        # Rejecting makes no Sinch call, so it fits before the ack and its refusal can show in the form.
        approvals.decide(services, ref.request_id, body["user"]["id"], approve=False, reason=reason)
    except UserFacingError as exc:
        ack(response_action="errors", errors={REASON_BLOCK: str(exc)})
        return
    ack()


def reason_modal(ref: RequestRef) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=ids.REJECT_MODAL,
        private_metadata=ref.encode(PRIVATE_METADATA_LIMIT),
        title=f"Reject {ref.request_id}",
        submit="Reject",
        close="Back",
        blocks=[
            InputBlock(
                block_id=REASON_BLOCK,
                label="Why? The requester sees this.",
                element=PlainTextInputElement(action_id=REASON_INPUT, multiline=True, max_length=500),
            )
        ],
    ).to_dict()


def _ref(body: dict[str, Any]) -> RequestRef:
    return RequestRef.decode(body["actions"][0].get("value"))
