"""What `imported list` and `imported update` ask of Sinch, decided before any call (pure functions).

List: the Imported Numbers API requires `servicePlanId` and `campaignId` filters. numbot takes them from the
command or from the configured defaults and sends "" (any) for the one that is missing, so one of the two
is enough; with neither, the user is told which options and settings exist.

Update: Sinch's rule is that a number linked to a service plan or campaign is unlinked before it is linked
to another one. numbot refuses a relink and says how to do it in two steps rather than unlinking silently:
an unlink stops traffic, so it deserves its own approval.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.approvals.policy import Change
from bot.blockkit.text import escape
from bot.config import Settings
from bot.errors import UsageError, UserFacingError
from bot.sinch import ImportedNumber, NumberPattern, SearchPattern, SmsConfiguration, UpdateImportedNumber
from commands.imported.view import sms_of

CAMPAIGN_REGION = "US"
_REGION = re.compile(r"[A-Za-z]{2}")
_PATTERN = re.compile(r"\+?\d{1,15}")


@dataclass(frozen=True)
class ListFilters:
    service_plan_id: str
    campaign_id: str
    description: str


@dataclass(frozen=True)
class ListCriteria:
    region_code: str | None
    pattern: NumberPattern | None


def list_filters(plan: str | None, campaign: str | None, settings: Settings) -> ListFilters:
    """The plan and campaign filters to send, from the options or the defaults, and how to describe them."""
    chosen_plan = _chosen(
        plan, "`--plan`", settings.numbot_imported_service_plan_id, "NUMBOT_IMPORTED_SERVICE_PLAN_ID"
    )
    chosen_campaign = _chosen(
        campaign, "`--campaign`", settings.numbot_imported_campaign_id, "NUMBOT_IMPORTED_CAMPAIGN_ID"
    )
    if chosen_plan is None and chosen_campaign is None:
        raise UserFacingError(
            "Sinch lists imported numbers only by service plan or campaign. Add `--plan ID` or "
            "`--campaign ID`, or ask an admin to set NUMBOT_IMPORTED_SERVICE_PLAN_ID or "
            "NUMBOT_IMPORTED_CAMPAIGN_ID."
        )
    plan_value, plan_text = chosen_plan or ("", "any")
    campaign_value, campaign_text = chosen_campaign or ("", "any")
    return ListFilters(plan_value, campaign_value, f"service plan {plan_text} · campaign {campaign_text}")


def list_criteria(positionals: Sequence[str], usage: str) -> ListCriteria:
    """`[REGION] [pattern]` in any order: two letters are a region, digits (a leading + anchors) a pattern."""
    region: str | None = None
    pattern: NumberPattern | None = None
    for word in positionals:
        if _REGION.fullmatch(word) and region is None:
            region = word.upper()
        elif _PATTERN.fullmatch(word) and pattern is None:
            anchored = SearchPattern.START if word.startswith("+") else SearchPattern.CONTAINS
            pattern = NumberPattern(pattern=word.removeprefix("+"), search_pattern=anchored)
        else:
            raise UsageError(
                f"`{word}` is neither a region (e.g. US) nor a number pattern (e.g. +1206).", usage
            )
    return ListCriteria(region, pattern)


@dataclass(frozen=True)
class WantedUpdate:
    """What `imported update` was asked to do; None means "leave as is"."""

    display_name: str | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None
    unlink: bool = False
    unlink_campaign: bool = False


@dataclass(frozen=True)
class PlannedUpdate:
    update: UpdateImportedNumber
    changes: frozenset[str]
    # "Label", "before → after" for each thing that changes.
    fields: list[tuple[str, str]]
    # What Sinch provisions once the update is applied ("sms", "campaign"); unlinking provisions nothing.
    provisions: tuple[str, ...] = ()


def plan_update(number: ImportedNumber, wanted: WantedUpdate, usage: str) -> PlannedUpdate:
    """The PATCH that does what was asked, or UsageError / UserFacingError explaining why it cannot."""
    linking = wanted.service_plan_id is not None or wanted.campaign_id is not None
    if wanted.unlink and (linking or wanted.unlink_campaign):
        raise UsageError("Unlink and link in two steps: first `--unlink`, then `--plan`/`--campaign`.", usage)
    sms = _sms_change(number, wanted)
    name = wanted.display_name
    renames = name is not None and name != (number.display_name or "")
    if sms is None and not renames:
        raise UserFacingError(f"{number.phone_number} already looks like that; nothing to change.")
    current = sms_of(number)
    fields = [("Number", number.phone_number)]
    if renames:
        fields.append(("Display name", _before_after(number.display_name, name)))
    if sms is not None:
        if sms.service_plan_id != (current.service_plan_id or ""):
            fields.append(("Service plan", _before_after(current.service_plan_id, sms.service_plan_id)))
        if sms.campaign_id is not None:
            fields.append(("Campaign", _before_after(current.campaign_id, sms.campaign_id)))
    changes = {Change.DISPLAY_NAME} if renames else set()
    if sms is not None:
        changes.add(Change.SMS)
    update = UpdateImportedNumber(display_name=name if renames else None, sms_configuration=sms)
    return PlannedUpdate(update, frozenset(changes), fields, _provisions(number, sms))


def _provisions(number: ImportedNumber, sms: SmsConfiguration | None) -> tuple[str, ...]:
    current = sms_of(number)
    if sms is None or not sms.service_plan_id:
        return ()
    links_plan = sms.service_plan_id != (current.service_plan_id or "")
    links_campaign = bool(sms.campaign_id) and sms.campaign_id != (current.campaign_id or "")
    return (*(["sms"] if links_plan else []), *(["campaign"] if links_campaign else []))


def _sms_change(number: ImportedNumber, wanted: WantedUpdate) -> SmsConfiguration | None:
    current = sms_of(number)
    plan, campaign = current.service_plan_id or "", current.campaign_id or ""
    phone = number.phone_number
    if wanted.unlink:
        if not plan and not campaign:
            raise UserFacingError(f"{phone} is not linked to a service plan; there is nothing to unlink.")
        return SmsConfiguration(service_plan_id="", campaign_id="")
    if wanted.unlink_campaign:
        if not campaign:
            raise UserFacingError(f"{phone} is not in a campaign; there is nothing to unlink.")
        return SmsConfiguration(service_plan_id=plan, campaign_id="")
    if wanted.service_plan_id is None and wanted.campaign_id is None:
        return None
    new_plan = wanted.service_plan_id or plan
    if plan and new_plan != plan:
        raise UserFacingError(
            f"{phone} is linked to service plan `{escape(plan)}`. Unlink it first "
            f"(`/numbers imported update {phone} --unlink`), then link `{escape(new_plan)}`."
        )
    if wanted.campaign_id is not None:
        _check_campaign(number, new_plan, campaign, wanted.campaign_id)
    if (new_plan, wanted.campaign_id or campaign) == (plan, campaign):
        return None
    return SmsConfiguration(service_plan_id=new_plan, campaign_id=wanted.campaign_id)


def _check_campaign(number: ImportedNumber, plan: str, campaign: str, wanted: str) -> None:
    phone = number.phone_number
    if number.region_code != CAMPAIGN_REGION:
        region = escape(str(number.region_code))
        raise UserFacingError(f"10DLC campaigns only apply to US numbers; {phone} is {region}.")
    if not plan:
        raise UserFacingError(f"A campaign needs a service plan: add `--plan ID` to link {phone} to both.")
    if campaign and wanted != campaign:
        raise UserFacingError(
            f"{phone} is in campaign `{escape(campaign)}`. Unlink it first "
            f"(`/numbers imported update {phone} --unlink-campaign`), then link `{escape(wanted)}`."
        )


def _chosen(given: str | None, option: str, default: str | None, setting: str) -> tuple[str, str] | None:
    if given:
        return given, f"`{escape(given)}` (from {option})"
    if default:
        return default, f"`{escape(default)}` (default from {setting})"
    return None


def _before_after(before: str | None, after: str | None) -> str:
    return f"{_shown(before)} → {_shown(after)}"


def _shown(value: str | None) -> str:
    return f"`{value}`" if value else "none"
