from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UsageError
from commands.shared.parsing import parse_args, split_words


def test_quoted_words_stay_together() -> None:
    assert split_words('update +15551234567 "Support line"') == ["update", "+15551234567", "Support line"]


def test_smart_quotes_from_slack_clients_count_as_quotes() -> None:
    assert split_words("update +1 \u201cSupport line\u201d") == ["update", "+1", "Support line"]


def test_unbalanced_quote_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="check your quotes"):
        split_words('update "Support line')


def test_flags_options_and_positionals() -> None:
    parsed = parse_args(
        ["US", "--sms", "LOCAL", "--limit", "5", "--pattern=555"],
        flags=["--sms", "--voice"],
        options=["--limit", "--pattern"],
    )
    assert parsed.positionals == ["US", "LOCAL"]
    assert parsed.flags == {"--sms"}
    assert parsed.options == {"--limit": "5", "--pattern": "555"}
    assert parsed.int_option("--limit", 10, low=1, high=50) == 5


def test_unknown_option_suggests_the_close_one() -> None:
    with pytest.raises(UsageError, match="Did you mean `--limit`"):
        parse_args(["--limt", "3"], options=["--limit"])


def test_option_without_value() -> None:
    with pytest.raises(UsageError, match="`--limit` needs a value"):
        parse_args(["--limit"], options=["--limit"])


@pytest.mark.parametrize(
    ("raw", "message"), [("x", "whole number"), ("0", "between 1 and 50"), ("99", "between")]
)
def test_int_option_is_checked(raw: str, message: str) -> None:
    parsed = parse_args(["--limit", raw], options=["--limit"])
    with pytest.raises(UsageError, match=message):
        parsed.int_option("--limit", 10, low=1, high=50)


def test_too_many_positionals_names_the_extra_words() -> None:
    with pytest.raises(UsageError, match="Unexpected `extra words`") as caught:
        parse_args(["a", "extra", "words"], max_positionals=1, usage="show <+E164>")
    assert caught.value.usage == "show <+E164>"


@given(st.text(max_size=200))
def test_any_text_either_parses_or_says_why(text: str) -> None:
    try:
        words = split_words(text)
        parse_args(words, flags=["--sms"], options=["--limit"], max_positionals=3)
    except UsageError as exc:
        assert str(exc)
