"""The inventory CSV: one row per number, acquisitions merged in, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.inventory.report import COLUMNS, csv_report, safe_cell
from storage.inventory import E911Status, InventoryRow, Source
from storage.requests import Acquisition
from tests.inventory_rows import inventory_row

CHARGE = datetime(2025, 4, 1, 0, 0, tzinfo=UTC)
ACQUIRED = datetime(2025, 3, 2, 14, 30, 5, tzinfo=UTC)


def number(phone: str, display_name: str = "", **fields: object) -> InventoryRow:
    linked: dict[str, object] = {
        "sms_service_plan_id": "plan-1",
        "voice_type": "RTC",
        "voice_id": "app-1",
        "monthly_price": Decimal("1.50"),
        "next_charge_date": CHARGE,
        "e911": E911Status.MISSING,
    }
    return inventory_row(phone, display_name=display_name, **(linked | fields))


def read(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_each_number_is_one_row_with_its_acquisition_when_numbot_acquired_it() -> None:
    rows = [number("+12025550001", "Support"), number("+12025550002"), number("+12025550003")]
    acquired = [
        Acquisition("+12020000000", "R-OLD00", "U0A", "U0B", ACQUIRED),  # released since
        Acquisition("+12025550002", "R-23456", "U0ASK", "U0OK", ACQUIRED),
    ]

    report = csv_report(rows, acquired)

    assert report.rows == 3
    assert report.content.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    first, second, third = read(report.content)
    assert list(first) == list(COLUMNS)
    assert first == {
        "number": "+12025550001",
        "region": "US",
        "type": "LOCAL",
        "capabilities": "SMS VOICE",
        "display name": "Support",
        "SMS plan": "plan-1",
        "campaign": "",
        "voice type": "RTC",
        "voice id": "app-1",
        "E911 status": "missing",
        "monthly price": "1.50",
        "currency": "USD",
        "next charge date (UTC)": "2025-04-01 00:00:00",
        "request id": "",
        "requester": "",
        "approver": "",
        "acquired (UTC)": "",
    }
    assert [second[key] for key in ("request id", "requester", "approver", "acquired (UTC)")] == [
        "R-23456",
        "U0ASK",
        "U0OK",
        "2025-03-02 14:30:05",
    ]
    assert third["request id"] == ""


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(formula: str) -> None:
    report = csv_report([number("+12025550001", formula, sms_campaign_id=formula)], [])

    [row] = read(report.content)
    assert row["display name"] == row["campaign"] == "'" + formula


def test_nothing_else_is_changed() -> None:
    names = ['Sales, "EU" desk', "Ünïcode ☎", "a=b", "O'Brien", "<!channel> & co"]
    rows = [number(f"+1202555000{index}", name) for index, name in enumerate(names)]

    report = csv_report(rows, [])

    assert [row["display name"] for row in read(report.content)] == names
    assert [row["number"] for row in read(report.content)] == [row.phone_number for row in rows]


def test_a_number_without_price_or_charge_date_leaves_them_empty() -> None:
    imported = number(
        "+447700900001", source=Source.IMPORTED, monthly_price=None, currency="", next_charge_date=None
    )

    [row] = read(csv_report([imported], []).content)

    assert (row["monthly price"], row["currency"], row["next charge date (UTC)"]) == ("", "", "")


def test_safe_cell_leaves_plain_text_alone() -> None:
    assert safe_cell("Support line") == "Support line"
    assert safe_cell("") == ""
