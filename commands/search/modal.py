"""The search modal (`/numbers search` with no arguments): build it from Sinch's regions, read it back.

Pure functions; the search command (listeners.py) opens a "Loading…" view first (a trigger_id lives 3
seconds, a Sinch call may take longer) and swaps this form in once the regions are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
)

from bot.blockkit import ids
from bot.blockkit.blocks import OPTION_TEXT, SELECT_OPTIONS, clip, context
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, SlackMeta
from bot.errors import UsageError
from bot.sinch import AvailableRegion, Capability, NumberType, SearchPattern
from commands.shared.modal_flow import JsonView, modal
from commands.shared.search_criteria import (
    DEFAULT_LIMIT,
    KNOWN_TYPES,
    Criteria,
    SearchQuery,
    parse_pattern,
)
from commands.shared.view_state import INPUT_ACTION, StateValues, selected, ticked, typed

REGION_BLOCK = "search_region"
TYPE_BLOCK = "search_type"
CAPABILITIES_BLOCK = "search_capabilities"
PATTERN_BLOCK = "search_pattern"
POSITION_BLOCK = "search_position"

TITLE = "Search numbers"
POSITION_LABELS = {
    SearchPattern.START: "Starts with",
    SearchPattern.CONTAINS: "Contains",
    SearchPattern.END: "Ends with",
}


class SearchModalMeta(SlackMeta):
    """Where the results go: the channel the modal was opened from."""

    origin_channel: str


@dataclass(frozen=True)
class ModalSearch:
    """A read submission: the query, or the errors to show per block."""

    query: SearchQuery | None
    errors: dict[str, str] = field(default_factory=dict)


def search_view(regions: Sequence[AvailableRegion], meta: SearchModalMeta, *, sandbox: bool) -> JsonView:
    ordered = sorted(regions, key=lambda region: region.region_code)
    shown = ordered[:SELECT_OPTIONS]
    region_options = [
        Option(value=region.region_code, label=clip(_region_label(region), OPTION_TEXT)) for region in shown
    ]
    type_options = [Option(value=kind.value, label=_type_label(kind)) for kind in KNOWN_TYPES]
    position_options = [Option(value=kind.value, label=label) for kind, label in POSITION_LABELS.items()]
    blocks: list[Block] = [
        InputBlock(
            block_id=REGION_BLOCK,
            label="Region",
            element=StaticSelectElement(
                action_id=INPUT_ACTION, placeholder="Country", options=region_options
            ),
        ),
        InputBlock(
            block_id=TYPE_BLOCK,
            label="Number type",
            element=StaticSelectElement(
                action_id=INPUT_ACTION, options=type_options, initial_option=type_options[0]
            ),
        ),
        InputBlock(
            block_id=CAPABILITIES_BLOCK,
            label="Must support",
            optional=True,
            element=CheckboxesElement(
                action_id=INPUT_ACTION,
                options=[Option(value=capability.value, label=capability.value) for capability in Capability],
            ),
        ),
        InputBlock(
            block_id=PATTERN_BLOCK,
            label="Digits",
            optional=True,
            hint="E.g. 555, or +1206 for numbers starting with that country and area code.",
            element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=16),
        ),
        InputBlock(
            block_id=POSITION_BLOCK,
            label="Where the digits are",
            optional=True,
            element=RadioButtonsElement(
                action_id=INPUT_ACTION, options=position_options, initial_option=position_options[0]
            ),
        ),
    ]
    if len(ordered) > len(shown):
        blocks.append(context(f"{len(ordered) - len(shown)} more regions: use `/numbers search <REGION> …`."))
    return modal(
        TITLE,
        blocks,
        sandbox=sandbox,
        callback_id=ids.SEARCH_MODAL,
        submit="Search",
        close="Cancel",
        private_metadata=meta.encode(PRIVATE_METADATA_LIMIT),
    )


def read_search(values: StateValues) -> ModalSearch:
    """The query a submission asks for, or the errors to show (pure: no Sinch call before the ack)."""
    position = SearchPattern(selected(values, POSITION_BLOCK) or SearchPattern.START.value)
    digits = typed(values, PATTERN_BLOCK)
    try:
        pattern = parse_pattern(digits, position if digits else None)
    except UsageError as error:
        return ModalSearch(None, {PATTERN_BLOCK: str(error)})
    criteria = Criteria(
        region=selected(values, REGION_BLOCK),
        number_type=NumberType(selected(values, TYPE_BLOCK) or NumberType.LOCAL.value),
        pattern=pattern,
        capabilities=tuple(Capability(value) for value in ticked(values, CAPABILITIES_BLOCK)),
    )
    return ModalSearch(SearchQuery(criteria, DEFAULT_LIMIT))


def _type_label(kind: NumberType) -> str:
    return kind.value.replace("_", " ").title()


def _region_label(region: AvailableRegion) -> str:
    return f"{region.region_code} · {region.region_name}" if region.region_name else region.region_code
