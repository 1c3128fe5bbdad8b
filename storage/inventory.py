"""The inventory snapshot: numbot's copy of every number in the Sinch project, and what changed in it.

The Home tab, `/numbers report` and the weekly digest read this table instead of Sinch, so they answer at once
whatever the inventory's size. A refresh replaces one source's rows page by page (short write transactions,
flat memory); each refresh is a new `generation`, and the rows a refresh did not see are gone at its end.
E911 results live in the same rows, so a refresh keeps what the sweep learned about numbers still present.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import islice
from typing import Any

from storage.db import Store, optional_decimal, optional_from_iso, to_iso

# Where Sinch offers emergency addresses: US and Canadian numbers.
E911_REGIONS = ("US", "CA")
# Rows written per transaction: one Sinch page at most, so other writers never wait long.
BATCH = 1000
# How long the sweep's request log is kept: its budget only looks back one minute.
CHECK_LOG_KEPT = timedelta(hours=1)


class Source(StrEnum):
    ACTIVE = "active"  # rented from Sinch: what `/numbers list` counts
    IMPORTED = "imported"  # non-Sinch numbers enabled for SMS


class E911Status(StrEnum):
    UNCHECKED = "unchecked"
    PRESENT = "present"
    MISSING = "missing"
    ERROR = "error"  # the last check failed; the sweep tries again
    NOT_APPLICABLE = "n/a"  # not a voice-capable US/CA number


class RowFilter(StrEnum):
    ALL = "all"
    E911_MISSING = "e911-missing"
    IDLE = "idle"
    PROVISIONING_FAILED = "provisioning-failed"


@dataclass(frozen=True)
class InventoryRow:
    phone_number: str
    source: Source
    region: str
    number_type: str
    capabilities: tuple[str, ...]
    display_name: str
    sms_service_plan_id: str
    sms_campaign_id: str
    voice_type: str
    voice_id: str
    monthly_price: Decimal | None
    currency: str
    next_charge_date: datetime | None
    provisioning_failed: bool
    e911: E911Status = E911Status.NOT_APPLICABLE
    e911_checked_at: datetime | None = None

    @property
    def idle(self) -> bool:
        """Paid for and used for nothing: no SMS service plan or campaign, no voice target."""
        return not (self.sms_service_plan_id or self.sms_campaign_id or self.voice_id)

    @property
    def needs_e911(self) -> bool:
        return self.source is Source.ACTIVE and "VOICE" in self.capabilities and self.region in E911_REGIONS


@dataclass(frozen=True)
class SnapshotChange:
    added: int
    removed: int
    total: int


@dataclass(frozen=True)
class Money:
    currency: str
    amount: Decimal
    numbers: int


@dataclass(frozen=True)
class DueCharge:
    currency: str
    amount: Decimal
    numbers: int
    first: datetime


@dataclass(frozen=True)
class Totals:
    active: int
    imported: int
    by_region: list[tuple[str, int, int]]
    by_type: list[tuple[str, int]]
    by_capability: list[tuple[str, int, int]]
    monthly: list[Money]
    due: list[DueCharge]
    by_region_spend: list[tuple[str, str, Decimal]]


@dataclass(frozen=True)
class Attention:
    e911_missing: int
    e911_unchecked: int
    idle: int
    provisioning_failed: int

    @property
    def any(self) -> bool:
        return bool(self.e911_missing or self.e911_unchecked or self.idle or self.provisioning_failed)


@dataclass(frozen=True)
class ChangeCounts:
    added: int
    released: int
    imported: int
    unimported: int
    e911_set: int
    e911_lost: int


# Refreshing


def replace_source(
    store: Store, source: Source, rows: Iterable[InventoryRow], now: datetime
) -> SnapshotChange:
    """Make the snapshot of `source` exactly `rows`, read lazily and written a batch per transaction.

    Numbers added or removed since the last refresh go to the change log, except on the very first refresh
    (everything would look added). If reading `rows` fails half-way, the rows seen so far are updated and
    nothing is removed: the next refresh finishes the job.
    """
    first_refresh = refreshed_at(store, source) is None
    generation = _generation(store, source) + 1
    remaining = iter(rows)
    while batch := list(islice(remaining, BATCH)):
        with store.transaction() as db:
            db.conn.executemany(_UPSERT, [_columns(row, generation) for row in batch])
    with store.transaction() as db:
        stamp = to_iso(now)
        if not first_refresh:
            db.execute(
                """INSERT INTO inventory_changes (at, source, phone_number, change)
                   SELECT ?, source, phone_number, 'added' FROM inventory_numbers
                   WHERE source = ? AND added_generation = ?""",
                [stamp, source, generation],
            )
            db.execute(
                """INSERT INTO inventory_changes (at, source, phone_number, change)
                   SELECT ?, source, phone_number, 'removed' FROM inventory_numbers
                   WHERE source = ? AND generation < ?""",
                [stamp, source, generation],
            )
        added = _count(store, "source = ? AND added_generation = ?", [source, generation])
        removed = db.execute(
            "DELETE FROM inventory_numbers WHERE source = ? AND generation < ?", [source, generation]
        ).rowcount
        db.execute(
            """INSERT INTO inventory_sources (source, generation, refreshed_at) VALUES (?, ?, ?)
               ON CONFLICT (source) DO UPDATE SET generation = excluded.generation,
                   refreshed_at = excluded.refreshed_at""",
            [source, generation, stamp],
        )
        if source is Source.ACTIVE:
            _record_spend(store, now)
        total = _count(store, "source = ?", [source])
    return SnapshotChange(added=0 if first_refresh else added, removed=removed, total=total)


def refreshed_at(store: Store, source: Source) -> datetime | None:
    """When `source` was last read whole from Sinch; None if never."""
    row = _one(store, "SELECT refreshed_at FROM inventory_sources WHERE source = ?", [source])
    return optional_from_iso(row["refreshed_at"]) if row else None


def mark_stale(store: Store, now: datetime) -> None:
    """numbot changed the inventory: the next refresh job reads it again instead of waiting its interval."""
    store.db.execute(
        "INSERT INTO inventory_stale (id, since) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", [to_iso(now)]
    )


def stale_since(store: Store) -> datetime | None:
    row = _one(store, "SELECT since FROM inventory_stale WHERE id = 1", [])
    return optional_from_iso(row["since"]) if row else None


def clear_stale(store: Store, before: datetime) -> None:
    """Forget a mark the refresh that started at `before` covers; a change marked later stays marked."""
    store.db.execute("DELETE FROM inventory_stale WHERE since <= ?", [to_iso(before)])


# Reading


def totals(store: Store, *, now: datetime, due_within: timedelta = timedelta(days=30)) -> Totals:
    counts = {
        row["source"]: row["numbers"]
        for row in store.db.query("SELECT source, COUNT(*) AS numbers FROM inventory_numbers GROUP BY source")
    }
    by_region = [
        (row["region"], row["active"], row["imported"])
        for row in store.db.query(
            """SELECT region, SUM(source = 'active') AS active, SUM(source = 'imported') AS imported
               FROM inventory_numbers GROUP BY region ORDER BY COUNT(*) DESC, region"""
        )
    ]
    by_type = [
        (row["number_type"], row["numbers"])
        for row in store.db.query(
            """SELECT number_type, COUNT(*) AS numbers FROM inventory_numbers WHERE source = 'active'
               GROUP BY number_type ORDER BY numbers DESC, number_type"""
        )
    ]
    capability = _one(
        store,
        """SELECT SUM(has_sms AND source = 'active') AS sms_active,
                  SUM(has_sms AND source = 'imported') AS sms_imported,
                  SUM(has_voice AND source = 'active') AS voice_active,
                  SUM(has_voice AND source = 'imported') AS voice_imported
           FROM inventory_numbers""",
        [],
    )
    assert capability is not None  # an aggregate always gives one row
    by_capability = [
        ("SMS", capability["sms_active"] or 0, capability["sms_imported"] or 0),
        ("VOICE", capability["voice_active"] or 0, capability["voice_imported"] or 0),
    ]
    monthly, due, by_region_spend = _spend(store, now, now + due_within)
    return Totals(
        active=counts.get(Source.ACTIVE, 0),
        imported=counts.get(Source.IMPORTED, 0),
        by_region=by_region,
        by_type=by_type,
        by_capability=by_capability,
        monthly=monthly,
        due=due,
        by_region_spend=by_region_spend,
    )


def monthly_spend(store: Store, currency: str) -> Decimal:
    """What the active numbers billed in `currency` cost a month (summed as Decimal, not SQLite's floats)."""
    return sum(
        (
            Decimal(row["monthly_price"])
            for row in store.db.query(
                """SELECT monthly_price FROM inventory_numbers
                   WHERE source = 'active' AND currency = ? AND monthly_price IS NOT NULL""",
                [currency],
            )
        ),
        Decimal(0),
    )


def attention(store: Store) -> Attention:
    row = _one(
        store,
        """SELECT SUM(needs_e911 AND e911 = 'missing') AS e911_missing,
                  SUM(needs_e911 AND e911 IN ('unchecked', 'error')) AS e911_unchecked,
                  SUM(idle) AS idle,
                  SUM(provisioning_failed) AS provisioning_failed
           FROM inventory_numbers WHERE source = 'active'""",
        [],
    )
    assert row is not None
    return Attention(
        e911_missing=row["e911_missing"] or 0,
        e911_unchecked=row["e911_unchecked"] or 0,
        idle=row["idle"] or 0,
        provisioning_failed=row["provisioning_failed"] or 0,
    )


_FILTERS = {
    RowFilter.ALL: "1",
    RowFilter.E911_MISSING: "needs_e911 AND e911 = 'missing'",
    RowFilter.IDLE: "idle",
    RowFilter.PROVISIONING_FAILED: "provisioning_failed",
}


def rows(
    store: Store, source: Source, *, where: RowFilter = RowFilter.ALL, limit: int | None = None
) -> Iterator[InventoryRow]:
    """The snapshot's numbers of `source` by phone number, read as iterated."""
    sql = f"SELECT * FROM inventory_numbers WHERE source = ? AND {_FILTERS[where]} ORDER BY phone_number"  # noqa: S608 - fixed fragments
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    for row in store.db.query(sql, [source]):
        yield _row(row)


def count(store: Store, source: Source, *, where: RowFilter = RowFilter.ALL) -> int:
    return _count(store, f"source = ? AND {_FILTERS[where]}", [source])


# The E911 sweep


def e911_due(store: Store, limit: int, *, checked_before: datetime) -> list[str]:
    """Numbers whose emergency address should be looked at: never checked first, then the oldest check."""
    return [
        row["phone_number"]
        for row in store.db.query(
            """SELECT phone_number FROM inventory_numbers
               WHERE needs_e911 = 1 AND (e911_checked_at IS NULL OR e911_checked_at < ?)
               ORDER BY e911_checked_at IS NOT NULL, e911_checked_at, phone_number LIMIT ?""",
            [to_iso(checked_before), limit],
        )
    ]


def record_e911(
    store: Store, phone_number: str, status: E911Status, now: datetime, *, asked_sinch: bool = True
) -> bool:
    """Keep what a check found; True when the number gained or lost its address (logged as a change).

    `asked_sinch` counts the check against the sweep's budget (a result numbot learned by setting or removing
    the address itself cost the sweep nothing).
    """
    with store.transaction() as db:
        before = _one(
            store,
            "SELECT e911 FROM inventory_numbers WHERE source = 'active' AND phone_number = ?",
            [phone_number],
        )
        stamp = to_iso(now)
        if asked_sinch:
            db.execute("INSERT INTO e911_checks (at) VALUES (?)", [stamp])
            db.execute("DELETE FROM e911_checks WHERE at < ?", [to_iso(now - CHECK_LOG_KEPT)])
        if before is None:
            return False  # released since the sweep picked it
        db.execute(
            """UPDATE inventory_numbers SET e911 = ?, e911_checked_at = ?
               WHERE source = 'active' AND phone_number = ?""",
            [status, stamp, phone_number],
        )
        change = _e911_change(E911Status(before["e911"]), status)
        if change:
            db.execute(
                "INSERT INTO inventory_changes (at, source, phone_number, change) VALUES (?, 'active', ?, ?)",
                [stamp, phone_number, change],
            )
        return change is not None


def e911_checks_since(store: Store, since: datetime) -> int:
    row = _one(store, "SELECT COUNT(*) AS checks FROM e911_checks WHERE at >= ?", [to_iso(since)])
    return row["checks"] if row else 0


# History


def changes_since(store: Store, since: datetime) -> ChangeCounts:
    counts: dict[tuple[str, str], int] = {
        (row["source"], row["change"]): row["numbers"]
        for row in store.db.query(
            """SELECT source, change, COUNT(*) AS numbers FROM inventory_changes WHERE at >= ?
               GROUP BY source, change""",
            [to_iso(since)],
        )
    }
    return ChangeCounts(
        added=counts.get((Source.ACTIVE, "added"), 0),
        released=counts.get((Source.ACTIVE, "removed"), 0),
        imported=counts.get((Source.IMPORTED, "added"), 0),
        unimported=counts.get((Source.IMPORTED, "removed"), 0),
        e911_set=counts.get((Source.ACTIVE, "e911_set"), 0),
        e911_lost=counts.get((Source.ACTIVE, "e911_lost"), 0),
    )


def spend_on(store: Store, day: date) -> list[Money]:
    """The active numbers' monthly spend recorded on `day`, or on the latest day before it with a record."""
    latest = _one(store, "SELECT MAX(day) AS day FROM inventory_spend WHERE day <= ?", [day.isoformat()])
    if latest is None or latest["day"] is None:
        return []
    return [
        Money(row["currency"], Decimal(row["amount"]), row["numbers"])
        for row in store.db.query(
            "SELECT * FROM inventory_spend WHERE day = ? ORDER BY CAST(amount AS REAL) DESC, currency",
            [latest["day"]],
        )
    ]


# Internals

_UPSERT = """
INSERT INTO inventory_numbers (source, phone_number, region, number_type, capabilities, has_sms, has_voice,
    display_name, sms_service_plan_id, sms_campaign_id, voice_type, voice_id, monthly_price, currency,
    next_charge_date, provisioning_failed, idle, needs_e911, e911, e911_checked_at, generation,
    added_generation)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, NULL, ?20, ?20)
ON CONFLICT (source, phone_number) DO UPDATE SET
    region = excluded.region, number_type = excluded.number_type, capabilities = excluded.capabilities,
    has_sms = excluded.has_sms, has_voice = excluded.has_voice, display_name = excluded.display_name,
    sms_service_plan_id = excluded.sms_service_plan_id, sms_campaign_id = excluded.sms_campaign_id,
    voice_type = excluded.voice_type, voice_id = excluded.voice_id, monthly_price = excluded.monthly_price,
    currency = excluded.currency, next_charge_date = excluded.next_charge_date,
    provisioning_failed = excluded.provisioning_failed, idle = excluded.idle,
    needs_e911 = excluded.needs_e911,
    -- What the sweep learned stays while the number still needs an address; a number that newly needs one
    -- starts unchecked.
    e911 = CASE WHEN NOT excluded.needs_e911 THEN 'n/a'
                WHEN NOT inventory_numbers.needs_e911 THEN 'unchecked'
                ELSE inventory_numbers.e911 END,
    e911_checked_at = CASE WHEN excluded.needs_e911 AND inventory_numbers.needs_e911
                           THEN inventory_numbers.e911_checked_at END,
    generation = excluded.generation
"""


def _columns(row: InventoryRow, generation: int) -> tuple[object, ...]:
    """`_UPSERT`'s parameters, in its order (positional: a refresh writes thousands of these)."""
    needs_e911 = row.needs_e911
    return (
        row.source.value,
        row.phone_number,
        row.region,
        row.number_type,
        ",".join(row.capabilities),
        "SMS" in row.capabilities,
        "VOICE" in row.capabilities,
        row.display_name,
        row.sms_service_plan_id,
        row.sms_campaign_id,
        row.voice_type,
        row.voice_id,
        None if row.monthly_price is None else str(row.monthly_price),
        row.currency,
        None if row.next_charge_date is None else to_iso(row.next_charge_date),
        row.provisioning_failed,
        row.idle,
        needs_e911,
        (E911Status.UNCHECKED if needs_e911 else E911Status.NOT_APPLICABLE).value,
        generation,
    )


def _row(row: dict[str, Any]) -> InventoryRow:
    return InventoryRow(
        phone_number=row["phone_number"],
        source=Source(row["source"]),
        region=row["region"],
        number_type=row["number_type"],
        capabilities=tuple(part for part in row["capabilities"].split(",") if part),
        display_name=row["display_name"],
        sms_service_plan_id=row["sms_service_plan_id"],
        sms_campaign_id=row["sms_campaign_id"],
        voice_type=row["voice_type"],
        voice_id=row["voice_id"],
        monthly_price=optional_decimal(row["monthly_price"]),
        currency=row["currency"],
        next_charge_date=optional_from_iso(row["next_charge_date"]),
        provisioning_failed=bool(row["provisioning_failed"]),
        e911=E911Status(row["e911"]),
        e911_checked_at=optional_from_iso(row["e911_checked_at"]),
    )


def _spend(
    store: Store, now: datetime, due_until: datetime
) -> tuple[list[Money], list[DueCharge], list[tuple[str, str, Decimal]]]:
    """Monthly spend per currency, what falls due before `due_until`, and spend per region, in one pass.

    Summed in Python with Decimal: SQLite would sum the prices as floats.
    """
    monthly: dict[str, list[Decimal | int]] = defaultdict(lambda: [Decimal(0), 0])
    due: dict[str, list[Any]] = {}
    per_region: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    start, end = to_iso(now), to_iso(due_until)
    for row in store.db.query(
        """SELECT region, currency, monthly_price, next_charge_date FROM inventory_numbers
           WHERE source = 'active' AND monthly_price IS NOT NULL"""
    ):
        price = Decimal(row["monthly_price"])
        currency = row["currency"]
        monthly[currency][0] += price
        monthly[currency][1] += 1
        per_region[(row["region"], currency)] += price
        charged = row["next_charge_date"]
        if charged is not None and start <= charged < end:
            entry = due.setdefault(currency, [Decimal(0), 0, charged])
            entry[0] += price
            entry[1] += 1
            entry[2] = min(entry[2], charged)
    return (
        sorted(
            (
                Money(currency, Decimal(amount), int(numbers))
                for currency, (amount, numbers) in monthly.items()
            ),
            key=lambda money: (-money.amount, money.currency),
        ),
        sorted(
            (
                DueCharge(currency, amount, numbers, optional_from_iso(first) or now)
                for currency, (amount, numbers, first) in due.items()
            ),
            key=lambda charge: (-charge.amount, charge.currency),
        ),
        sorted(
            ((region, currency, amount) for (region, currency), amount in per_region.items()),
            key=lambda item: (-item[2], item[0], item[1]),
        ),
    )


def _record_spend(store: Store, now: datetime) -> None:
    monthly, _, _ = _spend(store, now, now)
    day = now.date()
    store.db.execute("DELETE FROM inventory_spend WHERE day = ?", [day.isoformat()])
    store.db.conn.executemany(
        "INSERT INTO inventory_spend (day, currency, amount, numbers) VALUES (?, ?, ?, ?)",
        [(day.isoformat(), money.currency, str(money.amount), money.numbers) for money in monthly],
    )


def _e911_change(before: E911Status, after: E911Status) -> str | None:
    if before is E911Status.MISSING and after is E911Status.PRESENT:
        return "e911_set"
    if before is E911Status.PRESENT and after is E911Status.MISSING:
        return "e911_lost"
    return None


def _generation(store: Store, source: Source) -> int:
    row = _one(store, "SELECT generation FROM inventory_sources WHERE source = ?", [source])
    return int(row["generation"]) if row else 0


def _count(store: Store, where: str, params: Sequence[object]) -> int:
    row = _one(store, f"SELECT COUNT(*) AS numbers FROM inventory_numbers WHERE {where}", params)  # noqa: S608 - fixed fragments
    return int(row["numbers"]) if row else 0


def _one(store: Store, sql: str, params: Sequence[object]) -> dict[str, Any] | None:
    return next(iter(store.db.query(sql, list(params))), None)
