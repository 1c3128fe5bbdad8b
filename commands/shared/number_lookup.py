"""Reading one active number for a command: the argument, the number itself, and its emergency address."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.errors import UsageError, UserFacingError
from bot.services import Services
from bot.sinch import (
    ActiveNumber,
    Capability,
    EmergencyAddress,
    InvalidArgument,
    InvalidPhoneNumber,
    NotFound,
    normalize_e164,
)
from commands.shared.parsing import parse_args

# What may follow a `+country` word when a number is typed in groups: digits, dashes, dots, brackets.
_NUMBER_GROUP = re.compile(r"[\d\-().]+")


def joined_number(words: Sequence[str]) -> list[str]:
    """`words` with a number typed in groups (`+1 206-713-7898`) joined into one word, as the forms accept."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1].startswith("+") and _NUMBER_GROUP.fullmatch(word):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def phone_argument(words: Sequence[str], usage: str) -> str:
    """The one E.164 number a command like `show <+E164>` takes, normalised."""
    parsed = parse_args(joined_number(words), max_positionals=1, usage=usage)
    if not parsed.positionals:
        raise UsageError("Which number? Give it in international format, e.g. `+12025550134`.", usage)
    return e164(parsed.positionals[0], usage)


def e164(text: str, usage: str) -> str:
    try:
        return normalize_e164(text)
    except InvalidPhoneNumber as exc:
        raise UsageError(str(exc), usage) from None


def load_active(services: Services, phone_number: str) -> ActiveNumber:
    try:
        return services.sinch.get_active(phone_number)
    except NotFound:
        raise UserFacingError(
            f"{phone_number} is not one of your numbers: it is not active in this Sinch project."
        ) from None


def emergency_address(services: Services, number: ActiveNumber) -> EmergencyAddress | None:
    """The number's E911 address, or None when it has none (only voice numbers can hold one)."""
    if Capability.VOICE not in number.capability:
        return None
    try:
        return services.sinch.emergency_get(number.phone_number)
    except (NotFound, InvalidArgument):
        # 404: no address provisioned; 400: Sinch says the number cannot hold one.
        return None
