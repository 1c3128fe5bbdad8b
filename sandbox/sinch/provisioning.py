"""Scheduled provisioning: WAITING, then IN_PROGRESS halfway through, then linked or FAILED.

A job's outcome is decided when it finishes: a failure forced with `fail_next` wins, otherwise the number
fails when its seeded draw (stable for a seed, number and kind of job) falls under `failure_rate`.
Every outcome is published as a callback event.

Failure rules (the specs leave them open): a job that links a campaign and fails with a campaign error
code fails the campaign step (PROVISIONING_TO_CAMPAIGN / LINK_TO_10DLC_CAMPAIGN, with that failureCode);
any other SMS failure fails the SMS platform step, which carries no failureCode, as the spec says.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sandbox.sinch.callbacks import Api
from sandbox.sinch.changes import ChangeSignal
from sandbox.sinch.events import EventPublisher
from sandbox.sinch.models import (
    ActiveNumber,
    ImportedNumber,
    Job,
    JobStatus,
    Track,
    TrackState,
    VoiceType,
)
from sandbox.sinch.scheduler import TimerQueue
from sandbox.sinch.state import SandboxState
from sandbox.sinch.views import SMS_ERROR_CODES, utc_now

# failureCode values a callback may carry (the spec's enum), and those that concern the 10DLC campaign.
CALLBACK_FAILURE_CODES = frozenset(SMS_ERROR_CODES) - {
    "ERROR_CODE_UNSPECIFIED",
    "INTERNAL_ERROR",
    "SMS_PROVISIONING_FAILED",
}
CAMPAIGN_FAILURE_CODES = frozenset(
    code for code in CALLBACK_FAILURE_CODES if code.startswith("CAMPAIGN_") or "10DLC" in code
) | {"MNO_SHARING_ERROR", "MOCK_CAMPAIGN_NOT_ALLOWED"}


# publish(event_type, status, failure_code) for one number.
_Publish = Callable[[str, str, str | None], None]


class JobKind(Enum):
    ACTIVE_SMS = "sms"
    ACTIVE_VOICE = "voice"
    IMPORTED_SMS = "imported"


@dataclass(frozen=True)
class _JobRef:
    kind: JobKind
    project_id: str
    phone_number: str
    job_id: int


class Provisioner:
    def __init__(
        self,
        state: SandboxState,
        events: EventPublisher,
        timers: TimerQueue,
        changes: ChangeSignal,
        *,
        seed: int,
        duration_seconds: float,
        failure_rate: float,
    ) -> None:
        self._state = state
        self._events = events
        self._timers = timers
        self._changes = changes
        self._seed = seed
        self._duration = duration_seconds
        self._failure_rate = failure_rate
        self._forced_failures: dict[str, list[str]] = {}

    # Starting jobs (callers hold the state lock and have validated the request).

    def start_sms(self, number: ActiveNumber, service_plan_id: str, campaign_id: str) -> None:
        number.sms.job = self._new_job(service_plan_id, campaign_id=campaign_id)
        self._schedule(
            _JobRef(JobKind.ACTIVE_SMS, number.project_id, number.phone_number, number.sms.job.job_id)
        )

    def start_voice(self, number: ActiveNumber, voice_type: VoiceType, target: str) -> None:
        number.voice.job = self._new_job(target, voice_type=voice_type)
        self._schedule(
            _JobRef(JobKind.ACTIVE_VOICE, number.project_id, number.phone_number, number.voice.job.job_id)
        )

    def start_imported(self, number: ImportedNumber) -> None:
        now = utc_now()
        job = self._new_job(number.service_plan_id, campaign_id=number.campaign_id)
        number.job = job
        number.sms_track = Track(number.service_plan_id, TrackState.WAITING, now)
        number.campaign_track = (
            Track(number.campaign_id, TrackState.WAITING, now) if number.campaign_id else None
        )
        self._schedule(_JobRef(JobKind.IMPORTED_SMS, number.project_id, number.phone_number, job.job_id))

    # Test controls.

    def fail_next(self, phone_number: str, error_codes: list[str]) -> None:
        unknown = [code for code in error_codes if code not in SMS_ERROR_CODES]
        if unknown:
            raise ValueError(f"not SmsErrorCode values from the spec: {unknown}")
        with self._state.lock:
            self._forced_failures[phone_number] = list(error_codes)

    def complete(self, phone_number: str | None = None) -> None:
        """Finish every pending job now (or only that number's), publishing their outcomes."""
        with self._state.lock:
            for ref in self._pending_jobs():
                if phone_number is None or ref.phone_number == phone_number:
                    self._finish(ref)

    # Internals.

    def _new_job(self, target: str, *, campaign_id: str = "", voice_type: VoiceType = VoiceType.RTC) -> Job:
        return Job(self._state.next_id(), target, JobStatus.WAITING, utc_now(), campaign_id, voice_type)

    def _schedule(self, ref: _JobRef) -> None:
        self._timers.call_later(self._duration / 2, lambda: self._advance(ref))
        self._timers.call_later(self._duration, lambda: self._finish(ref))

    def _pending_jobs(self) -> list[_JobRef]:
        refs: list[_JobRef] = []
        for project in self._state.projects():
            for number in project.active.values():
                for kind, job in (
                    (JobKind.ACTIVE_SMS, number.sms.job),
                    (JobKind.ACTIVE_VOICE, number.voice.job),
                ):
                    if job is not None and job.pending:
                        refs.append(_JobRef(kind, project.project_id, number.phone_number, job.job_id))
            for imported in project.imported.values():
                if imported.job is not None and imported.job.pending:
                    refs.append(
                        _JobRef(
                            JobKind.IMPORTED_SMS,
                            project.project_id,
                            imported.phone_number,
                            imported.job.job_id,
                        )
                    )
        return refs

    def _job(self, ref: _JobRef) -> tuple[ActiveNumber | ImportedNumber, Job] | None:
        """The number and job a reference points at, if that job is still the pending one."""
        project = self._state.project(ref.project_id)
        number: ActiveNumber | ImportedNumber | None
        if ref.kind is JobKind.IMPORTED_SMS:
            number = project.imported.get(ref.phone_number)
            job = number.job if number else None
        else:
            number = project.active.get(ref.phone_number)
            link = None if number is None else number.sms if ref.kind is JobKind.ACTIVE_SMS else number.voice
            job = link.job if link else None
        if number is None or job is None or job.job_id != ref.job_id or not job.pending:
            return None
        return number, job

    def _advance(self, ref: _JobRef) -> None:
        with self._state.lock:
            found = self._job(ref)
            if found is None or found[1].status is not JobStatus.WAITING:
                return
            number, job = found
            job.status = JobStatus.IN_PROGRESS
            job.last_updated = utc_now()
            if isinstance(number, ImportedNumber):
                for track in (number.sms_track, number.campaign_track):
                    if track is not None:
                        track.state = TrackState.IN_PROGRESS
                        track.update_time = job.last_updated
            self._changes.notify()

    def _finish(self, ref: _JobRef) -> None:
        with self._state.lock:
            found = self._job(ref)
            if found is None:
                return
            number, job = found
            error_codes = self._outcome(ref, job)
            job.last_updated = utc_now()
            if isinstance(number, ImportedNumber):
                self._finish_imported(number, job, error_codes)
            elif ref.kind is JobKind.ACTIVE_SMS:
                self._finish_sms(number, job, error_codes)
            else:
                self._finish_voice(number, job, error_codes)
            self._changes.notify()

    def _outcome(self, ref: _JobRef, job: Job) -> list[str]:
        """The error codes the job fails with; empty when it succeeds."""
        forced = self._forced_failures.pop(ref.phone_number, None)
        if forced is not None:
            return forced or ["ERROR_CODE_UNSPECIFIED"]
        draw = hashlib.sha256(f"{self._seed}:{ref.phone_number}:{ref.kind.value}".encode()).digest()
        if int.from_bytes(draw[:8], "big") / 2**64 >= self._failure_rate:
            return []
        if ref.kind is JobKind.ACTIVE_VOICE:
            return ["NUMBER_PROVISIONING_FAILED"]
        return ["CAMPAIGN_NOT_AVAILABLE"] if job.campaign_id else ["SMS_PROVISIONING_FAILED"]

    def _finish_sms(self, number: ActiveNumber, job: Job, error_codes: list[str]) -> None:
        publish = self._publisher(Api.NUMBERS, number)
        if error_codes:
            job.status = JobStatus.FAILED
            job.error_codes = error_codes
            if _is_campaign_failure(job, error_codes):
                publish("PROVISIONING_TO_CAMPAIGN", "FAILED", error_codes[0])
            else:
                publish("PROVISIONING_TO_SMS_PLATFORM", "FAILED", None)
            return
        plan_changed = number.sms.service_plan_id != job.target
        number.sms.service_plan_id = job.target
        number.sms.campaign_id = job.campaign_id
        number.sms.job = None
        if plan_changed:
            publish("PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED", None)
        if job.campaign_id:
            publish("PROVISIONING_TO_CAMPAIGN", "SUCCEEDED", None)

    def _finish_voice(self, number: ActiveNumber, job: Job, error_codes: list[str]) -> None:
        publish = self._publisher(Api.NUMBERS, number)
        if error_codes:
            job.status = JobStatus.FAILED
            job.error_codes = error_codes
            publish("PROVISIONING_TO_VOICE_PLATFORM", "FAILED", _callback_failure_code(error_codes))
            return
        number.voice.type = job.voice_type
        number.voice.target = job.target
        number.voice.last_updated = job.last_updated
        number.voice.job = None
        publish("PROVISIONING_TO_VOICE_PLATFORM", "SUCCEEDED", None)

    def _finish_imported(self, number: ImportedNumber, job: Job, error_codes: list[str]) -> None:
        publish = self._publisher(Api.IMPORTED, number)
        campaign_failed = bool(error_codes) and _is_campaign_failure(job, error_codes)
        sms_failed = bool(error_codes) and not campaign_failed
        _settle(number.sms_track, job, error_codes if sms_failed else [])
        publish("PROVISIONING_TO_SMS_PLATFORM", "FAILED" if sms_failed else "SUCCEEDED", None)
        if number.campaign_track is not None:
            _settle(number.campaign_track, job, error_codes)
            if not sms_failed:
                publish(
                    "LINK_TO_10DLC_CAMPAIGN",
                    "FAILED" if campaign_failed else "SUCCEEDED",
                    _callback_failure_code(error_codes),
                )
        if error_codes:
            job.status = JobStatus.FAILED
            job.error_codes = error_codes
        else:
            number.job = None

    def _publisher(self, api: Api, number: ActiveNumber | ImportedNumber) -> _Publish:
        return functools.partial(self._events.publish, api, number)


def _is_campaign_failure(job: Job, error_codes: list[str]) -> bool:
    return bool(job.campaign_id) and error_codes[0] in CAMPAIGN_FAILURE_CODES


def _callback_failure_code(error_codes: list[str]) -> str | None:
    return next((code for code in error_codes if code in CALLBACK_FAILURE_CODES), None)


def _settle(track: Track | None, job: Job, error_codes: list[str]) -> None:
    if track is None:
        return
    track.update_time = job.last_updated
    if error_codes:
        track.state = TrackState.FAILED
        track.error_code = error_codes[0]
        track.error_message = f"Provisioning failed: {error_codes[0]}"
    else:
        track.state = TrackState.DONE
