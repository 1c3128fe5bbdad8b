"""What the approval card shows of a registration: enough to judge the order, not a person's details.

An approver needs to see which business the numbers are for and where it is, and what they will be used
for; not who the contact person is or how to reach them. Names of people, emails, phone numbers and
identity numbers are masked (`J*** S****`, `j***@example.com`, `+44 *******456`); business names,
addresses and choices stay readable. Values are returned raw: the card escapes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from bot.sinch import NumberRequirements, RequirementFields, RuleTemplate, TemplateField
from commands.orders.requirements_form import field_label

# Field names (or labels) that hold a person's name or identity, unless they are about a business.
_PERSONAL = re.compile(
    r"first|last|given|family|surname|middle|full.?name|contact.?name|person|birth|passport|national|"
    r"ssn|social|identity|id.?(number|card|no)|personal|tax",
    re.IGNORECASE,
)
_BUSINESS = re.compile(r"business|company|organi[sz]ation|legal.?entity|trading", re.IGNORECASE)
_DIGITS = re.compile(r"\d")
# The longest value shown on the card; whole documents belong in the registration itself.
VALUE_MAX = 200


def registration_summary(
    requirements: NumberRequirements, phone_numbers: Sequence[str], request_details: dict[str, Any]
) -> list[tuple[str, str]]:
    """Label/value pairs for `CardSummary.fields`, personal data masked."""
    fields = requirements.fields
    data = request_details.get("data")
    if not isinstance(fields, RequirementFields) or not isinstance(data, list):
        return [("Registration", "given as JSON (not shown: it may hold personal data)")]
    pairs: list[tuple[str, str]] = []
    for rule, element in zip(fields.rules, data, strict=False):
        template = rule.template
        if not isinstance(template, RuleTemplate):
            pairs.append((_raw_title(template), "given as JSON (not shown: it may hold personal data)"))
        elif template.per_number and isinstance(element, list):
            for number, item in zip(phone_numbers, element, strict=False):
                pairs.extend(_object_pairs(template, item, suffix=f" ({number})"))
        else:
            pairs.extend(_object_pairs(template, element))
    return pairs


def _object_pairs(template: RuleTemplate, element: Any, suffix: str = "") -> list[tuple[str, str]]:
    if not isinstance(element, dict):
        return []
    return [
        (field_label(field) + suffix, shown(field, element[field.name]))
        for field in template.fields
        if field.name in element
    ]


def shown(field: TemplateField, value: Any) -> str:
    """A value as the approver sees it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if field.format == "email":
        return mask_email(text)
    if field.format == "phone":
        return mask_phone(text)
    if is_personal(field):
        return mask_words(text) if not _DIGITS.search(text) else mask_id(text)
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def is_personal(field: TemplateField) -> bool:
    if field.enum:
        return False
    words = f"{field.name} {field.label or ''}"
    return bool(_PERSONAL.search(words)) and not _BUSINESS.search(words)


def mask_words(text: str) -> str:
    """Each word's first letter, the rest as stars: `John Smith` → `J*** S****`."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in text.split())


def mask_email(text: str) -> str:
    """The first letter and the domain: `john@example.com` → `j***@example.com`."""
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return mask_id(text)
    return f"{local[0]}***@{domain}"


def mask_phone(text: str) -> str:
    """The country code's first digits and the last three: `+447911123456` → `+44 *******456`."""
    digits = "".join(character for character in text if character.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"+{digits[:2]} {'*' * (len(digits) - 5)}{digits[-3:]}"


def mask_id(text: str) -> str:
    """All but the last two characters hidden: `556677-8899` → `*********99`."""
    return "*" * max(len(text) - 2, 0) + text[-2:] if len(text) > 4 else "*" * len(text)


def _raw_title(template: dict[str, Any]) -> str:
    title = template.get("title")
    return title if isinstance(title, str) and title.strip() else "Registration part"
