"""Block Kit as terminal text: headers, fields, prices, context lines, numbered buttons and modal forms.

Everything returns rich `Text`, which prints styled on a terminal and as plain text anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text

from sandbox.console.files import FileLookup, no_files
from sandbox.console.mrkdwn import Names, to_text
from sandbox.slack import Message, View
from sandbox.slack.block_kit import JsonDict, PlacedElement, options_of, plain_text

Numberer = Callable[[PlacedElement], int | None]
"""The number a user types to use an element (None: the element is shown without one)."""

INDENT = "  "
BUTTON_STYLES = {"primary": "bold green", "danger": "bold red"}
SINGLE_CHOICE = frozenset({"static_select", "radio_buttons", "overflow", "external_select"})
MULTI_CHOICE = frozenset({"checkboxes", "multi_static_select", "multi_external_select"})
FREE_INPUTS = {
    "plain_text_input": "text",
    "number_input": "number",
    "email_text_input": "email address",
    "url_text_input": "URL",
    "datepicker": "date (YYYY-MM-DD)",
    "timepicker": "time (HH:MM)",
    "users_select": "user id",
    "channels_select": "channel id",
    "conversations_select": "conversation id",
}


def unnumbered(placed: PlacedElement) -> None:
    return None


@dataclass(frozen=True)
class Renderer:
    names: Names
    emoji: bool = False
    number: Numberer = unnumbered
    files: FileLookup = no_files

    def message(self, message: Message) -> Text:
        """The message body as Slack shows it (its fallback text when it has no blocks), then its files."""
        body = (
            _lines(self._block(block, {}) for block in message.blocks)
            if message.blocks
            else self._mrkdwn(message.text)
        )
        return _lines([body, *(self._file(shared) for shared in message.files)])

    def home(self, view: View) -> Text:
        """A Home tab: its blocks, buttons numbered (no form to submit or close)."""
        return _lines(self._block(block, {}) for block in view.blocks)

    def view(self, view: View) -> Text:
        """A modal as a form: its blocks, inputs with their keys and errors, and how to submit or close."""
        body = [self._block(block, view.errors) for block in view.blocks]
        footer = Text(style="dim")
        if view.submit:
            footer.append("/submit key=value … ").append(f"[{view.submit}]", style="bold green")
            footer.append("   ")
        footer.append("/close ").append(f"[{view.close or 'Close'}]", style="bold")
        return _lines([*body, footer])

    def _mrkdwn(self, text: str) -> Text:
        return to_text(text, self.names, emoji=self.emoji)

    def _text_object(self, text_object: object) -> Text:
        if isinstance(text_object, dict) and text_object.get("type") == "mrkdwn":
            return self._mrkdwn(str(text_object.get("text", "")))
        return Text(plain_text(text_object))

    def _block(self, block: JsonDict, errors: dict[str, str]) -> Text:
        kind = block.get("type")
        if kind == "input":
            return self._input(block, errors.get(str(block.get("block_id", ""))))
        if kind == "section":
            return self._section(block)
        if kind == "context":
            line = Text("  ").join(self._context_element(element) for element in block.get("elements", []))
            line.stylize("dim")
            return line
        if kind == "actions":
            return Text("  ").join(self._element(block, element) for element in block.get("elements", []))
        if kind == "image":
            return Text(f"[image: {self._image_name(block)}]", style="dim")
        return _static_block(block)

    def _image_name(self, block: JsonDict) -> str:
        """An uploaded image by its file's name; one from a URL by its alt text."""
        slack_file = block.get("slack_file")
        if isinstance(slack_file, dict):
            facts = self.files(str(slack_file.get("id", "")))
            if facts is not None:
                return facts.name
        return str(block.get("alt_text", ""))

    def _file(self, shared: JsonDict) -> Text:
        """`[file: numbers.csv · 12 KB · 200 rows] saved as /path` (only the name if the console lacks it)."""
        facts = self.files(str(shared.get("id", "")))
        if facts is None:
            return Text(f"[file: {shared.get('name', shared.get('id', ''))}]", style="bold")
        line = Text(f"[file: {facts.summary()}]", style="bold")
        if facts.path is not None:
            line.append(f" saved as {facts.path}", style="dim")
        return line

    def _section(self, block: JsonDict) -> Text:
        parts = []
        if "text" in block:
            parts.append(self._text_object(block["text"]))
        parts.extend(self._field(field) for field in block.get("fields", []))
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and "action_id" in accessory:
            parts.append(self._element(block, accessory))
        return _lines(parts)

    def _field(self, field: JsonDict) -> Text:
        """`*Label*\\nvalue` (how fields are written) reads best as `Label: value`."""
        source = str(field.get("text", ""))
        first, newline, rest = source.partition("\n")
        if (
            field.get("type") != "mrkdwn"
            or not newline
            or not (first.startswith("*") and first.endswith("*"))
        ):
            return self._text_object(field)
        value = _indent_continuation(self._mrkdwn(rest), INDENT)
        return Text(first.strip("*") + ": ", style="bold") + value

    def _context_element(self, element: JsonDict) -> Text:
        if element.get("type") == "image":
            return Text(f"[{element.get('alt_text', 'image')}]")
        return self._text_object(element)

    def _element(self, block: JsonDict, element: JsonDict) -> Text:
        placed = PlacedElement(str(block.get("block_id", "")), element)
        number = self.number(placed)
        tag = f"[{number}] " if number is not None else ""
        if placed.type == "button":
            style = BUTTON_STYLES.get(str(element.get("style")), "bold")
            return Text(f"{tag}", style="bold") + Text(f"[{placed.text}]", style=style)
        return Text(f"{tag}▾ {plain_text(element.get('placeholder')) or placed.type}", style="bold") + Text(
            f" ({describe_input(element)})", style="dim"
        )

    def _input(self, block: JsonDict, error: str | None) -> Text:
        element = block.get("element", {})
        label = Text("▸ ", style="bold") + Text(plain_text(block.get("label")), style="bold")
        key = f"  key: {block.get('block_id')}" + (", optional" if block.get("optional") else ", required")
        label.append(key, style="dim")
        lines = [label, Text(INDENT * 2 + describe_input(element), style="dim")]
        if "hint" in block:
            lines.append(Text(INDENT * 2 + plain_text(block["hint"]), style="dim italic"))
        if error:
            lines.append(Text(INDENT * 2 + "✗ " + error, style="bold red"))
        return _lines(lines)


