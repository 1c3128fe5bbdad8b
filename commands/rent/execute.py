"""What runs once a rent or rent-any request is approved, and how an unclear rent is settled afterwards.

Rent and rentAny are never repeated: when the answer to one is lost, `reconcile_rent` reads the number back
from Sinch instead. Rent-any has no such reading: see `RENT_ANY`.
"""

from __future__ import annotations

from bot.approvals import SYSTEM_ACTOR, Executor, Outcome, SettledByHand
from bot.blockkit.text import escape
from bot.services import Services
from bot.sinch import ActiveNumber, NotFound, RentAnyRequest, RentRequest, SinchError, UpdateActiveNumber
from bot.watching.callbacks import callback_url
from bot.watching.provisioning import provisioning_note, watch_if_pending
from storage import audit
from storage.requests import Request


def execute_rent(services: Services, request: Request) -> Outcome:
    phone_number = str(request.payload["phone_number"])
    body = RentRequest.model_validate(request.payload["request"])
    try:
        rented = services.sinch.rent(
            phone_number, body.model_copy(update={"callback_url": callback_url(services.settings)})
        )
    except NotFound:
        return Outcome(
            False,
            f"{phone_number} is no longer available: it was rented or withdrawn since the request. "
            "Nothing was rented or charged; `/numbers search` for another one.",
        )
    return _rented(services, request, rented)


def reconcile_rent(services: Services, request: Request) -> Outcome | None:
    """Whether the rent happened after all: the number is ours (done) or not (failed); None if unknown."""
    phone_number = str(request.payload["phone_number"])
    try:
        # This project's activeNumbers holds only our numbers: found means the rent went through.
        active = services.sinch.get_active(phone_number)
    except NotFound:
        return Outcome(False, f"Sinch did not rent {phone_number}; nothing was charged. Request it again.")
    except SinchError:
        return None
    return _rented(services, request, active)


def execute_rent_any(services: Services, request: Request) -> Outcome:
    body = RentAnyRequest.model_validate(request.payload["request"])
    body.callback_url = callback_url(services.settings)
    try:
        rented = services.sinch.rent_any(body)
    except NotFound:
        return Outcome(
            False,
            "No number matching the request is available any more; nothing was rented. "
            "Try other digits with `/numbers rent-any`.",
        )
    return _rented(services, request, rented)


RENT = Executor(describe="rent a number", execute=execute_rent, reconcile=reconcile_rent)
RENT_ANY = Executor(
    describe="rent any matching number",
    execute=execute_rent_any,
    # Which number Sinch picked is exactly what the lost answer would have said, and a number appearing in
    # the project meanwhile may have come from elsewhere.
    reconcile=SettledByHand(
        "Sinch cannot say which number, if any, this rent-any took: check `/numbers list`."
    ),
)


def _rented(services: Services, request: Request, number: ActiveNumber) -> Outcome:
    """Name the number, set its display name, watch its provisioning and record it."""
    phone_number = number.phone_number
    lines = [f"Rented {phone_number} ({_kind(number)})."]
    display_name = request.payload.get("display_name")
    if display_name and number.display_name != display_name:
        lines.append(_set_display_name(services, phone_number, str(display_name)))
    pending = watch_if_pending(services, number, request_id=request.id)
    if pending:
        lines.append(provisioning_note(pending))
    audit.record(
        services.store,
        actor=SYSTEM_ACTOR,
        action="number.rented",
        subject=phone_number,
        request_id=request.id,
        detail={"kind": request.kind, "requested_by": request.requester, "approved_by": request.decided_by},
        now=services.clock(),
    )
    text = "\n".join(lines)
    return Outcome(True, text, {"text": text, "phone_number": phone_number, "provisioning": pending})


def _set_display_name(services: Services, phone_number: str, display_name: str) -> str:
    # Sinch's rent takes no display name, so it is a second, idempotent call; the rent stands if it fails.
    try:
        services.sinch.update_active(phone_number, UpdateActiveNumber(display_name=display_name))
    except SinchError as exc:
        return f":warning: The display name could not be set ({escape(str(exc))}); set it again later."
    return f"Display name: {escape(display_name)}."


def _kind(number: ActiveNumber) -> str:
    number_type = number.type.value if number.type else None
    return " ".join(part for part in (number.region_code, number_type) if part)
