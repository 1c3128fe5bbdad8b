"""The emergency-address modals: the address form, Sinch's verdict on it, and the approval card summary.

Pure functions over the Sinch models. The flow's state travels in the view's private_metadata
(`AddressFlow`), so every step can rebuild the next view without asking Sinch again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
)

from bot.approvals import CardSummary
from bot.blockkit import ids
from bot.blockkit.blocks import OPTION_TEXT, clip, context, fields, section
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, SlackMeta
from bot.blockkit.text import escape
from bot.sinch import AddressValidation, AddressValidationResult, EmergencyAddress, FieldViolation
from commands.shared.modal_flow import JsonView, modal
from commands.shared.number_view import format_address
from commands.shared.view_state import INPUT_ACTION, StateValues, selected, typed

TITLE = "Emergency address"
NAME_BLOCK = "e911_display_name"
CANDIDATE_BLOCK = "e911_candidate"


@dataclass(frozen=True)
class AddressInput:
    field: str  # EmergencyAddress attribute
    label: str
    optional: bool = False
    hint: str | None = None

    @property
    def block_id(self) -> str:
        return f"e911_{self.field}"


ADDRESS_INPUTS: tuple[AddressInput, ...] = (
    AddressInput("street_number", "Street number"),
    AddressInput("street_info", "Street", hint="Street name with its suffix, e.g. Main St"),
    AddressInput("location", "Location / unit", optional=True, hint="Apartment, suite or floor"),
    AddressInput("city", "City"),
    AddressInput("state", "State", hint="Two-letter code, e.g. IL"),
    AddressInput("postal_code", "Postal code", hint="Five digits"),
    AddressInput("postal_code_plus_four", "+4", optional=True, hint="The ZIP+4 extension, if known"),
)
_FORMATS = {
    "state": (re.compile(r"[A-Z]{2}"), "Use the two-letter state code, e.g. IL."),
    "postal_code": (re.compile(r"\d{5}"), "A US postal code is five digits."),
    "postal_code_plus_four": (re.compile(r"\d{4}"), "The +4 extension is four digits."),
}
# Sinch names violated fields like "address.postalCode"; the form shows them under the matching input.
_WIRE_TO_BLOCK = {
    "displayName": NAME_BLOCK,
    **{f"address.{EmergencyAddress.model_fields[i.field].alias}": i.block_id for i in ADDRESS_INPUTS},
}


class AddressFlow(SlackMeta):
    """Where one `e911 set` stands: the number, its current address, and what was entered and proposed."""

    phone_number: str
    current: EmergencyAddress | None = None
    display_name: str = ""
    entered: EmergencyAddress | None = None
    # What approval would provision: Sinch's validated (exact) or corrected (near) form.
    proposed: EmergencyAddress | None = None
    verdict: str | None = None
    candidates: list[EmergencyAddress] = Field(default_factory=list)

    def encode_view(self) -> str:
        return self.encode(PRIVATE_METADATA_LIMIT)


class E911Order(SlackMeta):
    """The payload of an approved `e911_provision` request: exactly what goes to Sinch."""

    phone_number: str
    display_name: str
    address: EmergencyAddress


def address_form(flow: AddressFlow, *, sandbox: bool) -> JsonView:
    """The form, pre-filled with what was entered last, else with the number's current address."""
    start = flow.entered or flow.current or EmergencyAddress()
    blocks: list[Block] = [
        section(f"Where emergency services should go when someone dials 911 from *{flow.phone_number}*."),
        _text_input(
            NAME_BLOCK, "Name at the address", flow.display_name, hint="Company or person, e.g. Acme HQ"
        ),
    ]
    blocks.extend(
        _text_input(item.block_id, item.label, getattr(start, item.field) or "", item.optional, item.hint)
        for item in ADDRESS_INPUTS
    )
    blocks.append(context("Sinch checks the address before anything is requested."))
    return modal(
        TITLE,
        blocks,
        sandbox=sandbox,
        callback_id=ids.E911_MODAL,
        submit="Validate",
        private_metadata=flow.encode_view(),
    )


def read_address(values: StateValues) -> tuple[str, EmergencyAddress]:
    """The display name and address typed into the form (state upper-cased, blanks left out)."""
    entered = {item.field: typed(values, item.block_id) for item in ADDRESS_INPUTS}
    entered["state"] = entered["state"].upper()
    address = EmergencyAddress(**{name: value for name, value in entered.items() if value})
    return typed(values, NAME_BLOCK), address


def address_problems(display_name: str, address: EmergencyAddress) -> dict[str, str]:
    """`{block_id: message}` for what can be told without Sinch (empty: ask Sinch)."""
    found = {} if display_name else {NAME_BLOCK: "Give the name emergency services will see."}
    for item in ADDRESS_INPUTS:
        value = getattr(address, item.field)
        rule = _FORMATS.get(item.field)
        if not value and not item.optional:
            found[item.block_id] = f"{item.label} is required."
        elif value and rule and not rule[0].fullmatch(value):
            found[item.block_id] = rule[1]
    return found


def violation_errors(violations: Sequence[FieldViolation]) -> dict[str, str]:
    """Sinch's field violations as form errors; empty when none names a field of the form."""
    return {_WIRE_TO_BLOCK[v.field]: v.description for v in violations if v.field in _WIRE_TO_BLOCK}


