"""Slack's documented size limits on messages, modals and the Home tab, as pure checks.

Each problem reads like Slack's own `response_metadata.messages` entry:
`must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
"""

from __future__ import annotations

from typing import Any

from sandbox.slack.block_kit import JsonDict
from sandbox.slack.files import FILE_INPUT_MAX_FILES

MESSAGE_MAX_BLOCKS = 50
SURFACE_MAX_BLOCKS = 100
ID_MAX = 255
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
LABEL_MAX = 2000
PLACEHOLDER_MAX = 150
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
ACTIONS_ELEMENTS_MAX = 25
CONTEXT_ELEMENTS_MAX = 10
PRIVATE_METADATA_MAX = 3000
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
ALT_TEXT_MAX = 2000

# How many options each kind of choice element may offer.
OPTIONS_MAX = {
    "static_select": 100,
    "multi_static_select": 100,
    "overflow": 5,
    "radio_buttons": 10,
    "checkboxes": 10,
}

KNOWN_BLOCK_TYPES = frozenset(
    {
        "section",
        "header",
        "actions",
        "context",
        "divider",
        "input",
        "image",
        "rich_text",
        "markdown",
        "file",
        "video",
    }
)


def message_problems(blocks: object) -> list[str]:
    """Problems with the `blocks` of a message (chat.postMessage, chat.update, ephemerals, response_url)."""
    checker = _Checker()
    checker.blocks(blocks, MESSAGE_MAX_BLOCKS, "/blocks")
    return checker.problems


