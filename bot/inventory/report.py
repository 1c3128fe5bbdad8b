"""The inventory as a CSV a spreadsheet opens: one row per number, written as the snapshot is read.

Numbers numbot acquired carry the request that got them (who asked, who approved, when): the snapshot and the
acquisitions are both read in phone-number order and merged as they stream, so neither is held in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from storage import Store, inventory
from storage.inventory import InventoryRow, Source
from storage.requests import Acquisition, acquisitions

COLUMNS = (
    "number",
    "region",
    "type",
    "capabilities",
    "display name",
    "SMS plan",
    "campaign",
    "voice type",
    "voice id",
    "E911 status",
    "monthly price",
    "currency",
    "next charge date (UTC)",
    "request id",
    "requester",
    "approver",
    "acquired (UTC)",
)
# A spreadsheet reads a cell starting with one of these as a formula (tab and CR too, once trimmed);
# a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark; other readers skip it.
ENCODING = "utf-8-sig"
E164 = re.compile(r"\+[0-9]{1,15}")


@dataclass(frozen=True)
class CsvReport:
    content: bytes
    rows: int


def inventory_report(store: Store, source: Source) -> CsvReport:
    """The snapshot's numbers of `source` as CSV, with how numbot acquired each one it did."""
    return csv_report(inventory.rows(store, source), acquisitions(store))


def csv_report(rows: Iterable[InventoryRow], acquired: Iterable[Acquisition]) -> CsvReport:
    """`rows` and `acquired`, both ordered by phone number, as CSV bytes."""
    buffer = io.StringIO()
    written = write_csv(buffer, rows, acquired)
    return CsvReport(buffer.getvalue().encode(ENCODING), written)


def write_csv(out: TextIO, rows: Iterable[InventoryRow], acquired: Iterable[Acquisition]) -> int:
    """Write the header and one line per number to `out`; returns how many numbers were written."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    written = 0
    for row, acquisition in _joined(rows, acquired):
        writer.writerow(_cells(row, acquisition))
        written += 1
    return written


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet shows it, never as a formula it would run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _joined(
    rows: Iterable[InventoryRow], acquired: Iterable[Acquisition]
) -> Iterator[tuple[InventoryRow, Acquisition | None]]:
    """Each row with the acquisition of its number, if any (a merge of two phone-number-ordered streams)."""
    pending = iter(acquired)
    current = next(pending, None)
    for row in rows:
        while current is not None and current.phone_number < row.phone_number:
            current = next(pending, None)
        matched = current is not None and current.phone_number == row.phone_number
        yield row, current if matched else None


def _cells(row: InventoryRow, acquisition: Acquisition | None) -> list[str]:
    text = [
        row.region,
        row.number_type,
        " ".join(row.capabilities),
        row.display_name,
        row.sms_service_plan_id,
        row.sms_campaign_id,
        row.voice_type,
        row.voice_id,
    ]
    acquired = (
        [acquisition.request_id, acquisition.requester, acquisition.approver or ""]
        if acquisition
        else ["", "", ""]
    )
    return [
        _phone_number(row.phone_number),
        *(safe_cell(cell) for cell in text),
        str(row.e911),
        "" if row.monthly_price is None else str(row.monthly_price),
        safe_cell(row.currency),
        _moment(row.next_charge_date),
        *(safe_cell(cell) for cell in acquired),
        _moment(acquisition.acquired_at if acquisition else None),
    ]


def _phone_number(phone_number: str) -> str:
    # E.164 is "+" and digits: a spreadsheet reads it as a number at worst, so it stays as Sinch wrote it.
    return phone_number if E164.fullmatch(phone_number) else safe_cell(phone_number)


def _moment(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
