"""The team's monthly budget per currency (`NUMBOT_MONTHLY_BUDGET`) and the spend line an approval card shows.

Pure: parsing and wording only. What the team spends now comes from the inventory snapshot
(`storage.inventory.totals`), and the approvals engine puts the two together when a request is made.
A budget warns, it never blocks: an approver may still say yes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from bot.blockkit.blocks import money
from bot.blockkit.text import escape

BUDGET_EXAMPLE = "USD=2500,EUR=300"
_CURRENCY = re.compile(r"^[A-Z]{3}$")

Budget = Mapping[str, Decimal]


def parse_budget(text: str) -> dict[str, Decimal]:
    """`"USD=2500,EUR=300"` as {currency: monthly amount}; blank means no budget.

    ValueError names the part that is wrong and shows what is expected."""
    budget: dict[str, Decimal] = {}
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        currency, sign, amount = (side.strip() for side in part.partition("="))
        currency = currency.upper()
        if not sign or not _CURRENCY.match(currency):
            raise ValueError(f"{part!r} is not CURRENCY=AMOUNT (for example {BUDGET_EXAMPLE})")
        if currency in budget:
            raise ValueError(f"{currency} is given twice")
        budget[currency] = _amount(currency, amount)
    return budget


def _amount(currency: str, text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"the {currency} budget {text!r} is not a number") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"the {currency} budget must be a positive amount, not {text!r}")
    return amount


class MonthlyCost(BaseModel):
    """An amount per month in one currency (what a request adds to or takes off the bill)."""

    currency: str
    amount: Decimal


class SpendChange(BaseModel):
    """The team's monthly spend in one currency before and after a request, against its budget."""

    currency: str
    # What the request adds each month (negative: what it takes off).
    change: Decimal
    # None while numbot has not read the inventory yet: then only the change is known.
    now: Decimal | None
    budget: Decimal | None = None

    @property
    def after(self) -> Decimal | None:
        return None if self.now is None else self.now + self.change

    @property
    def over_budget(self) -> bool:
        """The request raises spend and would end above the budget (spend unknown: the change alone would)."""
        if self.budget is None or self.change <= 0:
            return False
        return (self.after if self.after is not None else self.change) > self.budget

    def card_lines(self) -> list[str]:
        """The card's spend line, and the warning when the request takes spend over the budget."""
        currency = escape(self.currency)
        sign = "+" if self.change >= 0 else "-"
        change = f"{sign}{money(abs(self.change), None)}"
        if self.after is None or self.now is None:
            spend = f"not known yet (numbot has not read the inventory), {change} a month"
        else:
            spend = f"{money(self.now, None)} → {money(self.after, None)} ({change})"
        budget = f" · budget {money(self.budget, None)}" if self.budget is not None else ""
        lines = [f"*Monthly spend ({currency}):* {spend}{budget}"]
        if self.over_budget and self.budget is not None:
            lines.append(
                f":warning: Over budget: this takes monthly spend in {currency} above the budget of "
                f"{money(self.budget, None)} {currency}. Approving is still allowed."
            )
        return lines


def spend_change(cost: MonthlyCost, *, now: Decimal | None, budget: Budget) -> SpendChange:
    """`cost` added to what is spent `now` in its currency (a negative amount takes it off)."""
    return SpendChange(currency=cost.currency, change=cost.amount, now=now, budget=budget.get(cost.currency))
