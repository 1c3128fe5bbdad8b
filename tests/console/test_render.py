"""Block Kit as the console shows it: fields, context, numbered buttons, and modals as forms."""

from __future__ import annotations

from typing import Any

from bot.blockkit.blocks import context, fields, header, section, to_dicts
from sandbox.console.render import Renderer, describe_input
from sandbox.slack import Message, View
from sandbox.slack.block_kit import PlacedElement

NAMES = {"U0RITA001": "rita"}


def names(slack_id: str) -> str:
    return NAMES.get(slack_id, slack_id)


def message(blocks: list[dict[str, Any]], text: str = "fallback") -> Message:
    return Message(ts="1.000001", channel="C0OPS0001", text=text, blocks=blocks, user="U0NUMBOT", bot=True)


def view(blocks: list[dict[str, Any]], errors: dict[str, str] | None = None) -> View:
    return View(
        id="V1",
        type="modal",
        user_id="U0RITA001",
        hash="H1",
        callback_id="rent.modal",
        title="Request a number",
        blocks=blocks,
        private_metadata="",
        external_id="",
        submit="Ask for approval",
        close="Cancel",
        notify_on_close=False,
        root_view_id="V1",
        previous_view_id=None,
        definition={},
        errors=errors or {},
    )


def counting() -> tuple[list[PlacedElement], Renderer]:
    seen: list[PlacedElement] = []

    def number(placed: PlacedElement) -> int:
        seen.append(placed)
        return len(seen) + 6

    return seen, Renderer(names, number=number)


def test_a_card_reads_as_header_fields_prices_context_and_numbered_buttons() -> None:
    blocks = to_dicts(
        [
            header("R-1: Rent +12065550100"),
            *fields([("Requested by", "<@U0RITA001>"), ("Monthly", "1.00 USD")]),
            context("Expires soon · the requester cannot approve"),
        ]
    )
    blocks.insert(
        2,
        {
            "type": "actions",
            "block_id": "decide",
            "elements": [
                {"type": "button", "action_id": "approve", "text": {"type": "plain_text", "text": "Approve"}},
                {"type": "button", "action_id": "reject", "text": {"type": "plain_text", "text": "Reject"}},
            ],
        },
    )
    seen, renderer = counting()

    shown = renderer.message(message(blocks)).plain

    assert shown == (
        "R-1: Rent +12065550100\n"
        "Requested by: @rita\n"
        "Monthly: 1.00 USD\n"
        "[7] [Approve]  [8] [Reject]\n"
        "Expires soon · the requester cannot approve"
    )
    assert [placed.action_id for placed in seen] == ["approve", "reject"]


def test_a_section_button_gets_its_number_under_the_text() -> None:
    button: dict[str, Any] = {"type": "button", "action_id": "numbers.request", "value": "x"}
    button["text"] = {"type": "plain_text", "text": "Request this number"}
    blocks = to_dicts([section("*+12065550100*  US LOCAL")])
    blocks[0]["accessory"] = button
    _, renderer = counting()

    assert renderer.message(message(blocks)).plain == "+12065550100  US LOCAL\n[7] [Request this number]"


def test_a_message_without_blocks_shows_its_text() -> None:
    assert Renderer(names).message(message([], text="*Hi* <@U0RITA001>")).plain == "Hi @rita"


def test_a_modal_is_a_form_with_keys_choices_hints_and_errors_next_to_the_field() -> None:
    options = [
        {"text": {"type": "plain_text", "text": "Voice API app (RTC)"}, "value": "RTC"},
        {"text": {"type": "plain_text", "text": "Fax service (FAX)"}, "value": "FAX"},
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "campaign",
            "label": {"type": "plain_text", "text": "10DLC campaign ID"},
            "hint": {"type": "plain_text", "text": "Needs a service plan."},
            "optional": True,
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "voice",
            "label": {"type": "plain_text", "text": "Voice application"},
            "element": {"type": "static_select", "action_id": "value", "options": options},
        },
    ]

    shown = Renderer(names).view(view(blocks, errors={"campaign": "A campaign needs a service plan."})).plain

    assert shown == (
        "▸ 10DLC campaign ID  key: campaign, optional\n"
        "    text\n"
        "    Needs a service plan.\n"
        "    ✗ A campaign needs a service plan.\n"
        "▸ Voice application  key: voice, required\n"
        "    pick one: Voice API app (RTC) | Fax service (FAX)\n"
        "/submit key=value … [Ask for approval]   /close [Cancel]"
    )


def test_inputs_say_what_they_hold_now() -> None:
    option = {"text": {"type": "plain_text", "text": "SMS"}, "value": "SMS"}
    assert describe_input({"type": "checkboxes", "options": [option], "initial_options": [option]}) == (
        "pick any, comma separated: SMS (now: SMS)"
    )
    assert describe_input({"type": "plain_text_input", "multiline": True, "initial_value": "x"}) == (
        "text, several lines (now: x)"
    )
    assert describe_input({"type": "datepicker"}) == "date (YYYY-MM-DD)"


def test_a_file_input_says_what_it_takes_and_how_to_attach() -> None:
    element = {"type": "file_input", "action_id": "value", "filetypes": ["pdf", "png"], "max_files": 1}
    assert describe_input(element) == "files (pdf, png; 1 file): key=@path"
    assert describe_input({"type": "file_input", "action_id": "value"}) == "files (at most 10): key=@path"
