from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from storage import Store, audit
from tests.storage.helpers import T0


def test_entries_come_back_newest_first_filtered_by_subject_or_actor(store: Store) -> None:
    audit.record(store, actor="U_ALICE", action="number.searched", subject="US LOCAL", now=T0)
    audit.record(
        store,
        actor="U_BOB",
        action="number.released",
        subject="+12025550123",
        request_id="R-ABCDE",
        detail={"reason": "customer left"},
        now=T0 + timedelta(minutes=1),
    )
    audit.record(
        store, actor="U_ALICE", action="number.updated", subject="+12025550123", now=T0 + timedelta(minutes=2)
    )

    by_number = audit.query(store, subject="+12025550123")
    assert [entry.action for entry in by_number] == ["number.updated", "number.released"]
    assert by_number[1].detail == {"reason": "customer left"}
    assert by_number[1].request_id == "R-ABCDE"
    assert by_number[1].at == T0 + timedelta(minutes=1)
    assert [entry.action for entry in audit.query(store, actor="U_ALICE")] == [
        "number.updated",
        "number.searched",
    ]
    assert [entry.action for entry in audit.query(store, subject="+12025550123", actor="U_BOB")] == [
        "number.released"
    ]
    assert len(audit.query(store, limit=2)) == 2


@pytest.mark.parametrize(
    "tampering", ["UPDATE audit SET actor = 'U_MALLORY'", "DELETE FROM audit"], ids=["update", "delete"]
)
def test_the_log_cannot_be_rewritten(store: Store, tampering: str) -> None:
    audit.record(store, actor="U_ALICE", action="number.released", subject="+12025550123", now=T0)

    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute(tampering)

    [entry] = audit.query(store)
    assert entry.actor == "U_ALICE"
