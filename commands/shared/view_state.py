"""Read a submitted modal's `view["state"]["values"]`: what was typed, picked or ticked in each input.

Inputs that the view did not have (or the user left empty) read as "" / [], so callers need no KeyError
handling. Every input's element uses the action_id `INPUT_ACTION`; the block_id tells inputs apart.

Before any listener reads a submission, the app passes it through `text_problems` and `clean_text`: a
`max_length` in a form is only a convenience of Slack's client, so the server holds every typed value to the
limit its own input declared, and control and bidi characters never reach storage or Sinch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.blockkit.text import clean

INPUT_ACTION = "value"

StateValues = Mapping[str, Mapping[str, Any]]

# What a typed value may hold when its input declares no max_length: Slack's own cap on a text input.
TEXT_MAX = 3000


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


def picked_date(values: StateValues, block_id: str) -> str:
    """A datepicker's date as `YYYY-MM-DD`."""
    return str(_element(values, block_id).get("selected_date") or "")


def attached(values: StateValues, block_id: str) -> list[Mapping[str, Any]]:
    """The file objects of a file_input as Slack sent them (`slack_files.fetch_slack_file` fetches one)."""
    files = _element(values, block_id).get("files") or []
    return [file for file in files if isinstance(file, Mapping)]


def _element(values: StateValues, block_id: str) -> Mapping[str, Any]:
    return values.get(block_id, {}).get(INPUT_ACTION) or {}


def text_problems(view: Mapping[str, Any]) -> dict[str, str]:
    """`{block_id: message}` for every typed value longer than its input's `max_length` allows."""
    limits = _declared_limits(view)
    found: dict[str, str] = {}
    for block_id, elements in _state(view).items():
        for element in elements.values():
            value = element.get("value") if isinstance(element, Mapping) else None
            limit = limits.get(block_id, TEXT_MAX)
            if isinstance(value, str) and len(value) > limit:
                found[block_id] = f"Keep this to {limit} characters or fewer (it has {len(value)})."
    return found


def clean_text(view: dict[str, Any]) -> None:
    """Remove control and bidi characters from every typed value, in place, before anyone reads them."""
    for elements in _state(view).values():
        for element in elements.values():
            if isinstance(element, dict) and isinstance(element.get("value"), str):
                element["value"] = clean(element["value"])


def _state(view: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    return view.get("state", {}).get("values") or {}


def _declared_limits(view: Mapping[str, Any]) -> dict[str, int]:
    """The `max_length` of each text input of the view, by block_id (capped at TEXT_MAX)."""
    limits: dict[str, int] = {}
    for block in view.get("blocks") or []:
        element = block.get("element") or {}
        if block.get("type") == "input" and element.get("type") == "plain_text_input":
            limits[str(block.get("block_id"))] = min(int(element.get("max_length") or TEXT_MAX), TEXT_MAX)
    return limits
