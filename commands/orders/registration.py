"""The order form's answers read back into the `requestDetails` Sinch expects, and Sinch's complaints
about them put back under the input they came from.

`requestDetails.data` has one element per rule, in the rules' order: an object of the rule's fields, or,
for a per-number rule, a list with one such object per ordered number (the spec's AU example; the
sandbox's validator reads it the same way). Empty optional fields are left out.

A multi-view form is submitted one view at a time: pass the `state.values` of every view submitted so far,
merged, and keep to the problems of the view being submitted (`page_problems`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.blockkit.blocks import SELECT_OPTIONS
from bot.sinch import (
    FieldViolation,
    InvalidPhoneNumber,
    NumberRequirements,
    RequirementFields,
    RuleTemplate,
    TemplateFieldType,
    normalize_e164,
)
from commands.orders.requirements_form import YES, field_label, text_limit
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
from commands.shared.view_state import StateValues, attached, picked_date, selected, ticked, typed

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VIOLATION_PATH = re.compile(r"requestDetails\.data\[(\d+)\](?:\[(\d+)\])?(?:\.(.+))?")

Problems = dict[str, str]


@dataclass(frozen=True)
class _Read:
    """One answer: `present` False when the user left it empty."""

    value: Any = None
    present: bool = False
    problem: str | None = None


def read_registration(
    requirements: NumberRequirements,
    phone_numbers: Sequence[str],
    values: StateValues,
    *,
    documents_required: bool = True,
) -> tuple[dict[str, Any], Problems]:
    """`(request_details, {block_id: message})`: the details are only fit to send when there are no
    problems. Documents are checked too (a mandatory one must be attached, unless `documents_required` is
    False: a fix, where Sinch keeps the documents uploaded before)."""
    problems: Problems = {}
    answers: dict[str, Any] = {}
    for slot in all_slots(requirements, phone_numbers):
        read = _read_slot(slot, values)
        if read.problem:
            problems[slot.block_id] = read.problem
        elif read.present:
            answers[slot.block_id] = read.value
    for block_id, document in attachment_blocks(requirements):
        if documents_required and document.mandatory and not attached(values, block_id):
            problems[block_id] = f"Attach the {document.title or 'document'}: Sinch requires it."
    return _assemble(requirements, phone_numbers, answers), problems


def page_problems(problems: Mapping[str, str], page_values: StateValues) -> Problems:
    """The problems of the inputs on the view being submitted (Slack only shows errors for those)."""
    return {block_id: message for block_id, message in problems.items() if block_id in page_values}


def chosen_files(requirements: NumberRequirements, values: StateValues) -> dict[str, list[Mapping[str, Any]]]:
    """The Slack file objects attached for each required document, by the document's Sinch `id`."""
    return {
        document.id: files
        for block_id, document in attachment_blocks(requirements)
        if (files := attached(values, block_id))
    }


def violation_errors(
    requirements: NumberRequirements, phone_numbers: Sequence[str], violations: Iterable[FieldViolation]
) -> Problems:
    """Sinch's field violations on `requestDetails.data[i]…` as `{block_id: message}`; a violation that
    names no known input goes to the first input of its rule (or of the form), never lost."""
    slots = all_slots(requirements, phone_numbers)
    known = {slot.block_id for slot in slots}
    errors: Problems = {}
    for violation in violations:
        block_id = violation_block(requirements, violation.field)
        if block_id not in known:
            block_id = _first_of_rule(slots, violation.field)
            message = f"{violation.field}: {violation.description}"
        else:
            message = violation.description
        if block_id is None:
            continue
        errors[block_id] = f"{errors[block_id]} {message}" if block_id in errors else message
    return errors


def violation_block(requirements: NumberRequirements, path: str) -> str | None:
    """The block_id of the input that `requestDetails.data[i][k].name` came from, when there is one."""
    fields = requirements.fields
    if not isinstance(fields, RequirementFields):
        return WHOLE_DETAILS_BLOCK
    match = _VIOLATION_PATH.fullmatch(path)
    if match is None:
        return None
    rule_index, number, name = int(match[1]), match[2], match[3]
    if rule_index >= len(fields.rules):
        return None
    template = fields.rules[rule_index].template
    if not isinstance(template, RuleTemplate):
        return rule_block(rule_index)
    number_index = int(number) if number is not None and template.per_number else None
    names = [field.name for field in template.fields]
    if name is None or name not in names or (template.per_number and number_index is None):
        return None
    return field_block(rule_index, number_index, names.index(name))


def _first_of_rule(slots: Sequence[Slot], path: str) -> str | None:
    match = _VIOLATION_PATH.fullmatch(path)
    rule = int(match[1]) if match else None
    same_rule = [slot for slot in slots if rule is not None and slot.rule == rule]
    chosen = same_rule or list(slots)
    return chosen[0].block_id if chosen else None


