"""`/numbers e911 show | set | remove`, end to end: local Slack → bot → Sinch sandbox over loopback HTTP.

The sandbox validates against a small table of known addresses (sandbox/sinch/emergency.py): "12345 Main
St, Springfield IL 62701" matches exactly, "12345 main street" in another postal code is a near match, and
anything else is no match, with three candidates from the same state.
"""

from __future__ import annotations

from datetime import timedelta

from bot.blockkit import ids
from bot.sinch.models import EmergencyAddress
from commands.e911.forms import CANDIDATE_BLOCK
from storage import requests
from storage.request_types import RequestKind
from tests.e2e.modal_steps import (
    approve,
    audit_actions,
    card,
    ephemeral,
    number_capabilities,
    shown,
    top_view,
    voice_number,
)
from tests.harness import OPS, PROJECT_ID, World, reconciler

EXACT = {
    "e911_display_name": "Acme HQ",
    "e911_street_number": "12345",
    "e911_street_info": "Main St",
    "e911_location": "Floor 3",
    "e911_city": "Springfield",
    "e911_state": "IL",
    "e911_postal_code": "62701",
    "e911_postal_code_plus_four": "",
}
NEAR = {**EXACT, "e911_street_info": "main street", "e911_postal_code": "62799"}
NOWHERE = {**EXACT, "e911_street_number": "1", "e911_street_info": "Nowhere Rd"}
MAIN_ST_FLOOR_3 = {
    "streetNumber": "12345",
    "streetInfo": "Main St",
    "location": "Floor 3",
    "city": "Springfield",
    "state": "IL",
    "postalCode": "62701",
    "postalCodePlusFour": "1234",
}


def validations(world: World) -> int:
    return sum(record.path.endswith("emergencyAddress:validate") for record in world.sinch.requests)


def submit_address(world: World, phone: str, values: dict[str, str]) -> None:
    world.requester.slash("/numbers", f"e911 set {phone}", channel=OPS.id)
    world.requester.submit(top_view(world, world.requester.user_id, ids.E911_MODAL), values)


def stored_address(world: World, phone: str) -> dict[str, str] | None:
    return world.sinch.state.emergency_address(phone, PROJECT_ID)


def provision_directly(world: World, phone: str) -> None:
    address = EmergencyAddress(
        street_number="350", street_info="5th Ave", city="New York", state="NY", postal_code="10118"
    )
    world.services.sinch.emergency_provision(phone, "Old office", address)


def test_show_says_none_then_the_address(world: World) -> None:
    phone = voice_number(world)
    world.requester.slash("/numbers", f"e911 show {phone}", channel=OPS.id)
    assert "none" in shown(ephemeral(world, world.requester.user_id, f"Emergency address of {phone}"))

    provision_directly(world, phone)
    world.requester.slash("/numbers", f"e911 show {phone}", channel=OPS.id)
    ephemeral(world, world.requester.user_id, "350 5th Ave, New York, NY 10118")


def test_numbers_that_cannot_hold_an_address_are_refused_with_the_reason(world: World) -> None:
    numbers = world.sinch.state.seed_active_numbers(10, project_id=PROJECT_ID)
    sms_only = next(n for n in numbers if "VOICE" not in number_capabilities(world, n))
    world.requester.slash("/numbers", f"e911 show {sms_only}", channel=OPS.id)
    ephemeral(world, world.requester.user_id, "cannot take calls")

    world.requester.slash("/numbers", "e911 set +12025550199", channel=OPS.id)
    top_view(world, world.requester.user_id, ids.LOADING_MODAL, "is not one of your numbers")


def test_exact_match_is_approved_by_someone_else_with_old_and_new_address_side_by_side(world: World) -> None:
    phone = voice_number(world)
    provision_directly(world, phone)
    world.requester.slash("/numbers", f"e911 set {phone}", channel=OPS.id)
    form = top_view(world, world.requester.user_id, ids.E911_MODAL)
    assert form.input_block("e911_street_info")["element"]["initial_value"] == "5th Ave"

    world.requester.submit(form, EXACT)
    verdict = top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "matched the address exactly")
    assert verdict.submit == "Request approval"
    world.requester.submit(verdict)
    top_view(world, world.requester.user_id, ids.LOADING_MODAL, "waiting for a second person")

    pending = card(world, phone)
    fields = [field["text"] for block in pending.blocks for field in block.get("fields", [])]
    current = fields.index("*Current address*\n350 5th Ave, New York, NY 10118-0110")
    assert fields[current + 1] == "*New address*\n12345 Main St, Floor 3, Springfield, IL 62701-1234"
    assert current % 2 == 0, "current and new share a row"
    assert "routed to the new address" in shown(pending)

    world.requester.click(pending, ids.APPROVE)
    ephemeral(world, world.requester.user_id, "another approver must decide")
    world.bystander.click(pending, ids.APPROVE)
    ephemeral(world, world.bystander.user_id, "Only approvers can decide")
    assert stored_address(world, phone)["streetInfo"] == "5th Ave"  # type: ignore[index]

    outcome = approve(world, phone)
    assert "now report: 12345 Main St, Floor 3" in outcome.text
    assert stored_address(world, phone) == MAIN_ST_FLOOR_3
    request = requests.find_requests(world.services.store, subject=phone)[0]
    actions = [entry.action for entry in audit_actions(world, phone) if entry.request_id == request.id]
    assert actions[-1] == "request.created" and len(actions) >= 4


