"""A deterministic, seedable inventory of numbers Sinch could sell.

Every (region, type) gets its own seeded stream of valid numbers (checked with `phonenumbers`) drawn from
realistic prefixes, generated only when first asked for, so a sandbox starts instantly. The first
`base_size` numbers of a stream are the searchable stock; `draw_extra` continues the same stream for tests
and benchmarks that need thousands of active numbers without emptying the stock.

Prices are quoted in USD, as a Sinch account quotes every region in its account currency.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType

from sandbox.sinch.models import AvailableNumber, Capability, Money, NumberType
from sandbox.sinch.phone import region_of

_SMS_VOICE = (Capability.SMS, Capability.VOICE)
_VOICE = (Capability.VOICE,)
_SMS = (Capability.SMS,)

_ACCEPTED_TYPES: dict[NumberType, frozenset[int]] = {
    NumberType.MOBILE: frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}),
    NumberType.LOCAL: frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}),
    NumberType.TOLL_FREE: frozenset({PhoneNumberType.TOLL_FREE}),
}


@dataclass(frozen=True)
class Offering:
    """What one region sells of one number type: where numbers come from and what they cost."""

    prefixes: tuple[str, ...]
    random_digits: int
    setup: str
    monthly: str
    documents_required: bool
    # (capabilities, weight): the share of numbers with each capability set.
    capability_mix: tuple[tuple[tuple[Capability, ...], int], ...]
    base_size: int = 500


@dataclass(frozen=True)
class Region:
    name: str
    offerings: dict[NumberType, Offering]


def _nanp(area_codes: str) -> tuple[str, ...]:
    return tuple(f"+1{code}" for code in area_codes.split())


_US_AREA_CODES = (
    "201 202 205 206 208 212 213 214 215 303 305 312 313 404 407 408 415 503 512 602 612 617 702 713 718 720"
    " 773 801 804 808 813 816 832 904 916 919 949 971"
)

CATALOG: dict[str, Region] = {
    "US": Region(
        "United States",
        {
            NumberType.LOCAL: Offering(
                _nanp(_US_AREA_CODES),
                7,
                "1.00",
                "1.00",
                False,
                ((_SMS_VOICE, 7), (_VOICE, 2), (_SMS, 1)),
                base_size=1200,
            ),
            NumberType.TOLL_FREE: Offering(
                _nanp("800 833 844 855"), 7, "1.00", "2.00", False, ((_SMS_VOICE, 1),)
            ),
        },
    ),
    "CA": Region(
        "Canada",
        {
            NumberType.LOCAL: Offering(
                _nanp("416 437 514 604 613 647 778 905 403 780 506 902"),
                7,
                "1.00",
                "1.50",
                False,
                ((_SMS_VOICE, 4), (_VOICE, 1)),
            ),
            NumberType.TOLL_FREE: Offering(
                _nanp("866 877 888"), 7, "1.00", "2.50", False, ((_SMS_VOICE, 1),)
            ),
        },
    ),
    "GB": Region(
        "United Kingdom",
        {
            NumberType.MOBILE: Offering(
                ("+4474", "+4475", "+4477", "+4478", "+4479"), 8, "2.00", "2.00", False, ((_SMS_VOICE, 1),)
            ),
            NumberType.LOCAL: Offering(
                ("+44207", "+44208", "+44121", "+44161", "+44131"), 7, "1.50", "1.50", True, ((_VOICE, 1),)
            ),
            NumberType.TOLL_FREE: Offering(("+44800", "+44808"), 7, "10.00", "8.00", True, ((_VOICE, 1),)),
        },
    ),
    "SE": Region(
        "Sweden",
        {
            NumberType.MOBILE: Offering(
                ("+4670", "+4672", "+4673", "+4676"), 7, "3.00", "3.00", False, ((_SMS_VOICE, 1),)
            ),
            NumberType.LOCAL: Offering(("+468", "+4631"), 7, "2.00", "2.00", True, ((_VOICE, 1),)),
            NumberType.TOLL_FREE: Offering(("+4620",), 6, "15.00", "12.00", True, ((_VOICE, 1),)),
        },
    ),
    # Mobile only: its registration has a section per number (Sinch's AU example), so a quantity order of
    # many numbers makes a form longer than one Slack view.
    "AU": Region(
        "Australia",
        {
            NumberType.MOBILE: Offering(
                ("+61412", "+61423", "+61438", "+61447", "+61455"),
                6,
                "4.00",
                "4.00",
                True,
                ((_SMS_VOICE, 1),),
            ),
        },
    ),
    "DE": Region(
        "Germany",
        {
            NumberType.MOBILE: Offering(
                ("+49151", "+49176", "+49177"), 8, "5.00", "5.00", True, ((_SMS_VOICE, 1),)
            ),
            NumberType.LOCAL: Offering(
                ("+4930", "+4989", "+4940", "+4969"), 8, "2.50", "2.00", True, ((_VOICE, 1),)
            ),
            NumberType.TOLL_FREE: Offering(("+49800",), 7, "20.00", "15.00", True, ((_VOICE, 1),)),
        },
    ),
}


def offering_for(region: str, number_type: NumberType) -> Offering | None:
    catalog_region = CATALOG.get(region)
    return catalog_region.offerings.get(number_type) if catalog_region else None


class _Stream:
    """The endless, seeded sequence of distinct valid numbers for one (region, type)."""

    def __init__(self, seed: int, region: str, number_type: NumberType, offering: Offering) -> None:
        # Determinism for a seed is the point here; nothing security-relevant is drawn.
        self._rng = random.Random(f"{seed}/{region}/{number_type}")  # noqa: S311
        self._region = region
        self._type = number_type
        self._offering = offering
        self._capability_sets = [caps for caps, _ in offering.capability_mix]
        self._weights = [weight for _, weight in offering.capability_mix]

    def take(self, count: int, known: set[str]) -> list[AvailableNumber]:
        numbers: list[AvailableNumber] = []
        while len(numbers) < count:
            candidate = self._candidate()
            if candidate not in known and self._is_valid(candidate):
                known.add(candidate)
                numbers.append(self._offer(candidate))
        return numbers

    def _candidate(self) -> str:
        prefix = self._rng.choice(self._offering.prefixes)
        width = self._offering.random_digits
        return f"{prefix}{self._rng.randrange(10**width):0{width}d}"

    def _is_valid(self, e164: str) -> bool:
        parsed = phonenumbers.parse(e164)
        return bool(
            phonenumbers.is_valid_number_for_region(parsed, self._region)
            and phonenumbers.number_type(parsed) in _ACCEPTED_TYPES[self._type]
        )

    def _offer(self, e164: str) -> AvailableNumber:
        offering = self._offering
        capabilities = self._rng.choices(self._capability_sets, self._weights)[0]
        return AvailableNumber(
            phone_number=e164,
            region_code=self._region,
            type=self._type,
            capabilities=capabilities,
            setup_price=Money("USD", offering.setup),
            monthly_price=Money("USD", offering.monthly),
            supporting_documentation_required=offering.documents_required,
        )


class Inventory:
    """The stock shared by every project: which catalog numbers exist and which are still for sale."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._lock = threading.RLock()
        self._streams: dict[tuple[str, NumberType], _Stream] = {}
        self._stock: dict[tuple[str, NumberType], list[AvailableNumber]] = {}
        self._by_number: dict[str, AvailableNumber] = {}
        self._taken: set[str] = set()

    def regions(self) -> dict[str, Region]:
        return CATALOG

    def search(
        self, region: str, number_type: NumberType, capabilities: frozenset[Capability]
    ) -> list[AvailableNumber]:
        """Numbers for sale in stock order, having at least `capabilities`."""
        with self._lock:
            return [
                offer
                for offer in self._stock_of(region, number_type)
                if offer.phone_number not in self._taken and capabilities <= set(offer.capabilities)
            ]

    def lookup(self, e164: str) -> AvailableNumber | None:
        """The catalog entry for a number, sold or not; None if Sinch never had it."""
        with self._lock:
            # Stock is generated lazily, so generate only what could hold the number, likeliest first.
            likeliest = region_of(e164)
            regions = sorted(CATALOG, key=lambda region: region != likeliest)
            for region in regions:
                if not e164.startswith(_country_prefix(region)):
                    continue
                for number_type in CATALOG[region].offerings:
                    self._stock_of(region, number_type)
                    if e164 in self._by_number:
                        return self._by_number[e164]
            return None

    def is_available(self, e164: str) -> bool:
        with self._lock:
            return self.lookup(e164) is not None and e164 not in self._taken

    def take(self, e164: str) -> None:
        with self._lock:
            self._taken.add(e164)

    def give_back(self, e164: str) -> None:
        with self._lock:
            self._taken.discard(e164)

    def draw_extra(self, region: str, number_type: NumberType, count: int) -> list[AvailableNumber]:
        """`count` new numbers beyond the stock, already marked sold (they return to stock when released)."""
        with self._lock:
            stock = self._stock_of(region, number_type)
            extra = self._stream_of(region, number_type).take(count, set(self._by_number))
            stock.extend(extra)
            for offer in extra:
                self._by_number[offer.phone_number] = offer
                self._taken.add(offer.phone_number)
            return extra

    def _stock_of(self, region: str, number_type: NumberType) -> list[AvailableNumber]:
        key = (region, number_type)
        with self._lock:
            if key not in self._stock:
                offering = offering_for(region, number_type)
                if offering is None:
                    self._stock[key] = []
                else:
                    numbers = self._stream_of(region, number_type).take(
                        offering.base_size, set(self._by_number)
                    )
                    self._stock[key] = numbers
                    self._by_number.update((offer.phone_number, offer) for offer in numbers)
            return self._stock[key]

    def _stream_of(self, region: str, number_type: NumberType) -> _Stream:
        key = (region, number_type)
        offering = offering_for(region, number_type)
        if offering is None:
            raise ValueError(f"the sandbox sells no {number_type} numbers in {region}")
        if key not in self._streams:
            self._streams[key] = _Stream(self._seed, region, number_type, offering)
        return self._streams[key]


def _country_prefix(region: str) -> str:
    return f"+{phonenumbers.country_code_for_region(region)}"
