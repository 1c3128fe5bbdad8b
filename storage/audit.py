"""Append-only audit log: who did what to which number or request, and when.

SQLite triggers refuse UPDATE and DELETE on the table, so not even a bug elsewhere can rewrite history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import JsonDict, Store, from_iso, optional_dump_json, optional_load_json, to_iso


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    request_id: str | None
    detail: JsonDict | None


def record(
    store: Store,
    *,
    actor: str,
    action: str,
    subject: str,
    now: datetime,
    request_id: str | None = None,
    detail: JsonDict | None = None,
) -> None:
    store.db.execute(
        "INSERT INTO audit (at, actor, action, subject, request_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [to_iso(now), actor, action, subject, request_id, optional_dump_json(detail)],
    )


def query(
    store: Store,
    *,
    subject: str | None = None,
    actor: str | None = None,
    request_id: str | None = None,
    limit: int = 20,
) -> list[AuditEntry]:
    """The latest entries matching every given filter, newest first."""
    filters = {"subject": subject, "actor": actor, "request_id": request_id}
    conditions = [f"{column} = ?" for column, value in filters.items() if value is not None]
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    params = [value for value in filters.values() if value is not None]
    rows = store.db.query(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ?", [*params, limit])  # noqa: S608
    return [_entry(row) for row in rows]


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=from_iso(row["at"]),
        actor=row["actor"],
        action=row["action"],
        subject=row["subject"],
        request_id=row["request_id"],
        detail=optional_load_json(row["detail"]),
    )
