"""What runs once an SMS or voice change of an active number is approved, and how a lost answer is read
back from Sinch. It calls Sinch, never Slack."""

from __future__ import annotations

from bot.approvals import Executor, Outcome
from bot.services import Services
from bot.sinch import ActiveNumber, UpdateActiveNumber
from bot.watching.provisioning import provisioning_note, watch_if_pending
from commands.shared.number_view import effective_sms_link, effective_voice_link, voice_link
from storage.requests import Request


def execute_update(services: Services, request: Request) -> Outcome:
    phone_number = str(request.payload["phone_number"])
    update = UpdateActiveNumber.model_validate(request.payload["update"])
    number = services.sinch.update_active(phone_number, update)
    pending = watch_if_pending(services, number, request_id=request.id)
    text = f"Updated {phone_number}." + (f" {provisioning_note(pending)}" if pending else "")
    # The card shows `result["text"]` under its outcome, so approvers see it as well as the requester.
    return Outcome(True, text, {"text": text, "pending": pending})


def reconcile_update(services: Services, request: Request) -> Outcome | None:
    """Whether Sinch shows the change (linked or being provisioned); a PATCH is never resent blindly."""
    phone_number = str(request.payload["phone_number"])
    update = UpdateActiveNumber.model_validate(request.payload["update"])
    number = services.sinch.get_active(phone_number)
    if shows(number, update):
        watch_if_pending(services, number, request_id=request.id)
        return Outcome(True, f"Updated {phone_number} (confirmed by reading it back from Sinch).")
    return Outcome(False, f"Sinch does not show the change on {phone_number}; nothing was changed.")


def shows(number: ActiveNumber, update: UpdateActiveNumber) -> bool:
    """Whether the number carries every part of `update` (a running provisioning counts)."""
    if update.display_name is not None and (number.display_name or "") != update.display_name:
        return False
    sms = update.sms_configuration
    if sms is not None:
        linked = effective_sms_link(number)
        if (linked.service_plan_id, linked.campaign_id) != (sms.service_plan_id or "", sms.campaign_id or ""):
            return False
    if update.voice_configuration is None:
        return True
    wanted = voice_link(update.voice_configuration)
    linked_voice = effective_voice_link(number)
    if not wanted.target:
        return not linked_voice.target
    return linked_voice == wanted


UPDATE = Executor(
    describe="change how a number routes SMS or voice", execute=execute_update, reconcile=reconcile_update
)
