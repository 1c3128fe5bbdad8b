"""Phone numbers are validated and normalised to E.164 before any request can carry them."""

from __future__ import annotations

import phonenumbers
import pytest

from bot.sinch import InvalidPhoneNumber, normalize_e164
from bot.sinch.phone import phone_path_segment


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("+12025550134", "+12025550134"),
        (" +1 (202) 555-0134 ", "+12025550134"),
        ("+44 7478 727259", "+447478727259"),
        ("+46-11-323-25-16", "+46113232516"),
    ],
)
def test_pasted_formats_normalise_to_e164(text: str, e164: str) -> None:
    assert normalize_e164(text) == e164


@pytest.mark.parametrize("region", ["US", "GB", "SE", "DE", "AU", "CA", "FR", "BR"])
def test_every_regions_example_number_survives_normalisation_unchanged(region: str) -> None:
    example = phonenumbers.example_number(region)
    assert example is not None
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)

    assert normalize_e164(e164) == e164


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12025550134", "must start with +"),
        ("", "must start with +"),
        ("+999 123", "country code is unknown"),
        ("+1", "does not look like a phone number"),
        ("+1 call me", "does not look like a phone number"),
        ("+44 1", "too short"),
        ("+1202555013412345678", "too long"),
        ("+1 202 555 01", "not a valid phone number"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalize_e164(text)

    assert reason in caught.value.message
    assert caught.value.status is None


def test_path_segment_escapes_the_plus() -> None:
    assert phone_path_segment("+1 202 555 0134") == "%2B12025550134"
