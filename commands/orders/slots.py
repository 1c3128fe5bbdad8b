"""Where each answer of the KYC form goes in `requestDetails.data`, and the block_id that carries it.

Block ids are derived from the requirements alone (positions, never names, so they stay short however
long Sinch's field names are): `kyc:r1:f3` is field 3 of rule 1, `kyc:r0:n2:f1` field 1 of rule 0 for the
third ordered number, `kyc:r4` a whole rule typed as JSON, `kyc:all` the whole `requestDetails` typed as
JSON (a `fields` shape this code does not know), `kyc:doc0` the first required attachment. The same
requirements and numbers always give the same slots, so nothing needs to travel in `private_metadata`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.sinch import (
    NumberRequirements,
    RequiredAttachment,
    RequirementFields,
    RuleTemplate,
    TemplateField,
    TemplateFieldType,
)

WHOLE_DETAILS_BLOCK = "kyc:all"
KNOWN_TYPES = frozenset({TemplateFieldType.STRING, TemplateFieldType.BOOLEAN})


@dataclass(frozen=True)
class FieldSlot:
    """One field of a rule template (for one ordered number when `number` is set)."""

    block_id: str
    rule: int
    number: int | None
    field: TemplateField

    @property
    def as_json(self) -> bool:
        """A field of a type this form has no input for: typed as JSON."""
        return self.field.type not in KNOWN_TYPES


@dataclass(frozen=True)
class JsonSlot:
    """Something this code cannot break into inputs: typed as JSON, starting from `skeleton`.
    `rule` is None when it is the whole `requestDetails`."""

    block_id: str
    rule: int | None
    title: str
    skeleton: Any
    raw: Any


Slot = FieldSlot | JsonSlot


@dataclass(frozen=True)
class Section:
    """The inputs that make one element of `data` (or its part for one number), in form order."""

    title: str
    description: str | None
    slots: tuple[Slot, ...]


def field_block(rule: int, number: int | None, field_index: int) -> str:
    where = f"kyc:r{rule}" if number is None else f"kyc:r{rule}:n{number}"
    return f"{where}:f{field_index}"


def rule_block(rule: int) -> str:
    return f"kyc:r{rule}"


def attachment_block(index: int) -> str:
    return f"kyc:doc{index}"


def attachment_blocks(requirements: NumberRequirements) -> list[tuple[str, RequiredAttachment]]:
    return [(attachment_block(i), doc) for i, doc in enumerate(requirements.attachments)]


def sections(requirements: NumberRequirements, phone_numbers: Sequence[str]) -> list[Section]:
    """The form's KYC sections in `data` order: a per-number rule gives one section per number."""
    fields = requirements.fields
    if not isinstance(fields, RequirementFields):
        slot = JsonSlot(WHOLE_DETAILS_BLOCK, None, "Registration details", _details_skeleton(fields), fields)
        return [Section("Registration details", None, (slot,))]
    found: list[Section] = []
    for index, rule in enumerate(fields.rules):
        template = rule.template
        if isinstance(template, RuleTemplate):
            found.extend(_template_sections(index, template, phone_numbers))
        else:
            title = _raw_title(template) or f"Part {index + 1}"
            slot = JsonSlot(
                rule_block(index), index, title, _rule_skeleton(template, phone_numbers), template
            )
            found.append(Section(title, None, (slot,)))
    return found


def all_slots(requirements: NumberRequirements, phone_numbers: Sequence[str]) -> list[Slot]:
    return [slot for section in sections(requirements, phone_numbers) for slot in section.slots]


def _template_sections(index: int, template: RuleTemplate, phone_numbers: Sequence[str]) -> list[Section]:
    title = (template.title or "").strip() or f"Part {index + 1}"
    if not template.per_number:
        slots = tuple(
            FieldSlot(field_block(index, None, j), index, None, field)
            for j, field in enumerate(template.fields)
        )
        return [Section(title, template.description, slots)]
    return [
        Section(
            f"{title}: {phone_number}",
            template.description,
            tuple(
                FieldSlot(field_block(index, n, j), index, n, field)
                for j, field in enumerate(template.fields)
            ),
        )
        for n, phone_number in enumerate(phone_numbers)
    ]


def _raw_title(template: dict[str, Any]) -> str | None:
    title = template.get("title")
    return title if isinstance(title, str) and title.strip() else None


def _rule_skeleton(template: dict[str, Any], phone_numbers: Sequence[str]) -> Any:
    """An object with every field name the template lists (a list of them when it is per number)."""
    raw_fields = template.get("fields")
    names = [
        item["name"]
        for item in (raw_fields if isinstance(raw_fields, list) else [])
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]
    element = {name: None for name in names}
    return [dict(element) for _ in phone_numbers] if template.get("perNumber") is True else element


def _details_skeleton(fields: dict[str, Any]) -> dict[str, Any]:
    rules = fields.get("rules")
    count = len(rules) if isinstance(rules, list) else 0
    return {"data": [{} for _ in range(count)]}