def _static_block(block: JsonDict) -> Text:
    kind = block.get("type")
    if kind == "header":
        return Text(plain_text(block.get("text")), style="bold underline")
    if kind == "divider":
        return Text("─" * 40, style="dim")
    return Text(f"[{kind} block]", style="dim")


def describe_input(element: JsonDict) -> str:
    """What an input takes and holds now, e.g. `pick one: A | B (now: A)`."""
    kind = str(element.get("type", ""))
    options = [plain_text(option.get("text")) for option in options_of(element)]
    if kind in SINGLE_CHOICE:
        described = "pick one: " + " | ".join(options)
        initial = plain_text(element.get("initial_option", {}).get("text"))
    elif kind in MULTI_CHOICE:
        described = "pick any, comma separated: " + " | ".join(options)
        initial = ", ".join(plain_text(option.get("text")) for option in element.get("initial_options", []))
    elif kind == "file_input":
        return _file_input(element)
    else:
        described = FREE_INPUTS.get(kind, kind.replace("_", " "))
        described += ", several lines" if element.get("multiline") else ""
        initial = str(element.get("initial_value", ""))
    return f"{described} (now: {initial})" if initial else described


def _file_input(element: JsonDict) -> str:
    """`files (pdf, png; at most 1): key=@path`."""
    limits = [", ".join(str(extension) for extension in element.get("filetypes", []))]
    max_files = int(element.get("max_files", 10))
    limits.append("1 file" if max_files == 1 else f"at most {max_files}")
    return f"files ({'; '.join(part for part in limits if part)}): key=@path"


def _lines(parts: Iterable[Text]) -> Text:
    return Text("\n").join(part for part in parts if part.plain)


def _indent_continuation(text: Text, prefix: str) -> Text:
    lines = text.split("\n")
    return Text("\n").join([lines[0], *(Text(prefix) + line for line in lines[1:])])
