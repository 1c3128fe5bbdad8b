"""Imported Numbers API handlers: import a non-Sinch US/CA number for SMS, list, get, update, delete.

Unlike active numbers, an imported number's smsConfiguration shows the requested service plan and
campaign at once; progress is reported per service in `smsProvisioning` / `campaignProvisioning`
(WAITING, IN_PROGRESS, DONE, FAILED) and, while pending or failed, in `scheduledProvisioning`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.sinch import views
from sandbox.sinch.backend import Backend, Call
from sandbox.sinch.callbacks import Api
from sandbox.sinch.errors import ApiError, Violations, invalid_field, not_found
from sandbox.sinch.linking import Change, SmsDecision, decide_sms
from sandbox.sinch.models import ImportedNumber, Track, TrackState
from sandbox.sinch.paging import SortKey, page_body, paginate
from sandbox.sinch.phone import is_valid_for_region
from sandbox.sinch.validation import (
    callback_url,
    json_object,
    page_size,
    query_number_pattern,
    require_e164,
    sms_request,
    string_field,
)

IMPORT_REGIONS = ("US", "CA")
# The Imported API spells it CONTAIN, unlike the Numbers API's CONTAINS.
SEARCH_PATTERNS = ("START", "CONTAIN", "END")
_ORDERINGS: dict[str, Callable[[ImportedNumber], SortKey]] = {
    "phoneNumber": lambda number: (number.phone_number,),
    "createdTime": lambda number: (number.created_seq, number.phone_number),
    "updatedTime": lambda number: (number.updated_seq, number.phone_number),
}


def list_imported(backend: Backend, call: Call) -> dict[str, Any]:
    violations = Violations()
    # Both filters are required by the spec; an empty value matches any plan or campaign.
    for name in ("servicePlanId", "campaignId"):
        if name not in call.query:
            violations.add(name, "Required query parameter")
    plan = call.query.get("servicePlanId")
    campaign = call.query.get("campaignId")
    region = call.query.get("regionCode")
    pattern = query_number_pattern(call.query, SEARCH_PATTERNS, violations)
    size = page_size(call.query, violations)
    order_by = call.query.get("orderBy") or "phoneNumber"
    if order_by not in _ORDERINGS:
        violations.add("orderBy", f"Invalid value {order_by!r}; expected createdTime or updatedTime")
    violations.raise_if_any()
    with backend.state.lock:
        matching = [
            number
            for number in backend.state.project(call.project_id).imported.values()
            if (not plan or number.service_plan_id == plan)
            and (not campaign or number.campaign_id == campaign)
            and (not region or number.region_code == region)
            and (pattern is None or pattern.matches(number.phone_number))
        ]
        page = paginate(matching, _ORDERINGS[order_by], order_by, size, call.query.get("pageToken"))
        return page_body("importedNumbers", page, views.imported_number)


def import_number(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    violations = Violations()
    phone_number = string_field(body, "phoneNumber", violations)
    region = string_field(body, "regionCode", violations)
    display_name = string_field(body, "displayName", violations)
    url = callback_url(body, violations)
    sms = sms_request(body, violations)
    if not phone_number:
        violations.add("phoneNumber", "Required")
    if not region:
        violations.add("regionCode", "Required")
    elif region not in IMPORT_REGIONS:
        violations.add("regionCode", "Only US and CA numbers can be imported")
    elif phone_number and not is_valid_for_region(phone_number, region):
        violations.add("phoneNumber", f"{phone_number!r} is not a valid {region} number in E.164 format")
    if sms is None or not sms.service_plan_id:
        violations.add("smsConfiguration.servicePlanId", "Required")
    if sms and sms.campaign_id and region != "US":
        violations.add("smsConfiguration.campaignId", "Campaigns (10DLC) only apply to US numbers")
    violations.raise_if_any()
    assert phone_number and region and sms  # guaranteed by the violations above
    with backend.state.lock:
        if backend.state.imported_anywhere(phone_number):
            raise ApiError(409, f"The imported number {phone_number} already exists")
        sequence = backend.state.next_id()
        number = ImportedNumber(
            phone_number,
            call.project_id,
            region,
            created_seq=sequence,
            updated_seq=sequence,
            display_name=display_name or "",
            callback_url=url or "",
            service_plan_id=sms.service_plan_id,
            campaign_id=sms.campaign_id or "",
        )
        backend.state.project(call.project_id).imported[phone_number] = number
        backend.provisioner.start_imported(number)
        return _imported_number_body(number)


def get_imported(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        return views.imported_number(_imported(backend, call))


def update_imported(backend: Backend, call: Call) -> dict[str, Any]:
    body = json_object(call.body)
    violations = Violations()
    display_name = string_field(body, "displayName", violations)
    url = callback_url(body, violations)
    sms = sms_request(body, violations)
    if display_name is None and url is None and sms is None:
        violations.add("body", "Nothing to update: give displayName, smsConfiguration or callbackUrl")
    violations.raise_if_any()
    with backend.state.lock:
        number = _imported(backend, call)
        if sms and sms.campaign_id and number.region_code != "US":
            raise invalid_field("smsConfiguration.campaignId", "Campaigns (10DLC) only apply to US numbers")
        decision = decide_sms(number.service_plan_id, number.campaign_id, number.job, sms) if sms else None
        if display_name is not None:
            number.display_name = display_name
        if url is not None:
            number.callback_url = url
        if decision is not None:
            _apply_sms(backend, number, decision)
        number.updated_seq = backend.state.next_id()
        return _imported_number_body(number)


def delete_imported(backend: Backend, call: Call) -> dict[str, Any]:
    with backend.state.lock:
        number = _imported(backend, call)
        del backend.state.project(call.project_id).imported[number.phone_number]
        backend.events.publish(Api.IMPORTED, number, "DELETE")
        return {}


def _imported(backend: Backend, call: Call) -> ImportedNumber:
    phone_number = require_e164(call.phone_number)
    number = backend.state.project(call.project_id).imported.get(phone_number)
    if number is None:
        raise not_found("ImportedNumber", phone_number)
    return number


def _imported_number_body(number: ImportedNumber) -> dict[str, Any]:
    """Import and update answer with the ImportedNumber schema, which has no provisioning details."""
    view = views.imported_number(number)
    return {
        key: value for key, value in view.items() if key not in ("smsProvisioning", "campaignProvisioning")
    }


def _apply_sms(backend: Backend, number: ImportedNumber, decision: SmsDecision) -> None:
    now = views.utc_now()
    change = decision.change
    if change is Change.LINK:
        number.service_plan_id = decision.service_plan_id
        number.campaign_id = decision.campaign_id
        backend.provisioner.start_imported(number)
        return
    if change in (Change.UNLINK, Change.UNLINK_CAMPAIGN) and number.campaign_id:
        backend.events.publish(Api.IMPORTED, number, "UNLINK_TO_10DLC_CAMPAIGN")
        number.campaign_track = Track(number.campaign_id, TrackState.DONE, now, operation="DEPROVISIONING")
        number.campaign_id = ""
    if change is Change.UNLINK:
        if number.service_plan_id:
            backend.events.publish(Api.IMPORTED, number, "DEPROVISIONING_TO_SMS_PLATFORM")
            number.sms_track = Track(number.service_plan_id, TrackState.DONE, now, operation="DEPROVISIONING")
        number.service_plan_id = ""
        number.job = None
