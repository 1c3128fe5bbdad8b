"""The messages `search` and `check` answer with (pure: offers in, Block Kit out)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import phonenumbers
from slack_sdk.models.blocks import Block

from bot.blockkit.blocks import MESSAGE_BLOCKS, context, header, section, to_dicts, with_sandbox_note
from bot.sinch import SearchPattern
from commands.shared.number_offer import NumberOffer, offer_block
from commands.shared.search_criteria import MAX_LIMIT, Criteria, SearchQuery

# Header, summary line, "more" footer and the sandbox note leave this many blocks for results.
RESULTS_PER_MESSAGE = MESSAGE_BLOCKS - 4

Message = tuple[str, list[dict[str, Any]]]


def results_message(query: SearchQuery, found: Sequence[NumberOffer], *, sandbox: bool) -> Message:
    """Up to `query.limit` offers (as many as one message holds); `found` may hold one more than the limit,
    which tells us that more numbers match."""
    wanted = query.criteria.describe()
    if not found:
        text = f"No {wanted} are available right now. Try fewer digits, another position or another type."
        text += _country_code_hint(query.criteria)
        return text, to_dicts(with_sandbox_note([section(f":mag: {text}")], sandbox))
    within_limit = list(found[: query.limit])
    shown = within_limit[:RESULTS_PER_MESSAGE]
    count = f"{len(shown)} number{'s' if len(shown) != 1 else ''}"
    blocks: list[Block] = [
        header(f"Available: {wanted}"),
        context(f"{count} · click *Request this number* to ask for approval to rent one"),
        *(offer_block(offer) for offer in shown),
    ]
    footer = _more_footer(hidden=len(within_limit) - len(shown), beyond_limit=len(found) > query.limit)
    if footer:
        blocks.append(context(footer))
    return f"{count} available: {wanted}", to_dicts(with_sandbox_note(blocks, sandbox))


def check_message(offer: NumberOffer, *, sandbox: bool) -> Message:
    text = f":white_check_mark: {offer.phone_number} is available."
    blocks = [section(text), offer_block(offer)]
    return text, to_dicts(with_sandbox_note(blocks, sandbox))


def unavailable_text(phone_number: str) -> str:
    return (
        f"{phone_number} is not available to rent: someone has it already, or Sinch does not offer it. "
        "`/numbers search` finds numbers that are."
    )


def unavailable_message(phone_number: str, *, sandbox: bool) -> Message:
    text = f":no_entry_sign: {unavailable_text(phone_number)}"
    return text, to_dicts(with_sandbox_note([section(text)], sandbox))


def _country_code_hint(criteria: Criteria) -> str:
    """Digits at the start of a number begin with its country code, which people tend to leave out."""
    pattern = criteria.pattern
    if pattern is None or pattern.search_pattern is not SearchPattern.START:
        return ""
    country_code = phonenumbers.country_code_for_region(criteria.region)
    if not country_code or pattern.pattern.removeprefix("+").startswith(str(country_code)):
        return ""
    if pattern.pattern.startswith("+"):  # a country code was given, just not this region's
        region = criteria.region
        return f" `{pattern.pattern}` starts with another country code than {region}'s (+{country_code})."
    return f" A number starts with its country code: try `+{country_code}{pattern.pattern}`."


def _more_footer(*, hidden: int, beyond_limit: bool) -> str:
    if hidden > 0:
        return (
            f"{hidden} more found but not shown: a Slack message holds {RESULTS_PER_MESSAGE}. "
            "Add digits to narrow the search."
        )
    if beyond_limit:
        return f"More numbers match: add digits to narrow the search, or raise `--limit` (up to {MAX_LIMIT})."
    return ""
