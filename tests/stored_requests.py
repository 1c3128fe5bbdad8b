"""An approval request as storage returns it, for tests that render one without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.approvals import CardSummary
from storage.request_types import RequestKind, RequestState
from storage.requests import Request

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def stored_request(**changes: object) -> Request:
    """A pending rent of +1 202-555-0143 created at NOW, with `changes` applied."""
    base = Request(
        id="R-7K2Q9",
        kind=RequestKind.RENT,
        state=RequestState.PENDING,
        requester="U0REQUEST",
        subject="+12025550143",
        payload={},
        summary=CardSummary(
            title="Rent +1 202-555-0143", fields=[("Type", "LOCAL")], warnings=["Docs needed"]
        ).to_json(),
        setup_cost=Decimal("1.00"),
        monthly_cost=Decimal("2.50"),
        currency="USD",
        origin_channel="C0OPS",
        origin_ts=None,
        card_outbox_id=1,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=24),
        decided_by=None,
        decided_at=None,
        reason=None,
        result=None,
        error=None,
        updated_at=NOW,
        idempotency_key=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]
