"""Parsing and checking request parameters and bodies, collecting every problem as a field violation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from werkzeug.datastructures import MultiDict

from sandbox.sinch.errors import Violations, invalid_field
from sandbox.sinch.linking import SmsRequest, VoiceRequest
from sandbox.sinch.models import VOICE_ID_FIELD, Capability, VoiceType
from sandbox.sinch.phone import is_e164

E = TypeVar("E", bound=StrEnum)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def require_e164(phone_number: str, field_name: str = "phoneNumber") -> str:
    if not is_e164(phone_number):
        raise invalid_field(
            field_name, f"{phone_number!r} is not a phone number in E.164 format (+ and digits)"
        )
    return phone_number


def json_object(body: Any, field_name: str = "body") -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid_field(field_name, "Expected a JSON object")
    return body


def enum_value(enum: type[E], value: Any, field_name: str, violations: Violations) -> E | None:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        violations.add(field_name, f"Invalid value {value!r}; expected one of {allowed}")
        return None


def string_field(body: dict[str, Any], name: str, violations: Violations, prefix: str = "") -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        violations.add(f"{prefix}{name}", "Expected a string")
        return None
    return value


def callback_url(body: dict[str, Any], violations: Violations) -> str | None:
    url = string_field(body, "callbackUrl", violations)
    if url and not url.startswith(("http://", "https://")):
        violations.add("callbackUrl", "Expected an http:// or https:// URL")
        return None
    return url


def capabilities(values: list[str], field_name: str, violations: Violations) -> frozenset[Capability]:
    parsed = (enum_value(Capability, value, field_name, violations) for value in values)
    return frozenset(capability for capability in parsed if capability is not None)


def sms_request(body: dict[str, Any], violations: Violations) -> SmsRequest | None:
    raw = body.get("smsConfiguration")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        violations.add("smsConfiguration", "Must be a non-empty object when present")
        return None
    prefix = "smsConfiguration."
    plan = string_field(raw, "servicePlanId", violations, prefix)
    campaign = string_field(raw, "campaignId", violations, prefix)
    if plan is None:
        if "servicePlanId" not in raw:
            violations.add(f"{prefix}servicePlanId", "Required")
        return None
    if plan == "" and campaign:
        violations.add(f"{prefix}campaignId", "A campaign can only be linked together with a service plan")
    return SmsRequest(plan, campaign)


def voice_request(body: dict[str, Any], violations: Violations) -> VoiceRequest | None:
    raw = body.get("voiceConfiguration")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        violations.add("voiceConfiguration", "Must be a non-empty object when present")
        return None
    prefix = "voiceConfiguration."
    voice_type = enum_value(VoiceType, raw.get("type", VoiceType.RTC), f"{prefix}type", violations)
    if voice_type is None:
        return None
    id_field = VOICE_ID_FIELD[voice_type]
    for other_type, other_field in VOICE_ID_FIELD.items():
        if other_type is not voice_type and other_field in raw:
            violations.add(f"{prefix}{other_field}", f"Only valid with type {other_type}, not {voice_type}")
    target = string_field(raw, id_field, violations, prefix)
    if target is None:
        if id_field not in raw:
            violations.add(f"{prefix}{id_field}", f"Required for type {voice_type}")
        return None
    return VoiceRequest(voice_type, target)


@dataclass(frozen=True)
class NumberPattern:
    digits: str
    search_pattern: str

    def matches(self, phone_number: str) -> bool:
        digits = phone_number.lstrip("+")
        if self.search_pattern == "START":
            return digits.startswith(self.digits)
        if self.search_pattern == "END":
            return digits.endswith(self.digits)
        return self.digits in digits


def number_pattern(
    pattern: str | None,
    search_pattern: str | None,
    allowed: tuple[str, ...],
    violations: Violations,
    prefix: str,
) -> NumberPattern | None:
    """The digits to look for, compared with the E.164 number without its `+`.

    A pattern without a search pattern is matched from the START, the spec's documented common use
    (`+1206` for an area code). A literal `+` sent unencoded arrives as a space; it is forgiven.
    """
    if search_pattern is not None and search_pattern not in allowed:
        violations.add(
            f"{prefix}searchPattern",
            f"Invalid value {search_pattern!r}; expected one of {', '.join(allowed)}",
        )
        return None
    if not pattern:
        return None
    if not isinstance(pattern, str):
        violations.add(f"{prefix}pattern", "Expected a string of digits")
        return None
    digits = pattern.strip().removeprefix("+")
    if not digits.isdigit():
        violations.add(f"{prefix}pattern", f"{pattern!r} must be digits, optionally after a leading +")
        return None
    return NumberPattern(digits, search_pattern or "START")


def query_number_pattern(
    query: MultiDict[str, str], allowed: tuple[str, ...], violations: Violations
) -> NumberPattern | None:
    """The `numberPattern.pattern` / `numberPattern.searchPattern` query parameters of a search or list."""
    return number_pattern(
        query.get("numberPattern.pattern"),
        query.get("numberPattern.searchPattern"),
        allowed,
        violations,
        "numberPattern.",
    )


def page_size(query: MultiDict[str, str], violations: Violations, name: str = "pageSize") -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        violations.add(name, f"{raw!r} is not an integer")
        return DEFAULT_PAGE_SIZE
    if size < 0:
        violations.add(name, "Must not be negative")
    # As the spec allows, the server caps the page size (and treats 0 as "default").
    return min(size, MAX_PAGE_SIZE) if size > 0 else DEFAULT_PAGE_SIZE
