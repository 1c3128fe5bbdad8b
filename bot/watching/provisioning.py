"""After a rent, update or import, Sinch provisions SMS and voice asynchronously: remember what to watch,
and read from a number's state whether that provisioning has ended and how.

Workflows call `watch_if_pending` (active numbers) with the number Sinch returned, or `watch_imported`
(imported numbers) with the parts their request started: Sinch's answer to an import or an update carries
no provisioning progress, so it cannot tell what is pending. The watcher (bot.watching.watcher) settles the
watch, from a callback or a poll, whichever comes first, and tells the request's thread how it ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from bot.blockkit.blocks import MESSAGE_BLOCKS, section, to_dicts, with_sandbox_note
from bot.blockkit.text import escape
from bot.services import Services
from bot.sinch import (
    ActiveNumber,
    ImportedNumber,
    ProvisioningProgress,
    ProvisioningState,
    ProvisioningStatus,
)
from bot.watching.error_codes import code_name, explain_all
from storage import watches
from storage.db import JsonDict
from storage.events import EventApi

FIRST_CHECK = timedelta(seconds=10)
MAX_BACKOFF = timedelta(minutes=10)


def backoff(checks: int) -> timedelta:
    """Delay before the next check of something already checked `checks` times: 10 s, 20 s, 40 s… ≤ 10 min."""
    delay: timedelta = FIRST_CHECK * 2 ** min(checks, 16)
    return min(delay, MAX_BACKOFF)


class PartState(Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class PartStatus:
    """Where one provisioned part ("sms", "voice", "campaign") of a number stands."""

    part: str
    state: PartState
    error_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settlement:
    """The watched parts of a number, once none is pending any more."""

    phone_number: str
    parts: tuple[PartStatus, ...]

    @property
    def ok(self) -> bool:
        return all(part.state is PartState.DONE for part in self.parts)

    @property
    def outcome(self) -> str:
        """What the watch row records: "ok" or the failed parts with their codes."""
        if self.ok:
            return "ok"
        failed = [
            f"{p.part}:{'+'.join(p.error_codes) or '?'}" for p in self.parts if p.state is PartState.FAILED
        ]
        return "failed " + " ".join(failed)


def active_parts(number: ActiveNumber) -> list[PartStatus]:
    """SMS and voice of an active number. No scheduled job means nothing is (or is any longer) running."""
    sms = number.sms_configuration
    scheduled_sms = sms.scheduled_provisioning if sms is not None else None
    voice = number.voice_configuration
    scheduled_voice = voice.scheduled_voice_provisioning if voice is not None else None
    parts = []
    if scheduled_sms is None:
        parts.append(PartStatus("sms", PartState.DONE))
    else:
        codes = tuple(code_name(code) for code in scheduled_sms.error_codes)
        parts.append(PartStatus("sms", _job_state(scheduled_sms.status), codes))
    if scheduled_voice is None:
        parts.append(PartStatus("voice", PartState.DONE))
    else:
        parts.append(PartStatus("voice", _job_state(scheduled_voice.status)))
    return parts


def imported_parts(number: ImportedNumber) -> list[PartStatus]:
    """SMS platform and 10DLC campaign linking of an imported number."""
    return [
        _progress("sms", number.sms_provisioning),
        _progress("campaign", number.campaign_provisioning),
    ]


def settlement(phone_number: str, parts: list[PartStatus], watched: str) -> Settlement | None:
    """The outcome of the watched parts (`watched` is a watch's comma list), None while any is pending."""
    names = set(watched.split(","))
    relevant = tuple(part for part in parts if part.part in names)
    if any(part.state is PartState.PENDING for part in relevant):
        return None
    return Settlement(phone_number, relevant)


def watch_if_pending(services: Services, number: ActiveNumber, *, request_id: str | None) -> list[str]:
    """Start watching the number if anything is still provisioning; returns what is pending."""
    return _watch(
        services,
        "numbers",
        number.phone_number,
        active_parts(number),
        request_id=request_id,
        region=number.region_code,
        number_type=number.type,
    )


def watch_imported(
    services: Services, number: ImportedNumber, parts: Sequence[str], *, request_id: str
) -> list[str]:
    """Watch the `parts` ("sms", "campaign") of an imported number that its request started provisioning."""
    return _watch(
        services,
        "imported",
        number.phone_number,
        [PartStatus(part, PartState.PENDING) for part in parts],
        request_id=request_id,
        region=number.region_code,
        number_type=None,
    )


def _watch(
    services: Services,
    api: EventApi,
    phone_number: str,
    parts: list[PartStatus],
    *,
    request_id: str | None,
    region: str | None,
    number_type: str | None,
) -> list[str]:
    pending = [part.part for part in parts if part.state is PartState.PENDING]
    if pending:
        now = services.clock()
        watches.watch(
            services.store,
            phone_number=phone_number,
            api=api,
            parts=",".join(pending),
            now=now,
            next_check_at=now + FIRST_CHECK,
            request_id=request_id,
            region=region,
            number_type=number_type,
        )
    return pending


def job_status(status: ProvisioningStatus | int | None) -> ProvisioningStatus | None:
    """A scheduled job's status as the enum (None if unknown): the Imported Numbers spec documents protobuf
    integers, which count in the order of the Numbers API enum they mirror."""
    if isinstance(status, int):
        members = list(ProvisioningStatus)
        return members[status] if 0 <= status < len(members) else None
    return status


def is_failed(status: ProvisioningStatus | int | None) -> bool:
    """A job still listed is running unless it failed."""
    return job_status(status) is ProvisioningStatus.FAILED


def _job_state(status: ProvisioningStatus | int | None) -> PartState:
    return PartState.FAILED if is_failed(status) else PartState.PENDING


def _progress(part: str, progress: ProvisioningProgress | None) -> PartStatus:
    if progress is None or progress.state is ProvisioningState.DONE:
        return PartStatus(part, PartState.DONE)
    if progress.state is ProvisioningState.FAILED:
        return PartStatus(part, PartState.FAILED, (progress.error_code,) if progress.error_code else ())
    return PartStatus(part, PartState.PENDING)


@dataclass(frozen=True)
class Report:
    """How a settled watch reads in Slack: `detail` in the request's thread, `summary` as one channel line."""

    detail_text: str
    detail_blocks: list[JsonDict]
    summary: str


_PART_NAMES = {"sms": "SMS", "voice": "voice", "campaign": "10DLC campaign"}


def report(
    settled: Settlement, *, request_id: str | None, sandbox: bool, unrequested: bool = False
) -> Report:
    """Pure: the messages for one settled number; every failed part lists its codes with the next step.

    `unrequested`: Sinch provisioned a number numbot never asked about, which every line says.
    """
    parts = _names(settled.parts)
    # The number of an event numbot never asked about is Sinch's text, like any other.
    number = f"`{escape(settled.phone_number)}`"
    suffix = f" (request {request_id})" if request_id else ""
    origin = " (a change numbot did not request)" if unrequested else ""
    suffix += origin
    if settled.ok:
        lead = f":white_check_mark: {number} is ready: {parts} provisioning finished{origin}."
        summary = f":white_check_mark: {number}: {parts} provisioning finished{suffix}."
        return Report(lead, to_dicts(with_sandbox_note([section(lead)], sandbox)), summary)
    failed = [part for part in settled.parts if part.state is PartState.FAILED]
    failed_names = _names(failed)
    codes = [code for part in failed for code in part.error_codes]
    lead = f":x: {number}: {failed_names} provisioning failed{origin}."
    lines = [explanation.as_line() for explanation in explain_all(codes)]
    blocks = [section(lead), *(section(f"• {line}") for line in lines[: MESSAGE_BLOCKS - 3])]
    named = escape(", ".join(codes)) or "no code"
    summary = f":x: {number}: {failed_names} provisioning failed ({named}){suffix}."
    return Report("\n".join([lead, *lines]), to_dicts(with_sandbox_note(blocks, sandbox)), summary)


def report_gone(phone_number: str, *, request_id: str | None, sandbox: bool) -> Report:
    """The number left the project (released elsewhere) while numbot was watching it."""
    suffix = f" (request {request_id})" if request_id else ""
    text = f":grey_question: `{escape(phone_number)}` left this Sinch project; stopped watching it{suffix}."
    return Report(text, to_dicts(with_sandbox_note([section(text)], sandbox)), text)


def provisioning_note(pending: Sequence[str]) -> str:
    """The sentence an outcome ends with while Sinch still provisions `pending` parts ("sms", "voice")."""
    parts = part_names(pending)
    return f"{parts[0].upper()}{parts[1:]} provisioning started; the result will appear in this thread."


def part_names(parts: Sequence[str]) -> str:
    """ "SMS and voice": the parts as people name them."""
    return " and ".join(_PART_NAMES.get(part, part) for part in parts)


def _names(parts: Sequence[PartStatus]) -> str:
    return part_names([part.part for part in parts])
