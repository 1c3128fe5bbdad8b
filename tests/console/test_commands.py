"""What a console user can type, and the errors a typo gets."""

from __future__ import annotations

import pytest

from sandbox.console.commands import (
    Capture,
    Click,
    Comment,
    ConsoleError,
    Expect,
    Home,
    Quit,
    Slash,
    Submit,
    SwitchChannel,
    SwitchUser,
    parse_line,
    substitute,
)


def test_slash_commands_go_to_the_bot_as_typed() -> None:
    assert parse_line("  /numbers search US LOCAL --sms ") == Slash("/numbers", "search US LOCAL --sms")
    assert parse_line("/numbers") == Slash("/numbers", "")


def test_console_commands() -> None:
    assert parse_line("/as approver") == SwitchUser("approver")
    assert parse_line("/channel #approvals") == SwitchChannel("#approvals")
    assert parse_line("/click 3") == Click(3)
    assert parse_line("/click 4 Voice API app (RTC)") == Click(4, "Voice API app (RTC)")
    assert parse_line("/click Request this number") == Click("Request this number")
    assert parse_line("/expect is waiting for a second person") == Expect("is waiting for a second person")
    assert parse_line("# a step") == Comment("a step")
    assert parse_line("/home") == Home()
    assert parse_line("/quit") == Quit()
    assert parse_line("   ") is None


def test_submit_takes_quoted_key_value_pairs() -> None:
    assert parse_line('/submit "Display name=Support line" reason="Campaign ended" plan=') == Submit(
        {"Display name": "Support line", "reason": "Campaign ended", "plan": ""}
    )


def test_capture_compiles_its_pattern() -> None:
    command = parse_line(r"/capture number \+1\d{10}")

    assert isinstance(command, Capture) and command.name == "number"
    assert command.pattern.search("Rent +12065550100 now") is not None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("hello bot", "the bot only listens to slash commands"),
        ("/clik 3", "unknown command /clik. Did you mean `/click`?"),
        ("/frobnicate", "unknown command /frobnicate. Try /help."),
        ("/click", "usage: /click"),
        ("/submit reason", "/submit takes key=value pairs; 'reason' has no '='"),
        ('/submit "reason=open', "quote values with spaces"),
        ("/capture 1x .*", "usage: /capture <name> <regex>"),
        ("/capture number (", "bad regular expression"),
        ("/look now", "/look takes no arguments"),
        ("/home alex", "/home takes no arguments"),
        ("/hom", "unknown command /hom. Did you mean `/home`?"),
    ],
)
def test_mistakes_are_explained(line: str, message: str) -> None:
    with pytest.raises(ConsoleError, match=message.replace("(", r"\(").replace("?", r"\?")):
        parse_line(line)


def test_captured_values_fill_in_later_lines() -> None:
    assert substitute("/numbers release $number ${number}", {"number": "+1206"}) == (
        "/numbers release +1206 +1206"
    )
    with pytest.raises(ConsoleError, match=r"\$phone was never captured \(captured: \$number\)"):
        substitute("/numbers show $phone", {"number": "+1206"})
