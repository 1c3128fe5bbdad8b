"""Slack mrkdwn as people read it in the console."""

from __future__ import annotations

from rich.text import Text

from sandbox.console.mrkdwn import MENTION_STYLE, MONEY_STYLE, plain, to_text

NAMES = {"U0RITA001": "rita", "C0APPROVE": "approvals"}


def names(slack_id: str) -> str:
    return NAMES.get(slack_id, slack_id)


def styles_of(text: Text, fragment: str) -> set[str]:
    start = text.plain.index(fragment)
    return {
        str(span.style) for span in text.spans if span.start <= start and span.end >= start + len(fragment)
    }


def test_mentions_channels_dates_and_links_read_as_names_and_labels() -> None:
    shown = plain(
        "<@U0RITA001> asked in <#C0APPROVE>; expires <!date^1795684522^{date_short_pretty}|2026-11-26>, "
        "see <https://example.com/doc|the runbook> or <https://example.com>",
        names,
    )

    assert shown == ("@rita asked in #approvals; expires 2026-11-26, see the runbook or https://example.com")


def test_formatting_marks_disappear_and_style_the_words() -> None:
    text = to_text("*Approved by <@U0RITA001> and done.* _soon_ ~gone~ `plan-1`", names)

    assert text.plain == "Approved by @rita and done. soon gone plan-1"
    assert "bold" in styles_of(text, "Approved by")
    assert MENTION_STYLE in styles_of(text, "@rita")
    assert "italic" in styles_of(text, "soon")
    assert "strike" in styles_of(text, "gone")
    assert "cyan" in styles_of(text, "plan-1")


def test_underscores_inside_words_are_not_italics() -> None:
    assert plain("set snake_case_name and a*b*c", names) == "set snake_case_name and a*b*c"


def test_quotes_escapes_and_prices() -> None:
    text = to_text("&gt; We have enough &amp; more\nsetup 1.00 USD · monthly 12,000.50 EUR", names)

    assert text.plain == "│ We have enough & more\nsetup 1.00 USD · monthly 12,000.50 EUR"
    assert MONEY_STYLE in styles_of(text, "1.00 USD")
    assert MONEY_STYLE in styles_of(text, "12,000.50 EUR")


def test_emoji_shortcodes_become_emoji_only_when_asked() -> None:
    assert plain(":white_check_mark: done", names) == ":white_check_mark: done"
    assert to_text(":white_check_mark: done", names, emoji=True).plain == "✅ done"