def _read_slot(slot: Slot, values: StateValues) -> _Read:
    if isinstance(slot, JsonSlot):
        return _read_json(values, slot.block_id, required=True)
    field = slot.field
    if slot.as_json:
        return _read_json(values, slot.block_id, required=field.required)
    if field.type is TemplateFieldType.BOOLEAN:
        return _read_boolean(slot, values)
    read = _read_string(slot, values)
    if not read.present and not read.problem and field.required:
        return _Read(problem=f"Required: {field_label(field)}.")
    return read


def _read_boolean(slot: FieldSlot, values: StateValues) -> _Read:
    field = slot.field
    if field.const is True:
        if YES in ticked(values, slot.block_id):
            return _Read(True, True)
        # The form shows a confirmation as a box Slack makes you tick: unticked is never an answer.
        return _Read(problem="Tick this to confirm.")
    choice = selected(values, slot.block_id)
    if not choice:
        return _Read(problem=f"Required: {field_label(field)}.") if field.required else _Read()
    value = choice == YES
    if field.const is not None and value != field.const:
        return _Read(problem=f"Sinch only accepts {'Yes' if field.const else 'No'} here.")
    return _Read(value, True)


def _read_string(slot: FieldSlot, values: StateValues) -> _Read:
    field = slot.field
    block_id = slot.block_id
    if field.enum and len(field.enum) <= SELECT_OPTIONS:
        choice = selected(values, block_id)
        if not choice:
            return _Read()
        index = int(choice) if choice.isdigit() else -1
        if not 0 <= index < len(field.enum):
            return _Read(problem="Choose one of the options.")
        return _Read(field.enum[index], True)
    text = picked_date(values, block_id) if field.format == "date" else typed(values, block_id)
    if not text:
        return _Read()
    problem = _text_problem(slot, text)
    if problem:
        return _Read(problem=problem)
    return _Read(_normalized(field.format, text), True)


def _text_problem(slot: FieldSlot, text: str) -> str | None:
    field = slot.field
    limit = text_limit(field)
    if len(text) > limit:
        return f"Keep this to {limit} characters or fewer (it has {len(text)})."
    if field.enum and text not in field.enum:
        return "Type exactly one of the values listed under the input."
    if field.pattern and not _matches(field.pattern, text):
        example = f" e.g. {field.example}" if field.example else ""
        return f"This is not a valid {field_label(field)}.{example}"
    return _format_problem(field.format, text)


def _matches(pattern: str, text: str) -> bool:
    # A pattern Python cannot read is left to Sinch to apply.
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return True


def _format_problem(format_name: str | None, text: str) -> str | None:
    if format_name == "email" and not _EMAIL.fullmatch(text):
        return "This is not an email address (name@example.com)."
    if format_name == "phone":
        try:
            normalize_e164(text)
        except InvalidPhoneNumber as error:
            return str(error)
    if format_name == "url" and not _URL.fullmatch(text):
        return "This is not a web address: start it with https://."
    if format_name == "date" and not _DATE.fullmatch(text):
        return "Pick a date."
    return None


def _normalized(format_name: str | None, text: str) -> str:
    return normalize_e164(text) if format_name == "phone" else text


def _read_json(values: StateValues, block_id: str, *, required: bool) -> _Read:
    text = typed(values, block_id)
    if not text:
        return _Read(problem="Required: fill in the JSON.") if required else _Read()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return _Read(
            problem=f"This is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        )
    if value is None and required:
        return _Read(problem="Required: replace null with the value.")
    if block_id == WHOLE_DETAILS_BLOCK and not isinstance(value, dict):
        return _Read(problem='Type a JSON object, e.g. {"data": [...]}.')
    return _Read(value, value is not None)


def _assemble(
    requirements: NumberRequirements, phone_numbers: Sequence[str], answers: Mapping[str, Any]
) -> dict[str, Any]:
    fields = requirements.fields
    if not isinstance(fields, RequirementFields):
        whole = answers.get(WHOLE_DETAILS_BLOCK)
        return whole if isinstance(whole, dict) else {}
    if not fields.rules:
        return {}
    data: list[Any] = []
    for index, rule in enumerate(fields.rules):
        template = rule.template
        if not isinstance(template, RuleTemplate):
            data.append(answers.get(rule_block(index)))
        elif template.per_number:
            data.append([_element(template, answers, index, n) for n in range(len(phone_numbers))])
        else:
            data.append(_element(template, answers, index, None))
    return {"data": data}


def _element(
    template: RuleTemplate, answers: Mapping[str, Any], rule: int, number: int | None
) -> dict[str, Any]:
    element: dict[str, Any] = {}
    for index, field in enumerate(template.fields):
        block_id = field_block(rule, number, index)
        if block_id in answers:
            element[field.name] = answers[block_id]
    return element
