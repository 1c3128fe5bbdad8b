"""What runs once an import or an imported number's change is approved, and how a lost answer is read
back from Sinch. It calls Sinch, never Slack."""

from __future__ import annotations

from collections.abc import Sequence

from bot.approvals import Executor, Outcome
from bot.blockkit.text import escape
from bot.services import Services
from bot.sinch import Conflict, ImportedNumber, NotFound, UpdateImportedNumber
from bot.watching.callbacks import callback_url
from bot.watching.provisioning import provisioning_note, watch_imported
from commands.imported.forms import ImportOrder
from commands.imported.view import sms_of
from storage.requests import Request


def import_number(services: Services, request: Request) -> Outcome:
    order = ImportOrder.model_validate(request.payload)
    try:
        number = services.sinch.imported_import(
            order.to_request().model_copy(update={"callback_url": callback_url(services.settings)})
        )
    except Conflict:
        return Outcome(
            False,
            f"{order.phone_number} is already imported (in this or another Sinch project), so nothing was "
            f"changed. See it with `/numbers imported show {order.phone_number}`.",
        )
    pending = watch_imported(services, number, order.provisions(), request_id=request.id)
    return _imported(number, pending)


def check_imported(services: Services, request: Request) -> Outcome:
    """After a lost answer: the number exists with our plan only if our import went through."""
    order = ImportOrder.model_validate(request.payload)
    try:
        number = services.sinch.imported_get(order.phone_number)
    except NotFound:
        return Outcome(False, f"Sinch did not import {order.phone_number}; nothing changed. Ask again.")
    if sms_of(number).service_plan_id != order.service_plan_id:
        return Outcome(False, f"{order.phone_number} was imported, but not by this request (other plan).")
    return _imported(number)


def apply_update(services: Services, request: Request) -> Outcome:
    phone = str(request.payload["phone_number"])
    number = services.sinch.imported_update(
        phone, UpdateImportedNumber.model_validate(request.payload["update"])
    )
    provisions = [str(part) for part in request.payload.get("provisions", [])]
    pending = watch_imported(services, number, provisions, request_id=request.id)
    return _updated(request, pending)


def check_updated(services: Services, request: Request) -> Outcome:
    phone = str(request.payload["phone_number"])
    wanted = UpdateImportedNumber.model_validate(request.payload["update"])
    number = services.sinch.imported_get(phone)
    if _matches(number, wanted):
        return _updated(request)
    return Outcome(False, f"Sinch did not apply the change to {phone}; nothing changed.")


def _imported(number: ImportedNumber, pending: Sequence[str] = ()) -> Outcome:
    phone = number.phone_number
    plan = escape(sms_of(number).service_plan_id or "")
    return Outcome(
        True,
        f"{phone} is imported on service plan `{plan}`; Sinch now provisions it with the carriers "
        f"(`/numbers imported show {phone}` tells how far it got).{_note(pending)}",
        result={"phone_number": phone},
    )


def _updated(request: Request, pending: Sequence[str] = ()) -> Outcome:
    phone = str(request.payload["phone_number"])
    fields = [(str(label), str(value)) for label, value in request.payload["fields"]]
    return Outcome(True, _changed_text(phone, fields) + _note(pending), result={"phone_number": phone})


def _note(pending: Sequence[str]) -> str:
    return f" {provisioning_note(pending)}" if pending else ""


def _changed_text(phone: str, fields: list[tuple[str, str]]) -> str:
    changes = "; ".join(f"{label}: {value}" for label, value in fields if label != "Number")
    return f"{phone} updated. {escape(changes)}."


def _matches(number: ImportedNumber, wanted: UpdateImportedNumber) -> bool:
    sms = sms_of(number)
    checks = [
        (wanted.display_name, number.display_name or ""),
        (wanted.sms_configuration and wanted.sms_configuration.service_plan_id, sms.service_plan_id or ""),
        (wanted.sms_configuration and wanted.sms_configuration.campaign_id, sms.campaign_id or ""),
    ]
    return all(want is None or want == have for want, have in checks)


IMPORT = Executor(describe="import a number", execute=import_number, reconcile=check_imported)

IMPORTED_UPDATE = Executor(
    describe="change how an imported number routes SMS", execute=apply_update, reconcile=check_updated
)
