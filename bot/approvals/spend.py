"""What a request does to the team's monthly spend, worked out once, when the request is made.

The figures are stored with the request (in its summary, under `SPEND`) rather than worked out each time the
card is drawn: the card is drawn again after every state change, and once a rent is done the snapshot
already holds its number, so "now" read at that moment would count the request twice and the card would
show the number's cost as spent before anyone had approved it. Stored, the card shows what the approver
decided on, and drawing it stays a pure function of the stored request.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from bot.inventory.budget import MonthlyCost, SpendChange, spend_change
from bot.services import Services
from storage import inventory
from storage.db import JsonDict
from storage.inventory import Source
from storage.requests import RequestDraft

# The summary keys: what a removal takes off the bill (workflows set it through CardSummary), and the
# spend line the card shows.
REMOVES = "removes_monthly"
SPEND = "spend"


def with_spend(services: Services, draft: RequestDraft) -> RequestDraft:
    """`draft` with its spend line in the summary, when it adds or removes monthly cost."""
    cost = monthly_change(draft)
    if cost is None:
        return draft
    change = spend_change(
        cost,
        now=spent_now(services, cost.currency),
        budget=services.settings.numbot_monthly_budget or {},
    )
    summary = {**draft.summary, SPEND: change.model_dump(mode="json")}
    return dataclasses.replace(draft, summary=summary)


def monthly_change(draft: RequestDraft) -> MonthlyCost | None:
    """What the request adds to the monthly bill (a rent, an order), or takes off it (negative: a release)."""
    if draft.monthly_cost is not None and draft.currency:
        return MonthlyCost(currency=draft.currency, amount=draft.monthly_cost)
    removed = draft.summary.get(REMOVES)
    if removed is None:
        return None
    cost = MonthlyCost.model_validate(removed)
    return cost.model_copy(update={"amount": -cost.amount})


def spent_now(services: Services, currency: str) -> Decimal | None:
    """The active numbers' monthly cost in `currency` as the snapshot has it; None before its first read.

    A release is filed before its modal's ack: one currency's sum, not the whole dashboard's totals."""
    store = services.store
    if inventory.refreshed_at(store, Source.ACTIVE) is None:
        return None
    return inventory.monthly_spend(store, currency)


def spend_of(summary: JsonDict) -> SpendChange | None:
    """The spend line stored with a request, if it has one."""
    stored = summary.get(SPEND)
    return None if stored is None else SpendChange.model_validate(stored)
