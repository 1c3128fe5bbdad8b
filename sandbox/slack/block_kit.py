"""Read Block Kit JSON the way Slack's client does: find interactive elements and input blocks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class PlacedElement:
    """An interactive element together with the block that holds it (actions carry both ids)."""

    block_id: str
    element: JsonDict

    @property
    def action_id(self) -> str:
        return str(self.element.get("action_id", ""))

    @property
    def type(self) -> str:
        return str(self.element.get("type", ""))

    @property
    def text(self) -> str:
        return plain_text(self.element.get("text"))


def plain_text(text_object: object) -> str:
    """The visible text of a text object (or "" when absent)."""
    if isinstance(text_object, dict):
        return str(text_object.get("text", ""))
    return ""


def interactive_elements(blocks: list[JsonDict]) -> Iterator[PlacedElement]:
    """Every element a user can click or pick, in reading order."""
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and "action_id" in accessory:
            yield PlacedElement(block_id, accessory)
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            yield PlacedElement(block_id, element)
        element = block.get("element")
        if block.get("type") == "input" and isinstance(element, dict):
            yield PlacedElement(block_id, element)


def buttons(blocks: list[JsonDict]) -> list[PlacedElement]:
    return [placed for placed in interactive_elements(blocks) if placed.type == "button"]


def input_blocks(blocks: list[JsonDict]) -> list[JsonDict]:
    return [block for block in blocks if block.get("type") == "input"]


def options_of(element: JsonDict) -> list[JsonDict]:
    """The options of a select, overflow, radio or checkbox element, option groups flattened."""
    options: list[JsonDict] = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    return options
