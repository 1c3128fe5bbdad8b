"""Shapes the sandbox never sends: unknown templates and field types become JSON inputs that are read back
into their place; dates, yes/no questions and very long choice lists get inputs that still work."""

from __future__ import annotations

from typing import Any

from bot.sinch import NumberRequirements
from commands.orders.registration import read_registration, violation_block
from sandbox.slack.element_values import Choice
from tests.orders.kyc_forms import build_views, opened, slack_problems, submit_all

NUMBERS = ["+61412345678"]


def requirements_with(*templates: dict[str, Any]) -> NumberRequirements:
    rules = [{"template": template} for template in templates]
    return NumberRequirements.model_validate({"fields": {"rules": rules}})


def input_of(requirements: NumberRequirements, block_id: str) -> dict[str, Any]:
    (view,) = build_views(requirements, NUMBERS)
    assert slack_problems([view]) == []
    return next(block for block in opened(view).input_blocks() if block["block_id"] == block_id)


def test_an_unknown_template_is_one_json_input_prefilled_with_its_field_names() -> None:
    # The second field's type is not one this code can read, so the whole template stays raw.
    odd = {
        "title": "Beneficial owners",
        "fields": [{"name": "owner"}, {"name": "share", "type": {"nested": True}}],
    }
    requirements = requirements_with(
        {"title": "Company", "fields": [{"name": "name", "required": True}]}, odd
    )

    block = input_of(requirements, "kyc:r1")

    assert block["label"]["text"] == "Beneficial owners (JSON)"
    assert block["element"]["initial_value"] == '{"owner": null, "share": null}'
    assert "Beneficial owners" in block["hint"]["text"]  # Sinch's own description is shown


def test_typed_json_lands_in_its_rule_and_broken_json_is_refused_under_its_input() -> None:
    odd = {"fields": "free text"}
    requirements = requirements_with({"fields": [{"name": "name"}]}, odd)
    views = build_views(requirements, NUMBERS)

    good = submit_all(views, {"kyc:r0:f0": "Acme", "kyc:r1": '{"owner": "Acme Holding"}'})
    broken = submit_all(views, {"kyc:r1": '{"owner": '})

    assert read_registration(requirements, NUMBERS, good) == (
        {"data": [{"name": "Acme"}, {"owner": "Acme Holding"}]},
        {},
    )
    _, problems = read_registration(requirements, NUMBERS, broken)
    assert problems["kyc:r1"].startswith("This is not valid JSON")
    assert violation_block(requirements, "requestDetails.data[1].owner") == "kyc:r1"


def test_a_field_of_an_unknown_type_is_a_json_input_and_its_value_is_sent_as_typed() -> None:
    requirements = requirements_with(
        {"fields": [{"name": "employees", "type": "integer", "required": True, "example": "12"}]}
    )
    views = build_views(requirements, NUMBERS)

    block = input_of(requirements, "kyc:r0:f0")
    details, problems = read_registration(requirements, NUMBERS, submit_all(views, {"kyc:r0:f0": "250"}))

    assert block["label"]["text"] == "employees (JSON)"
    assert "'integer'" in block["hint"]["text"]
    assert block["element"]["initial_value"] == '"12"'
    assert (details, problems) == ({"data": [{"employees": 250}]}, {})


def test_an_unknown_fields_shape_is_the_whole_registration_as_json() -> None:
    requirements = NumberRequirements.model_validate({"fields": {"schema": 7, "rules": [1, 2]}})
    views = build_views(requirements, NUMBERS)

    block = input_of(requirements, "kyc:all")
    details, problems = read_registration(
        requirements, NUMBERS, submit_all(views, {"kyc:all": '{"data": [1]}'})
    )
    _, not_an_object = read_registration(requirements, NUMBERS, submit_all(views, {"kyc:all": "[1]"}))

    assert block["element"]["initial_value"] == '{"data": [{}, {}]}'
    assert (details, problems) == ({"data": [1]}, {})
    assert "JSON object" in not_an_object["kyc:all"]


def test_dates_yes_no_and_long_choice_lists() -> None:
    countries = [f"Country {i}" for i in range(150)]
    requirements = requirements_with(
        {
            "fields": [
                {"name": "founded", "format": "date", "required": True},
                {"name": "listed", "type": "boolean", "label": "Listed on a stock exchange?"},
                {"name": "country", "enum": countries, "required": True},
                {"name": "size", "enum": [f"{n} staff" for n in range(8)]},
            ]
        }
    )
    views = build_views(requirements, NUMBERS)
    kinds = {b["block_id"]: b["element"]["type"] for b in opened(views[0]).input_blocks()}
    answers: dict[str, Choice] = {
        "kyc:r0:f0": {"selected_date": "2001-02-03"},
        "kyc:r0:f1": "No",
        "kyc:r0:f2": "Country 120",
        "kyc:r0:f3": "6 staff",
    }

    details, problems = read_registration(requirements, NUMBERS, submit_all(views, answers))
    _, wrong_country = read_registration(
        requirements, NUMBERS, submit_all(views, answers | {"kyc:r0:f2": "Atlantis"})
    )

    assert [kinds[f"kyc:r0:f{i}"] for i in range(4)] == [
        "datepicker",
        "radio_buttons",
        "plain_text_input",
        "static_select",
    ]
    assert problems == {}
    assert details == {
        "data": [{"founded": "2001-02-03", "listed": False, "country": "Country 120", "size": "6 staff"}]
    }
    assert "one of the values" in wrong_country["kyc:r0:f2"]


def test_a_confirmation_must_be_ticked_and_choices_longer_than_slack_allows_are_kept_whole() -> None:
    long_choice = "A" * 400
    requirements = requirements_with(
        {
            "fields": [
                {"name": "agree", "type": "boolean", "const": True, "label": "I agree"},
                {"name": "purpose", "enum": ["short", long_choice], "required": True},
            ]
        }
    )
    views = build_views(requirements, NUMBERS)

    details, problems = read_registration(
        requirements, NUMBERS, submit_all(views, {"kyc:r0:f0": "I agree", "kyc:r0:f1": "1"})
    )
    _, unticked = read_registration(requirements, NUMBERS, {})

    assert problems == {}
    assert details == {"data": [{"agree": True, "purpose": long_choice}]}
    assert unticked["kyc:r0:f0"] == "Tick this to confirm."
