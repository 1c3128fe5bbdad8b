"""The emergency-address modals as pure functions: local checks, Sinch's verdicts, what gets provisioned."""

from __future__ import annotations

import json

from bot.sinch.errors import FieldViolation
from bot.sinch.models import AddressValidation
from commands.e911.forms import (
    CANDIDATE_BLOCK,
    AddressFlow,
    address_problems,
    chosen_address,
    result_view,
    same_place,
    violation_errors,
)
from commands.shared.view_state import INPUT_ACTION
from tests.harness import SPRINGFIELD

TYPED = SPRINGFIELD.model_copy(update={"street_info": "main street", "location": "Apt 5"})


def flow() -> AddressFlow:
    return AddressFlow(phone_number="+12062345678", display_name="Acme", entered=TYPED)


def metadata(view: dict[str, object]) -> AddressFlow:
    return AddressFlow.decode(str(view["private_metadata"]))


def test_local_checks_name_each_input() -> None:
    bad = SPRINGFIELD.model_copy(update={"state": "Illinois", "postal_code": "627", "city": None})
    assert address_problems("", bad) == {
        "e911_display_name": "Give the name emergency services will see.",
        "e911_city": "City is required.",
        "e911_state": "Use the two-letter state code, e.g. IL.",
        "e911_postal_code": "A US postal code is five digits.",
    }
    assert address_problems("Acme", SPRINGFIELD) == {}


def test_sinch_field_violations_land_under_their_inputs() -> None:
    violations = [FieldViolation("address.postalCode", "Unknown"), FieldViolation("phoneNumber", "Bad")]
    assert violation_errors(violations) == {"e911_postal_code": "Unknown"}


def test_near_match_proposes_the_correction_keeping_the_unit() -> None:
    verdict = AddressValidation(validation_result="NEAR_MATCH", corrected_address=SPRINGFIELD)
    view = result_view(flow(), verdict, sandbox=False)
    proposed = metadata(view).proposed
    assert proposed is not None and proposed.location == "Apt 5" and proposed.street_info == "Main St"
    assert metadata(view).verdict == "NEAR_MATCH"


def test_no_match_without_candidates_can_only_be_edited() -> None:
    view = result_view(flow(), AddressValidation(validation_result="NO_MATCH"), sandbox=False)
    assert "submit" not in view
    assert metadata(view).proposed is None


def test_no_match_candidates_fit_in_private_metadata_and_the_pick_is_used() -> None:
    long_street = "Dr Carlton B Goodlett Pl and a very long suffix " * 2
    candidates = [SPRINGFIELD.model_copy(update={"street_info": long_street + str(i)}) for i in range(3)]
    view = result_view(
        flow(), AddressValidation(validation_result="NO_MATCH", candidate_addresses=candidates), sandbox=True
    )
    state = metadata(view)
    assert len(json.dumps(view["private_metadata"])) < 3000
    picked = chosen_address(state, {CANDIDATE_BLOCK: {INPUT_ACTION: {"selected_option": {"value": "2"}}}})
    assert picked is not None and picked.street_info == long_street + "2" and picked.location == "Apt 5"
    assert chosen_address(state, {}) is None
    assert (
        chosen_address(state, {CANDIDATE_BLOCK: {INPUT_ACTION: {"selected_option": {"value": "7"}}}}) is None
    )


def test_stored_address_compares_without_regard_to_case() -> None:
    assert same_place(SPRINGFIELD, SPRINGFIELD.model_copy(update={"city": "SPRINGFIELD"}))
    assert not same_place(SPRINGFIELD, SPRINGFIELD.model_copy(update={"location": "Apt 5"}))
