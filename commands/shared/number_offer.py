"""A number Sinch offers for rent, as results show it and the "Request this number" button carries it."""

from __future__ import annotations

from decimal import Decimal

from slack_sdk.models.blocks import ButtonElement, SectionBlock

from bot.blockkit import ids
from bot.blockkit.blocks import money, section
from bot.blockkit.metadata import SlackMeta
from bot.blockkit.text import escape
from bot.sinch import AvailableNumber, Capability

REQUEST_BUTTON_TEXT = "Request this number"


class NumberOffer(SlackMeta):
    phone_number: str
    region: str | None = None
    type: str | None = None
    capabilities: tuple[str, ...] = ()
    setup: Decimal | None = None
    monthly: Decimal | None = None
    currency: str | None = None
    documents_required: bool = False

    @classmethod
    def from_available(cls, number: AvailableNumber) -> NumberOffer:
        setup, monthly = number.setup_price, number.monthly_price
        return cls(
            phone_number=number.phone_number,
            region=number.region_code,
            type=number.type.value if number.type else None,
            capabilities=tuple(capability.value for capability in number.capability),
            setup=setup.amount if setup else None,
            monthly=monthly.amount if monthly else None,
            currency=(setup and setup.currency_code) or (monthly and monthly.currency_code) or None,
            documents_required=bool(number.supporting_documentation_required),
        )

    @property
    def kind(self) -> str:
        """E.g. "US LOCAL"."""
        return " ".join(part for part in (self.region, self.type) if part) or "unknown type"

    @property
    def capability_set(self) -> frozenset[Capability]:
        return frozenset(Capability(value) for value in self.capabilities)

    def capabilities_text(self) -> str:
        return ", ".join(self.capabilities) or "none listed"

    def prices_text(self) -> str:
        return f"setup {money(self.setup, self.currency)} · monthly {money(self.monthly, self.currency)}"

    def price_change_from(self, shown: NumberOffer) -> str | None:
        """A sentence when this (Sinch's) price differs from the one `shown` to the requester, else None.

        `shown` travelled through Slack, so its figures are quoted as what the requester saw, escaped.
        """
        if (self.setup, self.monthly, self.currency) == (shown.setup, shown.monthly, shown.currency):
            return None
        return (
            f"The price changed since the search: the requester was shown {escape(shown.prices_text())}; "
            f"Sinch now says {self.prices_text()}."
        )

    def directly_rentable(self) -> bool:
        """Sinch's rent endpoints only take US LOCAL numbers; others need a Number Order."""
        return (self.region, self.type) == ("US", "LOCAL")

    def warnings(self) -> list[str]:
        found = []
        if self.documents_required:
            found.append("Sinch requires supporting documents for this number.")
        if not self.directly_rentable():
            found.append(
                f"Sinch rents only US LOCAL numbers directly; it will likely refuse this {self.kind} number."
            )
        return found


def offer_block(offer: NumberOffer) -> SectionBlock:
    """One search result: the number, what it can do, what it costs, and the button to request it."""
    text = f"*{offer.phone_number}*  {offer.kind}\n{offer.capabilities_text()} · {offer.prices_text()}"
    if offer.documents_required:
        text += "\n:page_facing_up: Supporting documents required"
    button = ButtonElement(text=REQUEST_BUTTON_TEXT, action_id=ids.REQUEST_NUMBER, value=offer.encode())
    return section(text, accessory=button)
