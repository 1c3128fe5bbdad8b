"""The request modal for `rent` / `rent-any` / "Request this number", and the approval request it becomes.

Pure functions: the view from what travels in `private_metadata`, the checks on a submission, and the
`RequestDraft` (payload for the executor, summary for the approval card, costs).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_sdk.models.blocks import Block

from bot.approvals import CardSummary
from bot.blockkit import ids
from bot.blockkit.blocks import context, section
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, SlackMeta
from bot.sinch import Capability, NumberPattern, NumberType, RentAnyRequest, RentRequest, SearchPattern
from commands.shared import number_forms
from commands.shared.modal_flow import JsonView, modal
from commands.shared.number_forms import NumberSettings
from commands.shared.number_offer import NumberOffer
from commands.shared.search_criteria import Criteria
from storage.request_types import RequestKind
from storage.requests import RequestDraft

TITLE = "Request a number"
NO_CONFIGURATION_WARNING = (
    "No SMS or voice set up: the number will be rented unused until someone updates it."
)
RENT_ANY_PRICE_WARNING = "Prices are those of a matching number today; Sinch picks the number on approval."


class AnyNumber(SlackMeta):
    """Rent-any criteria (Sinch only offers rent-any for US LOCAL, which parsing has checked)."""

    region: str
    type: str
    pattern: str | None = None
    search_pattern: str | None = None
    capabilities: tuple[str, ...] = ()

    @classmethod
    def from_criteria(cls, criteria: Criteria) -> AnyNumber:
        pattern = criteria.pattern
        return cls(
            region=criteria.region,
            type=criteria.number_type.value,
            pattern=pattern.pattern if pattern else None,
            search_pattern=pattern.search_pattern.value if pattern else None,
            capabilities=tuple(capability.value for capability in criteria.capabilities),
        )

    def criteria(self) -> Criteria:
        pattern = (
            NumberPattern(pattern=self.pattern, search_pattern=SearchPattern(self.search_pattern or "START"))
            if self.pattern
            else None
        )
        capabilities = tuple(Capability(value) for value in self.capabilities)
        return Criteria(self.region, NumberType(self.type), pattern, capabilities)


class RentModalMeta(SlackMeta):
    """What the modal is about: one number, or (with `any_number`) whichever matches, `offer` being an
    example match that gives the price. `origin_channel` is where the requester is answered."""

    origin_channel: str
    offer: NumberOffer
    any_number: AnyNumber | None = None

    @property
    def kind(self) -> RequestKind:
        return RequestKind.RENT if self.any_number is None else RequestKind.RENT_ANY


def rent_view(meta: RentModalMeta, *, sandbox: bool) -> JsonView:
    offer = meta.offer
    if meta.any_number is None:
        intro = f"*{offer.phone_number}*  {offer.kind}\n{offer.capabilities_text()} · {offer.prices_text()}"
        warnings = offer.warnings()
    else:
        intro = (
            f"Sinch picks the first available {meta.any_number.criteria().describe()} when the request "
            f"is approved. One matching today: {offer.prices_text()}."
        )
        warnings = []
    blocks: list[Block] = [section(intro)]
    blocks.extend(context(f":warning: {warning}") for warning in warnings)
    blocks.extend(number_forms.input_blocks(campaign=offer.region == "US"))
    blocks.append(context("A second person approves before anything is rented or paid for."))
    return modal(
        TITLE,
        blocks,
        sandbox=sandbox,
        callback_id=ids.RENT_MODAL,
        submit="Ask for approval",
        close="Cancel",
        private_metadata=meta.encode(PRIVATE_METADATA_LIMIT),
    )


def rent_problems(meta: RentModalMeta, settings: NumberSettings) -> dict[str, str]:
    """`{block_id: message}` for the modal; rent-any leaves capabilities to Sinch's choice."""
    known_number = meta.any_number is None
    return number_forms.problems(
        settings,
        phone_number=meta.offer.phone_number if known_number else None,
        capabilities=meta.offer.capability_set if known_number else None,
        campaign_allowed=meta.offer.region == "US",
    )


def rent_draft(
    meta: RentModalMeta,
    settings: NumberSettings,
    *,
    requester: str,
    ttl: timedelta,
    idempotency_key: str,
    price_change: str | None = None,
) -> RequestDraft:
    """`meta.offer` must be what Sinch offers at submit time: its prices are the ones approvers see."""
    offer = meta.offer
    payload: dict[str, Any] = {"display_name": settings.display_name or None}
    if meta.any_number is None:
        title, subject = f"Rent {offer.phone_number}", offer.phone_number
        body = RentRequest(
            sms_configuration=settings.sms_configuration(),
            voice_configuration=settings.voice_configuration(),
        )
        payload |= {"phone_number": offer.phone_number, "request": body.to_wire()}
        fields = [("Number", offer.phone_number), ("Type", offer.kind), ("Can do", offer.capabilities_text())]
        warnings = offer.warnings()
    else:
        criteria = meta.any_number.criteria()
        title, subject = f"Rent any {criteria.region} {criteria.number_type.value} number", offer.kind
        payload["request"] = _rent_any_request(criteria, settings).to_wire()
        fields = [("Number", f"any of the {criteria.describe()} (Sinch picks)")]
        warnings = [RENT_ANY_PRICE_WARNING]
    if price_change:
        warnings.insert(0, price_change)
    configuration = settings.summary_fields()
    if not (settings.wants_sms or settings.wants_voice):
        warnings.append(NO_CONFIGURATION_WARNING)
    summary = CardSummary(title=title, fields=[*fields, *configuration], warnings=warnings)
    return RequestDraft(
        kind=meta.kind,
        requester=requester,
        subject=subject,
        payload=payload,
        summary=summary.to_json(),
        ttl=ttl,
        setup_cost=offer.setup,
        monthly_cost=offer.monthly,
        currency=offer.currency,
        origin_channel=meta.origin_channel,
        idempotency_key=idempotency_key,
    )


def _rent_any_request(criteria: Criteria, settings: NumberSettings) -> RentAnyRequest:
    # A service plan or voice app only works on a number that can do SMS or voice: ask Sinch for one.
    implied = {Capability.SMS} if settings.wants_sms else set()
    implied |= {Capability.VOICE} if settings.wants_voice else set()
    capabilities = sorted({*criteria.capabilities, *implied})
    return RentAnyRequest(
        region_code=criteria.region,
        type=criteria.number_type,
        number_pattern=criteria.pattern,
        capabilities=capabilities or None,
        sms_configuration=settings.sms_configuration(),
        voice_configuration=settings.voice_configuration(),
    )
