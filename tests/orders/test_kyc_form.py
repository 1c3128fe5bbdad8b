"""The order form built from each sandbox country's requirements: valid views, answers read back into a
registration the sandbox accepts (PUT through the real client), Sinch's violations under the right input."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from bot.sinch import (
    CreateNumberOrderRequest,
    FieldViolation,
    InvalidArgument,
    NumberOrder,
    NumberOrderOption,
    NumberRequirements,
    NumberType,
    SinchClient,
    TemplateField,
)
from commands.orders.kyc_summary import registration_summary, shown
from commands.orders.registration import (
    chosen_files,
    page_problems,
    read_registration,
    violation_errors,
)
from commands.orders.slots import FieldSlot, all_slots
from commands.shared import number_forms
from sandbox.sinch import RunningSandbox, SandboxConfig, start_sandbox
from sandbox.sinch.errors import Violations
from sandbox.sinch.requirements import AU_MOBILE, LOCAL_POSTAL_PREFIXES, check_registration
from sandbox.slack.element_values import Choice
from tests.orders.kyc_forms import build_views, input_block_ids, opened, slack_problems, submit_all
from tests.sinch_client.builders import make_client

PDF_FILE = {"files": [{"id": "F0001", "name": "document.pdf", "mimetype": "application/pdf"}]}
CONTACT_PHONE = "+447911123456"
AU_NUMBERS = ["+61412345678", "+61412345679"]

# What a person types for each field the sandbox asks for (postal codes per country, below).
ANSWERS: dict[str, str] = {
    "endBusinessName": "Acme Widgets Ltd",
    "endBusinessAddress": "1 High Street",
    "city": "Springfield",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada@acme.example",
    "phoneNumber": "+44 7911 123456",
    "companyName": "Acme AB",
    "organisationNumber": "556677-8899",
    "address": "Storgatan 1",
    "state": "VIC",
    "purposeOfTheTraffic": "Customer care",
    "intendedUseOfMobileNumbers": "Transactional",
    "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": "true",
}
POSTAL_CODES = {"GB": "SW1A 1AA", "SE": "111 22", "AU": "3000"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with start_sandbox(SandboxConfig(seed=23, provisioning_seconds=3600)) as running:
        yield running


@pytest.fixture
def sinch(sandbox: RunningSandbox) -> Iterator[SinchClient]:
    with make_client(sandbox) as client:
        yield client


def ordered(sinch: SinchClient, region: str, number_type: NumberType) -> NumberOrder:
    number = sinch.search_available(region, number_type, size=1)[0].phone_number
    request = CreateNumberOrderRequest(
        region_code=region,
        number_type=number_type,
        number_order_option=NumberOrderOption(phone_numbers=[number]),
    )
    return sinch.create_number_order(request)


def postal_code(region: str, phone_numbers: Sequence[str]) -> str:
    if region != "DE":
        return POSTAL_CODES[region]
    # A German local number needs an address in its own area.
    prefixes = next(p for area, p in LOCAL_POSTAL_PREFIXES.items() if phone_numbers[0].startswith(area))
    return prefixes[0] + "115"


def filled(
    requirements: NumberRequirements, phone_numbers: Sequence[str], region: str, **overrides: str
) -> dict[str, Choice]:
    """An answer for every KYC input and a file for every document, keyed by block_id."""
    answers: dict[str, Choice] = {}
    for slot in all_slots(requirements, phone_numbers):
        assert isinstance(slot, FieldSlot)
        name = slot.field.name
        if name == "senderId":
            value = phone_numbers[slot.number or 0]
        elif name == "postalCode":
            value = postal_code(region, phone_numbers)
        elif name == "country":
            value = region
        elif name in ANSWERS:
            value = ANSWERS[name]
        else:
            continue  # an optional input left empty (the local Slack refuses an empty required one)
        answers[slot.block_id] = overrides.get(name, value)
    for index, _ in enumerate(requirements.attachments):
        answers[f"kyc:doc{index}"] = PDF_FILE
    return answers


@pytest.mark.parametrize(
    ("region", "number_type"),
    [("GB", NumberType.MOBILE), ("DE", NumberType.LOCAL), ("SE", NumberType.MOBILE)],
)
def test_a_filled_form_becomes_a_registration_the_sandbox_accepts(
    sinch: SinchClient, region: str, number_type: NumberType
) -> None:
    requirements = sinch.lookup_number_requirements(region, number_type)
    order = ordered(sinch, region, number_type)
    views = build_views(requirements, order.phone_numbers)
    assert slack_problems(views) == []
    assert len(views) == 1

    values = submit_all(views, filled(requirements, order.phone_numbers, region))
    details, problems = read_registration(requirements, order.phone_numbers, values)

    assert problems == {}
    stored = sinch.update_number_order_registration(order.id_number_order, details)
    assert stored.request_details == details
    assert any(element.get("email") == "ada@acme.example" for element in details["data"])
    expected_files = {doc.id: PDF_FILE["files"] for doc in requirements.attachments}
    assert chosen_files(requirements, values) == expected_files


def test_phone_numbers_are_sent_in_e164_whatever_the_spacing(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("GB", NumberType.MOBILE)
    order = ordered(sinch, "GB", NumberType.MOBILE)
    values = submit_all(
        build_views(requirements, order.phone_numbers), filled(requirements, order.phone_numbers, "GB")
    )

    details, _ = read_registration(requirements, order.phone_numbers, values)

    assert details["data"][1]["phoneNumber"] == CONTACT_PHONE


def test_the_au_form_repeats_the_per_number_part_and_the_sandbox_validator_accepts_it() -> None:
    requirements = NumberRequirements.model_validate(AU_MOBILE.view())
    views = build_views(requirements, AU_NUMBERS)
    assert slack_problems(views) == []
    headers = [b["text"]["text"] for b in views[0]["blocks"] if b["type"] == "header"]
    assert headers[:3] == [
        "Documents",
        f"Use of each number: {AU_NUMBERS[0]}",
        f"Use of each number: {AU_NUMBERS[1]}",
    ]

    values = submit_all(views, filled(requirements, AU_NUMBERS, "AU"))
    details, problems = read_registration(requirements, AU_NUMBERS, values)

    assert problems == {}
    violations = Violations()
    check_registration(AU_MOBILE, details, AU_NUMBERS, violations)
    assert violations.items == []
    per_number = details["data"][0]
    assert [item["senderId"] for item in per_number] == AU_NUMBERS
    assert per_number[0]["purposeOfTheTraffic"] == "Customer care"
    assert per_number[1]["iConfirmThatMyBusinessHasAValidUseCaseForThisLn"] is True
    assert details["data"][1]["state"] == "VIC"


def test_us_local_needs_no_registration_and_the_form_is_only_the_number_settings(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("US", NumberType.LOCAL)
    views = build_views(requirements, ["+12025550134"])

    assert input_block_ids(views) == [
        number_forms.DISPLAY_NAME_BLOCK,
        number_forms.SERVICE_PLAN_BLOCK,
        number_forms.VOICE_TYPE_BLOCK,
        number_forms.VOICE_ID_BLOCK,
    ]
    assert read_registration(requirements, ["+12025550134"], submit_all(views, {})) == ({}, {})


def test_the_inputs_follow_the_requirement(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("GB", NumberType.MOBILE)
    (view,) = build_views(requirements, ["+447400000001"])
    blocks = {b.get("block_id"): b for b in view["blocks"]}

    postcode = blocks["kyc:r0:f4"]
    assert postcode["label"]["text"] == "Postcode"
    assert postcode["element"]["max_length"] == 8
    assert postcode["element"]["placeholder"]["text"] == "e.g. SW1A 1AA"
    assert postcode["optional"] is False
    assert blocks["kyc:r0:f2"]["optional"] is True  # Address line 2
    assert blocks["kyc:r0:f5"]["element"]["initial_option"]["text"]["text"] == "GB"
    assert "email address" in blocks["kyc:r1:f2"]["hint"]["text"]
    document = blocks["kyc:doc0"]
    assert document["element"] == {
        "type": "file_input",
        "action_id": "value",
        "max_files": 1,
        "filetypes": ["pdf"],
    }
    assert document["label"]["text"] == "Proof of address"
    assert document["hint"]["text"].startswith("A utility bill")
    assert document["optional"] is False


def test_local_checks_name_the_input_and_nothing_is_read_into_the_details(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("GB", NumberType.MOBILE)
    numbers = ["+447400000001"]
    views = build_views(requirements, numbers)
    answers = filled(
        requirements, numbers, "GB", postalCode="nowhere", email="ada-at-acme", phoneNumber="0791112"
    )
    values = submit_all(views, answers)

    _, problems = read_registration(requirements, numbers, values)

    assert set(problems) == {"kyc:r0:f4", "kyc:r1:f2", "kyc:r1:f3"}
    assert "e.g. SW1A 1AA" in problems["kyc:r0:f4"]
    assert "email" in problems["kyc:r1:f2"]
    assert "international format" in problems["kyc:r1:f3"]
    assert page_problems(problems, submit_all(views, answers)) == problems


def test_a_missing_document_and_required_fields_are_problems_even_if_the_form_was_bypassed(
    sinch: SinchClient,
) -> None:
    requirements = sinch.lookup_number_requirements("GB", NumberType.MOBILE)

    _, problems = read_registration(requirements, ["+447400000001"], {})

    assert "Attach the Proof of address" in problems["kyc:doc0"]
    assert problems["kyc:r0:f0"] == "Required: Business name."
    assert "kyc:r0:f2" not in problems  # optional


def test_sinch_violations_appear_under_the_input_they_came_from(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("DE", NumberType.LOCAL)
    order = ordered(sinch, "DE", NumberType.LOCAL)
    numbers = order.phone_numbers
    elsewhere = next(p for area, p in LOCAL_POSTAL_PREFIXES.items() if not numbers[0].startswith(area))
    views = build_views(requirements, numbers)
    values = submit_all(views, filled(requirements, numbers, "DE", postalCode=elsewhere[0] + "115"))
    details, problems = read_registration(requirements, numbers, values)
    assert problems == {}  # only Sinch knows which postal codes belong to which area

    with pytest.raises(InvalidArgument) as raised:
        sinch.update_number_order_registration(order.id_number_order, details)
    errors = violation_errors(requirements, numbers, raised.value.field_violations)

    assert list(errors) == ["kyc:r0:f4"]
    assert "local address" in errors["kyc:r0:f4"]
    assert "kyc:r0:f4" in {b["block_id"] for b in opened(views[0]).input_blocks()}


def test_violations_on_a_whole_element_or_an_unknown_field_go_to_that_part() -> None:
    requirements = NumberRequirements.model_validate(AU_MOBILE.view())
    violations = Violations()
    check_registration(AU_MOBILE, {"data": [[{"senderId": "x"}], {"bogus": 1}, {}]}, AU_NUMBERS, violations)
    errors = violation_errors(
        requirements, AU_NUMBERS, [FieldViolation(v.field, v.description) for v in violations.items]
    )

    assert errors["kyc:r0:n0:f0"].startswith("requestDetails.data[0]: Expected a list")
    assert "requestDetails.data[1].bogus: Unknown field" in errors["kyc:r1:f0"]
    assert errors["kyc:r2:f0"] == "Required: First name"


def test_the_approval_summary_masks_people_and_keeps_the_business_readable(sinch: SinchClient) -> None:
    requirements = sinch.lookup_number_requirements("GB", NumberType.MOBILE)
    numbers = ["+447400000001"]
    values = submit_all(build_views(requirements, numbers), filled(requirements, numbers, "GB"))
    details, _ = read_registration(requirements, numbers, values)

    shown = dict(registration_summary(requirements, numbers, details))

    assert shown["Business name"] == "Acme Widgets Ltd"
    assert shown["Street address"] == "1 High Street"
    assert shown["Postcode"] == "SW1A 1AA"
    assert shown["First name"] == "A**"
    assert shown["Last name"] == "L*******"
    assert shown["Contact email"] == "a***@acme.example"
    assert shown["Contact phone (E.164)"] == "+44 *******456"
    assert "Ada" not in str(shown) and "7911123" not in str(shown)


def test_identity_numbers_are_masked_but_company_numbers_are_not() -> None:
    passport = TemplateField(name="passportNumber", label="Passport number")
    company = TemplateField(name="organisationNumber", label="Organisationsnummer")
    assert shown(passport, "X1234567") == "******67"
    assert shown(company, "556677-8899") == "556677-8899"
