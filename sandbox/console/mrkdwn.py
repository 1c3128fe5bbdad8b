"""Slack's mrkdwn as styled terminal text: bold, italic, strike, code, quotes, mentions, dates and links."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from rich.emoji import Emoji
from rich.text import Text

Names = Callable[[str], str]
"""A user or channel id to the name people know it by ("rita", "ops")."""

MENTION_STYLE = "bold blue"
CODE_STYLE = "cyan"
MONEY_STYLE = "bold green"
QUOTE_PREFIX = "│ "

# Formatting markers count only at word edges, as in Slack: `snake_case_name` is not italic.
_INLINE = re.compile(
    r"<(?P<angle>[^<>\n]+)>"
    r"|`(?P<code>[^`\n]+)`"
    r"|(?<![\w*])\*(?P<bold>[^*\n]+?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic>[^_\n]+?)_(?![\w_])"
    r"|(?<![\w~])~(?P<strike>[^~\n]+?)~(?![\w~])"
)
_EMPHASIS = {"bold": "bold", "italic": "italic", "strike": "strike"}
MONEY = re.compile(r"\b\d[\d,]*\.\d{2} [A-Z]{3}\b")


def to_text(mrkdwn: str, names: Names, *, emoji: bool = False) -> Text:
    """Styled text for `mrkdwn`; `emoji` turns :shortcodes: into emoji (only where a terminal shows them)."""
    lines = []
    for line in mrkdwn.replace("```", "").split("\n"):
        quoted = line.startswith(("&gt;", ">"))
        body = line.removeprefix("&gt;").removeprefix(">").lstrip() if quoted else line
        rendered = _inline(body, "", names, emoji)
        lines.append(Text(QUOTE_PREFIX, style="dim") + rendered if quoted else rendered)
    text = Text("\n").join(lines)
    text.highlight_regex(MONEY, MONEY_STYLE)
    return text


def plain(mrkdwn: str, names: Names) -> str:
    """What a person reads, without styling (for matching and for non-terminal output)."""
    return to_text(mrkdwn, names).plain


def angle_token(token: str, names: Names) -> tuple[str, bool]:
    """The visible text of a `<...>` token, and whether it names someone or somewhere (a mention)."""
    target, _, label = token.partition("|")
    if target.startswith("@"):
        return "@" + names(target[1:]), True
    if target.startswith("#"):
        return "#" + (label or names(target[1:])), True
    if target.startswith("!"):
        command = target[1:].split("^", 1)[0]
        # Dates and user groups carry the text to show as their fallback label.
        return label or "@" + command, command != "date"
    return label or target, False


def _inline(text: str, style: str, names: Names, emoji: bool) -> Text:
    result = Text(style=style)
    position = 0
    for match in _INLINE.finditer(text):
        result.append(_plain_segment(text[position : match.start()], emoji))
        kind = match.lastgroup or ""
        content = match.group(kind)
        if kind == "angle":
            visible, is_mention = angle_token(content, names)
            result.append(html.unescape(visible), style=MENTION_STYLE if is_mention else "underline")
        elif kind == "code":
            result.append(html.unescape(content), style=CODE_STYLE)
        else:
            result.append(_inline(content, f"{style} {_EMPHASIS[kind]}".strip(), names, emoji))
        position = match.end()
    result.append(_plain_segment(text[position:], emoji))
    return result


def _plain_segment(text: str, emoji: bool) -> str:
    unescaped = html.unescape(text)
    return Emoji.replace(unescaped) if emoji else unescaped