def test_near_match_shows_the_correction_and_provisions_it(world: World) -> None:
    phone = voice_number(world)
    submit_address(world, phone, NEAR)
    verdict = top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "corrected form")
    text = shown(verdict)
    assert "*You entered*\n12345 main street, Floor 3, Springfield, IL 62799" in text
    assert "*Sinch suggests*\n12345 Main St, Floor 3, Springfield, IL 62701-1234" in text

    world.requester.submit(verdict)
    approve(world, phone)
    assert stored_address(world, phone) == MAIN_ST_FLOOR_3


def test_no_match_offers_candidates_and_edit_goes_back_to_the_form(world: World) -> None:
    phone = voice_number(world)
    submit_address(world, phone, NOWHERE)
    verdict = top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "could not match")
    options = verdict.input_block(CANDIDATE_BLOCK)["element"]["options"]
    assert [option["text"]["text"] for option in options][:1] == [
        "12345 Main St, Floor 3, Springfield, IL 62701-1234"
    ]

    world.requester.click(verdict, ids.E911_EDIT)
    form = top_view(world, world.requester.user_id, ids.E911_MODAL)
    assert form.input_block("e911_street_info")["element"]["initial_value"] == "Nowhere Rd"

    world.requester.submit(form)  # unchanged: still no match
    verdict = top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "could not match")
    world.requester.submit(verdict, {CANDIDATE_BLOCK: "1"})
    pending = card(world, phone)
    assert "67890 Elm St, Floor 3, Springfield, IL 62702-5678" in shown(pending)
    assert "*Sinch validation*\nno match" in shown(pending)


def test_format_mistakes_are_shown_in_the_form_without_asking_sinch(world: World) -> None:
    phone = voice_number(world)
    submit_address(world, phone, {**EXACT, "e911_postal_code": "6270", "e911_state": "Illinois"})
    form = top_view(world, world.requester.user_id, ids.E911_MODAL)
    assert form.errors == {
        "e911_postal_code": "A US postal code is five digits.",
        "e911_state": "Use the two-letter state code, e.g. IL.",
    }
    assert validations(world) == 0


def test_slow_validation_acks_at_once_and_shows_the_verdict_when_it_comes(world: World) -> None:
    phone = voice_number(world)
    world.requester.slash("/numbers", f"e911 set {phone}", channel=OPS.id)
    form = top_view(world, world.requester.user_id, ids.E911_MODAL)
    world.sinch.faults.latency_seconds = 2.5
    ack = world.requester.submit(form, EXACT)
    assert ack.ok and ack.problem is None
    assert "checking the address" in shown(world.slack.views(world.requester.user_id)[-1])
    top_view(world, world.requester.user_id, ids.E911_RESULT_MODAL, "matched the address exactly")


def test_remove_warns_and_deprovisions_once_approved(world: World) -> None:
    phone = voice_number(world)
    provision_directly(world, phone)
    world.requester.slash("/numbers", f"e911 remove {phone}", channel=OPS.id)
    confirm = top_view(world, world.requester.user_id, ids.E911_REMOVE_MODAL)
    assert "no registered location" in shown(confirm)
    assert "350 5th Ave" in shown(confirm)

    world.requester.submit(confirm)
    pending = card(world, phone)
    assert "no registered location" in shown(pending)
    assert stored_address(world, phone) is not None

    assert "has no emergency address any more" in approve(world, phone).text
    assert stored_address(world, phone) is None


def test_remove_without_an_address_says_there_is_nothing_to_remove(world: World) -> None:
    phone = voice_number(world)
    world.requester.slash("/numbers", f"e911 remove {phone}", channel=OPS.id)
    top_view(world, world.requester.user_id, ids.LOADING_MODAL, "nothing to remove")


def test_reconcile_of_a_provisioning_compares_what_sinch_stored(world: World) -> None:
    reconcile = reconciler(world.services, RequestKind.E911_PROVISION)
    phone = voice_number(world)
    wanted = {
        "streetNumber": "350",
        "streetInfo": "5th Ave",
        "city": "New York",
        "state": "NY",
        "postalCode": "10118",
    }
    draft = requests.RequestDraft(
        kind=RequestKind.E911_PROVISION,
        requester=world.requester.user_id,
        subject=phone,
        payload={
            "phone_number": phone,
            "display_name": "Old office",
            "address": {**wanted, "postalCodePlusFour": "0110"},
        },
        summary={"title": "e911"},
        ttl=timedelta(hours=1),
    )
    request = requests.create_request(world.services.store, draft, world.services.clock())
    missing = reconcile(world.services, request)
    assert missing is not None and not missing.ok and "no address" in missing.text

    provision_directly(world, phone)
    found = reconcile(world.services, request)
    assert found is not None and found.ok
