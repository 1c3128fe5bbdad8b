"""What `/numbers search` and `rent-any` understand, the hints typos get, and how results fit one message."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from bot.blockkit import ids
from bot.errors import UsageError
from bot.sinch.models import AvailableRegion, Capability, NumberPattern, NumberType, SearchPattern
from commands.search.results import RESULTS_PER_MESSAGE, results_message
from commands.shared.number_offer import NumberOffer
from commands.shared.search_criteria import (
    RENT_ANY_USAGE,
    SEARCH_USAGE,
    Criteria,
    SearchQuery,
    parse_number_type,
    parse_pattern,
    parse_region,
    parse_rent_any,
    parse_search,
)
from tests.harness import visible_text

REGIONS = [
    AvailableRegion(
        region_code="US", region_name="United States", types=[NumberType.LOCAL, NumberType.TOLL_FREE]
    ),
    AvailableRegion(region_code="GB", region_name="United Kingdom", types=list(NumberType)[:3]),
    AvailableRegion(region_code="SE", region_name="Sweden", types=[NumberType.MOBILE, NumberType.LOCAL]),
]


def refusal(
    words: str, parse: Callable[[list[str], list[AvailableRegion]], object] = parse_search
) -> UsageError:
    with pytest.raises(UsageError) as caught:
        parse(words.split(), REGIONS)
    return caught.value


def test_a_full_search_line_is_understood() -> None:
    words = ["us", "toll-free", "800", "--contains", "--sms", "--voice", "--limit", "5"]

    query = parse_search(words, REGIONS)

    assert query == SearchQuery(
        Criteria(
            "US",
            NumberType.TOLL_FREE,
            NumberPattern(pattern="800", search_pattern=SearchPattern.CONTAINS),
            (Capability.SMS, Capability.VOICE),
        ),
        limit=5,
    )
    assert query.criteria.describe() == "US TOLL_FREE numbers containing 800 with SMS and VOICE"


def test_defaults_are_ten_numbers_of_any_capability_and_digits_match_the_start() -> None:
    query = parse_search(["GB", "mobile", "+4477"], REGIONS)

    assert query.limit == 10 and query.criteria.capabilities == ()
    assert query.criteria.pattern == NumberPattern(pattern="+4477", search_pattern=SearchPattern.START)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("LOCAL", NumberType.LOCAL),
        ("mobile", NumberType.MOBILE),
        ("Toll-Free", NumberType.TOLL_FREE),
        ("tollfree", NumberType.TOLL_FREE),
        ("toll_free", NumberType.TOLL_FREE),
    ],
)
def test_number_types_are_case_insensitive_and_toll_free_has_spellings(
    word: str, expected: NumberType
) -> None:
    assert parse_number_type(word) is expected


def test_an_unknown_type_suggests_the_near_one_and_lists_all() -> None:
    with pytest.raises(UsageError) as caught:
        parse_number_type("LOCL")

    assert (
        str(caught.value)
        == "Unknown number type `LOCL`. Did you mean `LOCAL`? Types: LOCAL, MOBILE, TOLL_FREE."
    )


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("UK", "Did you mean `GB` (United Kingdom)?"),
        ("Swedn", "Did you mean `SE` (Sweden)?"),
        ("XX", "Regions with numbers: GB, SE, US."),
    ],
)
def test_unknown_regions_get_a_specific_hint(word: str, hint: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_region(word, REGIONS)

    assert str(caught.value) == f"Unknown region `{word}`. {hint}"


def test_regions_are_read_by_code_in_any_case_or_by_country_name() -> None:
    assert parse_region("se", REGIONS).region_code == "SE"
    assert parse_region("united kingdom", REGIONS).region_code == "GB"


def test_a_type_the_region_does_not_sell_is_refused_with_what_it_sells() -> None:
    error = refusal("SE TOLL_FREE")

    assert str(error) == "Sinch has no TOLL_FREE numbers in SE; it offers LOCAL, MOBILE."
    assert error.usage == SEARCH_USAGE


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("US", "Say which region and number type"),
        ("US LOCAL 12 --starts --ends", "`--starts` and `--ends` contradict each other"),
        ("US LOCAL --ends", "`--ends` needs digits to look for"),
        ("US LOCAL 12a", "The pattern `12a` must be digits"),
        ("US LOCAL +1206 --ends", "A pattern with `+` is the start of a number"),
        ("US LOCAL 1234567890123456", "has 16 digits, more than a phone number (15 digits)"),
        ("US LOCAL --limit 0", "`--limit` must be between 1 and 100, not 0"),
        ("US LOCAL --limit ten", "`--limit` takes a whole number, not `ten`"),
        ("US LOCAL --lmit 5", "Unknown option `--lmit`. Did you mean `--limit`?"),
        ("US LOCAL 12 34", "Unexpected `34`"),
    ],
)
def test_search_mistakes_are_named(words: str, message: str) -> None:
    error = refusal(words)

    assert message in str(error)
    assert error.usage == SEARCH_USAGE


def test_rent_any_takes_the_same_criteria_without_a_limit() -> None:
    criteria = parse_rent_any(["US", "LOCAL", "42", "--ends", "--sms"], REGIONS)

    assert criteria == Criteria(
        "US",
        NumberType.LOCAL,
        NumberPattern(pattern="42", search_pattern=SearchPattern.END),
        (Capability.SMS,),
    )
    assert "Unknown option `--limit`" in str(refusal("US LOCAL --limit 3", parse_rent_any))


def test_rent_any_is_only_for_us_local_as_sinch_says() -> None:
    error = refusal("GB MOBILE", parse_rent_any)

    assert "only rent *any* matching number for US LOCAL" in str(error)
    assert "`/numbers search GB MOBILE`" in str(error)
    assert error.usage == RENT_ANY_USAGE


def test_a_plus_pattern_must_start_the_number() -> None:
    assert parse_pattern(None, None) is None
    assert parse_pattern(" 77 ", SearchPattern.END) == NumberPattern(
        pattern="77", search_pattern=SearchPattern.END
    )


def offers(count: int) -> list[NumberOffer]:
    return [
        NumberOffer(
            phone_number=f"+1206555{index:04d}",
            region="US",
            type="LOCAL",
            capabilities=("SMS", "VOICE"),
            setup=Decimal("1.00"),
            monthly=Decimal("2.50"),
            currency="USD",
        )
        for index in range(count)
    ]


US_LOCAL = Criteria("US", NumberType.LOCAL)


def request_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    accessories = [block.get("accessory") or {} for block in blocks]
    return [button for button in accessories if button.get("action_id") == ids.REQUEST_NUMBER]


def test_results_show_number_capabilities_prices_and_a_request_button() -> None:
    text, blocks = results_message(SearchQuery(US_LOCAL, limit=2), offers(2), sandbox=True)

    shown = visible_text(blocks)
    assert text == "2 numbers available: US LOCAL numbers"
    assert "*+12065550000*  US LOCAL\nSMS, VOICE · setup 1.00 USD · monthly 2.50 USD" in shown
    assert [NumberOffer.decode(button["value"]) for button in request_buttons(blocks)] == offers(2)
    assert "SANDBOX" in shown
    assert "More numbers match" not in shown


def test_one_more_result_than_the_limit_says_more_numbers_match() -> None:
    _, blocks = results_message(SearchQuery(US_LOCAL, limit=3), offers(4), sandbox=False)

    shown = visible_text(blocks)
    assert len(request_buttons(blocks)) == 3
    assert "More numbers match: add digits to narrow the search, or raise `--limit`" in shown


def test_results_beyond_one_message_are_counted_not_shown() -> None:
    _, blocks = results_message(SearchQuery(US_LOCAL, limit=100), offers(101), sandbox=True)

    assert len(blocks) <= 50
    shown = visible_text(blocks)
    assert len(request_buttons(blocks)) == RESULTS_PER_MESSAGE
    assert f"{100 - RESULTS_PER_MESSAGE} more found but not shown" in shown


def test_no_results_suggest_the_country_code_when_it_is_missing_from_the_start() -> None:
    criteria = Criteria(
        "US", NumberType.LOCAL, NumberPattern(pattern="206", search_pattern=SearchPattern.START)
    )

    text, _ = results_message(SearchQuery(criteria), [], sandbox=False)

    assert text.startswith("No US LOCAL numbers starting with 206 are available right now.")
    assert text.endswith("A number starts with its country code: try `+1206`.")


def test_no_results_for_another_country_code_say_so_instead_of_adding_a_second_one() -> None:
    criteria = Criteria(
        "US", NumberType.LOCAL, NumberPattern(pattern="+4420", search_pattern=SearchPattern.START)
    )

    text, _ = results_message(SearchQuery(criteria), [], sandbox=False)

    assert "+1+4420" not in text
    assert text.endswith("`+4420` starts with another country code than US's (+1).")


@pytest.mark.parametrize("pattern", ["1" * 3000, "x" * 3000])
def test_a_huge_pattern_is_refused_with_its_reason_in_a_short_message(pattern: str) -> None:
    error = refusal(f"US LOCAL {pattern}")

    assert len(str(error)) < 200
    assert "more than a phone number" in str(error) or "must be digits" in str(error)
