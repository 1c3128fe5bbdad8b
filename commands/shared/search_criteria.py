"""Read what to look for from `/numbers search` and `/numbers rent-any`: region, type, digits, capabilities.

Pure functions over the words the user typed and the regions Sinch offers. Every mistake becomes a
`UsageError` that names the problem and, where a near miss is likely, the value the user probably meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches

from bot.errors import UsageError
from bot.sinch import AvailableRegion, Capability, NumberPattern, NumberType, SearchPattern
from commands.shared.parsing import parse_args, shortened

SEARCH_USAGE = (
    "/numbers search <REGION> <TYPE> [digits] [--starts|--contains|--ends] [--sms] [--voice] [--limit N]"
)
RENT_ANY_USAGE = "/numbers rent-any <REGION> <TYPE> [digits] [--starts|--contains|--ends] [--sms] [--voice]"
ORDER_USAGE = (
    "/numbers order <+E164> | /numbers order <REGION> <TYPE> --quantity N [digits] "
    "[--starts|--contains|--ends] [--sms] [--voice]"
)
# Sinch's limit on the numbers of one quantity order.
MAX_QUANTITY = 100

DEFAULT_LIMIT = 10
MAX_LIMIT = 100

POSITION_FLAGS = {
    "--starts": SearchPattern.START,
    "--contains": SearchPattern.CONTAINS,
    "--ends": SearchPattern.END,
}
CAPABILITY_FLAGS = {"--sms": Capability.SMS, "--voice": Capability.VOICE}
KNOWN_TYPES = (NumberType.LOCAL, NumberType.MOBILE, NumberType.TOLL_FREE)

# Codes people type that are not ISO 3166-1 alpha-2 (the one Sinch uses).
REGION_ALIASES = {"UK": "GB", "EL": "GR"}

# E.164 numbers have at most 15 digits, so a longer pattern can never match.
MAX_PATTERN_DIGITS = 15


@dataclass(frozen=True)
class Criteria:
    """What a number must look like: Sinch's search (and rentAny) filters."""

    region: str
    number_type: NumberType
    pattern: NumberPattern | None = None
    capabilities: tuple[Capability, ...] = ()

    def describe(self) -> str:
        """E.g. "US LOCAL numbers ending in 42 with SMS"."""
        text = f"{self.region} {self.number_type.value} numbers"
        if self.pattern is not None:
            where = {
                SearchPattern.START: "starting with",
                SearchPattern.CONTAINS: "containing",
                SearchPattern.END: "ending in",
            }[self.pattern.search_pattern]
            text += f" {where} {self.pattern.pattern}"
        if self.capabilities:
            text += " with " + " and ".join(capability.value for capability in self.capabilities)
        return text


@dataclass(frozen=True)
class SearchQuery:
    criteria: Criteria
    limit: int = DEFAULT_LIMIT


def parse_search(words: Sequence[str], regions: Sequence[AvailableRegion]) -> SearchQuery:
    criteria, limit = _criteria_and_count(words, regions, "--limit", DEFAULT_LIMIT, MAX_LIMIT, SEARCH_USAGE)
    return SearchQuery(criteria, limit)


def parse_rent_any(words: Sequence[str], regions: Sequence[AvailableRegion]) -> Criteria:
    """Criteria for `rent-any`, which Sinch only offers for US LOCAL numbers."""
    parsed = parse_args(
        words, flags=[*POSITION_FLAGS, *CAPABILITY_FLAGS], max_positionals=3, usage=RENT_ANY_USAGE
    )
    criteria = _criteria(parsed.positionals, parsed.flags, regions, RENT_ANY_USAGE)
    if (criteria.region, criteria.number_type) != ("US", NumberType.LOCAL):
        raise UsageError(
            "Sinch can only rent *any* matching number for US LOCAL; for other numbers, "
            f"`/numbers search {criteria.region} {criteria.number_type.value}` and request one.",
            RENT_ANY_USAGE,
        )
    return criteria


def parse_quantity_order(words: Sequence[str], regions: Sequence[AvailableRegion]) -> tuple[Criteria, int]:
    """Criteria and how many numbers for `order <REGION> <TYPE> --quantity N …` (one if not said)."""
    return _criteria_and_count(words, regions, "--quantity", 1, MAX_QUANTITY, ORDER_USAGE)


def _criteria_and_count(
    words: Sequence[str],
    regions: Sequence[AvailableRegion],
    option: str,
    default: int,
    high: int,
    usage: str,
) -> tuple[Criteria, int]:
    """Region, type, digits and capabilities, and the whole number `option` gives (1 to `high`)."""
    parsed = parse_args(
        words,
        flags=[*POSITION_FLAGS, *CAPABILITY_FLAGS],
        options=[option],
        max_positionals=3,
        usage=usage,
    )
    criteria = _criteria(parsed.positionals, parsed.flags, regions, usage)
    try:
        count = parsed.int_option(option, default, low=1, high=high)
    except UsageError as error:
        raise UsageError(str(error), usage) from None
    return criteria, count


