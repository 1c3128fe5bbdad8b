"""What a console user (or a script line) can type, parsed into typed commands. Pure functions."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import get_close_matches


class ConsoleError(Exception):
    """Something the console user should read: a typo, a button that is not there, an /expect timeout."""


@dataclass(frozen=True)
class Slash:
    command: str
    text: str


@dataclass(frozen=True)
class Click:
    target: int | str
    """An action number, or the visible text of a button."""
    option: str | None = None
    """For a select or radio element shown with a number: the option (value or text) to pick."""


@dataclass(frozen=True)
class Submit:
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Close:
    pass


@dataclass(frozen=True)
class SwitchUser:
    who: str


@dataclass(frozen=True)
class SwitchChannel:
    name: str


@dataclass(frozen=True)
class Look:
    pass


@dataclass(frozen=True)
class Home:
    pass


@dataclass(frozen=True)
class Expect:
    text: str


@dataclass(frozen=True)
class Capture:
    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Comment:
    text: str


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Quit:
    pass


Command = (
    Slash
    | Click
    | Submit
    | Close
    | SwitchUser
    | SwitchChannel
    | Look
    | Home
    | Expect
    | Capture
    | Comment
    | Help
    | Quit
)

Parser = Callable[[str], Command]

SLASH_COMMANDS = ("/numbers",)
VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)\}")
NAME = re.compile(r"^[A-Za-z_]\w*$")

HELP = """\
/numbers …              run the bot's command as the current user, in the current channel
/as <who>               become rita (requester), alex (approver) or ada (admin); a role works too
/channel <name>         look at #ops, #approvals or #numbers-alerts (shows its latest messages)
/look                   show the current channel again
/home                   open numbot's Home tab as the current user; its buttons get numbers to /click
/click <n | text>       press button [n], or the newest button with that text you can see
/click <n> <option>     pick an option in select [n]
/submit key=value …     fill the open modal's inputs (key or label; quote values with spaces) and submit;
                        attach files with key=@path/to/file.pdf (several: @a.pdf,@b.png)
/close                  close the open modal
/expect <text>          wait until <text> appears in something new since your last action
/capture <name> <regex> like /expect, and remember the match (group 1 if any) as $name
/help, /quit            this help; leave (Ctrl-D works too)
# comment               a step heading in scripts"""


def parse_line(line: str) -> Command | None:
    """The command on one line (None for a blank line); ConsoleError explains anything else."""
    stripped = line.strip()
    if not stripped:
        return None
    if stripped.startswith("#"):
        return Comment(stripped.lstrip("#").strip())
    if not stripped.startswith("/"):
        raise ConsoleError("the bot only listens to slash commands: type /numbers … (or /help)")
    word, _, rest = stripped.partition(" ")
    rest = rest.strip()
    if word in SLASH_COMMANDS:
        return Slash(word, rest)
    parser = _PARSERS.get(word)
    if parser is None:
        hint = _did_you_mean(word, [*_PARSERS, *SLASH_COMMANDS])
        raise ConsoleError(f"unknown command {word}." + (hint or " Try /help."))
    return parser(rest)


def substitute(line: str, variables: dict[str, str]) -> str:
    """`$name` / `${name}` replaced by values captured earlier; an unknown name is an error."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in variables:
            known = ", ".join(f"${known}" for known in variables) or "none yet"
            raise ConsoleError(f"${name} was never captured (captured: {known})")
        return variables[name]

    return VARIABLE.sub(value, line)


def _needs(rest: str, usage: str) -> str:
    if not rest:
        raise ConsoleError(f"usage: {usage}")
    return rest


def _click(rest: str) -> Click:
    target = _needs(rest, "/click <n | button text> [option]")
    number, _, option = target.partition(" ")
    if number.isdigit():
        return Click(int(number), option.strip() or None)
    return Click(target)


def _submit(rest: str) -> Submit:
    try:
        words = shlex.split(rest)
    except ValueError as exc:
        raise ConsoleError(f'/submit: {exc} (quote values with spaces: key="two words")') from None
    values = {}
    for word in words:
        key, equals, value = word.partition("=")
        if not equals or not key:
            raise ConsoleError(f"/submit takes key=value pairs; {word!r} has no '='")
        values[key] = value
    return Submit(values)


def _capture(rest: str) -> Capture:
    name, _, pattern = _needs(rest, "/capture <name> <regex>").partition(" ")
    if not NAME.match(name) or not pattern.strip():
        raise ConsoleError("usage: /capture <name> <regex>, e.g. /capture number \\+1\\d{10}")
    try:
        return Capture(name, re.compile(pattern.strip()))
    except re.error as exc:
        raise ConsoleError(f"/capture: bad regular expression: {exc}") from None


def _no_arguments(command: Command, usage: str) -> Parser:
    def parse(rest: str) -> Command:
        if rest:
            raise ConsoleError(f"{usage} takes no arguments")
        return command

    return parse


_PARSERS: dict[str, Parser] = {
    "/as": lambda rest: SwitchUser(_needs(rest, "/as <rita | alex | ada | requester | approver | admin>")),
    "/channel": lambda rest: SwitchChannel(_needs(rest, "/channel <ops | approvals | numbers-alerts>")),
    "/look": _no_arguments(Look(), "/look"),
    "/home": _no_arguments(Home(), "/home"),
    "/click": _click,
    "/submit": _submit,
    "/close": _no_arguments(Close(), "/close"),
    "/expect": lambda rest: Expect(_needs(rest, "/expect <text>")),
    "/capture": _capture,
    "/help": _no_arguments(Help(), "/help"),
    "/quit": _no_arguments(Quit(), "/quit"),
    "/exit": _no_arguments(Quit(), "/exit"),
}


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""
