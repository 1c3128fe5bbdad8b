"""The order form: SMS/voice inputs, one upload per required document, one input per KYC field.

Pure Block Kit built from `NumberRequirements`: the views in order (`order_views`), the first holding the
number settings, the documents and the first KYC fields, the others pushed after it (`views.push`) when
the requirements need more than Slack's 100 blocks (Slack stacks at most 3 views: from the fourth page
on, replace the top view with `response_action: update` instead of pushing). Every field becomes exactly
one input; a field or a rule this code does not understand becomes one clearly labelled JSON input,
prefilled with what is known.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement

from bot.blockkit.blocks import MODAL_BLOCKS, MODAL_TITLE, OPTION_TEXT, SELECT_OPTIONS, clip, context, header
from bot.blockkit.text import escape
from bot.sinch import NumberRequirements, RequiredAttachment, TemplateField, TemplateFieldType
from commands.orders.slots import FieldSlot, JsonSlot, Section, Slot, attachment_blocks, sections
from commands.shared import number_forms
from commands.shared.modal_flow import JsonView, modal
from commands.shared.view_state import INPUT_ACTION, TEXT_MAX

# Slack's limits on an input block's texts and a text input's placeholder.
LABEL_MAX = 2000
HINT_MAX = 2000
PLACEHOLDER_MAX = 150
# Up to this many choices show as radio buttons (Slack allows 10); more become a select.
RADIO_MAX = 5
# Longer than this, a text input gets several lines.
SINGLE_LINE_MAX = 150
YES, NO = "true", "false"

FORMAT_HINTS = {
    "email": "An email address, e.g. name@example.com.",
    "phone": "A phone number in international format, e.g. +447911123456.",
    "url": "A web address starting with https://.",
    "date": "A date.",
}


@dataclass(frozen=True)
class Group:
    """Blocks that belong under one heading; each unit stays on one page, and a heading is repeated
    (as `continued`) on a page that carries on the group."""

    heading: tuple[Block, ...]
    continued: tuple[Block, ...]
    units: tuple[tuple[Block, ...], ...]


def order_pages(
    requirements: NumberRequirements,
    phone_numbers: Sequence[str],
    *,
    campaign: bool,
    sandbox: bool,
    intro: Sequence[Block] = (),
    outro: Sequence[Block] = (),
) -> list[list[Block]]:
    """The blocks of each view in order, each page leaving room for the sandbox note."""
    groups = [
        Group((), (), tuple((block,) for block in number_forms.input_blocks(campaign=campaign))),
        *_document_groups(requirements),
        *(_section_group(section) for section in sections(requirements, phone_numbers)),
    ]
    budget = MODAL_BLOCKS - (1 if sandbox else 0)
    pages: list[list[Block]] = [list(intro)]
    for group in groups:
        _place(group, pages, budget)
    if len(pages[-1]) + len(outro) > budget:
        pages.append([])
    pages[-1].extend(outro)
    return pages


def order_views(
    pages: Sequence[Sequence[Block]],
    *,
    title: str,
    callback_id: str,
    submit: str,
    sandbox: bool,
    private_metadata: str | None = None,
) -> list[JsonView]:
    """One modal per page: every page but the last submits with "Next", the last with `submit`."""
    views: list[JsonView] = []
    for number, blocks in enumerate(pages, start=1):
        suffix = f" {number}/{len(pages)}" if len(pages) > 1 else ""
        views.append(
            modal(
                clip(title, MODAL_TITLE - len(suffix)) + suffix,
                list(blocks),
                sandbox=sandbox,
                callback_id=callback_id,
                submit=submit if number == len(pages) else "Next",
                close="Cancel",
                private_metadata=private_metadata,
            )
        )
    return views


def _place(group: Group, pages: list[list[Block]], budget: int) -> None:
    for index, unit in enumerate(group.units):
        page = pages[-1]
        heading = group.heading if index == 0 else ()
        if len(page) + len(heading) + len(unit) > budget:
            page = []
            pages.append(page)
            heading = group.heading if index == 0 else group.continued
        page.extend(heading)
        page.extend(unit)


def _section_group(section: Section) -> Group:
    heading: list[Block] = [header(section.title)]
    if section.description:
        heading.append(context(escape(section.description)))
    units = tuple((_slot_input(slot),) for slot in section.slots)
    return Group(tuple(heading), (header(f"{section.title} (continued)"),), units)


def _document_groups(requirements: NumberRequirements) -> list[Group]:
    documents = attachment_blocks(requirements)
    if not documents:
        return []
    units = tuple(_document_unit(block_id, document) for block_id, document in documents)
    return [Group((header("Documents"),), (header("Documents (continued)"),), units)]


def _document_unit(block_id: str, document: RequiredAttachment) -> tuple[Block, ...]:
    extensions = file_extensions(document.allowed_mime_types)
    hint = " ".join(
        part
        for part in (
            document.description,
            f"Accepted: {', '.join(extensions)}." if extensions else None,
            f"Document types: {', '.join(document.allowed_document_types)}."
            if document.allowed_document_types
            else None,
        )
        if part
    )
    block = InputBlock(
        block_id=block_id,
        label=clip(document.title or document.id or "Document", LABEL_MAX),
        optional=not document.mandatory,
        hint=clip(hint, HINT_MAX) if hint else None,
        element=FileInputElement(action_id=INPUT_ACTION, max_files=1, filetypes=extensions or None),
    )
    links = [_template_link(template.name, template.url) for template in document.template]
    shown = [link for link in links if link]
    if not shown:
        return (block,)
    return (block, context("Template to fill in and upload: " + ", ".join(shown)))


def _template_link(name: str | None, url: str | None) -> str | None:
    label = escape(name or "template")
    if url and re.fullmatch(r"https?://[^\s<>|]+", url):
        return f"<{url}|{label}>"
    return label if name else None


# What Sinch's mime types mean as file extensions (Slack's file_input filters by extension).
MIME_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/jpg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/tiff": ("tif", "tiff"),
    "image/heic": ("heic",),
    "image/webp": ("webp",),
    "application/rtf": ("rtf",),
    "text/rtf": ("rtf",),
    "text/plain": ("txt",),
    "text/csv": ("csv",),
    "application/msword": ("doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/zip": ("zip",),
}


def file_extensions(mime_types: Sequence[str]) -> list[str]:
    """The extensions for `mime_types`; empty (accept any file) when one of them is not known, so a file
    Sinch accepts is never refused by the form (the upload is checked against the mime types anyway)."""
    found: list[str] = []
    for mime_type in mime_types:
        known = MIME_EXTENSIONS.get(mime_type.lower().strip())
        if known is None:
            return []
        found.extend(extension for extension in known if extension not in found)
    return found


JSON_SUFFIX = " (JSON)"


def _slot_input(slot: Slot) -> InputBlock:
    if isinstance(slot, JsonSlot):
        return _json_input(
            slot.block_id,
            slot.title,
            "This form cannot show what Sinch asks for here as separate inputs: type it as JSON. "
            f"Sinch's description: {_dump(slot.raw)}",
            slot.skeleton,
            optional=False,
        )
    return field_input(slot)


def field_input(slot: FieldSlot) -> InputBlock:
    """The input for one template field, chosen by its type, format and choices."""
    field = slot.field
    if slot.as_json:
        return _json_input(
            slot.block_id,
            field_label(field),
            f"Sinch asks for a value of type {str(field.type)!r}, which this form has no input for: type it "
            f"as JSON. {field.description or ''}",
            _field_skeleton(field),
            optional=not field.required,
        )
    if field.type is TemplateFieldType.BOOLEAN:
        return _boolean_input(slot.block_id, field)
    if field.enum and len(field.enum) <= SELECT_OPTIONS:
        return _choice_input(slot.block_id, field)
    if field.format == "date":
        return _input(slot.block_id, field, DatePickerElement(action_id=INPUT_ACTION))
    return _input(slot.block_id, field, _text_element(field))


def field_label(field: TemplateField) -> str:
    return next(
        (text.strip() for text in (field.label, field.name) if text and text.strip()), "Unnamed field"
    )


def text_limit(field: TemplateField) -> int:
    """The longest value the text input takes: the field's own limit within Slack's."""
    declared = field.max_length
    return min(declared, TEXT_MAX) if declared is not None and declared >= 1 else TEXT_MAX


def _text_element(field: TemplateField) -> PlainTextInputElement:
    limit = text_limit(field)
    return PlainTextInputElement(
        action_id=INPUT_ACTION,
        max_length=limit,
        multiline=limit > SINGLE_LINE_MAX,
        placeholder=clip(f"e.g. {field.example}", PLACEHOLDER_MAX) if field.example else None,
    )


def _choice_input(block_id: str, field: TemplateField) -> InputBlock:
    # Option values are positions in `enum`: a choice may be longer than Slack's 150-character values.
    options = [
        Option(value=str(i), label=clip(choice or "(empty)", OPTION_TEXT))
        for i, choice in enumerate(field.enum)
    ]
    element: InputInteractiveElement
    if len(options) <= RADIO_MAX:
        # A single choice (the country of a national number) is chosen already.
        only = options[0] if len(options) == 1 else None
        element = RadioButtonsElement(action_id=INPUT_ACTION, options=options, initial_option=only)
    else:
        element = StaticSelectElement(action_id=INPUT_ACTION, placeholder="Choose", options=options)
    return _input(block_id, field, element)


def _boolean_input(block_id: str, field: TemplateField) -> InputBlock:
    if field.const is True:
        box = Option(value=YES, label=clip(field_label(field), OPTION_TEXT))
        return InputBlock(
            block_id=block_id,
            label=clip(field_label(field), LABEL_MAX),
            optional=False,
            hint=_hint(field, "Tick to confirm; required."),
            element=CheckboxesElement(action_id=INPUT_ACTION, options=[box]),
        )
    options = [Option(value=YES, label="Yes"), Option(value=NO, label="No")]
    return _input(block_id, field, RadioButtonsElement(action_id=INPUT_ACTION, options=options))


def _input(block_id: str, field: TemplateField, element: InputInteractiveElement) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=clip(field_label(field), LABEL_MAX),
        optional=not field.required,
        hint=_hint(field),
        element=element,
    )


def _hint(field: TemplateField, extra: str | None = None) -> str | None:
    parts = [field.description, FORMAT_HINTS.get(field.format or ""), extra]
    if field.format and field.format not in FORMAT_HINTS:
        parts.append(f"Format: {field.format}.")
    if field.enum and len(field.enum) > SELECT_OPTIONS:
        parts.append("One of: " + ", ".join(field.enum))
    text = " ".join(part.strip() for part in parts if part and part.strip())
    return clip(text, HINT_MAX) if text else None


def _json_input(block_id: str, name: str, hint: str, skeleton: Any, *, optional: bool) -> InputBlock:
    """A labelled JSON input for `name`: the "(JSON)" that tells a person what to type survives clipping."""
    prefill = json.dumps(skeleton, ensure_ascii=False)
    return InputBlock(
        block_id=block_id,
        label=clip(name, LABEL_MAX - len(JSON_SUFFIX)) + JSON_SUFFIX,
        optional=optional,
        hint=clip(hint.strip(), HINT_MAX),
        element=PlainTextInputElement(
            action_id=INPUT_ACTION,
            multiline=True,
            max_length=TEXT_MAX,
            initial_value=prefill if len(prefill) <= TEXT_MAX else None,
        ),
    )


def _field_skeleton(field: TemplateField) -> Any:
    """What is known about an unknown field's value: its only value, or its example."""
    if field.const is not None:
        return field.const
    return field.example


def _dump(raw: Any) -> str:
    return json.dumps(raw, ensure_ascii=False, default=str)
