"""What the order form is about, its views, and the approval card's summary of the order it made.

Pure functions: the `OrderMeta` that travels in the modal's `private_metadata`, the form's view built from
Sinch's requirements, the "checking" view shown while Sinch answers, and the card's `CardSummary`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from decimal import Decimal
from typing import Any

from bot.approvals import CardSummary
from bot.blockkit import ids
from bot.blockkit.blocks import section
from bot.blockkit.metadata import PRIVATE_METADATA_LIMIT, OrderAgain, SlackMeta
from bot.blockkit.text import escape
from bot.sinch import Capability, NumberOrder, NumberPattern, NumberRequirements, NumberType, SearchPattern
from commands.orders.kyc_summary import registration_summary
from commands.orders.requirements_form import order_pages, order_views
from commands.shared.modal_flow import JsonView, notice
from commands.shared.number_forms import NumberSettings
from commands.shared.number_offer import NumberOffer
from commands.shared.search_criteria import Criteria

TITLE = "Order numbers"
FIX_TITLE = "Fix the order"
SUBMIT = "Request"


class OrderMeta(SlackMeta):
    """One number (`offer`), or `quantity` numbers matching the criteria; `origin_channel` is where the
    requester hears back. `fix_order` is set when the form fixes that blocked order's registration
    (`fix_numbers` are its numbers) instead of making a new order. A form too long for one view is sent
    page by page: this view is page `page` of `pages`."""

    origin_channel: str
    region: str
    type: str
    offer: NumberOffer | None = None
    quantity: int = 1
    pattern: str | None = None
    search_pattern: str | None = None
    capabilities: tuple[str, ...] = ()
    fix_order: str | None = None
    fix_numbers: tuple[str, ...] = ()
    page: int = 1
    pages: int = 1

    @classmethod
    def for_offer(cls, origin_channel: str, offer: NumberOffer) -> OrderMeta:
        return cls(
            origin_channel=origin_channel, region=offer.region or "", type=offer.type or "", offer=offer
        )

    @classmethod
    def for_criteria(cls, origin_channel: str, criteria: Criteria, quantity: int) -> OrderMeta:
        pattern = criteria.pattern
        return cls(
            origin_channel=origin_channel,
            region=criteria.region,
            type=criteria.number_type.value,
            quantity=quantity,
            pattern=pattern.pattern if pattern else None,
            search_pattern=pattern.search_pattern.value if pattern else None,
            capabilities=tuple(capability.value for capability in criteria.capabilities),
        )

    @classmethod
    def for_fix(cls, origin_channel: str, order: NumberOrder) -> OrderMeta:
        numbers = tuple(order.phone_numbers)
        return cls(
            origin_channel=origin_channel,
            region=order.region_code or "",
            type=order.number_type.value if order.number_type else "",
            quantity=len(numbers),
            fix_order=order.id_number_order,
            fix_numbers=numbers,
        )

    @classmethod
    def for_again(cls, origin_channel: str, again: OrderAgain) -> OrderMeta:
        """A new order of `quantity` numbers as before (one number again is `for_offer`, once it is checked
        to be still available)."""
        return cls(
            origin_channel=origin_channel,
            region=again.region,
            type=again.type,
            quantity=again.quantity,
            pattern=again.pattern,
            search_pattern=again.search_pattern,
            capabilities=again.capabilities,
        )

    def again(self) -> OrderAgain:
        """What ordering the same again takes, for the "Start again" button after an expiry."""
        numbers = self.form_numbers() if self.offer is not None or self.fix_order else []
        return OrderAgain(
            region=self.region,
            type=self.type,
            phone_number=numbers[0] if len(numbers) == 1 else None,
            quantity=self.quantity,
            pattern=self.pattern,
            search_pattern=self.search_pattern,
            capabilities=self.capabilities,
        )

    @property
    def number_type(self) -> NumberType:
        return NumberType(self.type)

    @property
    def number_pattern(self) -> NumberPattern | None:
        if not self.pattern:
            return None
        return NumberPattern(
            pattern=self.pattern, search_pattern=SearchPattern(self.search_pattern or "START")
        )

    def criteria(self) -> Criteria:
        capabilities = tuple(Capability(value) for value in self.capabilities)
        return Criteria(self.region, self.number_type, self.number_pattern, capabilities)

    def form_numbers(self) -> list[str]:
        """What the form calls each number: the number itself, or its place in a quantity order (Sinch
        picks the numbers when the order is made)."""
        if self.fix_order is not None:
            return list(self.fix_numbers)
        if self.offer is not None:
            return [self.offer.phone_number]
        return [f"number {index}" for index in range(1, self.quantity + 1)]

    def describe(self) -> str:
        if self.fix_order is not None:
            return f"the fixed registration of number order {self.fix_order}"
        if self.offer is not None:
            return f"{self.offer.phone_number} ({self.offer.kind})"
        return f"{self.quantity} of the {self.criteria().describe()}"


def form_views(
    meta: OrderMeta, requirements: NumberRequirements, *, sandbox: bool, title: str = TITLE
) -> list[JsonView]:
    """The order form: the number(s), then SMS/voice, the documents and the KYC fields Sinch asks for."""
    intro = [section(_intro(meta))]
    pages = order_pages(
        requirements, meta.form_numbers(), campaign=meta.region == "US", sandbox=sandbox, intro=intro
    )
    views = order_views(pages, title=title, callback_id=ids.ORDER_MODAL, submit=SUBMIT, sandbox=sandbox)
    for number, view in enumerate(views, start=1):
        page_meta = meta.model_copy(update={"page": number, "pages": len(views)})
        view["private_metadata"] = page_meta.encode(PRIVATE_METADATA_LIMIT)
    return views


def block_pages(views: Sequence[JsonView]) -> dict[str, int]:
    """On which page (from 1) of the form each input is."""
    return {
        block["block_id"]: number
        for number, view in enumerate(views, start=1)
        for block in view["blocks"]
        if block.get("type") == "input"
    }


def shown_on_page(
    problems: Mapping[str, str], labels: Mapping[str, str], page: JsonView, pages: Mapping[str, int]
) -> dict[str, str]:
    """`problems` as the submitted `page` can show them: Slack shows errors only under the current view's
    inputs, so those about an earlier page's inputs go under this page's first input, each naming its page
    and field (the earlier view cannot be brought back without losing what this one holds)."""
    inputs = [block["block_id"] for block in page["blocks"] if block.get("type") == "input"]
    shown = {block: message for block, message in problems.items() if block in inputs}
    elsewhere = [
        f"Page {pages.get(block, '?')}, {labels.get(block, block)}: {message}"
        for block, message in problems.items()
        if block not in inputs
    ]
    if elsewhere and inputs:
        first = inputs[0]
        shown[first] = " ".join(part for part in (shown.get(first), *elsewhere) if part)
    return shown


def _intro(meta: OrderMeta) -> str:
    if meta.fix_order is not None:
        numbers = ", ".join(meta.fix_numbers) or "no numbers"
        return (
            f"*Fix number order {escape(meta.fix_order)}* ({escape(numbers)}), blocked by Sinch's review.\n"
            "Correct the registration below; attach a document again only if Sinch's review asked for it. "
            "Nothing is resubmitted until a second person approves."
        )
    if meta.offer is not None:
        offer = meta.offer
        return (
            f"*{offer.phone_number}*  {offer.kind}\n{offer.capabilities_text()} · {offer.prices_text()}\n"
            "The number is reserved when you send this form; nothing is ordered until a second person "
            "approves."
        )
    return (
        f"*{meta.quantity}* of the {meta.criteria().describe()}: Sinch picks the numbers when you send "
        "this form and reserves them; nothing is ordered until a second person approves."
    )


def checking_view(meta: OrderMeta, *, sandbox: bool) -> JsonView:
    return notice(
        TITLE,
        f":hourglass: Reserving {escape(meta.describe())} and checking the registration with Sinch…",
        sandbox=sandbox,
    )


def problems_view(problems: dict[str, str], labels: dict[str, str], *, sandbox: bool) -> JsonView:
    """Sinch's complaints, when they come too late to show under the inputs: each with its input's label."""
    lines = [
        f"• *{escape(labels.get(block, block))}*: {escape(message)}" for block, message in problems.items()
    ]
    text = "Sinch did not accept the form; nothing was requested. Open it again and fix:\n" + "\n".join(lines)
    return notice(TITLE, text, sandbox=sandbox)


def order_summary(
    meta: OrderMeta,
    order: NumberOrder,
    requirements: NumberRequirements,
    settings: NumberSettings,
    registration: dict[str, Any],
    documents: Sequence[tuple[str, int]],
) -> CardSummary:
    """The approval card: what is ordered, Sinch's prices, the setup, the masked KYC and the documents."""
    numbers = order.phone_numbers
    fields: list[tuple[str, str]] = [("Numbers", ", ".join(numbers) or "none")]
    if meta.offer is None:
        fields.append(("Asked for", meta.describe()))
    if len(numbers) > 1:
        fields.append(("Prices", f"Setup and monthly below are for all {len(numbers)} numbers together."))
    fields.extend(settings.summary_fields())
    if registration:
        fields.extend(registration_summary(requirements, numbers, registration))
    if documents:
        fields.append(("Documents", ", ".join(f"{name} ({_size(size)})" for name, size in documents)))
    if order.expire_time is not None:
        # Card values are escaped, so a Slack date token would show as text: UTC it is.
        fields.append(("Reservation ends", order.expire_time.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")))
    kind = f"{order.region_code or meta.region} {order.number_type.value if order.number_type else meta.type}"
    plural = "s" if len(numbers) != 1 else ""
    if meta.fix_order is not None:
        title = f"Resubmit the order of {len(numbers)} {kind} number{plural}"
        warning = (
            f"Sinch's review blocked number order {order.id_number_order}; its registration is fixed as "
            "shown: approving submits it to Sinch's review again; rejecting leaves it blocked until it "
            "lapses."
        )
    else:
        title = f"Order {len(numbers)} {kind} number{plural}"
        warning = (
            f"Number order {order.id_number_order} is reserved, not submitted: approving submits it to "
            "Sinch's review; rejecting leaves it to lapse."
        )
    return CardSummary(title=title, fields=fields, warnings=[warning])


def order_costs(order: NumberOrder) -> tuple[Decimal | None, Decimal | None, str | None]:
    """The order's setup and monthly totals (Sinch's per-number prices, summed) and their currency."""
    setup: Decimal | None = None
    monthly: Decimal | None = None
    currency: str | None = None
    for number in order.order_numbers:
        price = number.number_price
        if price is None:
            continue
        if price.setup_price is not None and price.setup_price.amount is not None:
            setup = (setup or Decimal(0)) + price.setup_price.amount
            currency = currency or price.setup_price.currency_code
        if price.monthly_price is not None and price.monthly_price.amount is not None:
            monthly = (monthly or Decimal(0)) + price.monthly_price.amount
            currency = currency or price.monthly_price.currency_code
    return setup, monthly, currency


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size} bytes"