def validating_view(flow: AddressFlow, *, sandbox: bool) -> JsonView:
    text = f":hourglass: Sinch is checking the address for {flow.phone_number}…"
    return modal(TITLE, [section(text)], sandbox=sandbox, callback_id=ids.E911_RESULT_MODAL)


def result_view(flow: AddressFlow, validation: AddressValidation, *, sandbox: bool) -> JsonView:
    """Sinch's verdict: exact and near matches can go to approval, no match offers its candidates."""
    entered = flow.entered or EmergencyAddress()
    result = validation.validation_result
    flow = flow.model_copy(update={"verdict": result.value if result else None})
    message = validation.validation_message
    note: list[Block] = [context(escape(message))] if message else []
    if result == AddressValidationResult.EXACT_MATCH:
        proposed = validation.validated_address or entered
        blocks: list[Block] = [
            section(f":white_check_mark: Sinch matched the address exactly:\n*{_shown(proposed)}*")
        ]
        return _verdict_view(flow, proposed, [], blocks + note, "Request approval", sandbox=sandbox)
    if result == AddressValidationResult.NEAR_MATCH and validation.corrected_address is not None:
        proposed = _with_location(validation.corrected_address, entered)
        blocks = [
            section(":pencil2: Sinch knows this address in a corrected form. Use it, or edit yours."),
            *fields([("You entered", _shown(entered)), ("Sinch suggests", _shown(proposed))]),
        ]
        return _verdict_view(flow, proposed, [], blocks + note, "Use corrected", sandbox=sandbox)
    candidates = [_with_location(candidate, entered) for candidate in validation.candidate_addresses]
    pick = " Pick one it knows, or edit yours." if candidates else " Edit it and try again."
    blocks = [section(f":x: Sinch could not match *{_shown(entered)}*.{pick}")]
    if candidates:
        blocks.append(_candidate_input(candidates))
    submit = "Use this address" if candidates else None
    return _verdict_view(flow, None, candidates, blocks + note, submit, sandbox=sandbox)


def _shown(address: EmergencyAddress) -> str:
    """An address as mrkdwn: what the user typed or Sinch proposed, escaped."""
    return escape(format_address(address))


def failed_view(flow: AddressFlow, message: str, *, sandbox: bool) -> JsonView:
    """Validation itself failed: say why, and let the user edit and retry."""
    blocks: list[Block] = [section(message), _edit_button()]
    return modal(
        TITLE, blocks, sandbox=sandbox, callback_id=ids.E911_RESULT_MODAL, private_metadata=flow.encode_view()
    )


def chosen_address(flow: AddressFlow, values: StateValues) -> EmergencyAddress | None:
    """The address the user agreed to: the proposed one, or the candidate they picked (None: none picked)."""
    if flow.proposed is not None:
        return flow.proposed
    index = selected(values, CANDIDATE_BLOCK)
    return flow.candidates[int(index)] if index.isdigit() and int(index) < len(flow.candidates) else None


def provision_summary(order: E911Order, current: EmergencyAddress | None, verdict: str | None) -> CardSummary:
    """The approval card: the current and the new address side by side (section fields come in pairs)."""
    return CardSummary(
        title=f"Emergency address for {order.phone_number}",
        fields=[
            ("Number", order.phone_number),
            ("Current address", format_address(current) if current else "none"),
            ("New address", format_address(order.address)),
            ("Name at the address", order.display_name),
            ("Sinch validation", (verdict or "unknown").replace("_", " ").lower()),
        ],
        warnings=[f"Emergency calls from {order.phone_number} will be routed to the new address."],
    )


def same_place(one: EmergencyAddress, other: EmergencyAddress) -> bool:
    """Whether Sinch stored the address we asked for (it may change case or drop an empty +4)."""
    return _comparable(one) == _comparable(other)


def _comparable(address: EmergencyAddress) -> tuple[str, ...]:
    return tuple((getattr(address, item.field) or "").casefold() for item in ADDRESS_INPUTS)


def _verdict_view(
    flow: AddressFlow,
    proposed: EmergencyAddress | None,
    candidates: list[EmergencyAddress],
    blocks: list[Block],
    submit: str | None,
    *,
    sandbox: bool,
) -> JsonView:
    verdict_flow = flow.model_copy(update={"proposed": proposed, "candidates": candidates})
    return modal(
        TITLE,
        [*blocks, _edit_button()],
        sandbox=sandbox,
        callback_id=ids.E911_RESULT_MODAL,
        submit=submit,
        private_metadata=verdict_flow.encode_view(),
    )


def _with_location(address: EmergencyAddress, entered: EmergencyAddress) -> EmergencyAddress:
    # Sinch's suggestions know streets, not flats: keep the unit the user typed, responders need it.
    if address.location or not entered.location:
        return address
    return address.model_copy(update={"location": entered.location})


def _candidate_input(candidates: list[EmergencyAddress]) -> InputBlock:
    options = [
        Option(value=str(index), label=clip(format_address(candidate), OPTION_TEXT))
        for index, candidate in enumerate(candidates)
    ]
    return InputBlock(
        block_id=CANDIDATE_BLOCK,
        label="Addresses Sinch knows",
        element=RadioButtonsElement(action_id=INPUT_ACTION, options=options),
    )


def _edit_button() -> ActionsBlock:
    return ActionsBlock(elements=[ButtonElement(text="Edit address", action_id=ids.E911_EDIT)])


def _text_input(
    block_id: str, label: str, initial: str, optional: bool = False, hint: str | None = None
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(action_id=INPUT_ACTION, initial_value=initial or None, max_length=100),
    )
