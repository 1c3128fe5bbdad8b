"""A realistic team inventory, for demos and for trying numbot: `SandboxState.seed_inventory(count)`.

A team's numbers are not one region and one type: they are spread over regions and types the way the mix
below says, priced in each region's currency, charged on days spread over the month, and in every state a
real inventory has. Most are configured for SMS and/or voice; some are idle (paid for, used for nothing);
a few had their last provisioning fail; some voice-capable US/CA numbers have an emergency address and
some do not; and a handful of non-Sinch numbers are imported for SMS. Everything is drawn from the
sandbox's seed, so the same seed gives the same inventory.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sandbox.sinch.addresses import KNOWN_ADDRESSES
from sandbox.sinch.models import (
    ActiveNumber,
    AvailableNumber,
    Capability,
    ImportedNumber,
    Job,
    JobStatus,
    Money,
    NumberType,
    Track,
    TrackState,
    VoiceType,
)
from sandbox.sinch.phone import is_valid_for_region

INVENTORY_MAX = 100_000
"""The largest inventory `seed_inventory` makes: far beyond any demo, well within one process's memory."""

# (region, type, share of the team's numbers in percent).
MIX: tuple[tuple[str, NumberType, int], ...] = (
    ("US", NumberType.LOCAL, 38),
    ("US", NumberType.TOLL_FREE, 6),
    ("CA", NumberType.LOCAL, 10),
    ("CA", NumberType.TOLL_FREE, 2),
    ("GB", NumberType.MOBILE, 8),
    ("GB", NumberType.LOCAL, 5),
    ("GB", NumberType.TOLL_FREE, 2),
    ("DE", NumberType.MOBILE, 6),
    ("DE", NumberType.LOCAL, 5),
    ("DE", NumberType.TOLL_FREE, 1),
    ("SE", NumberType.MOBILE, 5),
    ("SE", NumberType.LOCAL, 3),
    ("SE", NumberType.TOLL_FREE, 1),
    ("AU", NumberType.MOBILE, 8),
)

# The currency each region bills in, and what the catalog's one USD costs there (rounded, fixed: a demo
# needs stable figures, not today's rates).
LOCAL_CURRENCY: dict[str, tuple[str, Decimal]] = {
    "US": ("USD", Decimal(1)),
    "CA": ("CAD", Decimal("1.35")),
    "GB": ("GBP", Decimal("0.79")),
    "DE": ("EUR", Decimal("0.92")),
    "SE": ("SEK", Decimal("10.50")),
    "AU": ("AUD", Decimal("1.50")),
}

FAILED_SHARE = 0.04
IDLE_SHARE = 0.12
E911_SHARE = 0.65
"""Of the voice-capable US/CA numbers, how many have an emergency address."""
IMPORTED_PER_ACTIVE = 25
IMPORTED_MAX = 40
# Non-Sinch numbers come from area codes the sandbox's catalog never sells, so they can never collide.
IMPORTED_PREFIXES = {"US": ("+1310", "+1323", "+1510", "+1619", "+1646", "+1650"), "CA": ("+1250", "+1519")}
PURPOSES = (
    "Support",
    "Sales",
    "Billing",
    "Alerts",
    "Onboarding",
    "Dispatch",
    "2FA",
    "Marketing",
    "Field ops",
)
CAMPAIGNS = ("CQ4TL2Z", "CM7XK9B")

DrawOffers = Callable[[str, NumberType, int], list[AvailableNumber]]


@dataclass(frozen=True)
class SeededInventory:
    active: list[str]
    imported: list[str]


def shares(count: int) -> list[tuple[str, NumberType, int]]:
    """How many of `count` numbers each (region, type) gets: the mix, rounded so the parts add up."""
    total = sum(weight for _, _, weight in MIX)
    exact = [count * weight / total for _, _, weight in MIX]
    given = [math.floor(part) for part in exact]
    # Largest remainders first (ties in mix order): every rounding is deterministic.
    by_remainder = sorted(range(len(MIX)), key=lambda index: given[index] - exact[index])
    for index in by_remainder[: count - sum(given)]:
        given[index] += 1
    return [(region, kind, n) for (region, kind, _), n in zip(MIX, given, strict=True) if n]


def imported_count(count: int) -> int:
    return min(IMPORTED_MAX, math.ceil(count / IMPORTED_PER_ACTIVE))


