"""Read a submitted modal's `view["state"]["values"]`: what was typed, picked or ticked in each input.

Inputs that the view did not have (or the user left empty) read as "" / [], so callers need no KeyError
handling. Every input's element uses the action_id `INPUT_ACTION`; the block_id tells inputs apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INPUT_ACTION = "value"

StateValues = Mapping[str, Mapping[str, Any]]


def typed(values: StateValues, block_id: str) -> str:
    """A text input's value, stripped of surrounding whitespace."""
    return str(_element(values, block_id).get("value") or "").strip()


def selected(values: StateValues, block_id: str) -> str:
    """The value of the chosen option of a select or radio buttons."""
    option = _element(values, block_id).get("selected_option") or {}
    return str(option.get("value") or "")


def ticked(values: StateValues, block_id: str) -> list[str]:
    """The values of the chosen options of checkboxes or a multi-select."""
    return [str(option.get("value")) for option in _element(values, block_id).get("selected_options") or []]


def _element(values: StateValues, block_id: str) -> Mapping[str, Any]:
    return values.get(block_id, {}).get(INPUT_ACTION) or {}
