"""Inventory snapshot rows for tests: an active US LOCAL SMS and voice number on an SMS plan, priced in USD,
unless the test says otherwise."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from storage.inventory import InventoryRow, Source


def inventory_row(phone: str, **fields: Any) -> InventoryRow:
    values: dict[str, Any] = {
        "phone_number": phone,
        "source": Source.ACTIVE,
        "region": "US",
        "number_type": "LOCAL",
        "capabilities": ("SMS", "VOICE"),
        "display_name": "",
        "sms_service_plan_id": "plan",
        "sms_campaign_id": "",
        "voice_type": "",
        "voice_id": "",
        "monthly_price": Decimal("2.00"),
        "currency": "USD",
        "next_charge_date": None,
        "provisioning_failed": False,
    }
    values.update(fields)
    return InventoryRow(**values)
