"""Turn the text after `/numbers` into words and options, with messages a user can act on.

Pure functions: no Slack, no Sinch. argparse is no fit for chat (it prints and exits), so this is a small,
strict parser: every unknown flag, missing value or bad number is a `UsageError` naming the problem.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches

from bot.blockkit.text import clean
from bot.errors import UsageError

# The longest value any option takes: a display name or a Sinch ID (the forms' limits too).
OPTION_MAX = 100


def split_words(text: str) -> list[str]:
    """Shell-like splitting so display names can be quoted: `update +1... "Support line"`.

    Control and bidi characters are removed first, so no word a command stores or sends to Sinch has any.
    """
    try:
        return shlex.split(clean(text).replace("\u201c", '"').replace("\u201d", '"'))
    except ValueError as exc:
        raise UsageError(f"Could not read that command: {exc} (check your quotes).") from None


@dataclass(frozen=True)
class Parsed:
    positionals: list[str]
    flags: frozenset[str] = frozenset()
    options: Mapping[str, str] = field(default_factory=dict)

    def int_option(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = self.options.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise UsageError(f"`{name}` takes a whole number, not `{raw}`.") from None
        if not low <= value <= high:
            raise UsageError(f"`{name}` must be between {low} and {high}, not {value}.")
        return value


def parse_args(
    words: Sequence[str],
    *,
    flags: Sequence[str] = (),
    options: Sequence[str] = (),
    max_positionals: int | None = None,
    usage: str | None = None,
) -> Parsed:
    """Split words into positionals, boolean `flags` and valued `options` (`--limit 5`, `--limit=5`).

    An option value longer than OPTION_MAX is refused here, once for every command.
    """
    positionals: list[str] = []
    seen_flags: set[str] = set()
    values: dict[str, str] = {}
    known = [*flags, *options]
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("--"):
            positionals.append(word)
            continue
        name, has_value, inline = word.partition("=")
        if name in flags and not has_value:
            seen_flags.add(name)
        elif name in options:
            if has_value:
                values[name] = inline
            elif index < len(words):
                values[name] = words[index]
                index += 1
            else:
                raise UsageError(f"`{name}` needs a value.", usage)
        else:
            raise UsageError(f"Unknown option `{word}`.{suggest(name, known)}", usage)
    too_long = next((name for name, value in values.items() if len(value) > OPTION_MAX), None)
    if too_long is not None:
        raise UsageError(
            f"Keep `{too_long}` to {OPTION_MAX} characters or fewer (it has {len(values[too_long])}).", usage
        )
    if max_positionals is not None and len(positionals) > max_positionals:
        extra = " ".join(positionals[max_positionals:])
        raise UsageError(f"Unexpected `{extra}`.", usage)
    return Parsed(positionals, frozenset(seen_flags), values)


def suggest(word: str, choices: Sequence[str]) -> str:
    """A " Did you mean `x`?" hint for a near miss, else "" (shared by subcommand and value checks)."""
    close = get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


def shortened(word: str, keep: int = 24) -> str:
    """A typed word as an error message may echo it: a very long one is cut, so the reason stays readable."""
    if len(word) <= keep:
        return word
    return f"{word[:keep]}… ({len(word)} characters)"
