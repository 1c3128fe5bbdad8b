"""What runs once an emergency address is approved, and how a lost answer is read back from Sinch. It calls
Sinch, never Slack."""

from __future__ import annotations

from bot.approvals import Executor, Outcome
from bot.blockkit.text import escape
from bot.inventory import sweep
from bot.services import Services
from bot.sinch import EmergencyAddress, NotFound
from commands.e911 import forms
from commands.e911.forms import E911Order
from commands.shared.number_view import format_address
from storage.requests import Request


def provision(services: Services, request: Request) -> Outcome:
    order = E911Order.model_validate(request.payload)
    stored = services.sinch.emergency_provision(order.phone_number, order.display_name, order.address)
    return _provisioned(services, order, stored)


def check_provisioned(services: Services, request: Request) -> Outcome:
    """After a lost answer: what Sinch holds now says whether the provisioning happened."""
    order = E911Order.model_validate(request.payload)
    try:
        stored = services.sinch.emergency_get(order.phone_number)
    except NotFound:
        stored = None
    if stored is not None and forms.same_place(stored, order.address):
        return _provisioned(services, order, stored)
    now = escape(format_address(stored)) if stored else "no address"
    return Outcome(False, f"Sinch did not store the new address; {order.phone_number} still has {now}.")


def _provisioned(services: Services, order: E911Order, stored: EmergencyAddress) -> Outcome:
    sweep.record_own_change(services, order.phone_number, present=True)
    return Outcome(
        True,
        f"Emergency calls from {order.phone_number} now report: {escape(format_address(stored))}.",
        result={
            "phone_number": order.phone_number,
            "address": stored.model_dump(mode="json", exclude_none=True),
        },
    )


PROVISION = Executor(describe="set an emergency address", execute=provision, reconcile=check_provisioned)
