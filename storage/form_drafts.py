"""The answers given on the earlier pages of a form that spans several Slack views, until its last page.

Keyed by the first view's id (Slack's `root_view_id`, the same on every view of the stack). A draft lives
until the request its last page makes, or until it expires; expired drafts go whenever one is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.db import Store, dump_json, load_json, to_iso


def save_page(
    store: Store, root_view_id: str, page: int, values: dict[str, Any], *, expires_at: datetime, now: datetime
) -> None:
    """Keep page `page`'s `state.values` (a page sent again replaces what it had)."""
    with store.transaction() as db:
        db.execute("DELETE FROM form_drafts WHERE expires_at <= ?", [to_iso(now)])
        db.execute(
            """INSERT INTO form_drafts (root_view_id, page, values_json, expires_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (root_view_id, page) DO UPDATE
               SET values_json = excluded.values_json, expires_at = excluded.expires_at""",
            [root_view_id, page, dump_json(values), to_iso(expires_at)],
        )


def earlier_values(store: Store, root_view_id: str, before_page: int, now: datetime) -> dict[str, Any]:
    """The `state.values` of the pages before `before_page` that have not expired, merged in page order."""
    rows = store.db.query(
        """SELECT values_json FROM form_drafts
           WHERE root_view_id = ? AND page < ? AND expires_at > ? ORDER BY page""",
        [root_view_id, before_page, to_iso(now)],
    )
    merged: dict[str, Any] = {}
    for row in rows:
        merged.update(load_json(row["values_json"]))
    return merged


def saved_pages(store: Store, root_view_id: str, now: datetime) -> list[int]:
    rows = store.db.query(
        "SELECT page FROM form_drafts WHERE root_view_id = ? AND expires_at > ? ORDER BY page",
        [root_view_id, to_iso(now)],
    )
    return [row["page"] for row in rows]


def discard(store: Store, root_view_id: str) -> None:
    store.db.execute("DELETE FROM form_drafts WHERE root_view_id = ?", [root_view_id])
