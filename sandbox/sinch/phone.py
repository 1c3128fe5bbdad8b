"""E.164 parsing shared by every endpoint: the API accepts phone numbers only in E.164 form."""

from __future__ import annotations

import re

import phonenumbers

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


def is_e164(text: str) -> bool:
    return bool(_E164.match(text))


def region_of(e164: str) -> str | None:
    """The ISO region of a valid number, or None when the number is not valid anywhere."""
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    region: str | None = phonenumbers.region_code_for_number(parsed)
    return region


def is_valid_for_region(e164: str, region: str) -> bool:
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number_for_region(parsed, region))
