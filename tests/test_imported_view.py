"""Rendering imported numbers: protobuf status integers, and lists that stay within Slack's limits."""

from __future__ import annotations

from bot.blockkit.blocks import MESSAGE_BLOCKS, SECTION_TEXT
from bot.sinch.models import ImportedNumber, ScheduledProvisioning, SmsConfiguration
from commands.imported.view import list_blocks, number_line, status_name


def number(index: int, scheduled: ScheduledProvisioning | None = None) -> ImportedNumber:
    sms = SmsConfiguration(service_plan_id="plan-a", scheduled_provisioning=scheduled)
    return ImportedNumber(phone_number=f"+1206234{index:04d}", region_code="US", sms_configuration=sms)


def test_status_integers_are_named_in_spec_order_and_unknown_ones_shown_raw() -> None:
    assert [status_name(value) for value in (1, 2, 3)] == ["WAITING", "IN_PROGRESS", "FAILED"]
    assert status_name(42) == "status 42"
    assert "SMS FAILED" in number_line(number(1, ScheduledProvisioning(status=3)))
    assert "SMS not linked" in number_line(ImportedNumber(phone_number="+12062340000"))


def test_a_long_list_fits_one_message_and_says_how_many_were_left_out() -> None:
    text, blocks = list_blocks([number(index) for index in range(3000)], "service plan `plan-a`")
    dicts = [block.to_dict() for block in blocks]
    assert len(blocks) < MESSAGE_BLOCKS
    assert all(len(d.get("text", {}).get("text", "")) <= SECTION_TEXT for d in dicts)
    shown = sum(d["text"]["text"].count("+1206") for d in dicts if d["type"] == "section")
    assert f"…and {3000 - shown} more" in dicts[-1]["elements"][0]["text"]
    assert text.startswith("Imported numbers (3000)")


def test_an_empty_list_says_so() -> None:
    _, blocks = list_blocks([], "campaign `C1`")
    assert "No imported number matches." in str(blocks[-1].to_dict())
