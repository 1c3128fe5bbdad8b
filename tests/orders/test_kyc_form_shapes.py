"""Whatever shape Sinch's requirements take, the order form is built, holds every field exactly once, and
every view is one Slack accepts; an empty submission is read without crashing."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sinch import NumberRequirements, RequirementFields, RuleTemplate
from commands.orders.registration import read_registration
from commands.orders.slots import WHOLE_DETAILS_BLOCK, FieldSlot, JsonSlot, all_slots
from commands.shared import number_forms
from tests.orders.kyc_forms import build_views, input_block_ids, slack_problems

SETTINGS_BLOCKS = {
    number_forms.DISPLAY_NAME_BLOCK,
    number_forms.SERVICE_PLAN_BLOCK,
    number_forms.VOICE_TYPE_BLOCK,
    number_forms.VOICE_ID_BLOCK,
}

texts = st.text(min_size=0, max_size=40)
long_texts = st.one_of(texts, st.text(min_size=2000, max_size=5000))
field_types = st.sampled_from(["string", "boolean", "number", "object", "", "date-time"])
formats = st.one_of(st.none(), st.sampled_from(["email", "phone", "date", "url", "iban", ""]))
enums: st.SearchStrategy[list[str]] = st.one_of(
    st.just([]),
    st.lists(texts, min_size=1, max_size=12),
    st.lists(st.text(min_size=0, max_size=300), min_size=90, max_size=150),
)


@st.composite
def template_fields(draw: st.DrawFn) -> dict[str, Any]:
    optional = {
        "label": st.one_of(st.none(), long_texts),
        "description": st.one_of(st.none(), long_texts),
        "required": st.booleans(),
        "maxLength": st.one_of(st.none(), st.integers(min_value=-5, max_value=10_000)),
        "pattern": st.one_of(st.none(), st.sampled_from(["^[0-9]{4}$", "([", ".*"])),
        "format": formats,
        "enum": enums,
        "const": st.one_of(st.none(), st.booleans(), texts),
        "example": st.one_of(st.none(), long_texts),
    }
    item: dict[str, Any] = {"name": draw(long_texts), "type": draw(field_types)}
    for key, strategy in optional.items():
        if draw(st.booleans()):
            item[key] = draw(strategy)
    return item


known_templates = st.fixed_dictionaries(
    {"fields": st.lists(template_fields(), max_size=25)},
    optional={"title": long_texts, "description": long_texts, "perNumber": st.booleans()},
)
# Many plain fields at little cost to generate, so that forms run over several views.
bulk_templates = st.builds(
    lambda count, per_number, required: {
        "title": "Bulk",
        "perNumber": per_number,
        "fields": [{"name": f"f{i}", "required": required, "maxLength": 3000} for i in range(count)],
    },
    st.integers(min_value=30, max_value=120),
    st.booleans(),
    st.booleans(),
)
odd_templates = st.one_of(
    st.fixed_dictionaries({"fields": st.one_of(st.just("free text"), st.integers())}),
    st.fixed_dictionaries({"title": texts, "perNumber": st.just(True), "fields": st.just([{"label": "x"}])}),
)
attachments = st.fixed_dictionaries(
    {"id": texts},
    optional={
        "title": long_texts,
        "description": long_texts,
        "mandatory": st.booleans(),
        "template": st.lists(st.fixed_dictionaries({}, optional={"name": texts, "url": texts}), max_size=3),
        "allowedMimeTypes": st.lists(
            st.sampled_from(["application/pdf", "image/png", "application/x-odd", "text/rtf"]), max_size=3
        ),
        "allowedDocumentTypes": st.lists(texts, max_size=4),
    },
)
known_fields = st.fixed_dictionaries(
    {
        "rules": st.lists(
            st.fixed_dictionaries({"template": st.one_of(known_templates, bulk_templates, odd_templates)}),
            max_size=8,
        )
    },
    optional={"schema": texts},
)
unknown_fields = st.fixed_dictionaries(
    {"schema": st.integers(), "rules": st.lists(st.integers(), max_size=3)}
)
requirement_shapes = st.fixed_dictionaries(
    {
        "fields": st.one_of(known_fields, unknown_fields),
        "attachments": st.lists(attachments, max_size=12),
    }
)
phone_number_lists = st.lists(
    st.sampled_from(["+61412345678", "+61412345679", "+61412345670"]), min_size=1, max_size=3
)


def expected_inputs(requirements: NumberRequirements, numbers: list[str]) -> int:
    """One input per field (per number when the rule is per number), one per rule or shape not understood."""
    fields = requirements.fields
    if not isinstance(fields, RequirementFields):
        return 1
    count = 0
    for rule in fields.rules:
        template = rule.template
        if not isinstance(template, RuleTemplate):
            count += 1
        else:
            count += len(template.fields) * (len(numbers) if template.per_number else 1)
    return count


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(shape=requirement_shapes, numbers=phone_number_lists, sandbox=st.booleans())
def test_every_field_is_one_input_in_views_slack_accepts(
    shape: dict[str, Any], numbers: list[str], sandbox: bool
) -> None:
    requirements = NumberRequirements.model_validate(shape)

    views = build_views(requirements, numbers, sandbox=sandbox)

    assert slack_problems(views) == []
    ids = input_block_ids(views)
    assert len(ids) == len(set(ids))
    slots = all_slots(requirements, numbers)
    assert len(slots) == expected_inputs(requirements, numbers)
    documents = {f"kyc:doc{i}" for i in range(len(requirements.attachments))}
    assert set(ids) == SETTINGS_BLOCKS | documents | {slot.block_id for slot in slots}
    for view in views:
        for block in view["blocks"]:
            if block.get("block_id") in {
                s.block_id
                for s in slots
                if isinstance(s, JsonSlot) or (isinstance(s, FieldSlot) and s.as_json)
            }:
                assert block["label"]["text"].endswith("(JSON)")
    if not isinstance(requirements.fields, RequirementFields):
        assert WHOLE_DETAILS_BLOCK in ids


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(shape=requirement_shapes, numbers=phone_number_lists)
def test_an_empty_submission_names_every_required_input(shape: dict[str, Any], numbers: list[str]) -> None:
    requirements = NumberRequirements.model_validate(shape)
    views = build_views(requirements, numbers)
    required = {
        str(block["block_id"])
        for view in views
        for block in view["blocks"]
        if block.get("type") == "input" and not block.get("optional", False)
    }

    _, problems = read_registration(requirements, numbers, {})

    assert set(problems) == required


def test_a_long_requirement_continues_in_further_views_after_the_documents() -> None:
    fields = [{"name": f"field{i}", "label": f"Field {i}", "required": True} for i in range(70)]
    shape = {
        "fields": {"rules": [{"template": {"title": f"Part {n}", "fields": fields}} for n in range(3)]},
        "attachments": [{"id": "proof", "title": "Proof", "mandatory": True}],
    }
    requirements = NumberRequirements.model_validate(shape)

    views = build_views(requirements, ["+61412345678"])

    assert slack_problems(views) == []
    assert len(views) == 3
    assert [view["title"]["text"] for view in views] == [f"Order numbers {n}/3" for n in (1, 2, 3)]
    assert [view["submit"]["text"] for view in views] == ["Next", "Next", "Ask for approval"]
    first = input_block_ids(views[:1])
    assert first.index("kyc:doc0") < first.index("kyc:r0:f0")
    second_headers = [b["text"]["text"] for b in views[1]["blocks"] if b["type"] == "header"]
    assert second_headers[0].endswith("(continued)")
    assert input_block_ids(views)[-1] == "kyc:r2:f69"
