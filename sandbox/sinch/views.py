"""JSON views of the sandbox records, in the exact shapes and field names of the specs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.sinch.models import (
    VOICE_ID_FIELD,
    ActiveNumber,
    AvailableNumber,
    ImportedNumber,
    Job,
    JobStatus,
    Money,
    Track,
)

# Imported-number scheduledProvisioning uses integer enums (the spec's `format: enum`); these follow the
# order of the Numbers API enums they mirror, as a protobuf-generated API numbers them.
_PROVISIONING_STATUS_NUMBERS = {JobStatus.WAITING: 1, JobStatus.IN_PROGRESS: 2, JobStatus.FAILED: 3}
SMS_ERROR_CODES = (
    "ERROR_CODE_UNSPECIFIED",
    "INTERNAL_ERROR",
    "SMS_PROVISIONING_FAILED",
    "CAMPAIGN_PROVISIONING_FAILED",
    "CAMPAIGN_NOT_AVAILABLE",
    "EXCEEDED_10DLC_LIMIT",
    "NUMBER_PROVISIONING_FAILED",
    "PARTNER_SERVICE_UNAVAILABLE",
    "CAMPAIGN_PENDING_ACCEPTANCE",
    "MNO_SHARING_ERROR",
    "CAMPAIGN_EXPIRED",
    "CAMPAIGN_MNO_REJECTED",
    "CAMPAIGN_MNO_SUSPENDED",
    "CAMPAIGN_MNO_REVIEW",
    "INSUFFICIENT_BALANCE",
    "MOCK_CAMPAIGN_NOT_ALLOWED",
    "TFN_NOT_ALLOWED",
    "INVALID_NNID",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def money(value: Money) -> dict[str, str]:
    return {"currencyCode": value.currency_code, "amount": value.amount}


def available_number(offer: AvailableNumber) -> dict[str, Any]:
    return {
        "phoneNumber": offer.phone_number,
        "regionCode": offer.region_code,
        "type": offer.type,
        "capability": list(offer.capabilities),
        "setupPrice": money(offer.setup_price),
        "monthlyPrice": money(offer.monthly_price),
        "paymentIntervalMonths": offer.payment_interval_months,
        "supportingDocumentationRequired": offer.supporting_documentation_required,
    }


def active_number(number: ActiveNumber) -> dict[str, Any]:
    offer = number.offer
    view: dict[str, Any] = {
        "phoneNumber": number.phone_number,
        "projectId": number.project_id,
        "displayName": number.display_name,
        "regionCode": offer.region_code,
        "type": offer.type,
        "capability": list(offer.capabilities),
        "money": money(offer.monthly_price),
        "paymentIntervalMonths": offer.payment_interval_months,
        "nextChargeDate": rfc3339(number.next_charge_date),
        "smsConfiguration": _sms_configuration(number),
        "voiceConfiguration": _voice_configuration(number),
        "callbackUrl": number.callback_url,
    }
    if number.expire_at is not None:
        view["expireAt"] = rfc3339(number.expire_at)
    return view


def _sms_configuration(number: ActiveNumber) -> dict[str, Any]:
    sms = number.sms
    view: dict[str, Any] = {"servicePlanId": sms.service_plan_id, "campaignId": sms.campaign_id}
    if sms.job is not None:
        job = sms.job
        scheduled: dict[str, Any] = {
            "servicePlanId": job.target,
            "campaignId": job.campaign_id,
            "status": job.status,
            "lastUpdatedTime": rfc3339(job.last_updated),
        }
        if job.error_codes:
            scheduled["errorCodes"] = list(job.error_codes)
        view["scheduledProvisioning"] = scheduled
    return view


def _voice_configuration(number: ActiveNumber) -> dict[str, Any]:
    voice = number.voice
    view: dict[str, Any] = {"type": voice.type, VOICE_ID_FIELD[voice.type]: voice.target}
    if voice.last_updated is not None:
        view["lastUpdatedTime"] = rfc3339(voice.last_updated)
    if voice.job is not None:
        job = voice.job
        view["scheduledVoiceProvisioning"] = {
            "type": job.voice_type,
            VOICE_ID_FIELD[job.voice_type]: job.target,
            "status": job.status,
            "lastUpdatedTime": rfc3339(job.last_updated),
        }
    return view


def imported_number(number: ImportedNumber) -> dict[str, Any]:
    sms_configuration: dict[str, Any] = {
        "servicePlanId": number.service_plan_id,
        "campaignId": number.campaign_id,
        "migrateToSinchTmo": False,
    }
    if number.job is not None:
        sms_configuration["scheduledProvisioning"] = _imported_schedule(number.job)
    view: dict[str, Any] = {
        "phoneNumber": number.phone_number,
        "projectId": number.project_id,
        "regionCode": number.region_code,
        "displayName": number.display_name,
        "smsConfiguration": sms_configuration,
        "callbackUrl": number.callback_url,
    }
    if number.sms_track is not None:
        view["smsProvisioning"] = _track(number.sms_track, "SMS")
    if number.campaign_track is not None:
        view["campaignProvisioning"] = _track(number.campaign_track, "CAMPAIGN")
    return view


def _imported_schedule(job: Job) -> dict[str, Any]:
    return {
        "servicePlanId": job.target,
        "campaignId": job.campaign_id,
        "status": _PROVISIONING_STATUS_NUMBERS[job.status],
        "lastUpdatedTime": rfc3339(job.last_updated),
        "errorCodes": [SMS_ERROR_CODES.index(code) for code in job.error_codes],
    }


def _track(track: Track, service_type: str) -> dict[str, Any]:
    return {
        "serviceType": service_type,
        "serviceId": track.service_id,
        "type": track.operation,
        "state": track.state,
        "updateTime": rfc3339(track.update_time),
        "errorMessage": track.error_message,
        "errorCode": track.error_code,
    }