def view_problems(view: object) -> list[str]:
    """Problems with a modal or Home tab view (views.open/push/update/publish and response_action views)."""
    checker = _Checker()
    checker.view(view, "/view")
    return checker.problems


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.in_modal = False

    def fail(self, message: str, pointer: str) -> None:
        self.problems.append(f"{message} [json-pointer:{pointer}]")

    def max_length(self, value: object, limit: int, pointer: str) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.fail(f"must be less than {limit + 1} characters", pointer)

    def max_items(self, items: list[Any], limit: int, pointer: str) -> None:
        if len(items) > limit:
            self.fail(f"must be {limit} or fewer items", pointer)

    def text_object(self, text: object, limit: int, pointer: str, plain_only: bool = False) -> None:
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if not isinstance(text, dict) or text.get("type") not in allowed:
            self.fail(f"must be a text object of type {' or '.join(allowed)}", pointer)
            return
        value = text.get("text")
        if not isinstance(value, str) or not value:
            self.fail("must be more than 0 characters", f"{pointer}/text")
            return
        self.max_length(value, limit, f"{pointer}/text")

    def view(self, view: object, pointer: str) -> None:
        if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
            self.fail("must be a view of type modal or home", f"{pointer}/type")
            return
        self.in_modal = view["type"] == "modal"
        self.max_length(view.get("private_metadata"), PRIVATE_METADATA_MAX, f"{pointer}/private_metadata")
        self.max_length(view.get("callback_id"), ID_MAX, f"{pointer}/callback_id")
        self.max_length(view.get("external_id"), ID_MAX, f"{pointer}/external_id")
        blocks = view.get("blocks")
        self.blocks(blocks, SURFACE_MAX_BLOCKS, f"{pointer}/blocks")
        if view["type"] == "home":
            return
        self.text_object(view.get("title"), VIEW_TITLE_MAX, f"{pointer}/title", plain_only=True)
        for button in ("submit", "close"):
            if button in view:
                self.text_object(view[button], VIEW_BUTTON_MAX, f"{pointer}/{button}", plain_only=True)
        has_inputs = isinstance(blocks, list) and any(
            isinstance(block, dict) and block.get("type") == "input" for block in blocks
        )
        if has_inputs and "submit" not in view:
            self.fail("must provide a submit button when the view has input blocks", f"{pointer}/submit")

    def blocks(self, blocks: object, limit: int, pointer: str) -> None:
        if blocks is None:
            return
        if not isinstance(blocks, list):
            self.fail("must be an array of blocks", pointer)
            return
        if len(blocks) > limit:
            self.fail(f"no more than {limit} items allowed", pointer)
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}")

    def block(self, block: object, pointer: str) -> None:
        if not isinstance(block, dict) or block.get("type") not in KNOWN_BLOCK_TYPES:
            self.fail("unsupported block type", f"{pointer}/type")
            return
        self.max_length(block.get("block_id"), ID_MAX, f"{pointer}/block_id")
        kind = block["type"]
        if kind == "section":
            self.section(block, pointer)
        elif kind == "header":
            self.text_object(block.get("text"), HEADER_TEXT_MAX, f"{pointer}/text", plain_only=True)
        elif kind == "actions":
            self.elements(
                block.get("elements"), ACTIONS_ELEMENTS_MAX, f"{pointer}/elements", interactive=True
            )
        elif kind == "context":
            self.elements(
                block.get("elements"), CONTEXT_ELEMENTS_MAX, f"{pointer}/elements", interactive=False
            )
        elif kind == "image":
            self.image(block, pointer)
        elif kind == "input":
            self.text_object(block.get("label"), LABEL_MAX, f"{pointer}/label", plain_only=True)
            if "hint" in block:
                self.text_object(block["hint"], LABEL_MAX, f"{pointer}/hint", plain_only=True)
            self.element(block.get("element"), f"{pointer}/element", in_input=True)

    def image(self, image: JsonDict, pointer: str) -> None:
        """An image shows a URL or a Slack file (exactly one), described for screen readers."""
        alt_text = image.get("alt_text")
        if not isinstance(alt_text, str) or not alt_text:
            self.fail("must be more than 0 characters", f"{pointer}/alt_text")
        self.max_length(alt_text, ALT_TEXT_MAX, f"{pointer}/alt_text")
        if ("image_url" in image) == ("slack_file" in image):
            self.fail("must provide exactly one of image_url or slack_file", pointer)
        elif "image_url" in image:
            self.max_length(image["image_url"], URL_MAX, f"{pointer}/image_url")
        else:
            reference = image["slack_file"]
            if not isinstance(reference, dict) or ("id" in reference) == ("url" in reference):
                self.fail("must provide exactly one of id or url", f"{pointer}/slack_file")

    def section(self, block: JsonDict, pointer: str) -> None:
        if "text" not in block and "fields" not in block:
            self.fail("must provide text or fields", pointer)
        if "text" in block:
            self.text_object(block["text"], SECTION_TEXT_MAX, f"{pointer}/text")
        fields = block.get("fields", [])
        self.max_items(fields, SECTION_FIELDS_MAX, f"{pointer}/fields")
        for index, text in enumerate(fields):
            self.text_object(text, SECTION_FIELD_TEXT_MAX, f"{pointer}/fields/{index}")
        if "accessory" in block:
            self.element(block["accessory"], f"{pointer}/accessory")

    def elements(self, elements: object, limit: int, pointer: str, interactive: bool) -> None:
        if not isinstance(elements, list) or not elements:
            self.fail("must provide a non-empty array of elements", pointer)
            return
        self.max_items(elements, limit, pointer)
        if interactive:
            for index, element in enumerate(elements):
                self.element(element, f"{pointer}/{index}")

    def element(self, element: object, pointer: str, in_input: bool = False) -> None:
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            self.fail("must be an element object", pointer)
            return
        if element["type"] == "file_input":
            self.file_input(element, pointer, in_input)
        self.max_length(element.get("action_id"), ID_MAX, f"{pointer}/action_id")
        if "placeholder" in element:
            self.text_object(
                element["placeholder"], PLACEHOLDER_MAX, f"{pointer}/placeholder", plain_only=True
            )
        if element["type"] == "button":
            self.text_object(element.get("text"), BUTTON_TEXT_MAX, f"{pointer}/text", plain_only=True)
            self.max_length(element.get("value"), BUTTON_VALUE_MAX, f"{pointer}/value")
            self.max_length(element.get("url"), URL_MAX, f"{pointer}/url")
        if element["type"] in OPTIONS_MAX:
            self.choices(element, OPTIONS_MAX[element["type"]], pointer)

    def file_input(self, element: JsonDict, pointer: str, in_input: bool) -> None:
        if not (in_input and self.in_modal):
            self.fail("file_input is only allowed in an input block of a modal", f"{pointer}/type")
        max_files = element.get("max_files", FILE_INPUT_MAX_FILES)
        if not isinstance(max_files, int) or not 1 <= max_files <= FILE_INPUT_MAX_FILES:
            self.fail(f"must be between 1 and {FILE_INPUT_MAX_FILES}", f"{pointer}/max_files")
        filetypes = element.get("filetypes", [])
        if not isinstance(filetypes, list) or not all(isinstance(one, str) and one for one in filetypes):
            self.fail("must be an array of file extensions", f"{pointer}/filetypes")

    def choices(self, element: JsonDict, limit: int, pointer: str) -> None:
        if "options" not in element and "option_groups" not in element:
            self.fail("must provide options or option_groups", pointer)
        groups = [("/options", element.get("options", []))] + [
            (f"/option_groups/{index}/options", group.get("options", []))
            for index, group in enumerate(element.get("option_groups", []))
        ]
        for suffix, options in groups:
            self.max_items(options, limit, f"{pointer}{suffix}")
            for index, option in enumerate(options):
                option_pointer = f"{pointer}{suffix}/{index}"
                self.text_object(option.get("text"), OPTION_TEXT_MAX, f"{option_pointer}/text")
                self.max_length(option.get("value"), OPTION_VALUE_MAX, f"{option_pointer}/value")
