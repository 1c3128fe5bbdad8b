"""Numbers API handlers: available numbers, rent / rentAny, active numbers, release and regions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.sinch import views
from sandbox.sinch.backend import Backend, Call
from sandbox.sinch.callbacks import Api
from sandbox.sinch.errors import Violations, invalid_field, not_found
from sandbox.sinch.linking import Change, SmsDecision, SmsRequest, VoiceRequest, decide_sms, decide_voice
from sandbox.sinch.models import ActiveNumber, AvailableNumber, Capability, NumberType
from sandbox.sinch.paging import SortKey, page_body, paginate
from sandbox.sinch.validation import (
    callback_url,
    capabilities,
    enum_value,
    json_object,
    number_pattern,
    page_size,
    query_number_pattern,
    require_e164,
    sms_request,
    string_field,
    voice_request,
)

SEARCH_PATTERNS = ("START", "CONTAINS", "END")
DEFAULT_SEARCH_SIZE = 100
_US_LOCAL = ("US", NumberType.LOCAL)


@dataclass(frozen=True)
class NumberChanges:
    """The configurable parts of rent, rentAny and update requests; None means 'not mentioned'."""

    display_name: str | None
    sms: SmsRequest | None
    voice: VoiceRequest | None
    callback_url: str | None

    def required_capabilities(self) -> frozenset[Capability]:
        needed: set[Capability] = set()
        if self.sms and self.sms.service_plan_id:
            needed.add(Capability.SMS)
        if self.voice and self.voice.target:
            needed.add(Capability.VOICE)
        return frozenset(needed)


def list_available(backend: Backend, call: Call) -> dict[str, Any]:
    violations = Violations()
    region = call.query.get("regionCode")
    if not region:
        violations.add("regionCode", "Required")
    raw_type = call.query.get("type")
    number_type = enum_value(NumberType, raw_type, "type", violations) if raw_type else None
    if not raw_type:
        violations.add("type", "Required")
    wanted = capabilities(call.query.getlist("capabilities"), "capabilities", violations)
    pattern = query_number_pattern(call.query, SEARCH_PATTERNS, violations)
    size = _search_size(call, violations)
    violations.raise_if_any()
    assert region is not None and number_type is not None  # guaranteed by the violations above
    offers = backend.state.inventory.search(region, number_type, wanted)
    matching = [offer for offer in offers if pattern is None or pattern.matches(offer.phone_number)]
    return {"availableNumbers": [views.available_number(offer) for offer in matching[:size]]}


def get_available(backend: Backend, call: Call) -> dict[str, Any]:
    phone_number = require_e164(call.phone_number)
    return views.available_number(_available_offer(backend, phone_number))


def rent(backend: Backend, call: Call) -> dict[str, Any]:
    phone_number = require_e164(call.phone_number)
    body = json_object(call.body if call.body is not None else {})
    with backend.state.lock:
        offer = _available_offer(backend, phone_number)
        if backend.config.rent_us_local_only and (offer.region_code, offer.type) != _US_LOCAL:
            raise invalid_field(
                "phoneNumber", "Renting is only supported for US LOCAL numbers; use a Number Order"
            )
        violations = Violations()
        changes = _changes(body, violations, allow_display_name=False)
        violations.raise_if_any()
        _check_fits(changes, offer)
        return _activate(backend, call.project_id, offer, changes)


def rent_any(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    violations = Violations()
    region = string_field(body, "regionCode", violations)
    raw_type = body.get("type")
    number_type = enum_value(NumberType, raw_type, "type", violations) if raw_type is not None else None
    for name, value in (("regionCode", region), ("type", raw_type)):
        if value is None:
            violations.add(name, "Required")
    if region is not None and region != "US":
        violations.add("regionCode", "Only US is supported by this endpoint")
    if number_type is not None and number_type is not NumberType.LOCAL:
        violations.add("type", "Only LOCAL is supported by this endpoint")
    raw_capabilities = body.get("capabilities") or []
    wanted = capabilities(
        raw_capabilities if isinstance(raw_capabilities, list) else [raw_capabilities],
        "capabilities",
        violations,
    )
    raw_pattern = body.get("numberPattern") or {}
    pattern = None
    if isinstance(raw_pattern, dict):
        pattern = number_pattern(
            string_field(raw_pattern, "pattern", violations, "numberPattern."),
            string_field(raw_pattern, "searchPattern", violations, "numberPattern."),
            SEARCH_PATTERNS,
            violations,
            "numberPattern.",
        )
    else:
        violations.add("numberPattern", "Expected an object")
    changes = _changes(body, violations, allow_display_name=False)
    violations.raise_if_any()
    with backend.state.lock:
        offers = backend.state.inventory.search(
            "US", NumberType.LOCAL, wanted | changes.required_capabilities()
        )
        offer = next((o for o in offers if pattern is None or pattern.matches(o.phone_number)), None)
        if offer is None:
            raise not_found("AvailableNumber", "any number matching the criteria")
        _check_fits(changes, offer)
        return _activate(backend, call.project_id, offer, changes)


def list_active(backend: Backend, call: Call) -> dict[str, Any]:
    violations = Violations()
    region = call.query.get("regionCode")
    raw_type = call.query.get("type")
    number_type = enum_value(NumberType, raw_type, "type", violations) if raw_type else None
    wanted = capabilities(call.query.getlist("capability"), "capability", violations)
    pattern = query_number_pattern(call.query, SEARCH_PATTERNS, violations)
    size = page_size(call.query, violations)
    order_by = call.query.get("orderBy") or "phoneNumber"
    if order_by not in ("phoneNumber", "displayName"):
        violations.add("orderBy", f"Invalid value {order_by!r}; expected phoneNumber or displayName")
    violations.raise_if_any()
    with backend.state.lock:
        matching = [
            number
            for number in backend.state.project(call.project_id).active.values()
            if (not region or number.offer.region_code == region)
            and (number_type is None or number.offer.type is number_type)
            and wanted <= set(number.offer.capabilities)
            and (pattern is None or pattern.matches(number.phone_number))
        ]
        page = paginate(matching, _active_sort_key(order_by), order_by, size, call.query.get("pageToken"))
        return page_body("activeNumbers", page, views.active_number)


def get_active(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        return views.active_number(active_number(backend, call))


def update_active(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    violations = Violations()
    changes = _changes(body, violations, allow_display_name=True)
    if changes == NumberChanges(None, None, None, None):
        violations.add(
            "body", "Nothing to update: give displayName, smsConfiguration, voiceConfiguration or callbackUrl"
        )
    violations.raise_if_any()
    with backend.state.lock:
        number = active_number(backend, call)
        _check_fits(changes, number.offer)
        _apply(backend, number, changes)
        return views.active_number(number)


def release(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        number = active_number(backend, call)
        del backend.state.project(call.project_id).active[number.phone_number]
        backend.state.inventory.give_back(number.phone_number)
        # The subscription stays paid until the next charge date.
        number.expire_at = number.next_charge_date
        _unlink_sms(backend, number)
        _unlink_voice(backend, number)
        return views.active_number(number)


def list_regions(backend: Backend, call: Call) -> dict[str, Any]:
    violations = Violations()
    wanted_types = {
        number_type
        for raw in call.query.getlist("types")
        if (number_type := enum_value(NumberType, raw, "types", violations)) is not None
    }
    violations.raise_if_any()
    regions = []
    for code, region in sorted(backend.state.inventory.regions().items()):
        types = list(region.offerings)
        if not wanted_types or wanted_types & set(types):
            regions.append({"regionCode": code, "regionName": region.name, "types": types})
    return {"availableRegions": regions}


def active_number(backend: Backend, call: Call) -> ActiveNumber:
    """The project's active number named in the path, or the spec's 404."""
    phone_number = require_e164(call.phone_number)
    number = backend.state.project(call.project_id).active.get(phone_number)
    if number is None:
        raise not_found("ActiveNumber", phone_number)
    return number


def _available_offer(backend: Backend, phone_number: str) -> AvailableNumber:
    offer = backend.state.inventory.lookup(phone_number)
    if offer is None or not backend.state.inventory.is_available(phone_number):
        raise not_found("AvailableNumber", phone_number)
    return offer


def _search_size(call: Call, violations: Violations) -> int:
    raw = call.query.get("size")
    if not raw:
        return DEFAULT_SEARCH_SIZE
    if not raw.isdigit() or int(raw) == 0:
        violations.add("size", f"{raw!r} is not a positive integer")
        return DEFAULT_SEARCH_SIZE
    return int(raw)


def _active_sort_key(order_by: str) -> Callable[[ActiveNumber], SortKey]:
    if order_by == "displayName":
        return lambda number: (number.display_name, number.phone_number)
    return lambda number: (number.phone_number,)


def _changes(body: dict[str, Any], violations: Violations, *, allow_display_name: bool) -> NumberChanges:
    display_name = string_field(body, "displayName", violations) if allow_display_name else None
    return NumberChanges(
        display_name,
        sms_request(body, violations),
        voice_request(body, violations),
        callback_url(body, violations),
    )


def _check_fits(changes: NumberChanges, offer: AvailableNumber) -> None:
    violations = Violations()
    missing = changes.required_capabilities() - set(offer.capabilities)
    for capability in sorted(missing):
        section = "smsConfiguration" if capability is Capability.SMS else "voiceConfiguration"
        violations.add(section, f"{offer.phone_number} is not {capability} capable")
    if changes.sms and changes.sms.campaign_id and offer.region_code != "US":
        violations.add("smsConfiguration.campaignId", "Campaigns (10DLC) only apply to US numbers")
    violations.raise_if_any()


def _activate(
    backend: Backend, project_id: str, offer: AvailableNumber, changes: NumberChanges
) -> dict[str, Any]:
    number = backend.state.activate(project_id, offer, views.utc_now())
    _apply(backend, number, changes)
    return views.active_number(number)


def _apply(backend: Backend, number: ActiveNumber, changes: NumberChanges) -> None:
    # Decide both sides before changing anything, so a 400 leaves the number untouched.
    sms = changes.sms
    sms_decision = (
        decide_sms(number.sms.service_plan_id, number.sms.campaign_id, number.sms.job, sms) if sms else None
    )
    voice = changes.voice
    voice_change = (
        decide_voice(number.voice.type, number.voice.target, number.voice.job, voice) if voice else None
    )
    if changes.display_name is not None:
        number.display_name = changes.display_name
    if changes.callback_url is not None:
        number.callback_url = changes.callback_url
    if sms_decision is not None:
        _apply_sms(backend, number, sms_decision)
    if voice is not None and voice_change is Change.LINK:
        backend.provisioner.start_voice(number, voice.type, voice.target)
    elif voice is not None and voice_change is Change.UNLINK:
        _unlink_voice(backend, number)
        number.voice.type = voice.type


def _apply_sms(backend: Backend, number: ActiveNumber, decision: SmsDecision) -> None:
    if decision.change is Change.LINK:
        backend.provisioner.start_sms(number, decision.service_plan_id, decision.campaign_id)
    elif decision.change is Change.UNLINK:
        _unlink_sms(backend, number)
    elif decision.change is Change.UNLINK_CAMPAIGN:
        backend.events.publish(Api.NUMBERS, number, "DEPROVISIONING_FROM_CAMPAIGN")
        number.sms.campaign_id = ""


def _unlink_sms(backend: Backend, number: ActiveNumber) -> None:
    if number.sms.campaign_id:
        backend.events.publish(Api.NUMBERS, number, "DEPROVISIONING_FROM_CAMPAIGN")
    if number.sms.service_plan_id:
        backend.events.publish(Api.NUMBERS, number, "DEPROVISIONING_FROM_SMS_PLATFORM")
    number.sms.service_plan_id = ""
    number.sms.campaign_id = ""
    number.sms.job = None


def _unlink_voice(backend: Backend, number: ActiveNumber) -> None:
    if number.voice.target:
        backend.events.publish(Api.NUMBERS, number, "DEPROVISIONING_FROM_VOICE_PLATFORM")
    number.voice.target = ""
    number.voice.job = None
    number.voice.last_updated = views.utc_now()