class TeamInventory:
    """Turns drawn offers into a team's active numbers, and makes its imported numbers."""

    def __init__(self, seed: int, project_id: str, now: datetime, next_id: Callable[[], int]) -> None:
        # Determinism for a seed is the point; nothing security-relevant is drawn.
        self._rng = random.Random(f"{seed}/team-inventory")  # noqa: S311
        self._project_id = project_id
        self._now = now
        self._next_id = next_id
        self._plans = [f"{self._rng.getrandbits(128):032x}" for _ in range(3)]
        self._apps = [self._uuid() for _ in range(3)]
        self._trunk = self._uuid()
        self._fax = self._uuid()

    def active(self, offer: AvailableNumber) -> ActiveNumber:
        rng = self._rng
        number = ActiveNumber(
            offer.phone_number,
            self._project_id,
            _priced_locally(offer),
            self._next_charge_date(),
            display_name=self._display_name(offer.region_code),
        )
        roll = rng.random()
        if roll < FAILED_SHARE:
            self._fail_provisioning(number)
        elif roll >= FAILED_SHARE + IDLE_SHARE:
            self._configure(number)
        needs_e911 = Capability.VOICE in offer.capabilities and offer.region_code in ("US", "CA")
        if needs_e911 and rng.random() < E911_SHARE:
            number.emergency_address = dict(rng.choice(KNOWN_ADDRESSES))
        return number

    def imported(self, count: int, taken: Callable[[str], bool]) -> list[ImportedNumber]:
        made: dict[str, ImportedNumber] = {}
        while len(made) < count:
            region = "US" if self._rng.random() < 0.8 else "CA"
            phone_number = f"{self._rng.choice(IMPORTED_PREFIXES[region])}{self._rng.randrange(10**7):07d}"
            if phone_number in made or taken(phone_number) or not is_valid_for_region(phone_number, region):
                continue
            made[phone_number] = self._imported(phone_number, region)
        return list(made.values())

    def _imported(self, phone_number: str, region: str) -> ImportedNumber:
        sequence = self._next_id()
        plan = self._rng.choice(self._plans)
        campaign = self._rng.choice(CAMPAIGNS) if region == "US" and self._rng.random() < 0.5 else ""
        return ImportedNumber(
            phone_number,
            self._project_id,
            region,
            created_seq=sequence,
            updated_seq=sequence,
            display_name=self._display_name(region),
            service_plan_id=plan,
            campaign_id=campaign,
            sms_track=Track(plan, TrackState.DONE, self._now),
            campaign_track=Track(campaign, TrackState.DONE, self._now) if campaign else None,
        )

    def _configure(self, number: ActiveNumber) -> None:
        """SMS, voice or both, as far as the number can do them."""
        capabilities = number.offer.capabilities
        uses = self._rng.choices(("both", "sms", "voice"), (5, 3, 2))[0]
        sms = Capability.SMS in capabilities and (uses != "voice" or Capability.VOICE not in capabilities)
        voice = Capability.VOICE in capabilities and (uses != "sms" or Capability.SMS not in capabilities)
        if sms:
            number.sms.service_plan_id = self._rng.choice(self._plans)
            if number.offer.region_code == "US" and self._rng.random() < 0.5:
                number.sms.campaign_id = self._rng.choice(CAMPAIGNS)
        if voice:
            number.voice.type, number.voice.target = self._voice_target()
            number.voice.last_updated = self._now - timedelta(days=self._rng.randrange(1, 400))

    def _voice_target(self) -> tuple[VoiceType, str]:
        kind = self._rng.choices((VoiceType.RTC, VoiceType.EST, VoiceType.FAX), (8, 3, 1))[0]
        target = {VoiceType.RTC: self._rng.choice(self._apps), VoiceType.EST: self._trunk}.get(
            kind, self._fax
        )
        return kind, target

    def _fail_provisioning(self, number: ActiveNumber) -> None:
        """The number's first provisioning FAILED: Sinch keeps the failed job, and nothing is linked."""
        failed_at = self._now - timedelta(hours=self._rng.randrange(1, 72))
        if Capability.SMS in number.offer.capabilities:
            number.sms.job = Job(
                self._next_id(),
                self._rng.choice(self._plans),
                JobStatus.FAILED,
                failed_at,
                error_codes=["SMS_PROVISIONING_FAILED"],
            )
        else:
            app = self._rng.choice(self._apps)
            number.voice.job = Job(
                self._next_id(), app, JobStatus.FAILED, failed_at, error_codes=["NUMBER_PROVISIONING_FAILED"]
            )

    def _next_charge_date(self) -> datetime:
        """Monthly charges fall on any day of the coming month."""
        today = datetime.combine(self._now.date(), time(), tzinfo=UTC)
        return today + timedelta(days=self._rng.randrange(1, 31))

    def _display_name(self, region: str) -> str:
        if self._rng.random() < 0.1:
            return ""
        return f"{self._rng.choice(PURPOSES)} {region} {self._rng.randrange(1, 100)}"

    def _uuid(self) -> str:
        hex_digits = f"{self._rng.getrandbits(128):032x}"
        parts = (hex_digits[:8], hex_digits[8:12], hex_digits[12:16], hex_digits[16:20], hex_digits[20:])
        return "-".join(parts)


def _priced_locally(offer: AvailableNumber) -> AvailableNumber:
    currency, rate = LOCAL_CURRENCY[offer.region_code]

    def local(price: Money) -> Money:
        amount = (Decimal(price.amount) * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return Money(currency, str(amount))

    return replace(offer, setup_price=local(offer.setup_price), monthly_price=local(offer.monthly_price))
