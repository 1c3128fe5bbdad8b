"""The order form filled in from a registration Sinch already holds, to fix an order Sinch's review blocked.

Pure functions over the form's view: the inverse of `registration.read_registration`, each answer put back
into the input it came from (found by the same block ids, `slots`). The number settings are left out (a
submitted order keeps its SMS and voice setup) and the documents become optional (Sinch keeps the ones
uploaded before; attach one again only when the review asked for it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.sinch import NumberRequirements, RequirementFields, RuleTemplate, TemplateFieldType
from commands.orders.requirements_form import NO, YES
from commands.orders.slots import (
    WHOLE_DETAILS_BLOCK,
    FieldSlot,
    JsonSlot,
    Slot,
    all_slots,
    attachment_blocks,
    field_block,
    rule_block,
)
from commands.shared import number_forms
from commands.shared.modal_flow import JsonView

_SETTINGS_BLOCKS = frozenset(
    {
        number_forms.DISPLAY_NAME_BLOCK,
        number_forms.SERVICE_PLAN_BLOCK,
        number_forms.CAMPAIGN_BLOCK,
        number_forms.VOICE_TYPE_BLOCK,
        number_forms.VOICE_ID_BLOCK,
    }
)


def fix_view(
    view: JsonView, requirements: NumberRequirements, phone_numbers: Sequence[str], details: Any
) -> JsonView:
    """A copy of the order form `view` for fixing: prefilled with `details` (Sinch's `requestDetails`)."""
    answers = registration_answers(requirements, phone_numbers, details)
    slots = {slot.block_id: slot for slot in all_slots(requirements, phone_numbers)}
    documents = {block_id for block_id, _ in attachment_blocks(requirements)}
    fixed = copy.deepcopy(view)
    blocks = []
    for block in fixed["blocks"]:
        block_id = block.get("block_id")
        if block_id in _SETTINGS_BLOCKS:
            continue
        if block_id in documents:
            block["optional"] = True
        elif block_id in slots and block_id in answers:
            _fill(block["element"], slots[block_id], answers[block_id])
        blocks.append(block)
    fixed["blocks"] = blocks
    return fixed


def registration_answers(
    requirements: NumberRequirements, phone_numbers: Sequence[str], details: Any
) -> dict[str, Any]:
    """`{block_id: value}` of the answers in `details`; what does not fit the requirements is left out."""
    fields = requirements.fields
    if not isinstance(fields, RequirementFields):
        return {WHOLE_DETAILS_BLOCK: details} if isinstance(details, dict) and details else {}
    data = details.get("data") if isinstance(details, dict) else None
    if not isinstance(data, list):
        return {}
    answers: dict[str, Any] = {}
    for index, (rule, element) in enumerate(zip(fields.rules, data, strict=False)):
        template = rule.template
        if not isinstance(template, RuleTemplate):
            if element is not None:
                answers[rule_block(index)] = element
        elif template.per_number:
            items = element if isinstance(element, list) else []
            for number, item in enumerate(items[: len(phone_numbers)]):
                answers.update(_element_answers(template, item, index, number))
        else:
            answers.update(_element_answers(template, element, index, None))
    return answers


def _element_answers(template: RuleTemplate, element: Any, rule: int, number: int | None) -> dict[str, Any]:
    if not isinstance(element, Mapping):
        return {}
    return {
        field_block(rule, number, index): element[field.name]
        for index, field in enumerate(template.fields)
        if field.name in element and element[field.name] is not None
    }


def _fill(element: dict[str, Any], slot: Slot, value: Any) -> None:
    """Set the input's initial value to `value`, the way `read_registration` reads it back."""
    if isinstance(slot, JsonSlot) or (isinstance(slot, FieldSlot) and slot.as_json):
        _fill_text(element, json.dumps(value, ensure_ascii=False))
        return
    field = slot.field
    kind = element.get("type")
    if field.type is TemplateFieldType.BOOLEAN and isinstance(value, bool):
        _choose(element, [YES] if value else ([] if kind == "checkboxes" else [NO]))
    elif kind in {"radio_buttons", "static_select"} and field.enum and value in field.enum:
        _choose(element, [str(field.enum.index(value))])
    elif kind == "datepicker" and isinstance(value, str):
        element["initial_date"] = value
    elif kind == "plain_text_input" and isinstance(value, str):
        _fill_text(element, value)


def _fill_text(element: dict[str, Any], text: str) -> None:
    # Slack refuses a view whose initial value is longer than the input takes: such a value is retyped.
    if len(text) <= element.get("max_length", len(text)):
        element["initial_value"] = text


def _choose(element: dict[str, Any], values: Sequence[str]) -> None:
    chosen = [option for option in element.get("options", []) if option.get("value") in values]
    if not chosen:
        return
    if element.get("type") == "checkboxes":
        element["initial_options"] = chosen
    else:
        element["initial_option"] = chosen[0]
