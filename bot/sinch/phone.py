"""E.164 validation and URL escaping for phone numbers, applied before any request leaves the client."""

from __future__ import annotations

from urllib.parse import quote

import phonenumbers

from bot.sinch.errors import InvalidPhoneNumber

_PARSE_REASONS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "the country code is unknown",
    phonenumbers.NumberParseException.NOT_A_NUMBER: "it does not look like a phone number",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "it is too short",
    phonenumbers.NumberParseException.TOO_LONG: "it is too long",
}


def normalize_e164(text: str) -> str:
    """Return `text` as an E.164 number (`+` and digits), or raise InvalidPhoneNumber saying why.

    Spaces, dashes, dots and brackets are accepted (people paste numbers that way); the leading `+`
    is required because without a country code a number is ambiguous.
    """
    candidate = text.strip()
    if not candidate.startswith("+"):
        raise InvalidPhoneNumber(
            f"{text!r} is not a phone number in international format: it must start with + and the "
            "country code, e.g. +12025550134."
        )
    try:
        parsed = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException as error:
        reason = _PARSE_REASONS.get(error.error_type, "it could not be read as a phone number")
        raise InvalidPhoneNumber(f"{text!r} is not a phone number: {reason}.") from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(f"{text!r} is not a valid phone number for its country code.")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def phone_path_segment(text: str) -> str:
    """The validated number escaped for a URL path (`+` becomes `%2B`, so no server reads it as a space)."""
    return quote(normalize_e164(text), safe="")
