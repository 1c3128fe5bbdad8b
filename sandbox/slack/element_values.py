"""What a user's choice in an element looks like in Slack's payloads (actions[] and view state.values)."""

from __future__ import annotations

from sandbox.slack.block_kit import JsonDict, options_of, plain_text
from sandbox.slack.models import ElementNotFoundError

Choice = str | list[str] | JsonDict | None
"""A typed value, an option (by value or visible text), several options, or Slack's raw fields as-is."""

TEXT_INPUTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
SINGLE_OPTION = frozenset({"static_select", "external_select", "radio_buttons", "overflow"})
MULTI_OPTION = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})
# Elements whose choice is an id or a date, and the field Slack reports it in.
SELECTED_FIELD = {
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
}


def element_value(element: JsonDict, choice: Choice) -> JsonDict:
    """The type-specific fields for `element` when the user picked or typed `choice`."""
    if isinstance(choice, dict):
        return dict(choice)
    if element.get("type") == "button":
        return {key: element[key] for key in ("text", "value") if key in element}
    field, value = _chosen(element, choice)
    return {field: value}


def _chosen(element: JsonDict, choice: str | list[str] | None) -> tuple[str, object]:
    kind = str(element.get("type"))
    if kind in TEXT_INPUTS:
        return "value", choice if isinstance(choice, str) else None
    if kind in SINGLE_OPTION:
        return "selected_option", _option(element, choice) if isinstance(choice, str) else None
    if kind in MULTI_OPTION:
        picked = [choice] if isinstance(choice, str) else choice or []
        return "selected_options", [_option(element, one) for one in picked]
    if kind == "file_input":
        return "files", []  # attached files arrive as Slack's raw fields (see view_submissions.attach_files)
    return SELECTED_FIELD.get(kind, "value"), choice


def _option(element: JsonDict, value_or_text: str) -> JsonDict:
    options = options_of(element)
    for option in options:
        if value_or_text in (option.get("value"), plain_text(option.get("text"))):
            return {"text": option.get("text"), "value": option.get("value")}
    shown = [plain_text(option.get("text")) for option in options]
    raise ElementNotFoundError(
        f"no option {value_or_text!r} in {element.get('action_id')!r}; options: {shown}"
    )
