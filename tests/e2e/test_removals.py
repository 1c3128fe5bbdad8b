"""Approved removals (`e911 remove`, `imported remove`) when Sinch's state moved on without numbot."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sinch.models import EmergencyAddress, ImportNumber, SmsConfiguration
from storage import requests
from storage.request_types import RequestKind
from tests.e2e.modal_steps import voice_number
from tests.harness import World, reconciler

IMPORTED = "+12065550123"
HQ = EmergencyAddress(
    street_number="350", street_info="5th Ave", city="New York", state="NY", postal_code="10118"
)


def removal_request(world: World, kind: RequestKind, phone: str) -> requests.Request:
    draft = requests.RequestDraft(
        kind=kind,
        requester=world.requester.user_id,
        subject=phone,
        payload={"phone_number": phone},
        summary={"title": kind},
        ttl=timedelta(hours=1),
    )
    return requests.create_request(world.services.store, draft, world.services.clock())


def test_reconciling_an_address_removal_tells_what_sinch_still_reports_until_it_is_gone(world: World) -> None:
    phone = voice_number(world)
    world.services.sinch.emergency_provision(phone, "HQ", HQ)
    request = removal_request(world, RequestKind.E911_REMOVE, phone)
    reconcile = reconciler(world.services, RequestKind.E911_REMOVE)

    still = reconcile(world.services, request)
    assert still is not None and not still.ok
    assert still.text == (
        f"Sinch did not remove it: {phone} still reports 350 5th Ave, New York, NY 10118-0110."
    )

    world.services.sinch.emergency_deprovision(phone)
    gone = reconcile(world.services, request)
    assert gone is not None and gone.ok and gone.text == f"{phone} has no emergency address any more."


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (RequestKind.E911_REMOVE, "{phone} had no emergency address any more; nothing to remove."),
        (RequestKind.IMPORTED_REMOVE, "{phone} was no longer imported; nothing to remove."),
    ],
)
def test_a_removal_of_what_is_already_gone_succeeds_and_says_so(
    world: World, kind: RequestKind, expected: str
) -> None:
    phone = voice_number(world) if kind is RequestKind.E911_REMOVE else IMPORTED
    request = removal_request(world, kind, phone)

    outcome = world.services.after_approval[kind].execute(world.services, request)

    assert outcome.ok and outcome.text == expected.format(phone=phone)


def test_an_approved_import_removal_deletes_the_number(world: World) -> None:
    world.services.sinch.imported_import(
        ImportNumber(
            phone_number=IMPORTED,
            region_code="US",
            sms_configuration=SmsConfiguration(service_plan_id="plan-a"),
        )
    )
    request = removal_request(world, RequestKind.IMPORTED_REMOVE, IMPORTED)

    outcome = world.services.after_approval[RequestKind.IMPORTED_REMOVE].execute(world.services, request)

    assert outcome.ok and outcome.text == f"{IMPORTED} is no longer imported; Sinch handles no SMS for it."
    assert outcome.result == {"phone_number": IMPORTED}
