"""What bad input must never change: requests, the audit log, stored callbacks, and Sinch's numbers."""

from __future__ import annotations

from dataclasses import dataclass

from tests.harness import World

# Sinch calls that only read, though some are POSTs.
_READ_ONLY_POSTS = (":validate",)


@dataclass(frozen=True)
class Snapshot:
    requests: int
    audit: int
    events: int
    sinch_changes: int


def snapshot(world: World) -> Snapshot:
    db = world.services.store.db
    changes = sum(
        1
        for record in world.sinch.requests
        if record.path.startswith("/v1/")
        and record.method != "GET"
        and not record.path.endswith(_READ_ONLY_POSTS)
    )

    def count(table: str) -> int:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    return Snapshot(count("requests"), count("audit"), count("events"), changes)
