"""The sandbox's KYC requirements per (region, number type), and the check of a registration against them.

This is the one place to change what the sandbox asks for. The spec types `fields` as free-form JSON and
shows only `{"schema": ..., "rules": [{"template": {}}, ...], "attachments": []}` (AU MOBILE); the
sandbox fills each rule's `template` with the inputs one element of `requestDetails.data` must hold, in
order, as the spec's AU registration example suggests:

    {"title", "description", "perNumber", "fields": [{"name", "label", "type": "string"|"boolean",
     "required", "maxLength", "pattern", "format": "email"|"phone", "enum", "const", "example"}]}

A `perNumber` element is a list with one object per ordered number. `localToNumber` on a postal code
field means it must lie in the area of every ordered number (German local numbers).

Offerings not listed here: those whose inventory says documents are required get `GENERIC_BUSINESS`,
the others need nothing (like US LOCAL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.sinch.errors import Violations
from sandbox.sinch.models import NumberType
from sandbox.sinch.phone import region_of

POLICY_SCHEMA = "/schema/policySchema-v1.json"
TEMPLATE_BASE_URL = "https://sandbox.sinch.invalid/templates"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    required: bool = True
    type: str = "string"
    max_length: int | None = 100
    pattern: str | None = None
    format: str | None = None
    enum: tuple[str, ...] = ()
    const: bool | None = None
    example: str | None = None
    local_to_number: bool = False

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {"name": self.name, "label": self.label, "type": self.type}
        view["required"] = self.required
        optional = {
            "maxLength": self.max_length if self.type == "string" else None,
            "pattern": self.pattern,
            "format": self.format,
            "enum": list(self.enum) or None,
            "const": self.const,
            "example": self.example,
            "localToNumber": self.local_to_number or None,
        }
        view.update({key: value for key, value in optional.items() if value is not None})
        return view


@dataclass(frozen=True)
class Section:
    """One element of `requestDetails.data`."""

    title: str
    inputs: tuple[Input, ...]
    per_number: bool = False
    description: str = ""

    def view(self) -> dict[str, Any]:
        template: dict[str, Any] = {"title": self.title, "perNumber": self.per_number}
        if self.description:
            template["description"] = self.description
        template["fields"] = [item.view() for item in self.inputs]
        return {"template": template}


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    description: str
    mime_types: tuple[str, ...]
    document_types: tuple[str, ...] = ()
    mandatory: bool = True
    template_file: str | None = None

    def view(self) -> dict[str, Any]:
        templates = (
            [{"name": self.template_file, "url": f"{TEMPLATE_BASE_URL}/{self.template_file}"}]
            if self.template_file
            else []
        )
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "mandatory": self.mandatory,
            "template": templates,
            "allowedMimeTypes": list(self.mime_types),
            "allowedDocumentTypes": list(self.document_types),
        }


@dataclass(frozen=True)
class Requirements:
    sections: tuple[Section, ...] = ()
    documents: tuple[Document, ...] = field(default=())

    def view(self) -> dict[str, Any]:
        return {
            "fields": {
                "schema": POLICY_SCHEMA,
                "rules": [section.view() for section in self.sections],
                "attachments": [],
            },
            "attachments": [document.view() for document in self.documents],
        }

    def document(self, attachment_id: str) -> Document | None:
        return next((doc for doc in self.documents if doc.id == attachment_id), None)


_PDF = ("application/pdf",)
_PDF_OR_IMAGE = ("application/pdf", "image/png", "image/jpeg")


def _contact(*, phone_label: str = "Contact phone (E.164)") -> Section:
    return Section(
        "Contact person",
        (
            Input("firstName", "First name"),
            Input("lastName", "Last name"),
            Input("email", "Contact email", format="email", max_length=254, example="ops@example.com"),
            Input("phoneNumber", phone_label, format="phone", max_length=16, example="+447911123456"),
        ),
    )


def _business(postal_code: Input, *, country: str | None, state: Input | None = None) -> Section:
    country_input = (
        Input("country", "Country", enum=(country,), max_length=2)
        if country
        else Input("country", "Country (ISO code)", max_length=2, pattern=r"^[A-Z]{2}$", example="FR")
    )
    inputs = [
        Input("endBusinessName", "Business name"),
        Input("endBusinessAddress", "Street address"),
        Input("endBusinessAddress2", "Address line 2", required=False),
        Input("city", "City", max_length=60),
        *([state] if state else []),
        postal_code,
        country_input,
    ]
    return Section("End business", tuple(inputs))


_PROOF_OF_ADDRESS = Document(
    "proof-of-address",
    "Proof of address",
    "A utility bill, bank statement or council tax bill under 3 months old, showing the business address.",
    _PDF,
    ("Utility bill", "Bank statement", "Council tax bill"),
)

GB_MOBILE = Requirements(
    sections=(
        _business(
            Input(
                "postalCode",
                "Postcode",
                max_length=8,
                pattern=r"^[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}$",
                example="SW1A 1AA",
            ),
            country="GB",
        ),
        _contact(),
    ),
    documents=(_PROOF_OF_ADDRESS,),
)

DE_LOCAL = Requirements(
    sections=(
        _business(
            Input(
                "postalCode",
                "Postleitzahl (in the number's area)",
                max_length=5,
                pattern=r"^[0-9]{5}$",
                example="10115",
                local_to_number=True,
            ),
            country="DE",
        ),
        _contact(),
    ),
    documents=(
        Document(
            "identity-or-registration",
            "ID or business registration",
            "Passport or national ID card of the owner, or a commercial register extract of the business.",
            _PDF_OR_IMAGE,
            ("Passport", "National ID card", "Commercial register extract", "Business registration"),
        ),
    ),
)

SE_MOBILE = Requirements(
    sections=(
        Section(
            "Company",
            (
                Input("companyName", "Company name"),
                Input(
                    "organisationNumber",
                    "Organisationsnummer",
                    max_length=11,
                    pattern=r"^[0-9]{6}-[0-9]{4}$",
                    example="556677-8899",
                ),
                Input("address", "Street address"),
                Input("city", "City", max_length=60),
                Input(
                    "postalCode",
                    "Postnummer",
                    max_length=6,
                    pattern=r"^[0-9]{3} ?[0-9]{2}$",
                    example="111 22",
                ),
                Input("email", "Contact email", format="email", max_length=254),
            ),
        ),
    ),
    documents=(
        Document(
            "company-registration",
            "Registration certificate",
            "Registreringsbevis from Bolagsverket (optional; speeds up the review).",
            _PDF,
            mandatory=False,
        ),
    ),
)

AU_MOBILE = Requirements(
    sections=(
        Section(
            "Use of each number",
            (
                Input("senderId", "Sender ID (the number)", format="phone", max_length=16),
                Input(
                    "purposeOfTheTraffic",
                    "Purpose of the traffic",
                    enum=("One Time Password", "Customer care", "Notifications", "Marketing"),
                ),
                Input(
                    "intendedUseOfMobileNumbers",
                    "Intended use",
                    enum=("Transactional", "Promotional", "Conversational"),
                ),
                Input(
                    "iConfirmThatMyBusinessHasAValidUseCaseForThisLn",
                    "I confirm my business has a valid use case for this number",
                    type="boolean",
                    const=True,
                ),
            ),
            per_number=True,
        ),
        _business(
            Input("postalCode", "Postcode", max_length=4, pattern=r"^[0-9]{4}$", example="3000"),
            country="AU",
            state=Input("state", "State", enum=("ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA")),
        ),
        Section(
            "Contact person",
            (
                Input("firstName", "First name"),
                Input("lastName", "Last name"),
                Input("phoneNumber", "Contact phone (E.164)", format="phone", max_length=16),
            ),
        ),
    ),
    documents=(
        Document(
            "letter-of-authorisation",
            "Letter of authorisation",
            "Download the template, fill it in, sign it and upload it back.",
            ("application/rtf", "application/pdf"),
            template_file="template.rtf",
        ),
    ),
)

GENERIC_BUSINESS = Requirements(
    sections=(
        _business(Input("postalCode", "Postal code", max_length=10), country=None),
        _contact(),
    ),
    documents=(
        Document(
            "business-registration",
            "Business registration",
            "A document showing the business's registration and address.",
            _PDF_OR_IMAGE,
        ),
    ),
)

NO_REQUIREMENTS = Requirements()

REQUIREMENTS: dict[tuple[str, NumberType], Requirements] = {
    ("US", NumberType.LOCAL): NO_REQUIREMENTS,
    ("GB", NumberType.MOBILE): GB_MOBILE,
    ("DE", NumberType.LOCAL): DE_LOCAL,
    ("SE", NumberType.MOBILE): SE_MOBILE,
    ("AU", NumberType.MOBILE): AU_MOBILE,
}

# Where each German area code's postal codes start (Berlin, Munich, Hamburg, Frankfurt am Main).
LOCAL_POSTAL_PREFIXES: dict[str, tuple[str, ...]] = {
    "+4930": ("10", "11", "12", "13", "14"),
    "+4989": ("80", "81", "85"),
    "+4940": ("20", "21", "22"),
    "+4969": ("60", "65"),
}


def requirements_for(region: str, number_type: NumberType, documents_required: bool) -> Requirements:
    default = GENERIC_BUSINESS if documents_required else NO_REQUIREMENTS
    return REQUIREMENTS.get((region, number_type), default)


def check_registration(
    requirements: Requirements, details: dict[str, Any], phone_numbers: list[str], violations: Violations
) -> None:
    """Add a violation, named by its path (`requestDetails.data[1].postalCode`), for every problem."""
    if not requirements.sections:
        return
    data = details.get("data")
    if not isinstance(data, list):
        violations.add("requestDetails.data", f"Required: a list of {len(requirements.sections)} elements")
        return
    if len(data) != len(requirements.sections):
        violations.add(
            "requestDetails.data", f"Expected {len(requirements.sections)} elements, got {len(data)}"
        )
    for index, (section, element) in enumerate(zip(requirements.sections, data, strict=False)):
        path = f"requestDetails.data[{index}]"
        if section.per_number:
            _check_per_number(section, element, phone_numbers, path, violations)
        else:
            _check_object(section, element, phone_numbers, path, violations)


def _check_per_number(
    section: Section, element: Any, phone_numbers: list[str], path: str, violations: Violations
) -> None:
    if not isinstance(element, list) or len(element) != len(phone_numbers):
        violations.add(path, f"Expected a list with one object per ordered number ({len(phone_numbers)})")
        return
    for index, item in enumerate(element):
        _check_object(section, item, phone_numbers, f"{path}[{index}]", violations)


def _check_object(
    section: Section, element: Any, phone_numbers: list[str], path: str, violations: Violations
) -> None:
    if not isinstance(element, dict):
        violations.add(path, f"Expected an object ({section.title})")
        return
    known = {item.name for item in section.inputs}
    for name in sorted(set(element) - known):
        violations.add(f"{path}.{name}", "Unknown field")
    for item in section.inputs:
        value = element.get(item.name)
        if value is None or value == "":
            if item.required:
                violations.add(f"{path}.{item.name}", f"Required: {item.label}")
            continue
        problem = _problem(item, value, phone_numbers)
        if problem:
            violations.add(f"{path}.{item.name}", problem)


def _problem(item: Input, value: Any, phone_numbers: list[str]) -> str | None:
    if item.type == "boolean":
        if not isinstance(value, bool):
            return "Expected true or false"
        return (
            f"Must be {str(item.const).lower()}" if item.const is not None and value != item.const else None
        )
    if not isinstance(value, str):
        return "Expected a string"
    return _string_problem(item, value, phone_numbers)


def _string_problem(item: Input, value: str, phone_numbers: list[str]) -> str | None:
    if item.max_length is not None and len(value) > item.max_length:
        return f"At most {item.max_length} characters"
    if item.enum and value not in item.enum:
        return f"Expected one of {', '.join(item.enum)}"
    if item.pattern and not re.fullmatch(item.pattern, value):
        return f"{value!r} is not a valid {item.label}" + (f" (e.g. {item.example})" if item.example else "")
    if item.local_to_number:
        return _local_problem(value, phone_numbers)
    return _format_problem(item.format, value)


def _format_problem(format_name: str | None, value: str) -> str | None:
    if format_name == "email" and not _EMAIL.fullmatch(value):
        return f"{value!r} is not an email address"
    if format_name == "phone" and region_of(value) is None:
        return f"{value!r} is not a valid phone number in E.164 format"
    return None


def _local_problem(postal_code: str, phone_numbers: list[str]) -> str | None:
    for phone_number in phone_numbers:
        for area, prefixes in LOCAL_POSTAL_PREFIXES.items():
            if phone_number.startswith(area) and not postal_code.startswith(prefixes):
                return (
                    f"{postal_code} is not in the area of {phone_number} ({area}): a local address is needed"
                )
    return None