def parse_number_type(word: str) -> NumberType:
    """LOCAL, MOBILE or TOLL_FREE, in any case, with "toll-free" and "tollfree" accepted."""
    normalised = word.strip().upper().replace("-", "_").replace(" ", "_")
    if normalised == "TOLLFREE":
        normalised = NumberType.TOLL_FREE.value
    for known in KNOWN_TYPES:
        if normalised == known.value:
            return known
    choices = [known.value for known in KNOWN_TYPES]
    close = get_close_matches(normalised, choices, n=1, cutoff=0.5)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    raise UsageError(f"Unknown number type `{word}`.{hint} Types: {', '.join(choices)}.")


def parse_region(word: str, regions: Sequence[AvailableRegion]) -> AvailableRegion:
    """The region for a code (any case) or an exact country name, among those Sinch offers."""
    by_code = {region.region_code.upper(): region for region in regions}
    code = word.strip().upper()
    if code in by_code:
        return by_code[code]
    by_name = {(region.region_name or "").lower(): region for region in regions if region.region_name}
    if word.strip().lower() in by_name:
        return by_name[word.strip().lower()]
    raise UsageError(f"Unknown region `{word}`.{_region_hint(code, word, by_code, by_name)}")


def parse_pattern(digits: str | None, position: SearchPattern | None) -> NumberPattern | None:
    """The digit pattern; a leading + (only where the number starts) means "country code first"."""
    if digits is None or not digits.strip():
        if position is not None:
            flag = next(flag for flag, value in POSITION_FLAGS.items() if value is position)
            raise UsageError(f"`{flag}` needs digits to look for, e.g. `US LOCAL 42 {flag}`.")
        return None
    text = digits.strip()
    body = text.removeprefix("+")
    if not body.isdigit():
        raise UsageError(f"The pattern `{shortened(text)}` must be digits (e.g. `555` or `+1206`).")
    if len(body) > MAX_PATTERN_DIGITS:
        raise UsageError(
            f"The pattern has {len(body)} digits, more than a phone number ({MAX_PATTERN_DIGITS} digits)."
        )
    search = position or SearchPattern.START
    if text.startswith("+") and search is not SearchPattern.START:
        raise UsageError("A pattern with `+` is the start of a number; drop the `+` to match anywhere else.")
    return NumberPattern(pattern=text, search_pattern=search)


def check_type_offered(region: AvailableRegion, number_type: NumberType) -> None:
    """Refuse a type the region does not sell (when Sinch says which types it sells)."""
    if region.types and number_type not in region.types:
        offered = ", ".join(sorted(kind.value for kind in region.types))
        raise UsageError(
            f"Sinch has no {number_type.value} numbers in {region.region_code}; it offers {offered}."
        )


def _criteria(
    positionals: Sequence[str], flags: frozenset[str], regions: Sequence[AvailableRegion], usage: str
) -> Criteria:
    if len(positionals) < 2:
        raise UsageError("Say which region and number type, e.g. `US LOCAL` or `GB MOBILE`.", usage)
    positions = [POSITION_FLAGS[flag] for flag in POSITION_FLAGS if flag in flags]
    if len(positions) > 1:
        chosen = " and ".join(f"`{flag}`" for flag in POSITION_FLAGS if flag in flags)
        raise UsageError(f"{chosen} contradict each other: choose one place for the digits.", usage)
    try:
        region = parse_region(positionals[0], regions)
        number_type = parse_number_type(positionals[1])
        check_type_offered(region, number_type)
        pattern = parse_pattern(positionals[2] if len(positionals) > 2 else None, next(iter(positions), None))
    except UsageError as error:
        raise UsageError(str(error), usage) from None
    capabilities = tuple(capability for flag, capability in CAPABILITY_FLAGS.items() if flag in flags)
    return Criteria(region.region_code, number_type, pattern, capabilities)


def _region_hint(
    code: str, word: str, by_code: dict[str, AvailableRegion], by_name: dict[str, AvailableRegion]
) -> str:
    alias = REGION_ALIASES.get(code)
    if alias in by_code:
        return f" Did you mean `{alias}` ({by_code[alias].region_name or alias})?"
    close = get_close_matches(word.strip().lower(), list(by_name), n=1, cutoff=0.7)
    if close:
        return f" Did you mean `{by_name[close[0]].region_code}` ({by_name[close[0]].region_name})?"
    if not by_code:
        return " Sinch offers no regions to this project right now."
    return f" Regions with numbers: {', '.join(sorted(by_code))}."
