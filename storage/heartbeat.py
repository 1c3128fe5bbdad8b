"""One row, rewritten on demand: the cheapest write that proves the database takes writes.

A write rolled back before commit never reaches the disk, so it cannot tell a full disk; this one commits.
"""

from __future__ import annotations

from datetime import datetime

from storage.db import Store, to_iso


def beat(store: Store, owner: str, now: datetime) -> None:
    """Commit `now` and who wrote it; raises sqlite3.Error when the database cannot be written."""
    with store.transaction() as db:
        db.execute(
            """INSERT INTO heartbeat (id, owner, at) VALUES (1, ?, ?)
               ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, at = excluded.at""",
            [owner, to_iso(now)],
        )
