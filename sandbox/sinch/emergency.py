"""Emergency address handlers, with a deterministic address validator.

Validation looks the address up in `KNOWN_ADDRESSES` (addresses.py), real-looking US addresses:

- EXACT_MATCH: street number, street, city, state and postal code are exactly as in a table entry
  (the plus-four code may be omitted). The validated address is the table entry, keeping the caller's
  `location` (apartment, floor).
- NEAR_MATCH: the same street number, street, city and state once case, punctuation and street
  suffixes (Street/St, Avenue/Ave, ...) are normalised, whatever the postal code. The table entry comes
  back as `correctedAddress`.
- NO_MATCH: anything else; `candidateAddresses` lists three table entries, those in the same state first.

Provisioning validates first: an exact or near match is stored (the corrected form for a near match), a
NO_MATCH is refused with a 400. Only active, voice-capable numbers can hold an emergency address.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.sinch.addresses import KNOWN_ADDRESSES
from sandbox.sinch.backend import Backend, Call
from sandbox.sinch.errors import Violations, invalid_field, not_found
from sandbox.sinch.models import ActiveNumber, Capability
from sandbox.sinch.numbers import active_number
from sandbox.sinch.validation import json_object, string_field

_FIELDS = ("streetNumber", "streetInfo", "location", "city", "state", "postalCode", "postalCodePlusFour")
_REQUIRED = ("streetNumber", "streetInfo", "city", "state", "postalCode")
_MATCH_FIELDS = ("streetNumber", "streetInfo", "city", "state")

_SUFFIXES = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "place": "pl",
    "court": "ct",
    "northwest": "nw",
    "northeast": "ne",
    "southwest": "sw",
    "southeast": "se",
}


def validate_address(address: dict[str, str]) -> dict[str, Any]:
    """The validation verdict for an address (the body fields after phoneNumber and displayName)."""
    location = {"location": address["location"]} if address.get("location") else {}
    for known in KNOWN_ADDRESSES:
        if _is_exact(address, known):
            return _verdict("EXACT_MATCH", "Address is a perfect match", {**known, **location})
    for known in KNOWN_ADDRESSES:
        if all(_normalise(address.get(name, "")) == _normalise(known[name]) for name in _MATCH_FIELDS):
            return _verdict("NEAR_MATCH", "Address is a near match", address, corrected={**known, **location})
    same_state = [
        known for known in KNOWN_ADDRESSES if _normalise(known["state"]) == _normalise(address["state"])
    ]
    others = [known for known in KNOWN_ADDRESSES if known not in same_state]
    candidates = (same_state + others)[:3]
    return _verdict("NO_MATCH", "Address doesn't match any known address", address, candidates=candidates)


def validate(backend: Backend, call: Call) -> dict[str, Any]:
    display_name, address = _request(call)
    with backend.state.lock:
        number = _voice_number(backend, call)
        return {"phoneNumber": number.phone_number, "displayName": display_name, **validate_address(address)}


def provision(backend: Backend, call: Call) -> dict[str, str]:
    _, address = _request(call)
    verdict = validate_address(address)
    if verdict["validationResult"] == "NO_MATCH":
        raise invalid_field(
            "address", "The address could not be validated; use one of the candidate addresses"
        )
    stored = verdict["correctedAddress"] or verdict["validatedAddress"]
    with backend.state.lock:
        number = _voice_number(backend, call)
        number.emergency_address = dict(stored)
        return dict(stored)


def get(backend: Backend, call: Call) -> dict[str, str]:
    with backend.state.lock:
        number = _voice_number(backend, call)
        if number.emergency_address is None:
            raise not_found("EmergencyAddress", number.phone_number)
        return dict(number.emergency_address)


def deprovision(backend: Backend, call: Call) -> dict[str, str]:
    with backend.state.lock:
        number = _voice_number(backend, call)
        if number.emergency_address is None:
            raise not_found("EmergencyAddress", number.phone_number)
        number.emergency_address = None
        return {}


def _voice_number(backend: Backend, call: Call) -> ActiveNumber:
    number = active_number(backend, call)
    if Capability.VOICE not in number.offer.capabilities:
        raise invalid_field(
            "phoneNumber", f"{number.phone_number} is not voice capable; emergency addresses need VOICE"
        )
    return number


def _request(call: Call) -> tuple[str, dict[str, str]]:
    body = json_object(call.body)
    violations = Violations()
    display_name = string_field(body, "displayName", violations)
    if display_name is None and "displayName" not in body:
        violations.add("displayName", "Required")
    raw_address = body.get("address")
    address: dict[str, str] = {}
    if not isinstance(raw_address, dict):
        violations.add("address", "Required object")
    else:
        for name in _FIELDS:
            value = string_field(raw_address, name, violations, "address.")
            if value:
                address[name] = value
            elif name in _REQUIRED:
                violations.add(f"address.{name}", "Required")
    violations.raise_if_any()
    return display_name or "", address


def _is_exact(address: dict[str, str], known: dict[str, str]) -> bool:
    core_equal = all(address.get(name) == known[name] for name in (*_MATCH_FIELDS, "postalCode"))
    plus_four = address.get("postalCodePlusFour")
    return core_equal and plus_four in (None, known["postalCodePlusFour"])


def _normalise(text: str) -> str:
    words = re.sub(r"[.,#]", " ", text.lower()).split()
    return " ".join(_SUFFIXES.get(word, word) for word in words)


def _verdict(
    result: str,
    message: str,
    validated: dict[str, str],
    *,
    corrected: dict[str, str] | None = None,
    candidates: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "validatedAddress": dict(validated),
        "validationResult": result,
        "validationMessage": message,
        "correctedAddress": corrected or {},
        "candidateAddresses": candidates or [],
    }
