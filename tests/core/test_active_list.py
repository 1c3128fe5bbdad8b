"""`list` arguments and counts, as pure functions."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.errors import UsageError
from bot.sinch.models import Capability, NumberType, SearchPattern
from commands.active.listing import ListQuery, breakdown, parse_list_query


def test_words_are_recognised_whatever_their_order_and_case() -> None:
    query = parse_list_query(["toll-free", "--voice", "us", "--sms", "+1800"])
    assert query == ListQuery(
        region="US",
        number_type=NumberType.TOLL_FREE,
        capabilities=(Capability.SMS, Capability.VOICE),
        pattern="+1800",
    )
    assert query.describe() == "US TOLL_FREE SMS VOICE starting +1800"


def test_a_leading_plus_matches_from_the_start_and_bare_digits_anywhere() -> None:
    starting = ListQuery(pattern="+1206").sinch_pattern()
    containing = ListQuery(pattern="555").sinch_pattern()
    assert starting is not None and starting.search_pattern is SearchPattern.START
    assert containing is not None and containing.search_pattern is SearchPattern.CONTAINS
    assert ListQuery().sinch_pattern() is None


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["US", "SE"], "Give one region at most (got `US` and `SE`)."),
        (["local", "mobile"], "Give one type at most (got `LOCAL` and `MOBILE`)."),
        (["mobil"], "Did you mean `mobile`?"),
        (["12-34"], "`12-34` is not a region code"),
        (["--tollfree"], "Unknown option `--tollfree`."),
    ],
)
def test_unreadable_words_are_refused_with_the_reason(words: list[str], message: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_list_query(words)
    assert message in str(refused.value)


def test_the_more_button_value_round_trips_within_slack_limits() -> None:
    query = ListQuery(region="US", capabilities=(Capability.SMS,), pattern="555", offset=40)
    assert ListQuery.decode(query.encode()) == query


def test_breakdowns_list_the_largest_first_and_ties_by_name() -> None:
    assert breakdown(Counter({"GB": 5, "US": 120, "CA": 5})) == "US 120, CA 5, GB 5"
    assert breakdown(Counter()) == "none"
