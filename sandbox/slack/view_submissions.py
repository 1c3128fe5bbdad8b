"""Submitting a modal: the state.values Slack sends, and what the app's ack does to the view stack."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from typing_extensions import TypeIs

from sandbox.slack.block_kit import JsonDict, plain_text
from sandbox.slack.element_values import SELECTED_FIELD, Choice, element_value
from sandbox.slack.errors import ApiError
from sandbox.slack.files import FILE_INPUT_MAX_FILES, FileRefusedError, FileUpload
from sandbox.slack.limits import view_problems
from sandbox.slack.models import ElementNotFoundError, View
from sandbox.slack.workspace import Workspace


class RequiredFieldMissingError(ValueError):
    """Slack's client refuses to submit a modal with an empty required input; nothing reaches the app."""

    def __init__(self, field: str, view: View) -> None:
        super().__init__(f"{field!r} is required in view {view.id}")
        self.field = field
        self.view_title = view.title


Attachment = FileUpload | Sequence[FileUpload]
"""What a user attaches to a file_input: one file or several."""


def attach_files(
    workspace: Workspace, view: View, values: Mapping[str, Choice | Attachment]
) -> dict[str, Choice]:
    """`values` with every attached file uploaded, as the `files` Slack then reports for its input.

    Slack's client refuses what the input does not take (FileRefusedError): more than `max_files`, an
    extension outside `filetypes`, a file over 10 MB. Call inside a transaction.
    """
    choices: dict[str, Choice] = {}
    for key, value in values.items():
        attached = [value] if isinstance(value, FileUpload) else value
        if not _are_uploads(attached):
            choices[key] = attached
            continue
        uploads = list(attached)
        element = view.input_block(key)["element"]
        if element.get("type") != "file_input":
            raise ElementNotFoundError(
                f"{key!r} is a {element.get('type')}, not a file input, in view {view.id}"
            )
        _check_pickable(element, key, uploads)
        stored = [workspace.files.upload(view.user_id, upload) for upload in uploads]
        choices[key] = {"files": [workspace.files.describe(one) for one in stored]} if stored else None
    return choices


def _are_uploads(value: Choice | Sequence[FileUpload]) -> TypeIs[Sequence[FileUpload]]:
    # An empty list is a Choice (nothing picked): it means the same for a file_input.
    return (
        isinstance(value, (list, tuple)) and bool(value) and all(isinstance(one, FileUpload) for one in value)
    )


def _check_pickable(element: JsonDict, key: str, uploads: list[FileUpload]) -> None:
    max_files = int(element.get("max_files", FILE_INPUT_MAX_FILES))
    if len(uploads) > max_files:
        raise FileRefusedError(f"{key!r} takes at most {max_files} file(s); {len(uploads)} were attached")
    filetypes = [str(extension).lower() for extension in element.get("filetypes", [])]
    for upload in uploads:
        _, dot, extension = upload.name.rpartition(".")
        if filetypes and (not dot or extension.lower() not in filetypes):
            raise FileRefusedError(f"{key!r} takes only {', '.join(filetypes)} files, not {upload.name!r}")


def submission_state(view: View, values: Mapping[str, Choice]) -> JsonDict:
    """state.values for `values` keyed by block_id or label; untouched inputs keep their initial value."""
    remaining = dict(values)
    state: JsonDict = {}
    for block in view.input_blocks():
        element = block["element"]
        block_id, label = str(block["block_id"]), plain_text(block.get("label"))
        key = block_id if block_id in remaining else label if label in remaining else None
        choice = remaining.pop(key) if key is not None else initial_choice(element)
        if choice in (None, "", []) and not block.get("optional", False):
            raise RequiredFieldMissingError(label or block_id, view)
        state[block_id] = {element["action_id"]: {"type": element["type"], **element_value(element, choice)}}
    if remaining:
        labels = [plain_text(block.get("label")) for block in view.input_blocks()]
        raise ElementNotFoundError(f"no inputs {sorted(remaining)} in view {view.id}; inputs: {labels}")
    return state


def initial_choice(element: JsonDict) -> Choice:
    """What the user submits for an input they did not touch."""
    if "initial_value" in element:
        return str(element["initial_value"])
    if "initial_option" in element:
        return str(element["initial_option"].get("value"))
    if "initial_options" in element:
        return [str(option.get("value")) for option in element["initial_options"]]
    for selected in SELECTED_FIELD.values():
        initial = "initial_" + selected.removeprefix("selected_")
        if initial in element:
            return {selected: element[initial]}
    return None


def apply_submission_ack(workspace: Workspace, view: View, body: JsonDict | str | None) -> str | None:
    """Apply `response_action` like Slack; returns why Slack would refuse the body, if it would.

    Call inside a transaction.
    """
    views = workspace.views
    action = body.get("response_action") if isinstance(body, dict) else None
    if action is None:
        views.close(view.id)
        return None
    assert isinstance(body, dict)
    if action == "clear":
        views.clear(view.user_id)
        return None
    if action == "errors":
        return _show_errors(workspace, view, body.get("errors"))
    if action in ("update", "push"):
        return _show_view(workspace, view, action, body.get("view"))
    return f"unknown response_action {action!r}"


def _show_view(workspace: Workspace, view: View, action: str, definition: object) -> str | None:
    problems = view_problems(definition)
    if problems:
        return "; ".join(problems)
    assert isinstance(definition, dict)  # view_problems rejects anything else
    try:
        if action == "update":
            workspace.views.replace(view.id, definition)
        else:
            workspace.views.push(view.user_id, definition)
    except ApiError as error:
        return error.error
    return None


def _show_errors(workspace: Workspace, view: View, errors: object) -> str | None:
    if not isinstance(errors, dict) or not errors:
        return "response_action errors needs a non-empty errors object"
    inputs = {block["block_id"] for block in view.input_blocks()}
    unknown = sorted(set(errors) - inputs)
    if unknown:
        return f"errors name blocks that are not inputs of the view: {unknown}"
    workspace.views.set_errors(view.id, {str(block): str(message) for block, message in errors.items()})
    return None
